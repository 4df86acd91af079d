// PlanSearch.swift — the search for the cheapest configuration of one tier whose KPIs pass with
// 95 % confidence: bounds first, then a walk up the bottleneck, then down to the cheapest.

import Scenarios

// MARK: - One evaluated configuration

/// What one run of a configuration showed: its KPIs, its cost, and which part of the system held
/// it back.
public struct PlanEvaluation: Sendable {
    /// One KPI: passed on its mean, and whether the whole 95 % interval is on the passing side.
    public struct Verdict: Sendable, Equatable {
        public var expression: String
        public var value: Double
        public var passed: Bool
        public var confident: Bool
        /// The KPI's comparison (which side of the threshold is better).
        public var comparison: KPI.Comparison
        /// The 95 % half-width of `value` over the replications (`nil`: one replication, or a
        /// windowed KPI).
        public var halfWidth: Double?
        /// The unit the KPI's threshold was written in (how to show a value of it).
        public var unit: KPI.Unit = .none
    }

    public var configuration: PlanConfiguration
    public var replications: Int
    public var verdicts: [Verdict]
    /// `cost.total` over the simulated hours.
    public var costPerHour: Double
    /// The autoscaler reached its limit.
    public var apiPinned: Bool
    /// The database showed strain: CPU or connection monitor triggers, pool timeouts, refused connections.
    public var databaseBound: Bool
    /// A queue-depth KPI failed.
    public var queueBound: Bool
    /// The Redis node was busy: its command thread (commands and value transfers) at least
    /// ``PlanEvaluation/cacheBusyThreshold`` of the time.
    public var cacheBound: Bool = false
    /// Invariants the run broke (a defect, never a capacity question).
    public var brokenInvariants: [String]
    /// Key figures of the run (`db.qps.max`, `api.latency.p95`, …) as in `summary.json`.
    public var figures: JSONValue

    /// Every KPI in `expressions` passed on its mean.
    func passes(_ expressions: Set<String>) -> Bool {
        verdicts.allSatisfy { !expressions.contains($0.expression) || $0.passed } && brokenInvariants.isEmpty
    }

    /// Every KPI in `expressions` passed with its whole 95 % interval on the passing side.
    func passesConfidently(_ expressions: Set<String>) -> Bool {
        verdicts.allSatisfy { !expressions.contains($0.expression) || $0.confident } && brokenInvariants.isEmpty
    }
}

// MARK: - The search

/// The search for one tier, over an evaluator (a run of the scenario, or a model in tests):
///
/// 1. **Bounds.** The most generous configuration is run: a KPI that fails there cannot be bought
///    within the space (cache hit rate is a property of the design, not of capacity) and is
///    reported as unattainable. The most generous configuration is then confirmed, and each
///    unattainable KPI is held to what it achieved (``BestEffortBound``): the search aims at the
///    attainable KPIs without letting the unattainable ones get worse (``PlanAim``). The walk
///    starts from the analytic lower bound (``PlanSpace/lowerBound(cpuSecondsPerRequest:thinkSeconds:vCPUs:)``).
/// 2. **Up the bottleneck.** A configuration is screened with one replication. While it fails,
///    the cheapest one-step move along the dimension that held it back (API limit when the
///    autoscaler is pinned, the database when it shows strain, workers when a queue KPI misses the
///    aim (fails, or, if unattainable, is worse than its bound), the Redis node when it was busy;
///    every dimension when nothing says) is tried next.
/// 3. **Confirmation near the boundary.** A configuration that passes its screening is run with
///    `confirmationReplications`; it is accepted when every aimed KPI passes with its 95 %
///    interval on the passing side.
/// 4. **Down to the cheapest.** From an accepted configuration, each cheaper neighbour (one step
///    down in one dimension, then exchanges of a step down for a step up elsewhere at no higher
///    list price) is screened and confirmed the same way; the walk moves to the first that holds
///    at a lower measured cost, until none does. Of every confirmed configuration, the lowest
///    measured cost wins. A local search: it finds the cheapest configuration reachable by such
///    steps, which on a monotone space (more capacity never fails more) is the cheapest overall
///    up to ties the steps cannot bridge.
///
/// Every evaluation is recorded.
public struct PlanSearch: Sendable {
    public typealias Evaluator = @Sendable (PlanConfiguration, _ replications: Int) async throws -> PlanEvaluation

    public var space: PlanSpace
    public var confirmationReplications: Int
    /// The most evaluations of one tier (screenings and confirmations).
    public var maximumEvaluations: Int

