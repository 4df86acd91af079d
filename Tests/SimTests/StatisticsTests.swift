// StatisticsTests.swift — tests of Sources/Sim/Statistics.

import Foundation
import Testing
@testable import Sim
import CGSL
import Histogram

// MARK: - Helpers

private func relativeError(_ x: Double, _ reference: Double) -> Double {
    abs(x - reference) / abs(reference)
}

// MARK: - Tally

@Suite struct StatisticsTallyTests {
    let handValues: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]

    @Test func handComputedValues() {
        let t = Tally(handValues)
        #expect(t.count == 8)
        #expect(t.sum == 40)
        #expect(t.mean == 5)
        #expect(t.min == 2)
        #expect(t.max == 9)
        #expect(relativeError(t.variance, 32.0 / 7.0) < 1e-15)
        #expect(relativeError(t.populationVariance, 4) < 1e-15)
        #expect(relativeError(t.standardDeviation, (32.0 / 7.0).squareRoot()) < 1e-15)
    }

    @Test func matchesGSLOnLargeOffsetData() {
        // A large mean and a small spread: a naive Σx² − n·x̄² formula would lose most digits here.
        var rng = TestGenerator(state: 42)
        let values = (0..<10_000).map { _ in 1e6 + rng.normal() }
        let t = Tally(values)
        let gslMean = gsl_stats_mean(values, 1, values.count)
        let gslVariance = gsl_stats_variance(values, 1, values.count)
        #expect(relativeError(t.mean, gslMean) < 1e-14)
        #expect(relativeError(t.variance, gslVariance) < 1e-9)
        #expect(t.min == values.min()!)
        #expect(t.max == values.max()!)
    }

    @Test func mergeEqualsSequentialRecording() {
        var rng = TestGenerator(state: 7)
        let values = (0..<1_001).map { _ in 50 + 3 * rng.normal() }
        let whole = Tally(values)
        for cut in [0, 1, 500, 1_000, 1_001] {
            var merged = Tally(values[..<cut])
            merged.merge(Tally(values[cut...]))
            #expect(merged.count == whole.count)
            #expect(merged.min == whole.min)
            #expect(merged.max == whole.max)
            #expect(relativeError(merged.mean, whole.mean) < 1e-14)
            #expect(relativeError(merged.variance, whole.variance) < 1e-12)
            #expect(relativeError(merged.sum, whole.sum) < 1e-14)
            #expect(relativeError(merged.variance, gsl_stats_variance(values, 1, values.count)) < 1e-12)
        }
        // Merging with an empty tally is the identity, both ways.
        #expect(whole.merging(Tally()) == whole)
        #expect(Tally().merging(whole) == whole)
    }

    @Test func emptyAndSingleObservation() {
        var t = Tally()
        #expect(t.count == 0)
        #expect(t.sum == 0)
        #expect(t.mean.isNaN && t.min.isNaN && t.max.isNaN && t.variance.isNaN)
        t.record(3.5)
        #expect(t.mean == 3.5 && t.min == 3.5 && t.max == 3.5)
        #expect(t.variance.isNaN)
        #expect(t.populationVariance == 0)
        t.reset()
        #expect(t == Tally())
    }
}

// MARK: - TimeWeightedAverage

@Suite struct StatisticsTimeWeightedAverageTests {
    @Test func stepFunction() {
        // Level 0 on [0,1), 2 on [1,3), 5 on [3,4), 1 from 4 on.
        var q = TimeWeightedAverage(start: 0)
        q.update(to: 2, at: 1)
        q.update(to: 5, at: 3)
        q.update(to: 1, at: 4)
        #expect(q.area(at: 6) == 11)
        #expect(q.mean(at: 6) == 11.0 / 6.0)
        #expect(q.mean(at: 4) == 9.0 / 4.0)
        #expect(q.max == 5)
        #expect(q.min == 0)
        #expect(q.level == 1)
        #expect(q.lastUpdate == 4)
    }

