// Format.swift — figures with their units and a sensible precision, for report.md and the terminal.

// MARK: - Formatting figures

/// Formats figures with their unit: `314 ms`, `1.2 s`, `93.5 %`, `5,523 req/s`, `$2.69`,
/// `5,548,521`; an estimate with its 95 % half-width in the same unit (`314 ± 260 ms`); a
/// difference with its sign (`+12 ms`, `-1.2 pp`). Deterministic and locale-independent.
/// A missing value (NaN) is `–`; infinities are `∞` and `-∞`.
public enum Format {
    /// The text for a missing value.
    public static let missing = "–"

    /// `value` in `unit`.
    public static func value(_ value: Double, _ unit: DisplayUnit) -> String {
        if let special = nonFinite(value) { return special }
        let scale = Scale(unit, magnitude: abs(value))
        return sign(value) + scale.decorate(scale.mean(abs(value)))
    }

    /// `mean ± halfWidth` in the mean's unit (`314 ± 260 ms`, `$2.69 ± $0.01`); the mean alone
    /// when there is no finite half-width (one replication).
    public static func estimate(_ mean: Double, halfWidth: Double?, _ unit: DisplayUnit) -> String {
        guard let halfWidth, halfWidth.isFinite, mean.isFinite else { return value(mean, unit) }
        let scale = Scale(unit, magnitude: abs(mean) > 0 ? abs(mean) : abs(halfWidth))
        let half = scale.halfWidth(abs(halfWidth))
        if case .dollars = unit {
            return sign(mean) + scale.decorate(scale.mean(abs(mean))) + " ± " + scale.decorate(half)
        }
        return sign(mean) + scale.mean(abs(mean)) + " ± " + scale.decorate(half)
    }

    /// The estimate `e` in `unit`.
    public static func estimate(_ e: Estimate, _ unit: DisplayUnit) -> String {
        estimate(e.mean, halfWidth: e.ci95, unit)
    }

    /// A signed difference: `+12 ms`, `-0.5 %`; fractions in percentage points (`+1.2 pp`);
    /// zero is `0` with the unit and no sign.
    public static func difference(_ delta: Double, _ unit: DisplayUnit) -> String {
        if let special = nonFinite(delta) { return delta > 0 ? "+∞" : special }
        let scale = Scale(unit, magnitude: abs(delta), percentagePoints: true)
        let text = scale.decorate(scale.mean(abs(delta)))
        guard scale.mean(abs(delta)).contains(where: { $0 != "0" && $0 != "." && $0 != "," }) else { return text }
        return (delta < 0 ? "-" : "+") + text
    }

    /// A simulated instant as a clock: `8:05` (minutes:seconds), `1:02:03` past an hour;
    /// fractions of a second are cut, not rounded (an event at 479.9 s happened in `7:59`).
    public static func clock(_ seconds: Double) -> String {
        if let special = nonFinite(seconds) { return special }
        let whole = Int(abs(seconds).rounded(.down))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let body = hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
        return sign(seconds) + body
    }

    /// A whole count with thousands separators: `5,548,521`.
    public static func count(_ value: Int) -> String {
        (value < 0 ? "-" : "") + DecimalText.grouped(String(value.magnitude))
    }

    // MARK: Helpers

    private static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return missing }
        if value.isInfinite { return value < 0 ? "-∞" : "∞" }
        return nil
    }

    private static func sign(_ value: Double) -> String { value < 0 ? "-" : "" }
}

// MARK: - Scale

/// How one unit prints a magnitude: the scale factor, the digits, prefix and suffix.
private struct Scale {
    let unit: DisplayUnit
    /// Base units per display unit (0.001 for ms).
    let factor: Double
    let prefix: String
    let suffix: String

    init(_ unit: DisplayUnit, magnitude: Double, percentagePoints: Bool = false) {
        self.unit = unit
        switch unit {
        case .duration:
            (factor, suffix) = Self.durationUnit(magnitude)
            prefix = ""
        case .fraction:
            (factor, prefix, suffix) = (0.01, "", percentagePoints ? " pp" : " %")
        case .rate(let label):
            (factor, prefix, suffix) = (1, "", label.hasPrefix("/") ? label : " " + label)
        case .dollars:
            (factor, prefix, suffix) = (1, "$", "")
        case .count, .number:
            (factor, prefix, suffix) = (1, "", "")
        }
    }

    func decorate(_ digits: String) -> String { prefix + digits + suffix }

    /// The digits of a non-negative value in this unit.
    func mean(_ magnitude: Double) -> String {
        let x = magnitude / factor
        switch unit {
        case .duration:
            // Round in seconds first, as the unit was chosen (59.96 s → 60 s → `1 min`).
            let rounded = Double(DecimalText.significant(magnitude, 3, grouping: false)) ?? magnitude
            return DecimalText.significant(rounded / factor, 3)
        case .fraction:
            return Self.percent(x)
        case .rate, .count:
            if x >= 100 || x == x.rounded() { return DecimalText.fixed(x, decimals: 0) }
            return DecimalText.significant(x, 3)
        case .dollars:
            if x > 0, x < 0.005 { return DecimalText.significant(x, 2) }
            return DecimalText.fixed(x, decimals: 2)
        case .number:
            if x != 0, x >= 1e15 || x < 1e-4 { return DecimalText.scientific(x, significant: 4) }
            return DecimalText.significant(x, 4)
        }
    }

    /// The digits of a half-width: two significant digits in this unit, whole from 10 on
    /// (`0.087`, `1.7`, `262`, `33,540`); dollars in cents.
    func halfWidth(_ magnitude: Double) -> String {
        let x = magnitude / factor
        if case .dollars = unit { return DecimalText.fixed(x, decimals: 2) }
        if x != 0, x < 1e-4 || x >= 1e15 { return DecimalText.scientific(x, significant: 2) }
        return DecimalText.significant(x, 2)
    }

    /// The duration unit for `seconds`, chosen after rounding to 3 significant digits so that
    /// 0.9996 s prints as `1 s`, not `1000 ms`.
    private static func durationUnit(_ seconds: Double) -> (Double, String) {
        let rounded = Double(DecimalText.significant(seconds, 3, grouping: false)) ?? seconds
        if rounded == 0 { return (1, " s") }
        if rounded < 1e-6 { return (1e-9, " ns") }
        if rounded < 1e-3 { return (1e-6, " µs") }
        if rounded < 1 { return (1e-3, " ms") }
        if rounded < 60 { return (1, " s") }
        if rounded < 3600 { return (60, " min") }
        return (3600, " h")
    }

    /// A percentage: one decimal from 10 %, two from 1 %, three significant digits below;
    /// never `100` for a value below 100 (99.97 % stays `99.97`, not `100`).
    private static func percent(_ p: Double) -> String {
        if p != 0, p < 1e-4 { return DecimalText.scientific(p, significant: 3) }
        var decimals = p >= 10 ? 1 : p >= 1 ? 2 : DecimalText.decimals(for: p, significant: 3)
        var text = DecimalText.fixed(p, decimals: decimals, trimZeros: true)
        while p < 100, text == "100", decimals < 6 {
            decimals += 1
            text = DecimalText.fixed(p, decimals: decimals, trimZeros: true)
        }
        return text
    }
}
