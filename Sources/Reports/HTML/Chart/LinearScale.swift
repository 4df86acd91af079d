// LinearScale.swift — a value range mapped onto a pixel range, and the ticks of an axis.

import Foundation  // floor, log10, pow

// MARK: - Linear scale

/// Maps the closed `domain` linearly onto `range` (pixels; the range may run backwards, as a
/// y axis does, top to bottom). A zero-width domain maps everything to the range's middle.
struct LinearScale: Sendable {
    var domain: ClosedRange<Double>
    var range: (start: Double, end: Double)

    /// The pixel position of `value` (values outside the domain extrapolate).
    func callAsFunction(_ value: Double) -> Double {
        let width = domain.upperBound - domain.lowerBound
        guard width > 0 else { return (range.start + range.end) / 2 }
        return range.start + (value - domain.lowerBound) / width * (range.end - range.start)
    }
}

// MARK: - Nice ticks

/// Round tick values for an axis: steps of 1, 2, 2.5 or 5 times a power of ten, and a domain
/// widened to whole steps so that the axis starts and ends on a tick.
struct NiceTicks: Sendable, Equatable {
    /// The widened domain, from the first tick to the last.
    var domain: ClosedRange<Double>
    /// The step between ticks.
    var step: Double
    /// The tick values, from the lower bound up.
    var values: [Double]

    /// Ticks covering `low…high` with at most about `count` intervals. A degenerate range
    /// (`low == high`, or non-finite bounds) is widened around its value first.
    init(low: Double, high: Double, count: Int = 5) {
        var (low, high) = (low.isFinite ? low : 0, high.isFinite ? high : 1)
        if low > high { swap(&low, &high) }
        if high == low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low == 0 ? 0 : low - pad, high + pad)
        }
        let step = Self.niceStep((high - low) / Double(max(1, count)))
        let first = floor(low / step + 1e-9) * step
        let last = ceil(high / step - 1e-9) * step
        let intervals = Int(((last - first) / step).rounded())
        self.step = step
        self.values = (0...intervals).map { first + Double($0) * step }
        self.domain = first...last
    }

    /// Ticks on a time axis in seconds: steps of whole seconds or minutes that a clock shows
    /// well (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h), from zero.
    init(seconds high: Double, count: Int = 8) {
        let candidates: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
        let span = high.isFinite && high > 0 ? high : 1
        let step = candidates.first { span / $0 <= Double(count) } ?? Self.niceStep(span / Double(count))
        let intervals = Int((span / step - 1e-9).rounded(.up))
        self.step = step
        self.values = (0...max(1, intervals)).map { Double($0) * step }.filter { $0 <= span + 1e-9 }
        self.domain = 0...span
    }

    /// The smallest of 1, 2, 2.5, 5 and 10 times a power of ten that is at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(rough)))
        for multiple in [1, 2, 2.5, 5, 10] where multiple * magnitude >= rough * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }
}
