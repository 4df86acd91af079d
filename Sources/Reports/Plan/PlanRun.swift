// PlanRun.swift — `simrun plan`: for each user tier, the cheapest configuration of a scenario
// whose KPIs pass with 95 % confidence, and the seed's tables checked against it.

import Foundation
import Scenarios
import TaskSystem

// MARK: - PlanRun

/// What `simrun plan` does apart from parsing its arguments.
public struct PlanRun: Sendable {
    public var path: String
    /// Registered users of each tier, as given.
    public var users: [Int]
    /// Length and warm-up of every evaluation (a steady load: minutes are enough).
    public var duration: String
    public var warmup: String
    /// `--seed` and `--catalog`.
    public var overrides: ScenarioRun.Overrides
    public var outputFolder: String?
    /// Replications run at once, across the tiers (results do not depend on it).
    public var threads: Int
    public var confirmationReplications: Int
    public var maximumEvaluations: Int
    /// `--transitions`: fractions of a tier's boundary to order tiers at in the scenario as
    /// written (empty: no transition study).
    public var transitionFractions: [Double] = []

    public init(path: String, users: [Int], duration: String = "5m", warmup: String = "1m",
                overrides: ScenarioRun.Overrides = .init(), outputFolder: String? = nil, threads: Int,
                confirmationReplications: Int = 3, maximumEvaluations: Int = 24) {
        self.path = path
        self.users = users
        self.duration = duration
        self.warmup = warmup
        self.overrides = overrides
        self.outputFolder = outputFolder
        self.threads = threads
        self.confirmationReplications = confirmationReplications
        self.maximumEvaluations = maximumEvaluations
    }

    /// A plan that cannot run (exit code 2).
    public struct UsageError: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: Preparing

    /// Loads the scenario, the catalogue, and every tier's most generous configuration (so a
    /// value the plan would set is checked before anything runs), and checks the output folder.
    public func prepare() throws -> (scenario: TaskSystemScenario, catalog: PriceCatalog, spaces: [PlanSpace], folder: OutputFolder) {
        guard !users.isEmpty, users.allSatisfy({ $0 >= 10 && $0 <= 100_000_000 }) else {
            throw UsageError(description: "--users needs tiers of 10 … 100,000,000 registered users, e.g. 1000,10000")
        }
        let catalog = try overrides.catalogPath.map { path throws(ScenarioErrors) in try PriceCatalog(path: path) } ?? .builtIn
        guard case .taskSystem(let scenario) = try ScenarioRun(path: path, overrides: overrides, threads: 1).load() else {
            throw UsageError(description: "\(path): simrun plan sizes task-system scenarios")
        }
        let spaces = users.map {
            PlanSpace(users: $0, usersPerActive: scenario.configuration.database.tierUsersPerActive, scenario: scenario, catalog: catalog)
        }
        for space in spaces {
            _ = try load(space, space.upperBound, replications: 1)
        }
        let folder = try outputFolder.map { path throws(OutputFolderError) in try OutputFolder(userPath: path) }
            ?? OutputFolder(defaultFor: scenario.configuration.name + "-plan")
        try folder.preflight()
        return (scenario, catalog, spaces, folder)
    }

    /// The scenario with `c` of `space` and the plan's run length applied.
    func load(_ space: PlanSpace, _ c: PlanConfiguration, replications: Int) throws -> TaskSystemScenario {
        var run = ScenarioRun(path: path, overrides: overrides, threads: 1)
        run.overrides.replications = replications
        run.overrides.settings = try space.settings(for: c)
            + [ParameterSetting(parsing: "duration=\(duration)"), ParameterSetting(parsing: "warmup=\(warmup)")]
        guard case .taskSystem(let scenario) = try run.load() else { throw UsageError(description: "not a task-system scenario") }
        return scenario
    }

    // MARK: Running

