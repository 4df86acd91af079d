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
            return .taskSystem(scenario)
        }
    }

    /// The folder the run will write: `--out` when given, else `reports/<name>/`.
    public func folder(for scenario: Scenario) throws(OutputFolderError) -> OutputFolder {
        if let outputFolder { return try OutputFolder(userPath: outputFolder) }
        return OutputFolder(defaultFor: scenario.name)
    }

    /// Loads the scenario and checks its output folder, before anything runs: throws
    /// ``ScenarioErrors``, ``UsageError`` or ``OutputFolderError`` (all exit code 2).
    public func prepare() throws -> (scenario: Scenario, folder: OutputFolder) {
        let scenario = try load()
        let folder = try folder(for: scenario)
        try folder.preflight()
        return (scenario, folder)
    }

    /// Runs the scenario and writes its report folder (``RunReport/outputFiles``).
    public func execute() async throws -> Outcome {
        let (scenario, folder) = try prepare()
        let report = await RunReport.run(scenario, threads: threads)
        try folder.write(files: report.outputFiles)
        return Outcome(report: report, folder: folder.url)
    }
}

extension RunReport {
    /// The files of a run folder: `summary.json`, `report.md` and `results.sqlite`.
    public var outputFiles: [OutputFile] {
        [.text("summary.json", summaryJSON.serialized()),
         .text("report.md", markdown),
         .generated("results.sqlite") { path in try ResultsDatabase.write(self, to: path) }]
    }
}
