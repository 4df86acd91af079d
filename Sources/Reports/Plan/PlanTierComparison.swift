// PlanTierComparison.swift — one tier of a plan beside the seed's tables: what plan.md's and
// plan.html's tier tables show, and what plan.json's `seed` claims say, computed once.

import Scenarios

// MARK: - A tier against the seed

/// One tier's plan against the seed's "Scaling Strategy" and "RDS Instance Types" rows.
public struct PlanTierComparison: Sendable {
    public let users: Int
    public let activeUsers: Int
    /// The cheapest passing configuration, described, and its measured cost per hour (nil: none found).
    public let chosen: String?
    public let chosenCostPerHour: Double?
    /// The chosen primary class (nil: none found).
    public let chosenPrimary: String?
    /// The "Scaling Strategy" row: its range, topology and claimed total capacity.
    public let seedRange: String
    public let seedTopology: String
    public let claimedCapacityQPS: Int
    /// Whether the seed's topology was run (its classes are in the searched family).
    public let seedRun: Bool
    /// The seed's topology passed every attainable KPI with confidence.
    public let seedHolds: Bool?
    /// The KPIs the seed's topology failed on its mean.
    public let seedFailures: [String]
    public let seedCostPerHour: Double?
    /// The seed's topology cost no more than the plan's choice.
    public let seedCheapest: Bool?
    /// The database queries per second the tier's load generated on the seed's topology.
    public let measuredQPS: Double?
    /// The class "RDS Instance Types" names for the range.
    public let instanceTypesClass: String
    /// KPIs no configuration of the space passes.
    public let unattainable: [String]

    init(_ tier: PlanResult.Tier) {
        let row = SeedTables.strategyRow(for: tier.space.users)
        users = tier.space.users
        activeUsers = tier.space.activeUsers
        chosen = tier.outcome.chosen.map { tier.space.describe($0.configuration) }
        chosenCostPerHour = tier.outcome.chosen?.costPerHour
        chosenPrimary = tier.outcome.chosen.map { tier.space.classes[$0.configuration.primary].name }
        seedRange = row.range
        seedTopology = "\(row.tier.primary.name) + \(row.tier.replicas)× \(row.tier.replica.name)"
        claimedCapacityQPS = row.capacityQPS
        seedRun = tier.seed != nil
        unattainable = tier.outcome.unattainable
        seedHolds = tier.seed.map { seed in
            seed.verdicts.allSatisfy { verdict in
                if verdict.confident { return true }
                guard tier.outcome.unattainable.contains(verdict.expression) else { return false }
                // An unattainable KPI: held to what the most generous configuration achieved.
                return tier.outcome.bounds.first { $0.expression == verdict.expression }.map { $0.admits(verdict.value) } ?? true
            }
        }
        seedFailures = tier.seed?.verdicts.filter { !$0.passed }.map(\.expression) ?? []
        seedCostPerHour = tier.seed?.costPerHour
        if let seed = tier.seed, let chosen = tier.outcome.chosen {
            seedCheapest = seed.costPerHour <= chosen.costPerHour
        } else {
            seedCheapest = nil
        }
        measuredQPS = tier.seed?.figures.member("db.qps")?.member("mean")?.number
        instanceTypesClass = SeedTables.instanceClassName(for: tier.space.users)
    }

    /// "yes", or "no: <the KPIs it failed>"; nil when the seed's topology was not run.
    public var holdsText: String? {
        seedHolds.map { $0 ? "yes" : "no: " + seedFailures.joined(separator: "; ") }
    }

    /// What "RDS Instance Types" names, against the plan's primary.
    public var instanceTypesText: String {
        instanceTypesClass + (chosenPrimary.map { $0 == instanceTypesClass ? " (same primary)" : " (plan: \($0))" } ?? "")
    }
}

extension PlanResult {
    /// Every tier against the seed's tables, in tier order.
    public var comparisons: [PlanTierComparison] { tiers.map(PlanTierComparison.init) }
}

extension PlanResult.Tier {
    /// What `plan.md` and `plan.html` say of a tier with unattainable KPIs (empty when none):
    /// which failed even at the most generous configuration, and the bound each was held to.
    /// `code` sets a KPI's expression in code, `text` escapes the words around it.
    func unattainableText(code: (String) -> String, text: (String) -> String) -> String {
        guard !outcome.unattainable.isEmpty else { return "" }
        var out = text("Not attainable within the searched space (failed even at \(space.describe(space.upperBound))): ")
        out += outcome.unattainable.map(code).joined(separator: ", ") + ". "
        guard !outcome.bounds.isEmpty else { return out + text("The plan sizes for the other KPIs.") }
        out += text("The plan sizes for the other KPIs and keeps each of these no worse than at the most generous "
                    + "configuration (its mean there, moved by its 95 % half-width): ")
        out += outcome.bounds.map { bound in
            code(bound.expression) + text((bound.lowerIsBetter ? " at most " : " at least ") + Format.value(bound.bound, bound.unit)
                                          + " (most generous: " + Format.value(bound.mostGenerousValue, bound.unit) + ")")
        }.joined(separator: "; ")
        return out + text(". The configuration chosen is the best the space offers, not a pass.")
    }
}
