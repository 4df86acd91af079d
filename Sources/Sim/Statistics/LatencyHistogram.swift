// LatencyHistogram.swift — bounded-memory percentiles of durations (HdrHistogram).

import Histogram

/// Percentiles of durations, in bounded memory, on an HdrHistogram.
///
/// Durations are recorded in integer nanoseconds and kept to 3 significant decimal digits
/// (relative error at most 1/1024 < 0.1 %) over the whole trackable range, 1 µs … 1 hour.
/// Values outside that range are clamped to its ends and counted (``clampedLowCount``,
/// ``clampedHighCount``); in particular a zero duration is recorded as 1 µs. The memory use
/// is fixed at creation (about 270 KiB) and does not grow with the number of recordings.
///
/// Results are in seconds.
public struct LatencyHistogram: Sendable, Equatable {
    // MARK: Range

    /// The smallest duration kept as is, in nanoseconds (1 µs); smaller ones are clamped to it.
    public static let lowestTrackableNanoseconds: UInt64 = 1_000

    /// The largest duration kept as is, in nanoseconds (1 hour); larger ones are clamped to it.
    public static let highestTrackableNanoseconds: UInt64 = 3_600_000_000_000

    // MARK: Storage

    // The lowest discernible value is 1 ns (not 1 µs): HdrHistogram's resolution floor is a
    // power of two ≤ lowestDiscernibleValue, and 3 significant digits at 1 µs need 1 ns.
    @usableFromInline var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: LatencyHistogram.highestTrackableNanoseconds,
        numberOfSignificantValueDigits: .three)
    @usableFromInline var _clampedLow: Int = 0
    @usableFromInline var _clampedHigh: Int = 0

    // MARK: Creating

    /// Creates an empty histogram.
    public init() {}

    // MARK: Recording

    /// Records a duration in nanoseconds, clamped to 1 µs … 1 hour. Allocation-free.
    @inlinable @inline(__always)
    public mutating func record(nanoseconds: UInt64) {
        var value = nanoseconds
        if value < Self.lowestTrackableNanoseconds {
            value = Self.lowestTrackableNanoseconds
            _clampedLow &+= 1
        } else if value > Self.highestTrackableNanoseconds {
            value = Self.highestTrackableNanoseconds
            _clampedHigh &+= 1
        }
        histogram.record(value)
    }

    /// Records a duration in seconds (rounded to the nearest nanosecond), clamped like
    /// ``record(nanoseconds:)``. Negative durations and NaN count as too small.
    @inlinable
    public mutating func record(seconds: Double) {
        let ns = (seconds * 1e9).rounded()
        if !(ns >= 0) {
            record(nanoseconds: 0)
        } else if ns >= 0x1p64 {
            record(nanoseconds: .max)
        } else {
            record(nanoseconds: UInt64(ns))
        }
    }

    /// Adds the recordings of `other` to this histogram (bucket-wise sum; exact).
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        _clampedLow += other._clampedLow
        _clampedHigh += other._clampedHigh
    }

    /// Forgets all recordings (e.g. at the end of a warm-up period), keeping the memory.
    public mutating func reset() {
        histogram.reset()
        _clampedLow = 0
        _clampedHigh = 0
    }

    // MARK: Results

    /// The number of durations recorded (clamped ones included).
    public var count: Int { Int(histogram.totalCount) }

    /// The number of durations below 1 µs that were recorded as 1 µs.
    public var clampedLowCount: Int { _clampedLow }

    /// The number of durations above 1 hour that were recorded as 1 hour.
    public var clampedHighCount: Int { _clampedHigh }

    /// The number of durations that were clamped into range (``clampedLowCount`` + ``clampedHighCount``).
    public var clampedCount: Int { _clampedLow + _clampedHigh }

    /// The duration, in seconds, at or below which `p` percent of the recordings fall, to the
    /// histogram's 3-digit precision. `percentile(0)` is the minimum, `percentile(100)` the
    /// maximum (both as recorded, after clamping). NaN when empty.
    ///
    /// - Precondition: `0 ≤ p ≤ 100`.
    public func percentile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 100, "LatencyHistogram: percentile must be in 0…100")
        guard histogram.totalCount > 0 else { return .nan }
        return Double(histogram.valueAtPercentile(p)) / 1e9
    }

    /// The mean duration in seconds, computed from the bucket midpoints (3-digit precision).
    /// NaN when empty.
    public var mean: Double {
        histogram.totalCount > 0 ? histogram.mean / 1e9 : .nan
    }

    /// The largest duration recorded, in seconds (after clamping). NaN when empty.
    public var max: Double {
        histogram.totalCount > 0 ? Double(histogram.maxRecorded) / 1e9 : .nan
    }

    /// An estimate of the memory held, in bytes; constant for the life of the histogram.
    public var estimatedFootprintInBytes: Int { histogram.estimatedFootprintInBytes }
}
