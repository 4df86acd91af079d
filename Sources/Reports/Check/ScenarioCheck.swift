// ScenarioCheck.swift — what `simrun check` does apart from parsing arguments: validate every
// scenario and every --kpi first, run each scenario, judge, write reports and JUnit XML.

import Foundation
import Scenarios

// MARK: - Checking scenarios

/// A CI gate over scenario files: each scenario's KPIs (plus the `--kpi` overrides) judged on a
/// run. Nothing runs or is written until every input is valid.
public struct ScenarioCheck: Sendable {
    public var paths: [String]
    /// KPI expressions from `--kpi`, applied to every scenario.
    public var kpiExpressions: [String]
    public var overrides: ScenarioRun.Overrides
    /// Folder for the scenarios' report folders (`<out>/<name>/`); `reports/<name>/` when nil.
    public var outputFolder: String?
    /// The JUnit XML file, if asked for.
    public var junitPath: String?
    public var threads: Int

    public init(paths: [String], kpiExpressions: [String] = [], overrides: ScenarioRun.Overrides = .init(),
                outputFolder: String? = nil, junitPath: String? = nil, threads: Int) {
        self.paths = paths
        self.kpiExpressions = kpiExpressions
        self.overrides = overrides
        self.outputFolder = outputFolder
        self.junitPath = junitPath
        self.threads = threads
    }

    /// Every problem with the input, each naming its file or `--kpi` (exit code 2).
    public struct InputErrors: Error, CustomStringConvertible {
        public var messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// One scenario ready to run: loaded, overridden, with its output folder.
    public struct Prepared: Sendable {
        public var path: String
        public var scenario: Scenario
        public var folder: OutputFolder
    }

    /// One scenario run and judged.
    public struct Result: Sendable {
        public var path: String
        public var report: RunReport
        public var folder: URL
        /// Wall-clock seconds the run took (JUnit `time`; never in `summary.json`).
        public var wallSeconds: Double
    }

    // MARK: Validation

    /// Loads every scenario and parses every `--kpi`, applying them; collects every problem
    /// and throws ``InputErrors`` before anything runs.
    public func prepare() throws -> [Prepared] {
        var messages: [String] = []
        if paths.isEmpty { messages.append("simrun check: give at least one scenario file") }
        var overrideKPIs: [KPI] = []
        for expression in kpiExpressions {
            do throws(KPIError) {
                overrideKPIs.append(try KPI(parsing: expression))
            } catch {
                let position = error.offset.map { " at character \($0 + 1)" } ?? ""
                messages.append("--kpi \"\(expression)\"\(position): \(error.message)")
            }
        }
        if let junitPath, let problem = JUnitFile.refusal(at: junitPath) { messages.append(problem) }
        var prepared: [Prepared] = []
        var folders: [String: String] = [:]
        for path in paths {
            let run = ScenarioRun(path: path, overrides: overrides, threads: threads)
            let scenario: Scenario
            do {
                scenario = try run.load()
            } catch let errors as ScenarioErrors {
                messages.append(errors.description)
                continue
            } catch {
                messages.append("simrun check: \(error)")
                continue
            }
            var fits = true
            for kpi in overrideKPIs {
                do throws(KPIError) {
                    _ = try scenario.replacingKPIs(with: [kpi])
                } catch {
                    messages.append("\(path): --kpi \"\(kpi.expression)\": \(error.message)")
                    fits = false
                }
            }
            guard fits, let overridden = try? scenario.replacingKPIs(with: overrideKPIs) else { continue }
            let name = Self.name(of: overridden)
            let folder: OutputFolder
            do throws(OutputFolderError) {
                if let outputFolder {
                    folder = try OutputFolder(userPath: "\(outputFolder)/\(name)")
                } else {
                    folder = OutputFolder(defaultFor: name)
                }
                try folder.preflight()
            } catch {
                messages.append("\(path): \(error.description)")
                continue
            }
            if let other = folders[folder.url.path] {
                messages.append("\(path): its report folder \(folder.url.path) is also \(other)'s; give the scenarios different names")
                continue
            }
            folders[folder.url.path] = path
            prepared.append(Prepared(path: path, scenario: overridden, folder: folder))
        }
        guard messages.isEmpty else { throw InputErrors(messages: messages) }
        return prepared
    }

    // MARK: Running

    /// Runs each prepared scenario in turn, writing its report folder as it finishes, then the
    /// JUnit file. `progress` is called after each scenario; `runProgress` follows each
    /// scenario's replications (the live line, `--verbose`).
    public func execute(_ prepared: [Prepared], runProgress: RunProgress? = nil,
                        progress: (Result) -> Void = { _ in }) async throws -> [Result] {
        var results: [Result] = []
        let clock = ContinuousClock()
        for item in prepared {
            let started = clock.now
            let report = try await RunReport.run(item.scenario, threads: threads, progress: runProgress)
            try item.folder.write(files: report.outputFiles)
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let result = Result(path: item.path, report: report, folder: item.folder.url, wallSeconds: seconds)
            results.append(result)
            progress(result)
        }
        if let junitPath {
            try JUnitFile.write(JUnitReport(results: results).xml, to: junitPath)
        }
        return results
    }

    /// The exit code of a check: 3 an invariant broke in any scenario, else 1 a KPI failed,
    /// else 0.
    public static func exitCode(_ results: [Result]) -> Int32 {
        if results.contains(where: { !$0.report.brokenInvariants.isEmpty }) { return 3 }
        return results.allSatisfy(\.report.passed) ? 0 : 1
    }

    private static func name(of scenario: Scenario) -> String {
        switch scenario {
        case .network(let scenario): scenario.spec.name
        case .taskSystem(let scenario): scenario.configuration.name
        }
    }
}
