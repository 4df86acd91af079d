import Foundation
import Scenarios
import Sim
import TaskSystem

// MARK: - Running a scenario file end to end

/// What `simrun run` does, apart from parsing its arguments: load and validate the scenario,
/// apply the command-line overrides, run every replication, write the report folder, and say
/// which exit code the outcome deserves.
public struct ScenarioRun: Sendable {
    /// Command-line overrides of the scenario's own values.
    public struct Overrides: Sendable {
        public var seed: UInt64?
        public var replications: Int?
        /// Defects this package's tests plant in a task-system run (never set by `simrun`).
        package var taskSystemTestHooks: TaskSystemTestHooks?
        public init(seed: UInt64? = nil, replications: Int? = nil) {
            self.seed = seed
            self.replications = replications
        }
    }

    /// The outcome of a run, and its exit code: 0 all KPIs pass, 1 a KPI failed, 3 an invariant broke.
    public struct Outcome: Sendable {
        public var report: RunReport
        public var folder: URL
        public var exitCode: Int32 {
            if !report.brokenInvariants.isEmpty { return 3 }
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
    public func load() throws -> Scenario {
        guard threads >= 1 else { throw UsageError(description: "--threads must be at least 1, got \(threads)") }
        if let replications = overrides.replications, replications < 1 {
            throw UsageError(description: "--replications must be at least 1, got \(replications)")
        }
        switch try ScenarioLoader.load(path: path) {
        case .network(var scenario):
            if let seed = overrides.seed { scenario.spec.seed = seed }
            if let replications = overrides.replications { scenario.spec.replications = replications }
            return .network(scenario)
        case .taskSystem(var scenario):
            if let seed = overrides.seed { scenario.configuration.seed = seed }
            if let replications = overrides.replications { scenario.configuration.replications = replications }
            if let hooks = overrides.taskSystemTestHooks { scenario.configuration.testHooks = hooks }
            return .taskSystem(scenario)
        }
    }

    /// Runs the scenario and writes `summary.json` and `report.md` into the output folder;
    /// throws ``TaskSystemReport/UnresolvedKPI`` (a defect of simrun, exit code 3) before
    /// writing anything when a KPI reads a metric the run did not measure.
    public func execute() async throws -> Outcome {
        let report: RunReport
        switch try load() {
        case .network(let scenario):
            let result = await NetworkRunner.run(scenario.spec, threads: threads)
            report = .network(NetworkReport(scenario: scenario, result: result))
        case .taskSystem(let scenario):
            let results = await TaskSystemSimulation.run(scenario.configuration, threads: threads)
            report = .taskSystem(try TaskSystemReport(scenario: scenario, results: results))
        }
        let folder = URL(fileURLWithPath: outputFolder ?? "reports/\(report.name)")
        try OutputFolder.write([("summary.json", report.summaryJSON.serialized()), ("report.md", report.markdown)], to: folder)
        return Outcome(report: report, folder: folder)
    }
}
