// ReplicationLog.swift — the primary's retained history of changes, trimmed from the front.

import DequeModule
import Sim

// MARK: - ReplicationLog

/// The changes committed on the primary that some replica may still need, in LSN order.
///
/// LSNs are dense, so the change with LSN `n` sits at offset `n - startLSN`: lookup by LSN is
/// O(1). ``truncate(through:)`` drops the oldest changes once every replica has applied them.
public struct ReplicationLog: Sendable {
    // MARK: State

    /// The retained changes; `entries[i].lsn == startLSN + i`.
    public private(set) var entries: Deque<Change> = []
    /// The LSN of the last change ever appended (``LSN/zero`` before any).
    public private(set) var endLSN: LSN = .zero
    /// Changes up to and including this LSN were dropped (or never existed): reads as of an
    /// earlier position are no longer possible.
    public private(set) var truncatedThrough: LSN = .zero

    /// Creates an empty log.
    public init() {}

    // MARK: Reading

    /// The LSN of the first retained change (`endLSN + 1` when none is retained).
    public var startLSN: LSN { truncatedThrough.next }

    /// The number of retained changes.
    public var count: Int { entries.count }

    /// The change with LSN `lsn`.
    ///
    /// - Precondition: `startLSN <= lsn <= endLSN`.
    public subscript(lsn: LSN) -> Change {
        precondition(lsn > truncatedThrough && lsn <= endLSN, "ReplicationLog: LSN \(lsn) is not retained")
        return entries[lsn - startLSN]
    }

    /// The retained changes with `lower < lsn <= upper`, oldest first.
    public func changes(after lower: LSN, through upper: LSN) -> Deque<Change>.SubSequence {
        let from = Swift.max(lower.next, startLSN), to = Swift.min(upper, endLSN)
        guard from <= to else { return entries[0..<0] }
        return entries[(from - startLSN)...(to - startLSN)]
    }

    /// The commit time of change `lsn`, or `nil` for ``LSN/zero``.
    public func commitTime(of lsn: LSN) -> SimTime? {
        lsn == .zero ? nil : self[lsn].commitTime
    }

    /// The last LSN committed at or before `time`, searching the retained changes (commit
    /// times never decrease). Returns `truncatedThrough` if no retained change qualifies.
    public func lastLSN(committedAtOrBefore time: SimTime) -> LSN {
        var low = 0, high = entries.count  // first index with commitTime > time
        while low < high {
            let mid = (low + high) >> 1
            if entries[mid].commitTime <= time { low = mid + 1 } else { high = mid }
        }
        return LSN(truncatedThrough.rawValue + low)
    }

    /// The value of the row as of `lsn`, given that the row's latest change `latest` is later
    /// than `lsn`: walk the row's version chain back to its oldest change after `lsn` and
    /// return that change's before-image.
    ///
    /// The walk never leaves the retained log: it only follows links to changes later than
    /// `lsn`, and `lsn >= truncatedThrough`.
    func value(asOf lsn: LSN, latestChange latest: LSN) -> RowValue? {
        var offset = latest - startLSN
        while true {
            let previous = entries[offset].previousLSN
            if previous <= lsn { return entries[offset].oldValue }
            offset = previous - startLSN
        }
    }

    // MARK: Writing

    /// Appends a change; its LSN must be `endLSN + 1`.
    mutating func append(_ change: Change) {
        precondition(change.lsn == endLSN.next, "ReplicationLog: LSNs must be dense")
        entries.append(change)
        endLSN = change.lsn
    }

    /// Drops the changes with LSN `<= lsn` (clamped to the log's end).
    mutating func truncate(through lsn: LSN) {
        let target = Swift.min(lsn, endLSN)
        guard target > truncatedThrough else { return }
        entries.removeFirst(target - truncatedThrough)
        truncatedThrough = target
    }
}