    public init(space: PlanSpace, confirmationReplications: Int = 3, maximumEvaluations: Int = 24) {
        self.space = space
        self.confirmationReplications = confirmationReplications
        self.maximumEvaluations = maximumEvaluations
    }

    /// The search's outcome for one tier.
    public struct Outcome: Sendable {
        /// The cheapest confirmed configuration, if any: with unattainable KPIs, the cheapest that
        /// keeps them within their bounds (the best the space offers, not a pass).
        public var chosen: PlanEvaluation?
        /// KPIs that failed even at the most generous configuration.
        public var unattainable: [String]
        /// What each unattainable KPI was held to.
        public var bounds: [BestEffortBound] = []
        /// Every evaluation, in the order run.
        public var evaluated: [PlanEvaluation]

        /// A configuration passed every KPI with confidence.
        public var passed: Bool { chosen != nil && unattainable.isEmpty }
    }

    /// Searches from `start`, evaluating with `evaluate`.
    public func run(from start: PlanConfiguration, evaluate: Evaluator) async throws -> Outcome {
        var evaluated: [PlanEvaluation] = []
        var cache: [PlanKey: PlanEvaluation] = [:]
        func run(_ c: PlanConfiguration, _ replications: Int) async throws -> PlanEvaluation? {
            let key = PlanKey(configuration: c, replications: replications)
            if let known = cache[key] { return known }
            guard evaluated.count < maximumEvaluations else { return nil }
            let evaluation = try await evaluate(c, replications)
            cache[key] = evaluation
            evaluated.append(evaluation)
            return evaluation
        }

        // 1. Bounds.
        guard var reference = try await run(space.upperBound, 1) else {
            return Outcome(chosen: nil, unattainable: [], evaluated: evaluated)
        }
        if reference.verdicts.contains(where: { !$0.passed }), confirmationReplications > 1,
           let confirmed = try await run(space.upperBound, confirmationReplications) {
            reference = confirmed
        }
        let unattainable = reference.verdicts.filter { !$0.passed }.map(\.expression)
        let aim = PlanAim(mostGenerous: reference)

        /// Screens `c`, then confirms it; the confirmed evaluation, or nil.
        func holds(_ c: PlanConfiguration) async throws -> (screening: PlanEvaluation?, confirmed: PlanEvaluation?) {
            guard let screening = try await run(c, 1) else { return (nil, nil) }
            guard aim.isMet(by: screening) else { return (screening, nil) }
            guard let confirmation = try await run(c, confirmationReplications) else { return (screening, nil) }
            return (screening, aim.isMetConfidently(by: confirmation) ? confirmation : nil)
        }

        // 2–3. Up the bottleneck.
        var current = start
        var accepted: PlanEvaluation?
        var tried: Set<PlanConfiguration> = []
        while accepted == nil {
            tried.insert(current)
            let (screening, confirmed) = try await holds(current)
            guard let screening else { break }
            if let confirmed {
                accepted = confirmed
                break
            }
            // A queue KPI asks for workers only while it misses the aim: an unattainable one
            // within its bound fails at every size, and buying workers for it is waste.
            // (A missed queue KPI has failed, so `queueBound` needs no separate check.)
            let queueMissed = screening.verdicts.contains { $0.expression.contains("queue.depth") && aim.isMissed($0) }
            let moves = space.moves(from: current, api: screening.apiPinned, database: screening.databaseBound,
                                    workers: queueMissed, cache: screening.cacheBound)
            guard let next = moves.first(where: { !tried.contains($0) })
                ?? space.moves(from: current, api: false, database: false, workers: false).first(where: { !tried.contains($0) })
            else { break }
            current = next
        }

        // 4. Down to the cheapest.
        var confirmed: [PlanEvaluation] = accepted.map { [$0] } ?? []
        while let best = accepted {
            var improved = false
            for neighbour in space.cheaperNeighbours(of: best.configuration) where !tried.contains(neighbour) {
                tried.insert(neighbour)
                if let holding = try await holds(neighbour).confirmed {
                    confirmed.append(holding)
                    if (holding.costPerHour, space.listPrice(holding.configuration)) < (best.costPerHour, space.listPrice(best.configuration)) {
                        accepted = holding
                        improved = true
                        break
                    }
                }
            }
            if !improved { break }
        }
        let chosen = confirmed.min { ($0.costPerHour, space.listPrice($0.configuration)) < ($1.costPerHour, space.listPrice($1.configuration)) }
        return Outcome(chosen: chosen, unattainable: unattainable, bounds: aim.bounds, evaluated: evaluated)
    }
}

/// A configuration run with a number of replications: what the search caches.
private struct PlanKey: Hashable {
    let configuration: PlanConfiguration
    let replications: Int
}
