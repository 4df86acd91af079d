// MARK: - Consistency check (for tests)

extension RedisModel {
    /// A description of the first broken internal invariant, or `nil` if the structures agree:
    /// the recency list, the owner lists and the index hold the same slots; the expiry heap
    /// holds exactly the slots with a TTL, in heap order; `usedMemory` is the sum of charges.
    /// O(n); for tests.
    func invariantViolation() -> String? {
        var seen = [Bool](repeating: false, count: keys.count)
        var slot = recencyHead, previous = SlotLinks.none, listed = 0, bytes = 0, volatile = 0
        while slot != SlotLinks.none {
            let s = Int(slot)
            guard !seen[s] else { return "recency list loops at slot \(s)" }
            seen[s] = true
            guard recency.prev[s] == previous else { return "recency prev of \(s) is wrong" }
            guard index.find(keys[s].rawValue) == slot else { return "index disagrees for \(keys[s])" }
            bytes += charges[s]
            if expiries[s] != .max {
                volatile += 1
                guard expiryIndex.contains(slot) else { return "\(keys[s]) has a TTL but is not in the heap" }
            } else if expiryIndex.contains(slot) {
                return "\(keys[s]) has no TTL but is in the heap"
            }
            listed += 1
            previous = slot
            slot = recency.next[s]
        }
        guard previous == recencyTail else { return "recency tail is wrong" }
        guard listed == index.count else { return "recency list holds \(listed), index \(index.count)" }
        guard bytes == used else { return "used memory \(used), charges sum to \(bytes)" }
        guard volatile == expiryIndex.count else { return "heap holds \(expiryIndex.count), TTL keys \(volatile)" }
        for i in 1..<max(1, expiryIndex.nodes.count) {
            guard !expiryIndex.nodes[i].precedes(expiryIndex.nodes[(i - 1) / 2]) else { return "heap order broken at \(i)" }
        }
        var owned = 0
        for s in seen.indices where seen[s] {
            // Walk back to the owner's head and check it is the registered one.
            var head = Int32(s)
            while ownership.prev[Int(head)] != SlotLinks.none { head = ownership.prev[Int(head)] }
            guard ownerHeads.find(Self.ownerKey(of: keys[s])) == head else { return "owner list of \(keys[s]) is detached" }
            owned += 1
        }
        guard owned == index.count else { return "owner lists hold \(owned), index \(index.count)" }
        let heads = seen.indices.filter { seen[$0] && ownership.prev[$0] == SlotLinks.none }.count
        return heads == ownerHeads.count ? nil : "\(heads) owner lists, \(ownerHeads.count) registered"
    }
}
