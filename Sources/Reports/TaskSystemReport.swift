import Foundation
import Scenarios
import Sim
import TaskSystem

// MARK: - The report of a task-system run

/// A task-system scenario's replications, summarised and judged: `summary.json` carries
/// `metrics.<name>` as ``Estimate``s across replications, the KPI verdicts and the invariants.
public struct TaskSystemReport: Sendable {
    public let scenario: TaskSystemScenario
    public let results: [TaskSystemResult]
    /// Every metric across replications, in the results' order.
    public let metrics: [(name: String, estimate: Estimate)]
    /// Every invariant: held in all replications, the total violations, and the total checks.
    public let invariants: [(name: String, held: Bool, violations: Int, checks: Int)]
    public let verdicts: [KPIVerdict]

    /// A KPI that reads no metric of the run: the catalogue offered a summary key the results
    /// do not carry. A defect of simrun, never a silent failed verdict on a NaN.
    public struct UnresolvedKPI: Error, CustomStringConvertible {
        public var expression: String
        /// The summary key the catalogue gave, or `nil` when the catalogue did not resolve it.
        public var key: String?
        public var description: String {
            "KPI '\(expression)' reads " + (key.map { "'\($0)', which the run did not measure" }
                                               ?? "no metric of the task-system catalogue")
        }
    }

    /// Summarises `results` and judges the KPIs; throws ``UnresolvedKPI`` when a KPI reads a
    /// metric the results do not carry.
    public init(scenario: TaskSystemScenario, results: [TaskSystemResult]) throws(UnresolvedKPI) {
        self.scenario = scenario
        self.results = results
        let names = results.first?.metrics.map(\.name) ?? []
        let metrics = names.map { name in
            (name, Estimate(replicationValues: results.map { $0.metric(name) ?? .nan }))
        }
        self.metrics = metrics
        invariants = (results.first?.invariants ?? []).indices.map { index in
            let all = results.map { $0.invariants[index] }
            return (all[0].name, all.allSatisfy(\.held), all.reduce(0) { $0 + $1.violations },
                    all.reduce(0) { $0 + $1.checks })
        }
        var verdicts: [KPIVerdict] = []
        for kpi in scenario.kpis {
            guard let key = scenario.metrics.key(for: kpi) else { throw UnresolvedKPI(expression: kpi.expression) }
            let name = key.hasPrefix("metrics.") ? String(key.dropFirst("metrics.".count)) : key
            guard let metric = metrics.first(where: { $0.0 == name }) else {
                throw UnresolvedKPI(expression: kpi.expression, key: key)
            }
            if kpi.window != nil {
                guard let windows = Self.windowValues(of: name, in: results, width: scenario.configuration.seriesWindow) else {
                    throw UnresolvedKPI(expression: kpi.expression, key: key)
                }
                verdicts.append(KPIVerdict(kpi: kpi, key: key, windows: kpi.judge(windows: windows)))
            } else {
                verdicts.append(KPIVerdict(kpi: kpi, key: key, value: metric.1.mean))
            }
        }
        self.verdicts = verdicts
    }

    /// Per window, the mean across replications of the series behind the `metrics` member
    /// `member` (the values `series` in `summary.json` shows); `nil` when it has no series.
    static func windowValues(of member: String, in results: [TaskSystemResult], width: SimTime) -> [WindowValue]? {
        guard let (name, statistic) = TaskSystemMetrics.series(forSummaryMember: member),
              let first = results.first?.series,
              let index = first.firstIndex(where: { $0.name == name }),
              let column = first[index].statistics.firstIndex(of: statistic) else { return nil }
        let windowCount = results.map { $0.series[index].windows.count }.min() ?? 0
        return (0..<windowCount).map { window in
            let values = results.map { $0.series[index].windows[window][column] }
            return WindowValue(start: Double(window) * SimClock.seconds(width),
                               value: Estimate(replicationValues: values).mean)
        }
    }

    /// The estimate of the `metrics` member `name`, if the run measured it.
    public func estimate(_ name: String) -> Estimate? { metrics.first { $0.name == name }?.estimate }

    /// Whether every KPI held.
    public var passed: Bool { verdicts.allSatisfy(\.passed) }

    /// Whether every invariant held, or broke only as a declared loss (`accept:`).
    public var sound: Bool { brokenInvariants.isEmpty }

    // MARK: Broken invariants

    /// The identifier of the invariant at `index` of ``invariants``.
    static func identifier(at index: Int) -> InvariantIdentifier? {
        InvariantIdentifier.allCases.indices.contains(index) ? InvariantIdentifier.allCases[index] : nil
    }

    /// The first violation of `identifier` across the replications (the lowest replication's).
    public func firstViolation(of identifier: InvariantIdentifier) -> InvariantViolation? {
        results.lazy.flatMap(\.violations).first { $0.invariant == identifier }
    }

    /// The command that replays this run: `simrun run FILE [--param K=V]… --seed N`, with the
    /// settings the run was loaded with (a `sweep` point's, a `plan` evaluation's, a `fuzz` run's),
    /// so that it reproduces a violation found inside them too.
    public var replayCommand: String {
        let parameters = scenario.settings.map { " --param " + ShellWord.quoted($0.description) }.joined()
        return "simrun run \(ShellWord.quoted(scenario.sourcePath))\(parameters) --seed \(scenario.configuration.seed)"
    }

    /// Whether the scenario accepts `identifier`'s violations as a declared loss.
    func accepts(_ identifier: InvariantIdentifier?) -> Bool {
        identifier.map { scenario.configuration.acceptedLosses.contains($0) } ?? false
    }

