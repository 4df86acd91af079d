// RandomStreamTests.swift — the xoshiro256** stream, its seeding, and named-stream independence.

import Testing
@testable import Sim
import CGSL

@Suite struct RandomStreamTests {
    // MARK: - Agreement with the C shim

    @Test func nextMatchesCShimFor1000Draws() {
        var stream = RandomStream(seed: 0xDEAD_BEEF)
        var cState: [UInt64] = [stream.state.0, stream.state.1, stream.state.2, stream.state.3]
        for draw in 0..<1000 {
            let swiftValue = stream.next()
            let cValue = cgsl_xoshiro256ss_next(&cState)
            #expect(swiftValue == cValue, "draw \(draw)")
            if swiftValue != cValue { return }
        }
        #expect(stream.state == (cState[0], cState[1], cState[2], cState[3]))
    }

    @Test func seedExpansionMatchesGSLSetAndUniformMatchesGSL() throws {
        let rng = try #require(gsl_rng_alloc(cgsl_xoshiro256ss_type()))
        defer { gsl_rng_free(rng) }
        let seed: UInt64 = 987_654_321
        gsl_rng_set(rng, UInt(seed))
        var stream = RandomStream(seed: seed)
        let gslState = rng.pointee.state.assumingMemoryBound(to: UInt64.self)
        #expect(stream.state == (gslState[0], gslState[1], gslState[2], gslState[3]))
        for _ in 0..<1000 {
            #expect(stream.uniform() == gsl_rng_uniform(rng))
        }
    }

    @Test func splitMix64MatchesPublishedVector() {
        // The splitmix64 reference sequence for seed 1234567 (as published, e.g. on Rosetta Code).
        var mixer = SplitMix64(state: 1_234_567)
        let expected: [UInt64] = [6_457_827_717_110_365_317, 3_203_168_211_198_807_973,
                                  9_817_491_932_198_370_423, 4_593_380_528_125_082_431,
                                  16_408_922_859_458_223_821]
        #expect((0..<5).map { _ in mixer.next() } == expected)
    }

    @Test func fnv1a64MatchesPublishedVectors() {
        #expect(fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
    }

    @Test func gslDrawsAdvanceTheStreamsOwnState() {
        // A GSL-backed draw must consume exactly what the shim consumes, and write the new state back.
        var stream = RandomStream(seed: 7)
        var cState: [UInt64] = [stream.state.0, stream.state.1, stream.state.2, stream.state.3]
        for _ in 0..<100 {
            #expect(stream.gamma(shape: 0.3, scale: 2) == cgsl_ran_gamma(&cState, 0.3, 2))
            #expect(stream.poisson(mean: 25) == Int(cgsl_ran_poisson(&cState, 25)))
            #expect(stream.next() == cgsl_xoshiro256ss_next(&cState))
        }
        #expect(stream.state == (cState[0], cState[1], cState[2], cState[3]))
    }

    // MARK: - Reproducibility and independence

    @Test func sameSeedAndNameGiveSameDraws() {
        var first = RandomStreamFactory(rootSeed: 42, replication: 3).stream(named: "arrivals")
        var second = RandomStreamFactory(rootSeed: 42, replication: 3).stream(named: "arrivals")
        #expect(first == second)
        for _ in 0..<1000 { #expect(first.next() == second.next()) }
    }

    @Test func streamDerivationIsPinned() {
        // Guards reproducibility of past runs: changing the seed derivation must be deliberate.
        let factory = RandomStreamFactory(rootSeed: 2024)
        #expect(factory.seed(named: "arrivals") == Self.pinnedArrivalsSeed)
        var stream = factory.stream(named: "arrivals")
        #expect(stream.next() == Self.pinnedArrivalsFirstDraw)
    }

    static let pinnedArrivalsSeed: UInt64 = 3_285_777_887_256_913_917
    static let pinnedArrivalsFirstDraw: UInt64 = 4_308_451_638_582_363_133

    @Test func namedStreamsDoNotDependOnCreationOrder() {
        let factory = RandomStreamFactory(rootSeed: 99)
        var aAlone = factory.stream(named: "a")
        let aAloneDraws = (0..<100).map { _ in aAlone.next() }

        var b = factory.stream(named: "b")
        for _ in 0..<1000 { _ = b.next() }
        var aAfterB = factory.stream(named: "a")
        let aAfterBDraws = (0..<100).map { _ in aAfterB.next() }

        #expect(aAloneDraws == aAfterBDraws)
        var bFresh = factory.stream(named: "b")
        #expect((0..<100).map { _ in bFresh.next() } != aAloneDraws)
    }

    @Test func distinctNamesReplicationsAndRootSeedsGiveDistinctSeeds() {
        let names = ["arrivals", "service", "routing", "a", "b", "", "é"]
        var seeds = Set<UInt64>()
        for root: UInt64 in [0, 1, 42] {
            for replication in 0..<50 {
                let factory = RandomStreamFactory(rootSeed: root, replication: replication)
                for name in names { seeds.insert(factory.seed(named: name)) }
            }
        }
        #expect(seeds.count == 3 * 50 * names.count)
    }

    @Test func replicationChangesTheStream() {
        let base = RandomStreamFactory(rootSeed: 5)
        var rep0 = base.stream(named: "service")
        var rep1 = base.replication(1).stream(named: "service")
        #expect(base.replication(1) == RandomStreamFactory(rootSeed: 5, replication: 1))
        let draws0 = (0..<10).map { _ in rep0.next() }
        let draws1 = (0..<10).map { _ in rep1.next() }
        #expect(draws0 != draws1)
    }

    // MARK: - Uniform draws and state

    @Test func uniformDrawsStayInRange() {
        var stream = RandomStream(seed: 11)
        for _ in 0..<100_000 {
            let u = stream.uniform()
            #expect(u >= 0 && u < 1)
            let x = stream.uniform(in: -2.0 ..< 3.0)
            #expect(x >= -2 && x < 3)
            let i = stream.uniformIndex(below: 7)
            #expect(i >= 0 && i < 7)
        }
        // A range so narrow that rounding could reach the upper bound must still exclude it.
        let upper = 1.0
        for _ in 0..<1000 { #expect(stream.uniform(in: upper.nextDown ..< upper) == upper.nextDown) }
    }

    @Test func savedStateResumesTheStream() {
        var stream = RandomStream(seed: 3)
        for _ in 0..<10 { _ = stream.next() }
        var resumed = RandomStream(state: stream.state)
        for _ in 0..<100 { #expect(stream.next() == resumed.next()) }
    }

    @Test func gaussianMatchesGSLNormalCDF() {
        // Kolmogorov–Smirnov against GSL's CDF; see `ksCriticalValue` in DistributionTests.swift.
        var stream = RandomStreamFactory(rootSeed: 1).stream(named: "gaussian")
        let n = 200_000
        let samples = (0..<n).map { _ in stream.gaussian(mean: 3, standardDeviation: 2) }
        let d = kolmogorovSmirnov(samples) { gsl_cdf_gaussian_P($0 - 3, 2) }
        #expect(d * Double(n).squareRoot() < ksCriticalValue, "D = \(d)")
    }
}
