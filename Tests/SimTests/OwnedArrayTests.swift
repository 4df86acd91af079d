// OwnedArrayTests.swift — the noncopyable array behind the network model's records.

import Testing
@testable import Sim

/// Counts how many instances are alive, to check that the array releases what it holds.
private final class Tracked {
    nonisolated(unsafe) static var alive = 0
    let value: Int
    init(_ value: Int) {
        self.value = value
        Tracked.alive += 1
    }
    deinit { Tracked.alive -= 1 }
}

@Suite(.serialized) struct OwnedArrayTests {
    /// Appends past the initial capacity (growing several times), mutates elements in place,
    /// pops from the end: the contents match an `Array` doing the same.
    @Test func behavesLikeAnArrayThroughGrowthInPlaceUpdatesAndPops() {
        var owned = OwnedArray<Int>(capacity: 2)
        var reference: [Int] = []
        for value in 0..<1_000 {
            owned.append(value)
            reference.append(value)
        }
        for index in stride(from: 0, to: 1_000, by: 7) {
            owned[index] += 1_000_000
            reference[index] += 1_000_000
        }
        var popped: [Int] = []
        for _ in 0..<10 { popped.append(owned.popLast()!) }
        #expect(popped == reference.suffix(10).reversed())
        reference.removeLast(10)
        #expect(owned.count == reference.count)
        #expect(owned.indices.map { owned[$0] } == reference)
        var empty = OwnedArray<Int>([])
        #expect(empty.popLast() == nil && empty.count == 0)
    }

    /// Elements are released when popped and when the array itself goes away, growth included.
    @Test func releasesItsElements() {
        Tracked.alive = 0
        do {
            var owned = OwnedArray<Tracked>(capacity: 1)
            for value in 0..<100 { owned.append(Tracked(value)) }
            #expect(Tracked.alive == 100)
            _ = owned.popLast()
            #expect(Tracked.alive == 99)
            #expect(owned[98].value == 98)
        }
        #expect(Tracked.alive == 0)
    }
}