    @Test func resetKeepsCurrentLevel() {
        var q = TimeWeightedAverage(start: 0)
        q.update(to: 7, at: 1)
        q.update(to: 1, at: 3)
        q.reset(at: 4)  // warm-up [0,4) deleted; level 1 carried over
        #expect(q.start == 4)
        #expect(q.mean(at: 4) == 1)
        #expect(q.max == 1 && q.min == 1)
        q.update(to: 3, at: 5)
        // 1 on [4,5), 3 on [5,8): (1 + 9) / 4
        #expect(q.mean(at: 8) == 2.5)
        #expect(q.max == 3)
    }

    @Test func nonZeroStartAndInitialLevel() {
        var q = TimeWeightedAverage(start: 10, level: 4)
        #expect(q.mean(at: 10) == 4)
        #expect(q.mean(at: 12) == 4)
        q.update(to: 0, at: 12)
        q.update(to: 0, at: 12)  // zero-length interval: no contribution
        #expect(q.mean(at: 14) == 2)
    }
}

// MARK: - LatencyHistogram

@Suite struct StatisticsLatencyHistogramTests {
    /// 1 µs, 2 µs, …, 10,000 µs, once each.
    static func uniformMicroseconds() -> LatencyHistogram {
        var h = LatencyHistogram()
        for i in 1...10_000 { h.record(nanoseconds: UInt64(i) * 1_000) }
        return h
    }

    @Test func percentilesOfUniformData() {
        let h = Self.uniformMicroseconds()
        #expect(h.count == 10_000)
        #expect(h.clampedCount == 0)
        // HdrHistogram reports the highest value equivalent to the true percentile: never
        // below it, and above it by less than the 3-digit relative precision (0.1 %).
        for (p, exact) in [(50.0, 5e-3), (95.0, 9.5e-3), (99.0, 9.9e-3), (99.9, 9.99e-3)] {
            let value = h.percentile(p)
            #expect(value >= exact)
            #expect(relativeError(value, exact) < 0.001, "p\(p) = \(value)")
        }
        // The smallest value is exact at 1 µs (unit resolution there), the largest is exact.
        #expect(h.percentile(0) == 1e-6)
        #expect(h.percentile(100) == 1e-2)
        #expect(h.max == 1e-2)
        #expect(relativeError(h.mean, 5.0005e-3) < 0.001)
    }

    @Test func clampsOutOfRangeValuesAndCountsThem() {
        var h = LatencyHistogram()
        h.record(nanoseconds: 0)
        h.record(nanoseconds: 999)
        h.record(nanoseconds: 1_000)
        h.record(nanoseconds: 7_200_000_000_000)  // 2 hours
        h.record(seconds: -1)
        h.record(seconds: .infinity)
        #expect(h.count == 6)
        #expect(h.clampedLowCount == 3)
        #expect(h.clampedHighCount == 2)
        #expect(h.clampedCount == 5)
        #expect(h.percentile(0) == 1e-6)
        #expect(h.percentile(50) == 1e-6)
        #expect(h.percentile(100) == 3_600)
    }

    @Test func recordSeconds() {
        var h = LatencyHistogram()
        h.record(seconds: 0.0025)
        #expect(relativeError(h.percentile(50), 0.0025) < 0.001)
        #expect(h.max == 0.0025)
    }

    @Test func mergeEqualsRecordingEverything() {
        let whole = Self.uniformMicroseconds()
        var odd = LatencyHistogram()
        var even = LatencyHistogram()
        for i in 1...10_000 {
            if i % 2 == 0 { even.record(nanoseconds: UInt64(i) * 1_000) } else { odd.record(nanoseconds: UInt64(i) * 1_000) }
        }
        odd.merge(even)
        #expect(odd == whole)
        #expect(odd.percentile(95) == whole.percentile(95))

        var a = LatencyHistogram()
        var b = LatencyHistogram()
        a.record(nanoseconds: 1)
        b.record(nanoseconds: UInt64.max)
        a.merge(b)
        #expect(a.count == 2 && a.clampedLowCount == 1 && a.clampedHighCount == 1)
    }

    @Test func memoryDoesNotGrowWithRecordings() {
        var h = LatencyHistogram()
        let before = h.estimatedFootprintInBytes
        var rng = TestGenerator(state: 3)
        for _ in 0..<100_000 { h.record(nanoseconds: rng.next() >> 20) }  // up to ~1.8e13 ns, beyond 1 h
        #expect(h.count == 100_000)
        #expect(h.clampedHighCount > 0)
        #expect(h.estimatedFootprintInBytes == before)
        #expect(before < 400_000)
    }

