// TierTransitions.swift — how early each database tier must be ordered for the KPIs to hold
// while it arrives: the scenario as written, run with its tiers ordered at several fractions of
// their boundaries (`database.tier_provision_at`), each transition judged on the run's own series.

import Scenarios
import Sim
import TaskSystem

// MARK: - One transition in one run

/// Tier `tier` arriving in a run: when it was ordered, when the load reached its boundary, when
/// it was complete, and the worst window of each KPI with a series over that stretch.
public struct TierTransition: Sendable, Equatable {
    /// One KPI over the transition: its worst window's value and whether it held.
    public struct Judgement: Sendable, Equatable {
        public var expression: String
        public var worst: Double
        public var held: Bool
    }

    public var tier: Int
    /// Simulated seconds.
    public var ordered: Double
    public var boundary: Double?
    public var completed: Double?
    public var judgements: [Judgement]

    public var held: Bool { judgements.allSatisfy(\.held) }

    /// The transitions of a run, from its summary (replication 1's timeline; the series' means
    /// across replications) and the boundary times of its load profile. A transition runs from
    /// its order or the boundary, whichever comes first, to one window after its last
    /// `switched`/`replica-in-service` event before the next order (or the end of the run).
    static func transitions(summary: JSONValue, verdicts: [KPIVerdict], boundaries: [Int: Double]) -> [TierTransition] {
        guard let events = summary.value(at: "events")?.member("replication_1")?.array,
              let width = summary.value(at: "series")?.member("window_seconds")?.number,
              let starts = summary.value(at: "series")?.member("window_start_seconds")?.array?.compactMap(\.number),
              let series = summary.value(at: "series")?.member("metrics") else { return [] }
        let database = events.filter { $0.member("component")?.text == "database" }
        var orders: [(tier: Int, at: Double)] = []
        for event in database where event.member("kind")?.text == "tier" {
            guard let at = event.member("at")?.number, let reason = event.member("reason")?.text,
                  reason.hasPrefix("tier "), let tier = Int(reason.dropFirst(5).prefix { $0.isNumber }) else { continue }
            orders.append((tier, at))
        }
        let end = (starts.last ?? 0) + width
        return orders.enumerated().map { index, order in
            let next = index + 1 < orders.count ? orders[index + 1].at : end
            let done = database.filter { event in
                let kind = event.member("kind")?.text
                let at = event.member("at")?.number ?? -1
                return (kind == "switched" || kind == "replica-in-service") && at >= order.at && at < next
            }.compactMap { $0.member("at")?.number }.max()
            let from = min(order.at, boundaries[order.tier] ?? order.at)
            let to = min(end, (done ?? next) + width)
            let judgements = verdicts.compactMap { verdict -> Judgement? in
                let member = verdict.summaryMember
                guard let (name, statistic) = TaskSystemMetrics.series(forSummaryMember: member),
                      let values = series.member(name)?.member(statistic)?.member("mean")?.array else { return nil }
                let measured = zip(starts, values).filter { start, _ in start + width > from && start < to }.compactMap(\.1.number)
                guard let worst = measured.reduce(nil, { worst, number in worst.map { Self.worse(number, $0, for: verdict.kpi) } ?? number })
                else { return nil }
                return Judgement(expression: verdict.kpi.expression, worst: worst, held: verdict.kpi.passes(worst))
            }
            return TierTransition(tier: order.tier, ordered: order.at, boundary: boundaries[order.tier], completed: done,
                                  judgements: judgements)
        }
    }

    /// The value further from passing: the larger for `<`/`<=`, the smaller for `>`/`>=`; for
    /// `==`/`!=` the failing one (`b` when both fail or both pass).
    static func worse(_ a: Double, _ b: Double, for kpi: KPI) -> Double {
        switch kpi.op {
        case .lessThan, .lessThanOrEqual: max(a, b)
        case .greaterThan, .greaterThanOrEqual: min(a, b)
        case .equal, .notEqual: kpi.passes(b) && !kpi.passes(a) ? a : b
        }
    }
}

// MARK: - The study

/// The scenario as written, run once per fraction in ``fractions`` with
/// `database.tier_provision_at` set to it; per tier, the latest order (largest fraction) whose
/// transition held every KPI with a series.
public struct TransitionStudy: Sendable {
    public struct Run: Sendable {
        public var fraction: Double
        public var transitions: [TierTransition]
    }

    public var fractions: [Double]
    public var runs: [Run]

    /// The largest fraction whose transition of `tier` held (nil: none did, or the tier never came).
    public func latestHoldingFraction(tier: Int) -> Double? {
        runs.filter { run in run.transitions.contains { $0.tier == tier && $0.held } }.map(\.fraction).max()
    }

    /// The tiers any run ordered, ascending.
    public var tiers: [Int] {
        Array(Set(runs.flatMap { $0.transitions.map(\.tier) })).sorted()
    }

