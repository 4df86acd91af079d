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
    /// Every invariant: held in all replications, and the total violations.
    public let invariants: [(name: String, held: Bool, violations: Int)]
    public let verdicts: [KPIVerdict]

    public init(scenario: TaskSystemScenario, results: [TaskSystemResult]) {
        self.scenario = scenario
        self.results = results
        let names = results.first?.metrics.map(\.name) ?? []
        let metrics = names.map { name in
            (name, Estimate(replicationValues: results.map { $0.metric(name) ?? .nan }))
        }
        self.metrics = metrics
        invariants = (results.first?.invariants ?? []).indices.map { index in
            let all = results.map { $0.invariants[index] }
            return (all[0].name, all.allSatisfy(\.held), all.reduce(0) { $0 + $1.violations })
        }
        verdicts = scenario.kpis.map { kpi in
            let key = scenario.metrics.key(for: kpi) ?? "?"
            let name = key.hasPrefix("metrics.") ? String(key.dropFirst("metrics.".count)) : key
            return KPIVerdict(kpi: kpi, key: key, value: metrics.first { $0.0 == name }?.1.mean ?? .nan)
        }
    }

    /// Whether every KPI held.
    public var passed: Bool { verdicts.allSatisfy(\.passed) }

    /// Whether every invariant held.
    public var sound: Bool { invariants.allSatisfy(\.held) }

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
            ("invariants", .array(invariants.map {
                .object([("name", .string($0.name)), ("held", .bool($0.held)), ("violations", .int($0.violations))])
            })),
            ("database", .array(results.map(\.databaseJSON))),
        ])
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