    /// The recording and the queries are ours, on HdrHistogram's layout: slot counts,
    /// percentiles, mean and maximum must equal hdrhistogram-swift's to the bit, for values in
    /// every bucket of the range (log-uniform from 1 µs to 1 h), merged and reset ones included.
    /// Extremes inside wide slots (1 ms and 1 s, slot widths 512 ns and 512 µs), several values
    /// in the minimum's and in the maximum's slot, and a single-slot histogram: p0, p100, the
    /// mean and the percentiles between equal the library's to the bit.
    @Test(arguments: [[1_000_001, 1_000_300, 1_000_200, 5_000_000, 1_000_000_100, 1_000_000_000],
                      [1_000_300, 1_000_001, 1_000_200]])
    func extremesInsideWideSlotsMatchTheLibrary(values: [UInt64]) {
        var ours = LatencyHistogram()
        var theirs = Histogram<UInt64>(lowestDiscernibleValue: 1,
                                       highestTrackableValue: LatencyHistogram.highestTrackableNanoseconds,
                                       numberOfSignificantValueDigits: .three)
        for value in values {
            ours.record(nanoseconds: value)
            _ = theirs.record(value)
        }
        for p in [0, 10, 50, 90, 99.9, 100] {
            #expect(ours.percentile(p).bitPattern == (Double(theirs.valueAtPercentile(p)) / 1e9).bitPattern, "p\(p)")
        }
        #expect(ours.mean.bitPattern == (theirs.mean / 1e9).bitPattern)
    }

    @Test func matchesHdrHistogramToTheBit() {
        func reference() -> Histogram<UInt64> {
            Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: LatencyHistogram.highestTrackableNanoseconds,
                              numberOfSignificantValueDigits: .three)
        }
        var ours = LatencyHistogram(), theirs = reference()
        var secondHalf = LatencyHistogram(), theirSecondHalf = reference()
        var rng = TestGenerator(state: 17)
        for i in 0..<200_000 {
            let raw = rng.next() >> (20 + rng.next(below: 44))
            let value = min(max(raw, LatencyHistogram.lowestTrackableNanoseconds), LatencyHistogram.highestTrackableNanoseconds)
            if i % 2 == 0 {
                ours.record(nanoseconds: value)
                theirs.record(value)
            } else {
                secondHalf.record(nanoseconds: value)
                theirSecondHalf.record(value)
            }
        }
        ours.merge(secondHalf)
        theirs.add(theirSecondHalf)
        #expect(ours.counts.count == HdrLayout.countsLength)
        #expect(ours.estimatedFootprintInBytes == theirs.estimatedFootprintInBytes)
        var slotsDiffering = 0
        for index in ours.counts.indices where ours.counts[index] != theirs.countForValue(HdrLayout.valueFromIndex(index)) {
            slotsDiffering += 1
        }
        #expect(slotsDiffering == 0)
        #expect(ours.count == Int(theirs.totalCount))
        for p in [0, 1e-3, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100] {
            #expect(ours.percentile(p).bitPattern == (Double(theirs.valueAtPercentile(p)) / 1e9).bitPattern, "p\(p)")
        }
        #expect(ours.mean.bitPattern == (theirs.mean / 1e9).bitPattern)
        #expect(ours.max.bitPattern == (Double(theirs.maxRecorded) / 1e9).bitPattern)

        ours.reset()
        theirs.reset()
        ours.record(nanoseconds: 5_000)
        theirs.record(5_000)
        #expect(ours.percentile(50) == Double(theirs.valueAtPercentile(50)) / 1e9)
        #expect(ours.percentile(0) == 5e-6 && ours.count == 1)
    }

    @Test func emptyHistogram() {
        let h = LatencyHistogram()
        #expect(h.count == 0)
        #expect(h.percentile(50).isNaN && h.mean.isNaN && h.max.isNaN)
    }
}

// MARK: - ConfidenceInterval and ReplicationEstimate

