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
        out += "Scenario `\(scenario.sourcePath)`, seed=\(spec.seed), \(spec.replications) replication(s) of "
        out += "\(Markdown.number(SimClock.seconds(spec.duration))) simulated seconds; "
        out += "mean warm-up deleted \(Markdown.number(summary.warmup.mean)) s. Figures are means across "
        out += "replications ± the Student-t 95 % half-width.\n\n"
        out += "**Verdict: \(verdicts.isEmpty ? "no KPIs" : passed ? "all KPIs pass" : "KPI failed")**\n\n"
        out += Markdown.kpiTable(verdicts)
        out += "## Stations\n\n" + Markdown.table(summary.stations) + "\n"
        out += "## Classes\n\n" + Markdown.table(summary.classes)
        if !result.invariantViolations.isEmpty {
            out += "\n## Broken invariants\n\n" + result.invariantViolations.map { "- \($0)\n" }.joined()
        }
        return out
    }
}

/// Small Markdown formatting helpers.
enum Markdown {
    /// A number with 4 significant digits, or `–` when missing.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if value == value.rounded(), magnitude < 1e12 { return String(Int64(value)) }
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.3e", value) }
        return String(format: "%.4g", value)
    }

    /// The KPI verdicts as a table (nothing when there are none).
    static func kpiTable(_ verdicts: [KPIVerdict]) -> String {
        guard !verdicts.isEmpty else { return "" }
        var out = "| KPI | value | verdict |\n|---|---:|---|\n"
        for verdict in verdicts {
            out += "| `\(verdict.kpi.expression)` | \(number(verdict.value)) | \(verdict.passed ? "pass" : "**FAIL**") |\n"
        }
        return out + "\n"
    }

    static func estimate(_ estimate: Estimate) -> String {
        guard let half = estimate.ci95, half.isFinite, estimate.mean.isFinite else { return number(estimate.mean) }
        return "\(number(estimate.mean)) ± \(number(half))"
    }

    /// Rows are entries, columns their statistics (all entries share the same statistics).
    static func table(_ entries: [(name: String, statistics: NetworkSummary.Statistics)]) -> String {
        guard let first = entries.first else { return "(none)\n" }
        var out = "| name | " + first.statistics.map(\.name).joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: first.statistics.count) + "\n"
        for entry in entries {
            out += "| \(entry.name) | " + entry.statistics.map { estimate($0.estimate) }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
