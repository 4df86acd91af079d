// MembershipIndex.swift — parent → sorted children (tasks of a project, comments of a task).

import DequeModule

// MARK: - MembershipIndex

/// A secondary index from a parent row to its children, in increasing child order.
///
/// The latest lists live in a dense array by parent; reads as of an older LSN start from the
/// latest list and correct it: children created after that LSN are filtered out (the caller
/// says whether a child existed then), children removed after it are put back from a short,
/// truncatable list of recent removals. A parent whose list has not changed since the LSN is
/// answered with the latest list itself — no copy.
///
/// Children never move to another parent and identifiers are never reused.
struct MembershipIndex<Child: Comparable & Sendable>: Sendable {
    /// A child removed from a parent by change `lsn`.
    private struct Removal: Sendable {
        var lsn: LSN
        var parent: Int
        var child: Child
    }

    // MARK: State

    /// Latest children, by parent.
    private var lists: [[Child]] = []
    /// The LSN of each parent's last membership change.
    private var lastChange: [LSN] = []
    /// Removals not yet truncated, in LSN order.
    private var removals: Deque<Removal> = []

    /// The number of removals retained.
    var removalCount: Int { removals.count }

    // MARK: Reading

    /// The parent's latest children.
    func latest(_ parent: Int) -> [Child] {
        parent >= 0 && parent < lists.count ? lists[parent] : []
    }

    /// The parent's latest number of children.
    func latestCount(_ parent: Int) -> Int {
        parent >= 0 && parent < lists.count ? lists[parent].count : 0
    }

    /// Whether the parent's children are unchanged since `lsn` (the latest list is the answer).
    func isUnchanged(_ parent: Int, since lsn: LSN) -> Bool {
        parent < 0 || parent >= lists.count || lastChange[parent] <= lsn
    }

    /// The parent's children as of `lsn`; `existed(child)` tells whether a child existed then.
    func children(of parent: Int, asOf lsn: LSN, existed: (Child) -> Bool) -> [Child] {
        guard parent >= 0 && parent < lists.count else { return [] }
        if lastChange[parent] <= lsn { return lists[parent] }
        var result = lists[parent].filter(existed)
        // Removals are in LSN order: find the first one after `lsn`, then scan.
        var low = 0, high = removals.count
        while low < high {
            let mid = (low + high) >> 1
            if removals[mid].lsn <= lsn { low = mid + 1 } else { high = mid }
        }
        var restored = false
        for index in low..<removals.count where removals[index].parent == parent {
            let child = removals[index].child
            if existed(child) {
                result.append(child)
                restored = true
            }
        }
        if restored { result.sort() }
        return result
    }

    // MARK: Writing

    /// Adds `child` to `parent` as part of change `lsn`.
    mutating func insert(_ child: Child, into parent: Int, at lsn: LSN) {
        grow(to: parent)
        if let last = lists[parent].last, child < last {
            lists[parent].insert(child, at: lists[parent].sortedIndex(of: child).index)
        } else {
            lists[parent].append(child)
        }
        lastChange[parent] = lsn
    }

    /// Removes `child` from `parent` as part of change `lsn`.
    mutating func remove(_ child: Child, from parent: Int, at lsn: LSN) {
        guard parent >= 0 && parent < lists.count else { return }
        let (index, found) = lists[parent].sortedIndex(of: child)
        guard found else { return }
        lists[parent].remove(at: index)
        lastChange[parent] = lsn
        removals.append(Removal(lsn: lsn, parent: parent, child: child))
    }

    /// Appends `child` to `parent` without history (the initial dataset); children of one
    /// parent must come in increasing order.
    mutating func load(_ child: Child, into parent: Int) {
        grow(to: parent)
        lists[parent].append(child)
    }

    /// Drops removals of changes up to and including `lsn`.
    mutating func truncate(through lsn: LSN) {
        var drop = 0
        while drop < removals.count && removals[drop].lsn <= lsn { drop += 1 }
        if drop > 0 { removals.removeFirst(drop) }
    }

    /// Reserves room for parents `0..<count`.
    mutating func reserveCapacity(_ count: Int) {
        lists.reserveCapacity(count)
        lastChange.reserveCapacity(count)
    }

    private mutating func grow(to parent: Int) {
        precondition(parent >= 0, "MembershipIndex: negative parent")
        while lists.count <= parent {
            lists.append([])
            lastChange.append(.zero)
        }
    }
}
