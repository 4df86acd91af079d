// MSER5.swift — warm-up truncation point by the MSER-5 rule.

/// The warm-up truncation point of an output series by the MSER-5 rule (White 1997;
/// Franklin & White 2008).
///
/// The series is grouped into `m = ⌊n/5⌋` batches of 5 consecutive observations with means
/// `Z_1 … Z_m` (the `n mod 5` trailing observations are left out). For each candidate
/// truncation `d` (in batches) over the first half of the series, `0 ≤ d ≤ ⌊m/2⌋`,
///
///     MSER(d) = Σ_{i>d} (Z_i − Z̄_d)² / (m − d)²,
///
/// where `Z̄_d` is the mean of the batches after `d`. The rule deletes the `d*` batches that
/// minimise MSER(d) (the smallest such `d` on ties), i.e. the first ``truncationIndex``
/// `= 5·d*` observations.
public struct MSER5: Sendable, Equatable {
    // MARK: Results

    /// The number of leading observations to delete, `5·d*`.
    public let truncationIndex: Int

    /// The number of leading batches of 5 to delete, `d*`.
    public let truncatedBatches: Int

    /// The minimal statistic MSER(d*); NaN when the series has fewer than two batches.
    public let statistic: Double

    /// The mean of the batches kept (equal to the mean of the observations kept, excluding the
    /// `n mod 5` trailing ones); NaN when the series has no complete batch.
    public let truncatedMean: Double

    /// The number of batches of 5 in the series, `m = ⌊n/5⌋`.
    public let batchCount: Int

    // MARK: Computing

    /// The size of the batches the rule averages over.
    public static let batchSize = 5

    /// Applies the MSER-5 rule to `series`. O(n) time, O(n/5) memory. A series with fewer than
    /// two batches (n < 10) gets truncation 0.
    public init(_ series: [Double]) {
        let b = Self.batchSize
        let m = series.count / b
        batchCount = m
        var z = [Double](repeating: 0, count: m)
        for j in 0..<m {
            var s = 0.0
            for i in (j * b)..<(j * b + b) { s += series[i] }
            z[j] = s / Double(b)
        }
        guard m >= 2 else {
            truncationIndex = 0
            truncatedBatches = 0
            statistic = .nan
            truncatedMean = m == 1 ? z[0] : .nan
            return
        }
        // Suffix statistics by a backward Welford pass: after adding Z_{d+1…m} (0-based z[d…]),
        // `tail` holds the mean and Σ(Z − Z̄_d)² of the batches kept when truncating d.
        let dMax = m / 2
        var tail = Tally()
        var bestD = 0
        var best = Double.infinity
        var bestMean = Double.nan
        for d in stride(from: m - 1, through: 0, by: -1) {
            tail.record(z[d])
            guard d <= dMax else { continue }
            let kept = Double(m - d)
            let sse = tail._m2  // Σ(Z_i − Z̄_d)² over the kept batches
            let value = sse / (kept * kept)
            if value <= best {  // `<=` while d decreases: the smallest d wins ties
                best = value
                bestD = d
                bestMean = tail.mean
            }
        }
        truncatedBatches = bestD
        truncationIndex = bestD * b
        statistic = best
        truncatedMean = bestMean
    }
}
