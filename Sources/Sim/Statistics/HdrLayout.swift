// HdrLayout.swift — HdrHistogram's bucket layout, as constants the compiler can fold.

/// The bucket layout of an HdrHistogram with a lowest discernible value of 1, 3 significant
/// digits and values up to ``LatencyHistogram/highestTrackableNanoseconds``: the same index
/// math as hdrhistogram-swift's `Histogram(lowestDiscernibleValue: 1, highestTrackableValue:
/// 3_600_000_000_000, numberOfSignificantValueDigits: .three)`, so a slot here is the
/// library's slot and the library can answer every query on the counts (`StatisticsLatencyHistogramTests` compares them).
///
/// With the parameters fixed, every shift and mask is a constant: recording is a leading-zero
/// count, a shift and an add, inlined into the caller (the library's generic index functions
/// were two out-of-line calls per recording on the simulator's hot path).
///
/// Layout: bucket 0 holds 0 … 2047 at unit resolution in 2048 slots; bucket k ≥ 1 holds
/// 2048·2^(k−1) … 2048·2^k − 1 in 1024 slots of width 2^k.
@usableFromInline
enum HdrLayout {
    /// log₂ of half the sub-bucket count (2048 sub-buckets: 3 significant digits need 2000).
    @usableFromInline static let subBucketHalfCountMagnitude = 10
    @usableFromInline static let subBucketHalfCount = 1_024
    @usableFromInline static let subBucketCount = 2_048
    /// The largest value bucket 0 holds.
    @usableFromInline static let subBucketMask: UInt64 = 2_047
    /// 64 − unit magnitude (0) − log₂ of the sub-bucket count (11).
    @usableFromInline static let leadingZeroCountBase = 53
    /// Buckets needed to cover the highest trackable value (the library's `bucketsNeededToCoverValue`).
    @usableFromInline static let bucketCount: Int = {
        var smallestUntrackable = UInt64(subBucketCount)
        var buckets = 1
        while smallestUntrackable <= LatencyHistogram.highestTrackableNanoseconds {
            smallestUntrackable <<= 1
            buckets += 1
        }
        return buckets
    }()
    /// Length of the counts array.
    @usableFromInline static let countsLength = (bucketCount + 1) * subBucketHalfCount

    // MARK: Index math (the library's, with unit magnitude 0)

    @inlinable @inline(__always)
    static func bucketIndex(_ value: UInt64) -> Int {
        leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
    }

    /// The counts index of `value` (`value` ≤ the highest trackable value).
    @inlinable @inline(__always)
    static func countsIndex(_ value: UInt64) -> Int {
        let bucket = bucketIndex(value)
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket))
        return ((bucket + 1) << subBucketHalfCountMagnitude) + subBucket - subBucketHalfCount
    }

    /// The lowest value counted at `index`.
    static func valueFromIndex(_ index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket)
    }
}
