// VersionedCounters.swift — integer counters (tasks per assignee) readable as of an older LSN.

import DequeModule

// MARK: - VersionedCounters

/// Dense integer counters with an undo log, so that a counter can be read as of any retained LSN.
///
/// Each change records the counter's previous value and a link to the counter's previous
/// change, like the replication log does for rows; ``truncate(through:)`` drops undo records
/// no reader can need.
struct VersionedCounters: Sendable {
    /// One counter change: the value before it, and the counter's previous change.
    private struct Undo: Sendable {
        /// The LSN of the change.
        var lsn: LSN
        /// The counter's value before the change.
        var before: Int32
        /// The sequence number of the counter's previous undo record, or -1.
        var previous: Int
    }

    // MARK: State

    /// Latest values, by slot.
    private var values: [Int32] = []
    /// The LSN of each counter's last change.
    private var lastLSN: [LSN] = []
    /// The sequence number of each counter's last undo record (-1: none).
    private var lastUndo: [Int] = []
    /// Undo records; `undo[i]` has sequence number `firstSequence + i`.
    private var undo: Deque<Undo> = []
    /// The sequence number of `undo[0]`.
    private var firstSequence = 0

    /// The number of undo records retained.
    var undoCount: Int { undo.count }

    // MARK: Reading

    /// The counter's latest value.
    func latest(_ slot: Int) -> Int {
        slot >= 0 && slot < values.count ? Int(values[slot]) : 0
    }

    /// The counter's value as of `lsn` (which must not precede the last truncation).
    func value(_ slot: Int, asOf lsn: LSN) -> Int {
        guard slot >= 0 && slot < values.count else { return 0 }
        if lastLSN[slot] <= lsn { return Int(values[slot]) }
        var sequence = lastUndo[slot]
        while true {
            let record = undo[sequence - firstSequence]
            let previous = record.previous
            if previous < firstSequence || undo[previous - firstSequence].lsn <= lsn { return Int(record.before) }
            sequence = previous
        }
    }

    // MARK: Writing

    /// Adds `delta` to the counter as part of change `lsn`.
    mutating func add(_ delta: Int, to slot: Int, at lsn: LSN) {
        grow(to: slot)
        undo.append(Undo(lsn: lsn, before: values[slot], previous: lastUndo[slot]))
        lastUndo[slot] = firstSequence + undo.count - 1
        values[slot] += Int32(delta)
        lastLSN[slot] = lsn
    }

    /// Adds `delta` without history (the initial dataset, at ``LSN/zero``).
    mutating func load(_ delta: Int, to slot: Int) {
        grow(to: slot)
        values[slot] += Int32(delta)
    }

    /// Drops undo records of changes up to and including `lsn`.
    mutating func truncate(through lsn: LSN) {
        var drop = 0
        while drop < undo.count && undo[drop].lsn <= lsn { drop += 1 }
        guard drop > 0 else { return }
        undo.removeFirst(drop)
        firstSequence += drop
    }

    /// Reserves room for counters `0..<count`.
    mutating func reserveCapacity(_ count: Int) {
        values.reserveCapacity(count)
        lastLSN.reserveCapacity(count)
        lastUndo.reserveCapacity(count)
    }

    private mutating func grow(to slot: Int) {
        precondition(slot >= 0, "VersionedCounters: negative slot")
        while values.count <= slot {
            values.append(0)
            lastLSN.append(.zero)
            lastUndo.append(-1)
        }
    }
}