    /// Plans every tier; `progress` hears each evaluation as it ends (from the tiers' concurrent
    /// searches, so in no fixed order). The tiers are searched at once, every replication in one
    /// of `threads` shared slots, the larger tiers' (the longest searches') first; what each
    /// tier finds does not depend on it.
    public func execute(_ prepared: (scenario: TaskSystemScenario, catalog: PriceCatalog, spaces: [PlanSpace], folder: OutputFolder),
                        progress: @escaping @Sendable (Int, PlanEvaluation) -> Void = { _, _ in }) async throws -> PlanResult {
        let slots = ReplicationSlots(count: threads)
        let tiers = try await withThrowingTaskGroup(of: (Int, PlanResult.Tier).self) { group in
            for (index, space) in prepared.spaces.enumerated() {
                group.addTask {
                    (index, try await plan(space, scenario: prepared.scenario, slots: slots, progress: progress))
                }
            }
            var collected: [(Int, PlanResult.Tier)] = []
            for try await tier in group { collected.append(tier) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var result = PlanResult(scenario: prepared.scenario, path: path, catalog: prepared.catalog, duration: duration,
                                warmup: warmup, confirmationReplications: confirmationReplications, tiers: tiers)
        result.transitions = try await transitionStudy(fractions: transitionFractions, scenario: prepared.scenario)
        try prepared.folder.write(files: result.outputFiles)
        return result
    }

    /// Plans one tier: the search, and beside it the seed's topology for the tier.
    private func plan(_ space: PlanSpace, scenario: TaskSystemScenario, slots: ReplicationSlots,
                      progress: @escaping @Sendable (Int, PlanEvaluation) -> Void) async throws -> PlanResult.Tier {
        let replications = TierReplications(slots: slots, priority: space.users)
        let evaluate: PlanSearch.Evaluator = { c, count in
            let loaded = try load(space, c, replications: count)
            let results = await replications.results(of: c, loaded.configuration)
            let report = RunReport.taskSystem(try TaskSystemReport(scenario: loaded, results: results))
            let evaluation = PlanEvaluation(c, report: report, space: space,
                                            hours: Double(loaded.configuration.duration) / 3.6e12)
            progress(space.users, evaluation)
            return evaluation
        }
        let search = PlanSearch(space: space, confirmationReplications: confirmationReplications,
                                maximumEvaluations: maximumEvaluations)
        let configuration = scenario.configuration
        let start = space.lowerBound(cpuSecondsPerRequest: PlanSpace.meanCPU(configuration),
                                     thinkSeconds: configuration.workload.thinkTime.mean, vCPUs: configuration.api.vCPUs)
        async let seed = seedEvaluation(space, scenario: scenario, evaluate: evaluate)
        let outcome = try await search.run(from: start, evaluate: evaluate)
        return PlanResult.Tier(space: space, outcome: outcome, seed: try await seed)
    }

    /// The seed's "Scaling Strategy" topology for the tier, with the scenario's own API limit,
    /// confirmed like a plan candidate; nil when its classes are not in the searched family.
    private func seedEvaluation(_ space: PlanSpace, scenario: TaskSystemScenario,
                                evaluate: PlanSearch.Evaluator) async throws -> PlanEvaluation? {
        let tier = SeedTables.strategyRow(for: space.users).tier
        guard let primary = space.classes.firstIndex(where: { $0.name == tier.primary.name }),
              let replica = space.classes.firstIndex(where: { $0.name == tier.replica.name }) else { return nil }
        let limit = scenario.configuration.api.autoscaling?.maximum ?? scenario.configuration.api.instances
        let api = space.apiLimits.firstIndex { $0 >= limit } ?? space.apiLimits.count - 1
        let c = PlanConfiguration(primary: primary, replicas: min(tier.replicas, space.maximumReplicas), replicaClass: replica,
                                  api: api, workers: 0, cache: 0)
        return try await evaluate(c, confirmationReplications)
    }

}

// MARK: - An evaluation from a run

extension PlanEvaluation {
    /// Key figures recorded for every evaluation.
    static let figureKeys = ["api.latency.p95", "api.throughput", "api.error_rate", "api.instances.max", "db.qps", "db.qps.max",
                             "db.primary.cpu.utilization", "db.replica.cpu.utilization",
                             "db.replica.lag.max", "db.pool.timeouts", "cache.hit_rate", "cache.node.utilization",
                             "queue.depth.max", "cost.total"]
    /// The Redis command thread's busy fraction from which the node counts as the bottleneck: a
    /// FIFO single server at 80 % makes a command wait four service times on average (M/D/1:
    /// ρ / (2(1 − ρ)) = 2, M/M/1: ρ / (1 − ρ) = 4).
    static let cacheBusyThreshold = 0.8

    init(_ c: PlanConfiguration, report: RunReport, space: PlanSpace, hours: Double) {
        let summary = report.summaryJSON
        func figure(_ key: String) -> JSONValue? { summary.value(at: "metrics")?.member(key) }
        func mean(_ key: String) -> Double { figure(key)?.member("mean")?.number ?? .nan }
        let verdicts = report.verdicts.map { verdict -> Verdict in
            let member = verdict.summaryMember
            var confident = false
            var halfWidth: Double?
            if verdict.kpi.window != nil {
                confident = verdict.passed && report.replications > 1
            } else if let ci = figure(member)?.member("ci95")?.number, ci.isFinite, report.replications > 1 {
                let value = mean(member)
                confident = verdict.kpi.passes(value - ci) && verdict.kpi.passes(value + ci)
                halfWidth = ci
            }
            return Verdict(expression: verdict.kpi.expression, value: verdict.value, passed: verdict.passed, confident: confident,
                           comparison: verdict.kpi.op, halfWidth: halfWidth, unit: verdict.kpi.unit)
        }
        let failing = report.verdicts.filter { !$0.passed }
        self.init(
            configuration: c, replications: report.replications, verdicts: verdicts,
            costPerHour: mean("cost.total") / hours,
            apiPinned: mean("api.instances.max") >= Double(space.apiLimits[c.api]),
            databaseBound: mean("db.monitor.triggers.cpu") > 0 || mean("db.monitor.triggers.connections") > 0
                || mean("db.pool.timeouts") > 0 || mean("db.connections.refused") > 0,
            queueBound: failing.contains { $0.key.contains("queue.depth") },
            cacheBound: mean("cache.node.utilization") >= Self.cacheBusyThreshold,
            brokenInvariants: report.brokenInvariants,
            figures: .object(Self.figureKeys.compactMap { key in figure(key).map { (key, $0) } }))
    }
}
