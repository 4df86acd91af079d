// AxisUnit.swift — how an axis shows its values: one unit for every tick (`ms`, `%`, `req/s`).

// MARK: - The unit of an axis

/// One unit for all the ticks of an axis, chosen from the largest value shown: a latency axis
/// reaching 0.8 s reads in ms, one reaching 3 s in s. Tick labels are the values divided by
/// ``factor``; the axis title carries ``name``.
struct AxisUnit: Sendable, Equatable {
    /// The unit's name for the axis title (`ms`, `%`, `req/s`, `$`), empty for plain numbers.
    var name: String
    /// Base units per displayed unit (0.001 for ms, 0.01 for %).
    var factor: Double

    /// The unit that shows values of `unit` up to `largest` (in base units) well.
    init(_ unit: DisplayUnit, largest: Double) {
        let largest = largest.isFinite ? abs(largest) : 0
        switch unit {
        case .duration:
            if largest == 0 || largest >= 1 && largest < 120 { (name, factor) = ("s", 1) }
            else if largest < 1e-3 { (name, factor) = ("µs", 1e-6) }
            else if largest < 1 { (name, factor) = ("ms", 1e-3) }
            else if largest < 7200 { (name, factor) = ("min", 60) }
            else { (name, factor) = ("h", 3600) }
        case .fraction: (name, factor) = ("%", 0.01)
        case .rate(let label): (name, factor) = (label.hasPrefix("/") ? "per second" : label, 1)
        case .dollars: (name, factor) = ("$", 1)
        case .count, .number: (name, factor) = ("", 1)
        }
    }

    /// `label (unit)`, or the label alone for plain numbers.
    func title(_ label: String) -> String { name.isEmpty ? label : "\(label) (\(name))" }

    /// A tick's text: the displayed value, up to 6 significant digits, thousands grouped.
    func tick(_ displayed: Double) -> String {
        DecimalText.significant(abs(displayed) < 1e-12 ? 0 : displayed, 6)
    }
}
