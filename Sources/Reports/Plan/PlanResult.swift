// PlanResult.swift — `plan.json` and `plan.md`: per tier the chosen configuration, what it costs,
// every evaluation, and the seed's tables checked.

import Scenarios
import TaskSystem

// MARK: - PlanResult

/// The outcome of `simrun plan`.
public struct PlanResult: Sendable {
    /// One tier of users.
    public struct Tier: Sendable {
        public var space: PlanSpace
        public var outcome: PlanSearch.Outcome
        /// The seed's topology for the tier, confirmed like a candidate (nil: other family).
        public var seed: PlanEvaluation?
    }

    public var scenario: TaskSystemScenario
    public var path: String
    public var catalog: PriceCatalog
    public var duration: String
    public var warmup: String
    public var confirmationReplications: Int
    public var tiers: [Tier]
    /// How early each tier must be ordered (`--transitions`), if studied.
    public var transitions: TransitionStudy?

    /// 0 when every tier found a configuration passing every KPI, else 1 (3 when a run broke an
    /// invariant).
    public var exitCode: Int32 {
        let evaluations = tiers.flatMap(\.outcome.evaluated) + tiers.compactMap(\.seed)
        if evaluations.contains(where: { !$0.brokenInvariants.isEmpty }) { return 3 }
        return tiers.allSatisfy(\.outcome.passed) ? 0 : 1
    }

    // MARK: plan.json

    public var json: JSONValue {
        .object([
            ("kind", .string("plan")),
            ("scenario", .string(scenario.configuration.name)),
            ("source", .string(path)),
            ("seed", .string(String(scenario.configuration.seed))),
            ("evaluation", .object([("duration", .string(duration)), ("warmup", .string(warmup)),
                                    ("confirmation_replications", .int(confirmationReplications))])),
            ("prices", .object([("provider", .string(catalog.provider)), ("region", .string(catalog.region)),
                                ("as_of", .string(catalog.pricesAsOf))])),
            ("tiers", .array(tiers.map(\.json))),
            ("transitions", transitions?.json ?? .null),
        ])
    }

    public var outputFiles: [OutputFile] {
        [.text("plan.json", json.serialized()), .text("plan.md", markdown), .text("plan.html", html)]
    }
}

extension PlanResult.Tier {
    /// A configuration as `{primary, replicas, replica, api_limit, worker_factor, description}`.
    func json(_ c: PlanConfiguration) -> JSONValue {
        .object([("primary", .string(space.classes[c.primary].name)), ("replicas", .int(c.replicas)),
                 ("replica", .string(space.classes[c.replicaClass].name)), ("api_limit", .int(space.apiLimits[c.api])),
                 ("worker_factor", .int(space.workerFactors[c.workers])),
                 ("cache_node", space.cacheNodes[c.cache].map { .string($0.name) } ?? .null),
                 ("description", .string(space.describe(c))),
                 ("list_price_per_hour", .finite(space.listPrice(c)))])
    }

    func json(_ evaluation: PlanEvaluation) -> JSONValue {
        .object([
            ("config", json(evaluation.configuration)),
            ("replications", .int(evaluation.replications)),
            ("cost_per_hour", .finite(evaluation.costPerHour)),
            ("passed", .bool(evaluation.verdicts.allSatisfy(\.passed) && evaluation.brokenInvariants.isEmpty)),
            ("kpis", .array(evaluation.verdicts.map { verdict in
                .object([("expr", .string(verdict.expression)), ("value", .finite(verdict.value)),
                         ("passed", .bool(verdict.passed)), ("confident", .bool(verdict.confident))])
            })),
            ("signals", .object([("api_pinned", .bool(evaluation.apiPinned)), ("database_bound", .bool(evaluation.databaseBound)),
                                 ("queue_bound", .bool(evaluation.queueBound)), ("cache_bound", .bool(evaluation.cacheBound))])),
            ("invariants_broken", .array(evaluation.brokenInvariants.map { .string($0) })),
            ("figures", evaluation.figures),
        ])
    }

    /// What the seed's tables claim for this tier, and whether it holds.
    var seedClaims: JSONValue {
        let comparison = PlanTierComparison(self)
        var members: [(String, JSONValue)] = [
            ("scaling_strategy_row", .string(comparison.seedRange)),
            ("topology", .string(comparison.seedTopology)),
            ("claimed_capacity_qps", .int(comparison.claimedCapacityQPS)),
            ("instance_types_class", .string(comparison.instanceTypesClass)),
        ]
        if let seed {
            members.append(("evaluation", json(seed)))
            members.append(("holds", .bool(comparison.seedHolds ?? false)))
            if let cheapest = comparison.seedCheapest { members.append(("cheapest", .bool(cheapest))) }
        }
        return .object(members)
    }

    var json: JSONValue {
        .object([
            ("users", .int(space.users)),
            ("active_users", .int(space.activeUsers)),
            ("passed", .bool(outcome.passed)),
            ("config", outcome.chosen.map { json($0.configuration) } ?? .null),
            ("cost_per_hour", outcome.chosen.map { .finite($0.costPerHour) } ?? .null),
            ("kpis", outcome.chosen.map { chosen in json(chosen).member("kpis") ?? .null } ?? .null),
            ("unattainable_kpis", .array(outcome.unattainable.map { .string($0) })),
            ("unattainable_bounds", .array(outcome.bounds.map { bound in
                .object([("expr", .string(bound.expression)), ("most_generous_value", .finite(bound.mostGenerousValue)),
                         ("bound", .finite(bound.bound))])
            })),
            ("seed", seedClaims),
            ("evaluated", .array(outcome.evaluated.map { json($0) })),
        ])
    }
}
