// MARK: - Index-linked lists over slots

/// Doubly linked lists threaded through parallel arrays of slot indices.
///
/// The caches keep their entries in arrays indexed by a slot number and link the slots with
/// `prev`/`next` indices rather than node objects: no class per node, no allocation per
/// operation once the arrays have grown to the working set. Several lists may share one
/// `SlotLinks` (a slot is in at most one of them); each list's head (and tail, where the list
/// needs one) is kept by the owner and passed in `inout`. `-1` is the null index.
@usableFromInline
struct SlotLinks: Sendable {
    /// The null slot index.
    @usableFromInline static let none: Int32 = -1

    /// The previous slot of each slot, or ``none``.
    @usableFromInline var prev: [Int32] = []
    /// The next slot of each slot, or ``none``. Free slots are chained through `next` as well.
    @usableFromInline var next: [Int32] = []

    @inlinable
    init(reservingCapacity capacity: Int) {
        prev.reserveCapacity(capacity)
        next.reserveCapacity(capacity)
    }

    /// Adds one unlinked slot at the end; returns its index.
    @inlinable
    mutating func appendSlot() -> Int32 {
        prev.append(Self.none)
        next.append(Self.none)
        return Int32(truncatingIfNeeded: prev.count - 1)
    }

    // MARK: Lists with a head and a tail

    /// Links `slot` (currently unlinked) in front of `head`.
    @inlinable
    mutating func pushFront(_ slot: Int32, head: inout Int32, tail: inout Int32) {
        let s = Int(slot)
        prev[s] = Self.none
        next[s] = head
        if head != Self.none { prev[Int(head)] = slot } else { tail = slot }
        head = slot
    }

    /// Unlinks `slot` from the list with `head` and `tail`.
    @inlinable
    mutating func unlink(_ slot: Int32, head: inout Int32, tail: inout Int32) {
        let s = Int(slot)
        let p = prev[s], n = next[s]
        if p != Self.none { next[Int(p)] = n } else { head = n }
        if n != Self.none { prev[Int(n)] = p } else { tail = p }
        prev[s] = Self.none
        next[s] = Self.none
    }

    /// Moves `slot`, already in the list, to its front.
    @inlinable
    mutating func moveToFront(_ slot: Int32, head: inout Int32, tail: inout Int32) {
        guard slot != head else { return }
        unlink(slot, head: &head, tail: &tail)
        pushFront(slot, head: &head, tail: &tail)
    }

    // MARK: Lists with a head only

    /// Links `slot` (currently unlinked) in front of `head` in a head-only list.
    @inlinable
    mutating func pushFront(_ slot: Int32, head: inout Int32) {
        let s = Int(slot)
        prev[s] = Self.none
        next[s] = head
        if head != Self.none { prev[Int(head)] = slot }
        head = slot
    }

    /// Unlinks `slot` from a head-only list.
    @inlinable
    mutating func unlink(_ slot: Int32, head: inout Int32) {
        let s = Int(slot)
        let p = prev[s], n = next[s]
        if p != Self.none { next[Int(p)] = n } else { head = n }
        if n != Self.none { prev[Int(n)] = p }
        prev[s] = Self.none
        next[s] = Self.none
    }

    // MARK: Free list

    /// Pushes `slot` on the free list (chained through `next`).
    @inlinable
    mutating func free(_ slot: Int32, freeHead: inout Int32) {
        prev[Int(slot)] = Self.none
        next[Int(slot)] = freeHead
        freeHead = slot
    }

    /// Pops a slot from the free list, or returns ``none`` if it is empty.
    @inlinable
    mutating func allocate(freeHead: inout Int32) -> Int32 {
        let slot = freeHead
        if slot != Self.none {
            freeHead = next[Int(slot)]
            next[Int(slot)] = Self.none
        }
        return slot
    }

    /// Forgets every slot (keeps the arrays' capacity).
    @inlinable
    mutating func removeAll() {
        prev.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
    }
}
