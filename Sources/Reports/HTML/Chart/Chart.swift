// Chart.swift — what a chart over simulated time shows, as plain values; ChartSVG draws it.

// MARK: - A chart over simulated time

/// A chart of values over simulated time: lines (with an optional 95 % band) on a left and an
/// optional right axis, threshold lines, shaded regions (fault windows, KPI breaches, the
/// warm-up) and labelled markers (scaling events). Values are in base units (seconds,
/// fractions, per second, dollars); each axis shows them in its ``AxisUnit``.
struct Chart: Sendable, Equatable {
    /// A stable identifier, used in the page (`data-chart`) and by tests.
    var id: String
    var title: String
    /// The time axis runs from 0 to this many simulated seconds.
    var duration: Double
    var left: ChartAxis
    var right: ChartAxis?
    var lines: [ChartLine]
    var thresholds: [ChartThreshold] = []
    var regions: [ChartRegion] = []
    var markers: [ChartMarker] = []

    /// The lines drawn against `side`.
    func lines(on side: ChartAxis.Side) -> [ChartLine] { lines.filter { $0.side == side } }
}

/// A value axis: what it measures and the unit its ticks are shown in.
struct ChartAxis: Sendable, Equatable {
    enum Side: Sendable, Equatable { case left, right }
    /// What the axis measures, without the unit (`latency`); the unit is appended.
    var label: String
    var unit: DisplayUnit
    /// Whether the axis starts at zero whatever the data (counts, rates, fractions do).
    var fromZero = true
}

/// One line: a value per window, `nil` where the window measured nothing (the line breaks).
struct ChartLine: Sendable, Equatable {
    var label: String
    var side: ChartAxis.Side = .left
    /// The palette entry (0…7) and whether the line is dashed.
    var color: Int
    var dashed = false
    var points: [ChartPoint]

    /// Whether any point carries a band.
    var hasBand: Bool { points.contains { $0.band != nil } }
    /// Whether the line has a value anywhere.
    var hasData: Bool { points.contains { $0.value != nil } }
}

/// A line's value at simulated time `time` (seconds), with its 95 % band across replications.
struct ChartPoint: Sendable, Equatable {
    var time: Double
    var value: Double?
    var band: ClosedRange<Double>? = nil
}

/// A horizontal line at a KPI's threshold.
struct ChartThreshold: Sendable, Equatable {
    var value: Double
    var side: ChartAxis.Side = .left
    var label: String
}

/// A shaded span of simulated time.
struct ChartRegion: Sendable, Equatable {
    enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The warm-up, which the whole-run figures leave out.
        case warmup
        /// A window whose value breaches a KPI's threshold.
        case breach
        /// An incident: an instance crashed until its replacement served.
        case fault

        /// The legend's words for the kind.
        var legend: String {
            switch self {
            case .warmup: "warm-up"
            case .breach: "KPI breached"
            case .fault: "fault"
            }
        }
    }

    var kind: Kind
    var start: Double
    var end: Double
    /// What happened (shown as the region's tooltip).
    var label: String
}

/// A labelled vertical mark at a moment: a scaling decision, a database tier change.
struct ChartMarker: Sendable, Equatable {
    var time: Double
    var label: String
}