    /// Simulated seconds at which the load profile's users × `perActive` first reach `users`
    /// (scanned second by second up to `duration`), per tier of `tiers`.
    static func boundaries(of configuration: TaskSystemConfiguration) -> [Int: Double] {
        var result: [Int: Double] = [:]
        let database = configuration.database
        for (index, tier) in database.tiers.enumerated() where index > 0 {
            var second: Int64 = 0
            while second * SimClock.nanosecondsPerSecond <= configuration.duration {
                let time = second * SimClock.nanosecondsPerSecond
                if Double(configuration.workload.load.users(at: time)) * database.tierUsersPerActive >= Double(tier.users) {
                    result[index] = Double(second)
                    break
                }
                second += 1
            }
        }
        return result
    }
}

// MARK: - Running the study

extension PlanRun {
    /// Runs the scenario as written once per fraction of `fractions` with
    /// `database.tier_provision_at` set to it (`confirmationReplications` replications each);
    /// nil when the scenario has no tier table.
    func transitionStudy(fractions: [Double], scenario: TaskSystemScenario) async throws -> TransitionStudy? {
        guard !scenario.configuration.database.tiers.isEmpty, !fractions.isEmpty else { return nil }
        var runs: [TransitionStudy.Run] = []
        for fraction in fractions {
            var run = ScenarioRun(path: path, overrides: overrides, threads: 1)
            run.overrides.replications = confirmationReplications
            run.overrides.settings = [try ParameterSetting(parsing: "database.tier_provision_at=\(fraction)")]
            guard case .taskSystem(let loaded) = try run.load() else { return nil }
            let report = try await RunReport.run(.taskSystem(loaded), threads: threads)
            let boundaries = TransitionStudy.boundaries(of: loaded.configuration)
            runs.append(.init(fraction: fraction, transitions: TierTransition.transitions(
                summary: report.summaryJSON, verdicts: report.verdicts, boundaries: boundaries)))
        }
        return TransitionStudy(fractions: fractions, runs: runs)
    }
}

// MARK: - Output

extension TransitionStudy {
    var json: JSONValue {
        .object([
            ("fractions", .array(fractions.map { .finite($0) })),
            ("tiers", .array(tiers.map { tier in
                .object([
                    ("tier", .int(tier)),
                    ("latest_holding_fraction", latestHoldingFraction(tier: tier).map { .finite($0) } ?? .null),
                    ("runs", .array(runs.compactMap { run in
                        run.transitions.first { $0.tier == tier }.map { transition in
                            .object([
                                ("provision_at", .finite(run.fraction)),
                                ("ordered_seconds", .finite(transition.ordered)),
                                ("boundary_seconds", transition.boundary.map { .finite($0) } ?? .null),
                                ("completed_seconds", transition.completed.map { .finite($0) } ?? .null),
                                ("held", .bool(transition.held)),
                                ("kpis", .array(transition.judgements.map { judgement in
                                    .object([("expr", .string(judgement.expression)), ("worst", .finite(judgement.worst)),
                                             ("held", .bool(judgement.held))])
                                })),
                            ])
                        }
                    })),
                ])
            })),
        ])
    }

    /// The table's header and one row per tier and tried order: what plan.md and plan.html show.
    static let tableHeader = ["tier", "ordered at", "ordered (m:s)", "load reaches boundary", "complete", "held", "worst windows"]
    var tableRows: [[String]] {
        tiers.flatMap { tier in
            runs.compactMap { run -> [String]? in
                guard let transition = run.transitions.first(where: { $0.tier == tier }) else { return nil }
                let worst = transition.judgements.map { "\($0.expression): \(Format.value($0.worst, .number))" }.joined(separator: "; ")
                return ["\(tier)", Format.value(run.fraction, .fraction), Format.clock(transition.ordered),
                        transition.boundary.map(Format.clock) ?? Format.missing, transition.completed.map(Format.clock) ?? Format.missing,
                        transition.held ? "yes" : "no", worst]
            }
        }
    }

    /// One sentence per tier: how early it must be ordered.
    var conclusions: [String] {
        tiers.map { tier in
            if let fraction = latestHoldingFraction(tier: tier) {
                return "Tier \(tier) must be ordered by \(Format.value(fraction, .fraction)) of its boundary."
            }
            return "Tier \(tier): no tried order held through its transition."
        }
    }

    /// How the study judges a transition.
    static let explanation = "The scenario as written, its tiers ordered at each fraction of their boundary (`database.tier_provision_at`); "
        + "a transition holds when every KPI with a series held in each window from the order (or the boundary, "
        + "if earlier) to one window after the tier was complete."

    var markdown: String {
        var out = "## Tier transitions\n\n" + Self.explanation + "\n\n"
        out += "| " + Self.tableHeader.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: Self.tableHeader.count) + "\n"
        for row in tableRows {
            var cells = row
            if cells[5] == "no" { cells[5] = "**no**" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n"
        for sentence in conclusions { out += "- \(sentence)\n" }
        return out + "\n"
    }
}
