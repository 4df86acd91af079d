// LatencyHistogram.swift — bounded-memory percentiles of durations (HdrHistogram layout).

import Histogram

/// Percentiles of durations, in bounded memory, on an HdrHistogram layout.
///
/// Durations are recorded in integer nanoseconds and kept to 3 significant decimal digits
/// (relative error at most 1/1024 < 0.1 %) over the whole trackable range, 1 µs … 1 hour.
/// Values outside that range are clamped to its ends and counted (``clampedLowCount``,
/// ``clampedHighCount``); in particular a zero duration is recorded as 1 µs. The memory use
/// is fixed at creation (about 270 KiB) and does not grow with the number of recordings.
///
/// Recording counts into an array on hdrhistogram-swift's exact layout (``HdrLayout``), because
/// it sits on the simulator's hot path, where the library's generic index functions did not
/// inline (two out-of-line calls per value); every query — percentiles, mean — is answered by
/// the library itself on those counts (``libraryHistogram()``), so results equal the
/// library's to the bit (`StatisticsLatencyHistogramTests` records the same values into both).
///
/// Results are in seconds.
public struct LatencyHistogram: Sendable, Equatable {
    // MARK: Range

    /// The smallest duration kept as is, in nanoseconds (1 µs); smaller ones are clamped to it.
    public static let lowestTrackableNanoseconds: UInt64 = 1_000

    /// The largest duration kept as is, in nanoseconds (1 hour); larger ones are clamped to it.
    public static let highestTrackableNanoseconds: UInt64 = 3_600_000_000_000

    // MARK: Storage

    /// Recordings per HdrHistogram slot (``HdrLayout``).
    @usableFromInline var counts = [UInt64](repeating: 0, count: HdrLayout.countsLength)
    @usableFromInline var totalCount: UInt64 = 0
    /// The largest and smallest values recorded, exactly (0 and `.max` when empty).
    @usableFromInline var maxValue: UInt64 = 0
    @usableFromInline var minValue: UInt64 = .max
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
        let index = HdrLayout.countsIndex(value)
        counts.withUnsafeMutableBufferPointer { $0[index] &+= 1 }
        totalCount &+= 1
        if value > maxValue { maxValue = value }
        if value < minValue { minValue = value }
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

    /// Adds the recordings of `other` to this histogram (slot-wise sum; exact).
    public mutating func merge(_ other: LatencyHistogram) {
        counts.withUnsafeMutableBufferPointer { destination in
            other.counts.withUnsafeBufferPointer { source in
                for index in destination.indices { destination[index] &+= source[index] }
            }
        }
        totalCount &+= other.totalCount
        maxValue = Swift.max(maxValue, other.maxValue)
        minValue = Swift.min(minValue, other.minValue)
        _clampedLow += other._clampedLow
        _clampedHigh += other._clampedHigh
    }

    /// Forgets all recordings (e.g. at the end of a warm-up period), keeping the memory.
    public mutating func reset() {
        counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        totalCount = 0
        maxValue = 0
        minValue = .max
        _clampedLow = 0
        _clampedHigh = 0
    }

    // MARK: Results

    /// The number of durations recorded (clamped ones included).
    public var count: Int { Int(totalCount) }

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
        guard totalCount > 0 else { return .nan }
        return Double(valueAtPercentile(p)) / 1e9
    }

    /// hdrhistogram-swift's `valueAtPercentile` on these recordings.
    func valueAtPercentile(_ p: Double) -> UInt64 {
        libraryHistogram().valueAtPercentile(p)
    }

    /// The mean duration in seconds, computed from the slot midpoints (3-digit precision, as
    /// hdrhistogram-swift computes it). NaN when empty.
    public var mean: Double {
        guard totalCount > 0 else { return .nan }
        return libraryHistogram().mean / 1e9
    }

    /// The recordings as an hdrhistogram-swift `Histogram` with the same layout, which answers
    /// every query: each slot's count is recorded at the slot's lowest value (all values of a
    /// slot are equivalent, so it lands in the same slot), except that the minimum's and the
    /// maximum's slots are recorded at the exact minimum and maximum, because the library keeps
    /// both exactly and clamps percentiles to them.
    func libraryHistogram() -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1,
                                          highestTrackableValue: Self.highestTrackableNanoseconds,
                                          numberOfSignificantValueDigits: .three)
        guard totalCount > 0 else { return histogram }
        let minIndex = HdrLayout.countsIndex(minValue), maxIndex = HdrLayout.countsIndex(maxValue)
        for index in counts.indices where counts[index] != 0 {
            let count = counts[index]
            if index == minIndex && index == maxIndex {
                if count > 1 { _ = histogram.record(minValue, count: count - 1) }
                _ = histogram.record(maxValue)
            } else if index == minIndex {
                _ = histogram.record(minValue, count: count)
            } else if index == maxIndex {
                _ = histogram.record(maxValue, count: count)
            } else {
                _ = histogram.record(HdrLayout.valueFromIndex(index), count: count)
            }
        }
        return histogram
    }

    /// The largest duration recorded, in seconds (after clamping). NaN when empty.
    public var max: Double {
        totalCount > 0 ? Double(maxValue) / 1e9 : .nan
    }

    /// An estimate of the memory held, in bytes; constant for the life of the histogram.
    public var estimatedFootprintInBytes: Int { 512 + counts.capacity * MemoryLayout<UInt64>.stride }
}
