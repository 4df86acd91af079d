import Foundation
import Scenarios
import Sim

// MARK: - The report of a network run

/// A network scenario's run, summarised and judged: what `summary.json` and `report.md` say.
public struct NetworkReport: Sendable {
    public let scenario: NetworkScenario
    public let result: NetworkRunResult
    public let summary: NetworkSummary
    public let verdicts: [KPIVerdict]

    public init(scenario: NetworkScenario, result: NetworkRunResult) {
        self.scenario = scenario
        self.result = result
        let summary = NetworkSummary(result)
        self.summary = summary
        verdicts = scenario.kpis.map { kpi in
            // KPIs of a loaded scenario were resolved against the same catalogue at load time.
            let key = networkMetricKey(for: kpi, spec: result.spec) ?? "?"
            return KPIVerdict(kpi: kpi, key: key, value: summary.estimate(at: key)?.mean ?? .nan)
        }
    }

    /// Whether every KPI held.
    public var passed: Bool { verdicts.allSatisfy(\.passed) }

    /// `summary.json`: deterministic to the byte for the same scenario and seed; no wall-clock figures.
    public var summaryJSON: JSONValue {
        let spec = result.spec
        var members: [(String, JSONValue)] = [
            ("kind", .string("network")),
            ("name", .string(spec.name)),
            // JSON readers lose integers above 2⁵³; such seeds are written as strings.
            ("seed", spec.seed < 1 << 53 ? .int(Int(spec.seed)) : .string(String(spec.seed))),
            ("replications", .int(spec.replications)),
            ("simulated_seconds", .finite(SimClock.seconds(spec.duration))),
            ("warmup_seconds", summary.warmup.json),
        ]
        members += summary.json
        members.append(("kpis", .array(verdicts.map(\.json))))
        members.append(("invariants", .array([
            .object([("name", .string("customers conserved")),
                     ("held", .bool(result.invariantViolations.isEmpty)),
                     ("violations", .int(result.invariantViolations.count))]),
        ])))
        return .object(members)
    }

    /// `report.md`: the verdict, the KPIs and the station and class tables, for pull requests.
    public var markdown: String {
        let spec = result.spec
        var out = "# \(spec.name)\n\n"
        out += "**Verdict: \(verdicts.isEmpty ? "no KPIs" : passed ? "all KPIs pass" : "KPI failed")**\n\n"
        out += VerdictText.markdownTable(verdicts, units: MetricUnits(catalogue: .network(spec)))
        out += "Scenario `\(scenario.sourcePath)`, seed=\(spec.seed), \(spec.replications) replication(s) of "
        out += "\(Format.value(SimClock.seconds(spec.duration), .duration)) simulated; "
        out += "mean warm-up deleted \(Format.value(summary.warmup.mean, .duration)). Figures are means across "
        out += "replications ± the Student-t 95 % half-width.\n\n"
        out += "## Stations\n\n" + Markdown.table(summary.stations, group: "stations") + "\n"
        out += "## Classes\n\n" + Markdown.table(summary.classes, group: "classes")
        if !result.invariantViolations.isEmpty {
            out += "\n## Broken invariants\n\n" + result.invariantViolations.map { "- \($0)\n" }.joined()
        }
        return out
    }
}

/// Small Markdown formatting helpers.
enum Markdown {
    /// Rows are entries, columns their statistics (all entries share the same statistics), each
    /// with its unit (`group.<entry>.<statistic>` decides it).
    static func table(_ entries: [(name: String, statistics: NetworkSummary.Statistics)], group: String) -> String {
        guard let first = entries.first else { return "(none)\n" }
        var out = "| name | " + first.statistics.map(\.name).joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: first.statistics.count) + "\n"
        for entry in entries {
            out += "| \(entry.name) | " + entry.statistics.map {
                Format.estimate($0.estimate, MetricUnits.fallback(for: "\(group).\(entry.name).\($0.name)"))
            }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