    /// Each invariant that broke and is not accepted, described: identifier, violations, the
    /// simulated time of the first, the entities involved and the replay command.
    public var brokenInvariants: [String] { describedViolations(accepted: false) }

    /// Each accepted invariant that broke (a declared, counted loss), described the same way.
    public var acceptedLosses: [String] { describedViolations(accepted: true) }

    private func describedViolations(accepted: Bool) -> [String] {
        invariants.indices.compactMap { index in
            let invariant = invariants[index], identifier = Self.identifier(at: index)
            guard !invariant.held, accepts(identifier) == accepted else { return nil }
            var text = "\(identifier?.rawValue ?? invariant.name) (\(invariant.name)): \(invariant.violations) violation(s)"
            if let identifier, let first = firstViolation(of: identifier) {
                text += "; first at \(String(format: "%.3f", SimClock.seconds(first.time))) s simulated in replication "
                    + "\(first.replication)" + (first.entities.isEmpty ? "" : ": \(first.entities)")
            }
            return text + "; replay: \(replayCommand)"
        }
    }

    /// `summary.json`: deterministic to the byte for the same scenario and seed.
    public var summaryJSON: JSONValue {
        let configuration = scenario.configuration
        return .object([
            ("kind", .string("task-system")),
            ("name", .string(configuration.name)),
            ("seed", configuration.seed < 1 << 53 ? .int(Int(configuration.seed)) : .string(String(configuration.seed))),
            ("replications", .int(configuration.replications)),
            ("simulated_seconds", .finite(SimClock.seconds(configuration.duration))),
            ("warmup_seconds", .finite(SimClock.seconds(configuration.warmup))),
            ("metrics", .object(metrics.map { ($0.name, $0.estimate.json) })),
            ("kpis", .array(verdicts.map(\.json))),
            ("invariants", .array(invariants.indices.map(invariantJSON))),
            ("database", .array(results.map(\.databaseJSON))),
            ("series", seriesJSON),
            ("events", eventsJSON),
        ])
    }

    /// One entry of `invariants`: name, held, violations; `accepted` when the scenario accepts
    /// it; when broken, its identifier, its first violation and the replay command. (A held,
    /// unaccepted invariant has the three fields it always had.)
    func invariantJSON(at index: Int) -> JSONValue {
        let invariant = invariants[index], identifier = Self.identifier(at: index)
        var members: [(String, JSONValue)] = [("name", .string(invariant.name)), ("held", .bool(invariant.held)),
                                              ("violations", .int(invariant.violations))]
        if accepts(identifier) { members.append(("accepted", .bool(true))) }
        if !invariant.held, let identifier {
            members.append(("invariant", .string(identifier.rawValue)))
            if let first = firstViolation(of: identifier) {
                members.append(("first_violation", .object([
                    ("replication", .int(first.replication)), ("at", .finite(SimClock.seconds(first.time))),
                    ("entities", .string(first.entities)),
                ])))
            }
            members.append(("replay", .string(replayCommand)))
        }
        return .object(members)
    }

    /// `events`: replication 1's timeline in full (time order), and for every replication how
    /// many events it had and how many the cap dropped.
    var eventsJSON: JSONValue {
        .object([
            ("replication_1", .array((results.first?.timeline.events ?? []).map { event in
                .object([("at", .finite(SimClock.seconds(event.time))), ("component", .string(event.component.rawValue)),
                         ("kind", .string(event.kind)), ("from", .string(event.from)), ("to", .string(event.to)),
                         ("reason", .string(event.reason))])
            })),
            ("counts", .array(results.enumerated().map { index, result in
                .object([("replication", .int(index + 1)), ("events", .int(result.timeline.events.count)),
                         ("dropped", .int(result.timeline.dropped))])
            })),
        ])
    }

    /// `series`: the window width, each window's start, and per metric and statistic the mean
    /// across replications, the Student-t 95 % half-width (the band) and every replication's
    /// values, window by window (`null` where a window had nothing to measure).
    var seriesJSON: JSONValue {
        let table = seriesTable
        let metrics: [(String, JSONValue)] = table.series.map { series in
            (series.metric, .object(series.columns.map { column in
                (column.statistic, .object([
                    ("mean", .array(column.estimates.map { .finite($0.mean) })),
                    ("ci95", .array(column.estimates.map { $0.ci95.map(JSONValue.finite) ?? .null })),
                    ("replications", .array(column.replications.map { .array($0.map(JSONValue.finite)) })),
                ]))
            }))
        }
        return .object([
            ("window_seconds", .finite(table.windowSeconds)),
            ("window_start_seconds", .array(table.windowStarts.map { .finite($0) })),
            ("metrics", .object(metrics)),
        ])
    }

    /// The run's series, window by window (summary.json's `series`, results.sqlite's tables).
    var seriesTable: SeriesTable {
        SeriesTable(results: results, window: scenario.configuration.seriesWindow,
                    duration: scenario.configuration.duration)
    }

    /// `report.md`: the verdicts first, key figures with units, a table per tier, latency per
    /// endpoint, database events and invariants (see ``TaskSystemMarkdown``).
    public var markdown: String { TaskSystemMarkdown(report: self).text }
}

extension TaskSystemResult {
    /// One replication's database tier: the primary and replicas at the end, and its events in
    /// time order (monitor triggers, provisioning, switches).
    var databaseJSON: JSONValue {
        .object([
            ("primary", .string(finalPrimaryClass)),
            ("replicas", .array(finalReplicas.map { .string($0) })),
            ("events", .array(databaseEvents.map {
                .object([("at", .finite(SimClock.seconds($0.time))), ("event", .string($0.kind.rawValue)),
                         ("detail", .string($0.detail))])
            })),
        ])
    }
}
