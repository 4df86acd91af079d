import Foundation
import Scenarios
import Sim

// MARK: - Running a scenario file end to end

/// What `simrun run` does, apart from parsing its arguments: load and validate the scenario,
/// apply the command-line overrides, run every replication, write the report folder, and say
/// which exit code the outcome deserves.
public struct ScenarioRun: Sendable {
    /// Command-line overrides of the scenario's own values.
    public struct Overrides: Sendable {
        public var seed: UInt64?
        public var replications: Int?
        public init(seed: UInt64? = nil, replications: Int? = nil) {
            self.seed = seed
            self.replications = replications
        }
    }

    /// The outcome of a run, and its exit code: 0 all KPIs pass, 1 a KPI failed, 3 an invariant broke.
    public struct Outcome: Sendable {
        public var report: NetworkReport
        public var folder: URL
        public var exitCode: Int32 {
            if !report.result.invariantViolations.isEmpty { return 3 }
            return report.passed ? 0 : 1
        }
    }

    /// Bad command-line values (exit code 2).
    public struct UsageError: Error, CustomStringConvertible {
        public var description: String
    }

    public var path: String
    public var overrides: Overrides
    /// The output folder; `reports/<name>/` when nil.
    public var outputFolder: String?
    public var threads: Int

    public init(path: String, overrides: Overrides = Overrides(), outputFolder: String? = nil, threads: Int) {
        self.path = path
        self.overrides = overrides
        self.outputFolder = outputFolder
        self.threads = threads
    }

    /// Loads and validates the scenario with the overrides applied; throws ``ScenarioErrors``
    /// or ``UsageError`` (exit code 2) before anything runs or is written.
    public func load() throws -> NetworkScenario {
        guard threads >= 1 else { throw UsageError(description: "--threads must be at least 1, got \(threads)") }
        let scenario: NetworkScenario
        switch try ScenarioLoader.load(path: path) {
        case .network(let network): scenario = network
        }
        var spec = scenario.spec
        if let seed = overrides.seed { spec.seed = seed }
        if let replications = overrides.replications {
            guard replications >= 1 else {
                throw UsageError(description: "--replications must be at least 1, got \(replications)")
            }
            spec.replications = replications
        }
        return NetworkScenario(spec: spec, kpis: scenario.kpis, sourcePath: scenario.sourcePath)
    }

    /// Runs the scenario and writes `summary.json` and `report.md` into the output folder.
    public func execute() async throws -> Outcome {
        let scenario = try load()
        let result = await NetworkRunner.run(scenario.spec, threads: threads)
        let report = NetworkReport(scenario: scenario, result: result)
        let folder = URL(fileURLWithPath: outputFolder ?? "reports/\(scenario.spec.name)")
        try OutputFolder.write([("summary.json", report.summaryJSON.serialized()), ("report.md", report.markdown)], to: folder)
        return Outcome(report: report, folder: folder)
    }
}
