// FuzzRun.swift — `simrun fuzz`: swarm testing of a task-system scenario — many seeds, each with
// randomised parameters and a randomised fault plan, every invariant checked, failures shrunk.

import Foundation
import Scenarios

// MARK: - FuzzRun

/// What `simrun fuzz` does apart from parsing its arguments: draw every run (``FuzzCase``) from
/// the root seed, load them all before anything runs, run them `threads` at a time, shrink each
/// failing run, and write `fuzz.json` and the failing runs' files.
///
/// Every run is a function of its seed alone, and results are collected by run number, so the
/// outcome and `fuzz.json` are the same bytes whatever `threads` is.
public struct FuzzRun: Sendable {
    /// A run ready to go: its case and its loaded scenario.
    public struct Run: Sendable {
        public let fuzzCase: FuzzCase
        public let scenario: Scenario
    }

    /// What ``prepare()`` checked and drew.
    public struct Prepared: Sendable {
        public let base: TaskSystemScenario
        public let baseSeed: UInt64
        public let context: FuzzContext
        public let runs: [Run]
        /// The `--out` folder, checked; `nil`: nothing is written.
        public let folder: OutputFolder?
    }

    public var path: String
    public var runs: Int
    /// `--seed`: the root seed the runs' seeds derive from (the scenario's `seed` when nil).
    public var seed: UInt64?
    public var outputFolder: String?
    public var threads: Int
    /// Re-runs each failing run's shrinking may make.
    public var shrinkAttempts: Int
    /// `--catalog`, and this package's tests' planted defects; seed, replications and settings
    /// are the fuzzer's.
    public var overrides: ScenarioRun.Overrides

    /// The most runs one fuzz takes.
    public static let maximumRuns = 100_000
    /// The default bound on each failing run's shrinking re-runs.
    public static let defaultShrinkAttempts = 24

    public init(path: String, runs: Int, seed: UInt64? = nil, outputFolder: String? = nil, threads: Int,
                shrinkAttempts: Int = FuzzRun.defaultShrinkAttempts, overrides: ScenarioRun.Overrides = .init()) {
        self.path = path
        self.runs = runs
        self.seed = seed
        self.outputFolder = outputFolder
        self.threads = threads
        self.shrinkAttempts = shrinkAttempts
        self.overrides = overrides
    }

    // MARK: Preparing

    /// Loads the scenario and every run's variant of it, and checks `--out`, before anything
    /// runs: throws ``ScenarioErrors``, ``ScenarioRun/UsageError``, ``ParameterError`` or
    /// ``OutputFolderError`` (all exit code 2).
    public func prepare() throws -> Prepared {
        guard (1...Self.maximumRuns).contains(runs) else {
            throw ScenarioRun.UsageError(description: "--runs must be 1 … \(Self.maximumRuns), got \(runs)")
        }
        var baseRun = ScenarioRun(path: path, overrides: overrides, threads: 1)
        baseRun.overrides.seed = seed
        guard case .taskSystem(let base) = try baseRun.load() else {
            throw ScenarioRun.UsageError(description: "\(path): simrun fuzz runs task-system scenarios (kind: task-system); this is a queueing network")
        }
        let baseSeed = base.configuration.seed
        let context = FuzzContext(base)
        var prepared: [Run] = []
        for index in 0..<runs {
            let fuzzCase = FuzzCase.draw(index: index, baseSeed: baseSeed, context: context)
            prepared.append(Run(fuzzCase: fuzzCase, scenario: try load(fuzzCase)))
        }
        let folder = try outputFolder.map { path throws(OutputFolderError) in try OutputFolder(userPath: path) }
        try folder?.preflight()
        return Prepared(base: base, baseSeed: baseSeed, context: context, runs: prepared, folder: folder)
    }

    /// `fuzzCase`'s scenario: the file with its settings, its seed, one replication.
    func load(_ fuzzCase: FuzzCase) throws -> Scenario {
        var run = ScenarioRun(path: path, overrides: overrides, threads: 1)
        run.overrides.seed = fuzzCase.seed
        run.overrides.replications = 1
        run.overrides.settings = overrides.settings + (try fuzzCase.settings())
        return try run.load()
    }

    // MARK: Running

    /// Runs every prepared run, `threads` at once, shrinks the failing ones (they too in
    /// parallel, each shrink in order), and writes the folder when `--out` was given.
    /// `finished` is called as each run ends (in any order).
    public func execute(_ prepared: Prepared,
                        finished: @escaping @Sendable (FuzzCase, RunReport) -> Void = { _, _ in }) async throws -> FuzzResult {
        let reports = try await inParallel(prepared.runs) { run in
            let report = try await RunReport.run(run.scenario, threads: 1)
            finished(run.fuzzCase, report)
            return report
        }
        let outcomes = zip(prepared.runs, reports).map { run, report in
            FuzzResult.Outcome(fuzzCase: run.fuzzCase, report: report)
        }
        let failing = outcomes.filter { !$0.brokenInvariants.isEmpty }
        let shrinker = FuzzShrinker(maximumAttempts: shrinkAttempts)
        let shrunk = try await inParallel(failing) { outcome in
            var smallest = outcome
            let (fuzzCase, attempts) = try await shrinker.shrink(outcome.fuzzCase) { candidate in
                // A candidate the reader refuses (a replica fault without the drawn replicas it
                // names) cannot show the failure: it is not kept.
                guard let scenario = try? load(candidate) else { return false }
                let report = try await RunReport.run(scenario, threads: 1)
                let candidateOutcome = FuzzResult.Outcome(fuzzCase: candidate, report: report)
                guard candidateOutcome.breaksAny(of: outcome.brokenInvariants) else { return false }
                smallest = candidateOutcome
                return true
            }
            precondition(smallest.fuzzCase == fuzzCase, "the shrinker keeps the last failing candidate")
            return FuzzResult.Failure(original: outcome, smallest: smallest, attempts: attempts)
        }
        let result = FuzzResult(scenario: prepared.base.configuration.name, path: path, baseSeed: prepared.baseSeed,
                                shrinkAttempts: shrinkAttempts, outcomes: outcomes, failures: shrunk,
                                sourceText: prepared.base.sourceText)
        if let folder = prepared.folder { try folder.write(files: try result.outputFiles()) }
        return result
    }

    /// `work` over `items`, at most `threads` at once; results in the items' order.
    private func inParallel<Item: Sendable, Value: Sendable>(
        _ items: [Item], _ work: @escaping @Sendable (Item) async throws -> Value
    ) async throws -> [Value] {
        try await withThrowingTaskGroup(of: (Int, Value).self) { group in
            var next = 0
            var collected: [(Int, Value)] = []
            func addTask() {
                let position = next
                let item = items[position]
                group.addTask { (position, try await work(item)) }
                next += 1
            }
            while next < min(max(threads, 1), items.count) { addTask() }
            while let result = try await group.next() {
                collected.append(result)
                if next < items.count { addTask() }
            }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
