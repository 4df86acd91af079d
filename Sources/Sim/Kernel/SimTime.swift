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
    @inlinable @inline(__always)
    public static func time(seconds: Double) -> SimTime {
        let nanoseconds = seconds * 1e9
        return nanoseconds >= 0 ? SimTime(nanoseconds + 0.5) : -SimTime(-nanoseconds + 0.5)
    }

    /// `time` in seconds. Divides rather than multiplying by 1e-9, so that whole seconds (and
    /// every time up to 2⁵³ ns with an exact decimal quotient) convert exactly.
    @inlinable @inline(__always)
    public static func seconds(_ time: SimTime) -> Double {
        Double(time) / 1e9
    }
}
