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
        /// `--param KEYPATH=VALUE`: values replacing the file's own before it is read.
        public var settings: [ParameterSetting]
        /// `--catalog FILE`: the price catalogue class names resolve in (the built-in one when nil).
        public var catalogPath: String?
        /// Defects this package's tests plant in a task-system run (never set by `simrun`).
        package var taskSystemTestHooks: TaskSystemTestHooks?
        public init(seed: UInt64? = nil, replications: Int? = nil, settings: [ParameterSetting] = [],
                    catalogPath: String? = nil) {
            self.seed = seed
            self.replications = replications
            self.settings = settings
            self.catalogPath = catalogPath
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
    /// The most memory a run may be estimated to need (``MemoryEstimate``), in bytes; `nil`:
    /// the machine's physical memory.
    public var maxMemory: Int?
    /// Follows the replications (the live line, `--verbose`); `nil`: nothing shown.
    public var progress: RunProgress?

    public init(path: String, overrides: Overrides = Overrides(), outputFolder: String? = nil, threads: Int,
                maxMemory: Int? = nil, progress: RunProgress? = nil) {
        self.path = path
        self.overrides = overrides
        self.outputFolder = outputFolder
        self.threads = threads
        self.maxMemory = maxMemory
        self.progress = progress
    }

    /// Loads and validates the scenario with the overrides applied; throws ``ScenarioErrors``
    /// or ``UsageError`` (exit code 2) before anything runs or is written.
    public func load() throws -> Scenario {
        guard threads >= 1 else { throw UsageError(description: "--threads must be at least 1, got \(threads)") }
        if let replications = overrides.replications, replications < 1 {
            throw UsageError(description: "--replications must be at least 1, got \(replications)")
        }
        let scenario: Scenario
        let catalog = try overrides.catalogPath.map { path throws(ScenarioErrors) in try PriceCatalog(path: path) } ?? .builtIn
        switch try ScenarioLoader.load(path: path, settings: overrides.settings, catalog: catalog) {
        case .network(var network):
            if let seed = overrides.seed { network.spec.seed = seed }
            if let replications = overrides.replications { network.spec.replications = replications }
            scenario = .network(network)
        case .taskSystem(var taskSystem):
            if let seed = overrides.seed { taskSystem.configuration.seed = seed }
            if let replications = overrides.replications { taskSystem.configuration.replications = replications }
            if let hooks = overrides.taskSystemTestHooks { taskSystem.configuration.testHooks = hooks }
            scenario = .taskSystem(taskSystem)
        }
        try checkMemory(scenario)
        return scenario
    }

    /// Refuses (exit code 2) a scenario whose estimated peak memory exceeds the limit.
    private func checkMemory(_ scenario: Scenario) throws {
        let estimate = MemoryEstimate.of(scenario, threads: threads)
        let limit = maxMemory ?? Int(clamping: ProcessInfo.processInfo.physicalMemory)
        let source = maxMemory == nil ? "this machine's physical memory" : "--max-memory"
        if let refusal = estimate.refusal(limit: limit, limitSource: source) {
            throw UsageError(description: "\(path): \(refusal)")
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

    /// Runs the scenario and writes its report folder (``RunReport/outputFiles``); throws
    /// ``TaskSystemReport/UnresolvedKPI`` (a defect of simrun, exit code 3) before writing
    /// anything when a KPI reads a metric the run did not measure.
    public func execute() async throws -> Outcome {
        let (scenario, folder) = try prepare()
        let report = try await RunReport.run(scenario, threads: threads, progress: progress)
        try folder.write(files: report.outputFiles)
        return Outcome(report: report, folder: folder.url)
    }
}

extension RunReport {
    /// The files of a run folder: `summary.json`, `report.md`, `results.sqlite`, and for a
    /// task-system run `report.html`.
    public var outputFiles: [OutputFile] {
        var files: [OutputFile] = [.text("summary.json", summaryJSON.serialized()),
                                   .text("report.md", markdown),
                                   .generated("results.sqlite") { path in try ResultsDatabase.write(self, to: path) }]
        if case .taskSystem(let report) = self { files.append(.text("report.html", report.html)) }
        return files
    }
}
