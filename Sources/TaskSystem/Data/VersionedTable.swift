// VersionedTable.swift — one table's rows in a dense array, with the LSN of each row's last change.

import Sim

// MARK: - VersionedTable

/// The latest rows of one table, indexed by primary key, plus each row's last-change LSN.
///
/// Identifiers are dense and start at 1 (slot 0 is unused), so a row is one array access away.
/// Reads "as of" an older LSN fall back to the replication log's version chain only for rows
/// changed after that LSN.
struct VersionedTable<Row: StoredRow>: Sendable {
    /// A row (or its absence) and the LSN of its last change (``LSN/zero`` if seeded or never written).
    struct Slot: Sendable {
        var row: Row?
        var lastLSN: LSN
    }

    // MARK: State

    /// Slots by identifier; slot 0 is unused.
    private(set) var slots: [Slot] = [Slot(row: nil, lastLSN: .zero)]
    /// The number of rows that exist now.
    private(set) var liveCount = 0
    /// The highest identifier handed out by ``reserveID()`` or used by an insert.
    private(set) var highestReservedID = 0

    // MARK: Reading

    /// The row's latest value.
    @inline(__always)
    func latest(_ id: Int) -> Row? {
        id > 0 && id < slots.count ? slots[id].row : nil
    }

    /// The row as of `lsn`, using `log` for rows changed after it.
    @inline(__always)
    func row(_ id: Int, asOf lsn: LSN, log: ReplicationLog) -> Row? {
        guard id > 0 && id < slots.count else { return nil }
        if slots[id].lastLSN <= lsn { return slots[id].row }
        return log.value(asOf: lsn, latestChange: slots[id].lastLSN).flatMap(Row.init)
    }

    /// Whether the row existed as of `lsn` (cheaper than ``row(_:asOf:log:)`` when only
    /// existence matters: no row is copied on the fast path).
    @inline(__always)
    func exists(_ id: Int, asOf lsn: LSN, log: ReplicationLog) -> Bool {
        guard id > 0 && id < slots.count else { return false }
        if slots[id].lastLSN <= lsn { return slots[id].row != nil }
        return log.value(asOf: lsn, latestChange: slots[id].lastLSN) != nil
    }

    /// The LSN of the row's last change (``LSN/zero`` if never changed since seeding).
    func lastLSN(_ id: Int) -> LSN {
        id > 0 && id < slots.count ? slots[id].lastLSN : .zero
    }

    /// Whether `id` may be inserted: positive, not beyond the reserved identifiers (or the next
    /// one), and never used before — identifiers are not reused after a delete, like
    /// `AUTO_INCREMENT`; the as-of index reads rely on it.
    func isValidNewID(_ id: Int) -> Bool {
        guard id > 0 && id <= Swift.max(highestReservedID, slots.count - 1) + 1 else { return false }
        return id >= slots.count || (slots[id].row == nil && slots[id].lastLSN == .zero)
    }

    // MARK: Writing

    /// Hands out the next unused identifier.
    mutating func reserveID() -> Int {
        highestReservedID = Swift.max(highestReservedID, slots.count - 1) + 1
        return highestReservedID
    }

    /// Sets the row's latest value, committed at `lsn`; returns the LSN of its previous change.
    mutating func set(_ id: Int, to row: Row?, at lsn: LSN) -> LSN {
        // Appending grows the array geometrically. (Reserving `2 × count` here reallocated and
        // copied the whole table on every insert: `reserveCapacity` takes the request literally.)
        while slots.count <= id { slots.append(Slot(row: nil, lastLSN: .zero)) }
        highestReservedID = Swift.max(highestReservedID, id)
        let previous = slots[id].lastLSN
        if slots[id].row == nil { liveCount += row == nil ? 0 : 1 } else if row == nil { liveCount -= 1 }
        slots[id] = Slot(row: row, lastLSN: lsn)
        return previous
    }

    /// Reserves room for `count` more rows (seeding).
    mutating func reserveCapacity(_ count: Int) {
        slots.reserveCapacity(slots.count + count)
    }

    /// Appends `row`, whose identifier must be the next one, as part of the initial dataset.
    mutating func load(_ row: Row) {
        precondition(row.rowID == slots.count, "VersionedTable: seeded identifiers must be dense")
        slots.append(Slot(row: row, lastLSN: .zero))
        liveCount += 1
        highestReservedID = Swift.max(highestReservedID, row.rowID)
    }
}