@Suite struct StatisticsConfidenceIntervalTests {
    let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]

    @Test func eightValuesUseT975With7DegreesOfFreedom() throws {
        let estimate = ReplicationEstimate(values)
        let s = gsl_stats_sd(values, 1, values.count)
        let expected = 2.364624251 * s / 8.0.squareRoot()
        let h = try #require(estimate.halfWidth)
        #expect(relativeError(h, expected) < 1e-9)
        #expect(estimate.mean == 5)
        #expect(estimate.count == 8)
        #expect(estimate.values == values)
        #expect(estimate.confidenceLevel == 0.95)
        #expect(estimate.interval.lowerBound == 5 - h)
        #expect(estimate.interval.upperBound == 5 + h)
        #expect(estimate.interval.relativeHalfWidth == h / 5)
        #expect(estimate.interval.contains(5 + 0.99 * h))
        #expect(!estimate.interval.contains(5 + 1.01 * h))
    }

    @Test func otherConfidenceLevel() throws {
        let ci = ConfidenceInterval(values, confidenceLevel: 0.90)
        let s = gsl_stats_sd(values, 1, values.count)
        // t_{0.95, 7} = 1.894578605…
        let h = try #require(ci.halfWidth)
        #expect(relativeError(h, 1.894578605 * s / 8.0.squareRoot()) < 1e-9)
        #expect(ci.confidenceLevel == 0.90)
    }

    @Test func singleValueHasNoHalfWidth() {
        let one = ReplicationEstimate([3])
        #expect(one.mean == 3)
        #expect(one.halfWidth == nil)
        #expect(one.interval.lowerBound == nil && one.interval.upperBound == nil)
        #expect(!one.interval.contains(3))
        let none = ConfidenceInterval([Double]())
        #expect(none.mean.isNaN && none.halfWidth == nil && none.count == 0)
        #expect(ConfidenceInterval([4, 4, 4]).halfWidth == 0)
    }

    @Test func coverageOfNormalSamples() {
        // 2,000 sets of 10 standard-normal values: the 95 % interval should cover 0 in a fraction
        // within 3 binomial standard errors of 0.95 (a z-interval would cover only ≈ 92 %).
        var rng = TestGenerator(state: 20_240_601)
        let sets = 2_000
        var covered = 0
        for _ in 0..<sets {
            var t = Tally()
            for _ in 0..<10 { t.record(rng.normal()) }
            if ConfidenceInterval(t).contains(0) { covered += 1 }
        }
        let fraction = Double(covered) / Double(sets)
        let standardError = (0.95 * 0.05 / Double(sets)).squareRoot()
        #expect(abs(fraction - 0.95) <= 3 * standardError, "coverage \(fraction)")
    }
}

// MARK: - BatchMeans

@Suite struct StatisticsBatchMeansTests {
    @Test func handComputedBatches() throws {
        // 10 observations, 3 batches of 3: the leading observation is skipped.
        let bm = BatchMeans((1...10).map(Double.init), batchCount: 3)
        #expect(bm.batchSize == 3)
        #expect(bm.skippedCount == 1)
        #expect(bm.batchMeans == [3, 6, 9])
        #expect(bm.grandMean == 6)
        let ci = bm.confidenceInterval()
        let h = try #require(ci.halfWidth)
        // s = 3 over 3 batch means, 2 degrees of freedom: t_{0.975,2} = 4.302652730
        #expect(relativeError(h, 4.302652730 * 3 / 3.0.squareRoot()) < 1e-9)
        #expect(bm.lag1Autocorrelation == 0)
    }

    @Test func onlineRecordingMatchesSeries() {
        var rng = TestGenerator(state: 11)
        let series = (0..<10_007).map { _ in rng.uniform() }
        let whole = BatchMeans(series)
        var online = BatchMeans(expectedCount: series.count)
        for x in series { online.record(x) }
        for x in series.prefix(5) { online.record(x) }  // beyond the expected total: ignored
        #expect(online.batchMeans == whole.batchMeans)
        #expect(online.batchMeans.count == 20)
        #expect(online.ignoredCount == 5)
        #expect(whole.skippedCount == 7 && whole.batchSize == 500)
        let used = Array(series[7...])
        #expect(relativeError(whole.grandMean, gsl_stats_mean(used, 1, used.count)) < 1e-13)
    }

