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

    /// The simulated time closest to `seconds` (rounded to the nearest nanosecond).
    @inlinable
    public static func time(seconds: Double) -> SimTime {
        SimTime((seconds * 1e9).rounded())
    }

    /// `time` in seconds.
    @inlinable
    public static func seconds(_ time: SimTime) -> Double {
        Double(time) * 1e-9
    }
}
