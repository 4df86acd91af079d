// VerdictText.swift — a KPI verdict in words and units: value, threshold, pass/fail, margin.

import Scenarios

// MARK: - Verdict text

extension KPIVerdict {
    /// How far the value is on the passing side of the threshold, in the value's unit: positive
    /// is headroom, negative is by how much it failed (`< 500ms` read at 314 ms → +0.186 s).
    /// NaN for `==`, `!=` and a missing value.
    public var margin: Double {
        guard value.isFinite else { return .nan }
        switch kpi.op {
        case .lessThan, .lessThanOrEqual: return kpi.threshold - value
        case .greaterThan, .greaterThanOrEqual: return value - kpi.threshold
        case .equal, .notEqual: return .nan
        }
    }

    /// `pass` or `FAIL`.
    public var outcome: String { passed ? "pass" : "FAIL" }
}

/// The KPI verdicts as text in their units, for the terminal, `report.md` and JUnit.
public struct VerdictText: Sendable {
    public let verdict: KPIVerdict
    public let unit: DisplayUnit

    public init(_ verdict: KPIVerdict, units: MetricUnits) {
        self.verdict = verdict
        unit = units.unit(for: verdict)
    }

    /// The value; for a windowed KPI, the worst window's, where it starts and how many windows
    /// breached (`612 ms in the worst window (from 8:00; 3 of 30 windows breach)`).
    public var value: String {
        let text = Format.value(verdict.value, unit)
        guard let windows = verdict.windows else { return text }
        let start = windows.worst.map { "from \(Format.clock($0.start)); " } ?? ""
        return "\(text) in the worst window (\(start)\(windows.breaches) of \(windows.measuredWindows) windows breach)"
    }
    public var threshold: String { verdict.kpi.op.rawValue + " " + Format.value(verdict.kpi.threshold, unit) }
    public var margin: String {
        verdict.margin.isNaN ? Format.missing : Format.difference(verdict.margin, unit)
    }

    /// One terminal line: `pass  p95(api.latency) < 500ms  value 314 ms, threshold < 500 ms, margin +186 ms`.
    public var line: String {
        "\(verdict.outcome)  \(verdict.kpi.expression)  value \(value), threshold \(threshold), margin \(margin)"
    }

    /// The verdicts as a Markdown table: KPI, value, threshold, verdict, margin (nothing when
    /// there are none).
    public static func markdownTable(_ verdicts: [KPIVerdict], units: MetricUnits) -> String {
        guard !verdicts.isEmpty else { return "" }
        var out = "| KPI | value | threshold | verdict | margin |\n|---|---:|---:|---|---:|\n"
        for verdict in verdicts {
            let text = VerdictText(verdict, units: units)
            out += "| `\(verdict.kpi.expression)` | \(text.value) | \(text.threshold) | "
            out += (verdict.passed ? "pass" : "**FAIL**") + " | \(text.margin) |\n"
        }
        return out + "\n"
    }
}