    @Test func iidSeriesCoversTrueMean() throws {
        var rng = TestGenerator(state: 12_345)
        let series = (0..<100_000).map { _ in rng.uniform() }  // mean 0.5
        let bm = BatchMeans(series)
        let ci = bm.confidenceInterval()
        #expect(ci.contains(0.5), "\(ci)")
        #expect(ci.count == 20)
        let r1 = try #require(bm.lag1Autocorrelation)
        #expect(relativeError(r1, gsl_stats_lag1_autocorrelation(bm.batchMeans, 1, 20)) < 1e-12)
        #expect(abs(r1) < 0.5)
    }

    @Test func smallBatchesOfCorrelatedSeriesShowAutocorrelation() throws {
        // AR(1) with φ = 0.995 (correlation time ≈ 200) in batches of 50.
        var rng = TestGenerator(state: 99)
        var x = 0.0
        let series = (0..<1_000).map { _ -> Double in
            x = 0.995 * x + rng.normal()
            return x
        }
        let bm = BatchMeans(series)
        let r1 = try #require(bm.lag1Autocorrelation)
        #expect(r1 > 0.5)
        #expect(relativeError(r1, gsl_stats_lag1_autocorrelation(bm.batchMeans, 1, 20)) < 1e-12)
    }

    @Test func incompleteRunUsesCompletedBatches() {
        var bm = BatchMeans(expectedCount: 100, batchCount: 10)
        for i in 0..<25 { bm.record(Double(i)) }
        #expect(bm.batchMeans == [4.5, 14.5])
        #expect(bm.confidenceInterval().halfWidth != nil)
        #expect(bm.lag1Autocorrelation == nil)
    }
}

// MARK: - MSER5

@Suite struct StatisticsMSER5Tests {
    /// MSER(d) straight from the definition, O(m²).
    static func bruteForce(_ series: [Double]) -> (d: Int, value: Double) {
        let m = series.count / 5
        let z = (0..<m).map { j in series[(5 * j)..<(5 * j + 5)].reduce(0, +) / 5 }
        var best = (d: 0, value: Double.infinity)
        for d in 0...(m / 2) {
            let kept = z[d...]
            let mean = kept.reduce(0, +) / Double(kept.count)
            let sse = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let value = sse / Double((m - d) * (m - d))
            if value < best.value { best = (d, value) }
        }
        return best
    }

    @Test func findsStep() {
        var rng = TestGenerator(state: 5)
        let series = [Double](repeating: 10, count: 200) + (0..<2_000).map { _ in 1 + 0.05 * rng.normal() }
        let r = MSER5(series)
        #expect(abs(r.truncationIndex - 200) <= 5, "truncation \(r.truncationIndex)")
        #expect(r.truncationIndex == 5 * r.truncatedBatches)
        #expect(abs(r.truncatedMean - 1) < 0.01)
    }

    @Test func handComputedSmallSeries() {
        // Batch means 9, 1, 1, 1: MSER(0) = 48/16 = 3, MSER(1) = MSER(2) = 0; the smallest d wins.
        let series = [Double](repeating: 9, count: 5) + [Double](repeating: 1, count: 15) + [100, 100]
        let r = MSER5(series)
        #expect(r.batchCount == 4)
        #expect(r.truncatedBatches == 1)
        #expect(r.truncationIndex == 5)
        #expect(r.statistic == 0)
        #expect(r.truncatedMean == 1)
    }

    @Test func matchesDefinitionOnRandomSeries() {
        var rng = TestGenerator(state: 77)
        var x = 5.0
        let series = (0..<503).map { _ -> Double in
            x = 0.9 * x + rng.normal()
            return x
        }
        let r = MSER5(series)
        let brute = Self.bruteForce(series)
        #expect(r.truncatedBatches == brute.d)
        #expect(relativeError(r.statistic, brute.value) < 1e-10)
    }

    @Test func shortSeriesIsNotTruncated() {
        #expect(MSER5([1, 2, 3, 4, 5, 6, 7, 8, 9]).truncationIndex == 0)
        #expect(MSER5([]).truncationIndex == 0)
    }
}

// MARK: - WindowedSeries

