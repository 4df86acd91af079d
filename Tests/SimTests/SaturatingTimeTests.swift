// SaturatingTimeTests.swift — converting sampled seconds to SimTime never traps.

import Testing
@testable import Sim

// MARK: - Saturating conversions

@Suite struct SaturatingTimeTests {
    @Test func timesWithinRangeRoundAsBefore() {
        #expect(SimClock.time(seconds: 0.25) == 250_000_000)
        #expect(SimClock.time(seconds: 1.5e-9) == 2)  // halves away from zero
        #expect(SimClock.time(seconds: -1.5e-9) == -2)
        #expect(SimClock.time(seconds: 9.2e9) == 9_200_000_000_000_000_000)
    }

    @Test(arguments: [1e10, 1e308, Double.infinity, 9.3e9])
    func timesBeyondRangeSaturateAtMax(seconds: Double) {
        #expect(SimClock.time(seconds: seconds) == .max)
        #expect(SimClock.time(seconds: -seconds) == -.max)
    }

    @Test func nanIsZero() {
        #expect(SimClock.time(seconds: .nan) == 0)
        #expect(SimClock.saturatingCount(.nan) == 0)
    }

    @Test func addingSaturates() {
        #expect(SimClock.adding(5, to: 10) == 15)
        #expect(SimClock.adding(.max, to: 10) == .max)
        #expect(SimClock.adding(-.max, to: -10) == -.max)
    }

    @Test func countsSaturate() {
        #expect(SimClock.saturatingCount(2.5) == 3)
        #expect(SimClock.saturatingCount(1e300) == .max)
        #expect(SimClock.saturatingCount(-1e300) == .min)
    }

    @Test func anEventPastTheHorizonIsScheduledAndNeverFires() {
        var scheduler = EventScheduler<QuaternaryHeap>()
        scheduler.schedule(after: 100, kind: 1)
        scheduler.schedule(after: SimClock.time(seconds: 1e300), kind: 2)  // trapped before
        #expect(scheduler.nextEvent(before: SimClock.time(seconds: 3600))?.kind == 1)
        #expect(scheduler.nextEvent(before: SimClock.time(seconds: 3600)) == nil)
        #expect(scheduler.pendingCount == 1)
    }
}
