// MARK: - Simulated time

/// Simulated time in integer nanoseconds since the start of a run.
///
/// Integer time makes event order exact and reproducible: two events scheduled for the same
/// instant compare equal on time and fall back to priority and sequence, never to rounding.
/// An `Int64` of nanoseconds spans about 292 years of simulated time.
public typealias SimTime = Int64

/// Conversions between ``SimTime`` and seconds.
public enum SimClock {
    /// Nanoseconds in one simulated second.
    public static let nanosecondsPerSecond: SimTime = 1_000_000_000

    /// The simulated time closest to `seconds` (rounded to the nearest nanosecond, halves away
    /// from zero). Truncating `x + 0.5` compiles to one conversion instruction, where
    /// `rounded()` is a library call: this runs once per scheduled delay.
    ///
    /// Saturating: a time beyond ±``SimTime/max`` nanoseconds (a sampled delay of 1e10 s, say,
    /// from a heavy-tailed distribution) becomes ±`SimTime.max`, and NaN becomes 0, instead of
    /// trapping; such a delay ends after any run's horizon, so it simply never fires. Within
    /// range the result is the same rounding as before (one compare is added to the hot path).
    @inlinable @inline(__always)
    public static func time(seconds: Double) -> SimTime {
        let nanoseconds = seconds * 1e9
        if nanoseconds >= 0 {
            return nanoseconds < 0x1p63 ? SimTime(nanoseconds + 0.5) : .max
        }
        if nanoseconds > -0x1p63 { return -SimTime(-nanoseconds + 0.5) }
        return nanoseconds.isNaN ? 0 : -.max
    }

    /// `time + delay`, saturating at ``SimTime/max`` (and at `-SimTime.max` below) instead of
    /// trapping: a wake-up that far away lies after every run's horizon and never fires.
    @inlinable @inline(__always)
    public static func adding(_ delay: SimTime, to time: SimTime) -> SimTime {
        let (sum, overflow) = time.addingReportingOverflow(delay)
        guard overflow else { return sum }
        return delay > 0 ? .max : -.max
    }

    /// `value` rounded to the nearest whole number as an `Int`, saturating at `Int.max`/`Int.min`
    /// (NaN gives 0): for counts drawn from a distribution, whose tail may exceed `Int`.
    @inlinable
    public static func saturatingCount(_ value: Double) -> Int {
        let rounded = value.rounded()
        if rounded >= 0x1p63 { return .max }
        if rounded < -0x1p63 { return .min }
        return rounded.isNaN ? 0 : Int(rounded)
    }

    /// `time` in seconds. Divides rather than multiplying by 1e-9, so that whole seconds (and
    /// every time up to 2⁵³ ns with an exact decimal quotient) convert exactly.
    @inlinable @inline(__always)
    public static func seconds(_ time: SimTime) -> Double {
        Double(time) / 1e9
    }
}
