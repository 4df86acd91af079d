// WelchTestTests.swift — Welch's t-test against SciPy's ttest_ind(equal_var=False).

import Testing
@testable import Sim

@Suite struct WelchTestTests {
    /// a = [10.2, 11.1, 9.8, 10.5, 10.9], b = [11.5, 12.3, 11.9, 12.8]: SciPy 1.17 gives
    /// t = -4.467732078052564, df = 6.3696271450611555, p = 0.0036697918320029743.
    @Test func matchesSciPy() throws {
        let a = ReplicationEstimate([10.2, 11.1, 9.8, 10.5, 10.9])
        let b = ReplicationEstimate([11.5, 12.3, 11.9, 12.8])
        let test = try #require(WelchTest(mean1: a.mean, standardDeviation1: a.standardDeviation, count1: a.count,
                                          mean2: b.mean, standardDeviation2: b.standardDeviation, count2: b.count))
        #expect(abs(test.t - -4.467732078052564) < 1e-12)
        #expect(abs(test.degreesOfFreedom - 6.3696271450611555) < 1e-12)
        #expect(abs(test.pValue - 0.0036697918320029743) < 1e-12)
        #expect(test.isSignificant())
        #expect(!test.isSignificant(at: 0.001))
    }

    @Test func equalMeansAreNotSignificantAndTheTestIsSymmetric() throws {
        let test = try #require(WelchTest(mean1: 5, standardDeviation1: 1, count1: 4, mean2: 5, standardDeviation2: 2, count2: 6))
        #expect(test.t == 0 && test.pValue == 1)
        let forward = try #require(WelchTest(mean1: 1, standardDeviation1: 1, count1: 3, mean2: 2, standardDeviation2: 1, count2: 3))
        let backward = try #require(WelchTest(mean1: 2, standardDeviation1: 1, count1: 3, mean2: 1, standardDeviation2: 1, count2: 3))
        #expect(forward.pValue == backward.pValue && forward.t == -backward.t)
    }

    @Test func withoutSpreadOnlyEqualityMatters() throws {
        let same = try #require(WelchTest(mean1: 20, standardDeviation1: 0, count1: 2, mean2: 20, standardDeviation2: 0, count2: 2))
        #expect(same.pValue == 1 && !same.isSignificant())
        let different = try #require(WelchTest(mean1: 20, standardDeviation1: 0, count1: 2, mean2: 19, standardDeviation2: 0, count2: 2))
        #expect(different.pValue == 0 && different.t == .infinity)
    }

    @Test func tooFewValuesOrMissingGiveNoTest() {
        #expect(WelchTest(mean1: 1, standardDeviation1: 1, count1: 1, mean2: 2, standardDeviation2: 1, count2: 5) == nil)
        #expect(WelchTest(mean1: .nan, standardDeviation1: 1, count1: 3, mean2: 2, standardDeviation2: 1, count2: 3) == nil)
    }
}
