import Sim

// MARK: - Expiry index

/// The entries that have a TTL, in order of expiry: an indexed binary min-heap of slots.
///
/// Order is (expiry, stamp): of two entries expiring at the same instant the one written first
/// (lower stamp) comes first, so the order never depends on slot reuse or hashing. Each slot
/// knows its heap position, so an entry is removed or re-timed in O(log n).
@usableFromInline
struct ExpiryIndex: Sendable {
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var expiry: SimTime
        @usableFromInline var stamp: UInt64
        @usableFromInline var slot: Int32

        @inlinable
        init(expiry: SimTime, stamp: UInt64, slot: Int32) {
            self.expiry = expiry
            self.stamp = stamp
            self.slot = slot
        }

        @inlinable
        func precedes(_ other: Node) -> Bool {
            expiry != other.expiry ? expiry < other.expiry : stamp < other.stamp
        }
    }

    /// The heap.
    @usableFromInline var nodes: [Node] = []
    /// Each slot's index in `nodes`, or -1 when the slot has no TTL.
    @usableFromInline var position: [Int32] = []

    @inlinable init() {}

    /// Entries with a TTL.
    @inlinable var count: Int { nodes.count }

    /// The first entry to expire.
    @inlinable var first: Node? { nodes.first }

    /// Makes room for one more slot (absent from the heap).
    @inlinable
    mutating func appendSlot() {
        position.append(-1)
    }

    /// Whether `slot` is in the heap.
    @inlinable
    func contains(_ slot: Int32) -> Bool { position[Int(slot)] >= 0 }

    /// The slot expiring first other than `excluded`, or `nil`.
    @inlinable
    func first(excluding excluded: Int32) -> Int32? {
        guard let root = nodes.first else { return nil }
        if root.slot != excluded { return root.slot }
        // The second smallest is a child of the root.
        switch nodes.count {
        case 1: return nil
        case 2: return nodes[1].slot
        default: return nodes[1].precedes(nodes[2]) ? nodes[1].slot : nodes[2].slot
        }
    }

    // MARK: Updating

    /// Adds `slot` (absent) with `expiry` and `stamp`.
    @inlinable
    mutating func insert(_ slot: Int32, expiry: SimTime, stamp: UInt64) {
        nodes.append(Node(expiry: expiry, stamp: stamp, slot: slot))
        position[Int(slot)] = Int32(truncatingIfNeeded: nodes.count - 1)
        siftUp(nodes.count - 1)
    }

    /// Removes `slot` if present.
    @inlinable
    mutating func remove(_ slot: Int32) {
        let i = Int(position[Int(slot)])
        guard i >= 0 else { return }
        position[Int(slot)] = -1
        let last = nodes.removeLast()
        guard i < nodes.count else { return }
        nodes[i] = last
        position[Int(last.slot)] = Int32(truncatingIfNeeded: i)
        if i > 0 && last.precedes(nodes[(i - 1) / 2]) { siftUp(i) } else { siftDown(i) }
    }

    /// Sets `slot`'s expiry: inserts, re-times or (for `nil`) removes it.
    @inlinable
    mutating func set(_ slot: Int32, expiry: SimTime?, stamp: UInt64) {
        remove(slot)
        if let expiry { insert(slot, expiry: expiry, stamp: stamp) }
    }

    /// Forgets every slot.
    @inlinable
    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        position.removeAll(keepingCapacity: true)
    }

    // MARK: Sifting

    @inlinable
    mutating func siftUp(_ start: Int) {
        var i = start
        let node = nodes[i]
        while i > 0 {
            let parent = (i - 1) / 2
            guard node.precedes(nodes[parent]) else { break }
            nodes[i] = nodes[parent]
            position[Int(nodes[i].slot)] = Int32(truncatingIfNeeded: i)
            i = parent
        }
        nodes[i] = node
        position[Int(node.slot)] = Int32(truncatingIfNeeded: i)
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        var i = start
        let node = nodes[i]
        let n = nodes.count
        while true {
            var child = 2 * i + 1
            guard child < n else { break }
            if child + 1 < n && nodes[child + 1].precedes(nodes[child]) { child += 1 }
            guard nodes[child].precedes(node) else { break }
            nodes[i] = nodes[child]
            position[Int(nodes[i].slot)] = Int32(truncatingIfNeeded: i)
            i = child
        }
        nodes[i] = node
        position[Int(node.slot)] = Int32(truncatingIfNeeded: i)
    }
}