@Suite struct StatisticsWindowedSeriesTests {
    @Test func sampleCountsAndSumsPerWindow() {
        var s = WindowedSeries(width: 10)
        s.record(1, at: 0)
        s.record(2, at: 5)
        s.record(3, at: 9.999)
        s.record(4, at: 10)  // on the boundary: the next window
        s.record(5, at: 35)
        s.record(-1, at: 39)
        let w = s.samples
        #expect(w.map(\.windowStart) == [0, 10, 20, 30])
        #expect(w.map(\.count) == [3, 1, 0, 2])
        #expect(w.map(\.sum) == [6, 4, 0, 4])
        #expect(w[0].mean == 2 && w[0].min == 1 && w[0].max == 3)
        #expect(w[2].mean.isNaN && w[2].min.isNaN && w[2].max.isNaN)
        #expect(w[3].mean == 2 && w[3].min == -1 && w[3].max == 5)
    }

    @Test func windowIndexAgreesWithWindowStart() {
        let s = WindowedSeries(width: 0.1, origin: 1)
        for k in 0..<10_000 {
            let t = 1 + Double(k) * 0.001
            let j = s.windowIndex(for: t)
            #expect(s.windowStart(j) <= t && t < s.windowStart(j + 1), "t = \(t)")
        }
    }

    @Test func timeWeightedLevelPerWindow() {
        var s = WindowedSeries(width: 10)
        s.level(2, at: 5)
        s.level(4, at: 12)
        s.level(0, at: 15)
        s.level(6, at: 30)
        let w = s.levels(until: 35)
        #expect(w.map(\.windowStart) == [0, 10, 20, 30])
        // [5,10): 2 → 2;  [10,20): 2·2 + 4·3 + 0·5 = 16 → 1.6;  [20,30): 0;  [30,35): 6.
        #expect(w.map(\.mean) == [2, 1.6, 0, 6])
        #expect(w.map(\.max) == [2, 4, 0, 6])
        #expect(w.map(\.coveredDuration) == [5, 10, 10, 5])
        #expect(s.windowCount == 4)  // `levels(until:)` does not modify the series

        let atBoundary = s.levels(until: 40)
        #expect(atBoundary.count == 4)
        #expect(atBoundary[3].coveredDuration == 10)
    }

    @Test func levelHeldAcrossManyWindows() {
        var s = WindowedSeries(width: 10)
        s.level(3, at: 0)
        s.record(1, at: 55)  // sample windows created ahead of the level closing
        let w = s.levels(until: 100)
        #expect(w.count == 10)
        #expect(w.allSatisfy { $0.mean == 3 && $0.max == 3 && $0.coveredDuration == 10 })
        #expect(s.samples.map(\.count) == [0, 0, 0, 0, 0, 1])
    }

    @Test func recordingBeforeCurrentWindowIsAPreconditionFailure() async {
        await #expect(processExitsWith: .failure) {
            var s = WindowedSeries(width: 1)
            s.record(1, at: 5)
            s.record(1, at: 3)
        }
    }
}

// MARK: - Poisson tails

@Suite struct PoissonTailTests {
    /// Against sums by hand: P(N ≥ k) = 1 − e^−λ Σ_{j<k} λ^j / j!.
    @Test func matchesTheSumByHand() {
        #expect(PoissonTail.probabilityOfAtLeast(0, mean: 3) == 1)
        #expect(abs(PoissonTail.probabilityOfAtLeast(1, mean: 0.5) - (1 - exp(-0.5))) < 1e-14)
        #expect(abs(PoissonTail.probabilityOfAtLeast(3, mean: 2) - (1 - 5 * exp(-2))) < 1e-14)  // 1 + 2 + 2
        // The far tail, where 1 − (sum below) loses every digit: P(N ≥ 30 | λ = 4.5) ≈ 1.3e-14.
        let far = PoissonTail.probabilityOfAtLeast(30, mean: 4.5)
        var term = exp(-4.5) * pow(4.5, 30) / tgamma(31), above = 0.0
        for j in 30..<80 {
            above += term
            term *= 4.5 / Double(j + 1)
        }
        #expect(abs(far - above) < 1e-6 * above, "\(far) against \(above)")
        #expect(PoissonTail.probabilityOfAtLeast(2, mean: 0) == 0)
    }
}
