// MARK: - Contiguous event storage with copy-on-write

/// A growable contiguous array of events addressed through a raw pointer, with value
/// semantics by copy-on-write.
///
/// `Array` would do, but its accessors (`withUnsafeMutableBufferPointer`'s closure, per-write
/// uniqueness checks) did not fully inline into the engine's hot loop; measured, this buffer
/// made the 4-ary heap markedly faster on the M/M/1 benchmark. One uniqueness check per
/// mutating operation remains, as in `Array`.
@frozen
public struct EventBuffer: @unchecked Sendable {
    /// Owns the allocation; freed when the last copy of the buffer goes away.
    @usableFromInline
    final class Allocation {
        @usableFromInline let base: UnsafeMutablePointer<Event>
        @usableFromInline let capacity: Int

        @usableFromInline
        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    @usableFromInline var allocation: Allocation
    /// The first element (valid up to ``count``).
    @usableFromInline var base: UnsafeMutablePointer<Event>
    /// The number of events stored.
    @inlinable public var count: Int { storedCount }
    @usableFromInline var storedCount: Int

    /// An empty buffer with room for `capacity` events.
    @inlinable
    public init(capacity: Int = 16) {
        allocation = Allocation(capacity: max(capacity, 1))
        base = allocation.base
        storedCount = 0
    }

    /// The event at `index` (0 ≤ index < count).
    @inlinable
    public subscript(index: Int) -> Event {
        @inline(__always) get { base[index] }
        @inline(__always) nonmutating set { base[index] = newValue }
    }

    /// Makes the storage unique and large enough for `minimumCapacity` events; call before writes.
    @inlinable @inline(__always)
    public mutating func prepareForWriting(minimumCapacity: Int) {
        if _slowPath(!isKnownUniquelyReferenced(&allocation) || minimumCapacity > allocation.capacity) {
            reallocate(capacity: Swift.max(minimumCapacity, allocation.capacity * 2))
        }
    }

    @usableFromInline
    mutating func reallocate(capacity: Int) {
        let fresh = Allocation(capacity: capacity)
        fresh.base.initialize(from: base, count: count)
        allocation = fresh
        base = fresh.base
    }

    /// Appends `event` (after ``prepareForWriting(minimumCapacity:)`` with room for it).
    @inlinable @inline(__always)
    public mutating func appendPrepared(_ event: Event) {
        (base + count).initialize(to: event)
        storedCount += 1
    }

    /// Removes and returns the last event (after ``prepareForWriting(minimumCapacity:)``).
    @inlinable @inline(__always)
    public mutating func removeLastPrepared() -> Event {
        storedCount -= 1
        return (base + storedCount).move()
    }
}
