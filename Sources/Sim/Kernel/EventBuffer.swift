// MARK: - Contiguous event storage, uniquely owned

/// A growable contiguous array of events addressed through a raw pointer, owned by exactly one
/// value: the type is noncopyable (`~Copyable`), so the allocation has a single owner, writes
/// need no copy-on-write uniqueness check, and `deinit` frees it.
///
/// `Array` would do, but its accessors (`withUnsafeMutableBufferPointer`'s closure, per-write
/// uniqueness checks) did not fully inline into the engine's hot loop; a copy-on-write buffer
/// of our own still paid one `isKnownUniquelyReferenced` runtime call per insert and removal.
/// Ownership makes both unnecessary; measured on the M/M/1 benchmark in `docs/performance.md`.
@frozen
public struct EventBuffer: ~Copyable, @unchecked Sendable {
    /// The first element (valid up to ``count``); owned by this buffer.
    @usableFromInline var base: UnsafeMutablePointer<Event>
    /// The number of events the allocation holds.
    @usableFromInline var capacity: Int
    /// The number of events stored.
    @usableFromInline var storedCount: Int

    /// An empty buffer with room for `capacity` events.
    @inlinable
    public init(capacity: Int = 16) {
        self.capacity = Swift.max(capacity, 1)
        base = .allocate(capacity: self.capacity)
        storedCount = 0
    }

    deinit {
        base.deinitialize(count: storedCount)
        base.deallocate()
    }

    /// The number of events stored.
    @inlinable public var count: Int { storedCount }

    /// The event at `index` (0 ≤ index < count).
    @inlinable
    public subscript(index: Int) -> Event {
        @inline(__always) get {
            assert(index >= 0 && index < storedCount, "EventBuffer index out of range")  // debug builds only
            return base[index]
        }
        @inline(__always) set {
            assert(index >= 0 && index < storedCount, "EventBuffer index out of range")
            base[index] = newValue
        }
    }

    /// Makes room for at least `minimumCapacity` events (doubling), keeping the stored ones.
    @inlinable @inline(__always)
    public mutating func reserve(minimumCapacity: Int) {
        if _slowPath(minimumCapacity > capacity) {
            grow(to: Swift.max(minimumCapacity, capacity * 2))
        }
    }

    @usableFromInline
    mutating func grow(to newCapacity: Int) {
        let fresh = UnsafeMutablePointer<Event>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: base, count: storedCount)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }

    /// Appends `event` (after ``reserve(minimumCapacity:)`` with room for it).
    @inlinable @inline(__always)
    public mutating func appendReserved(_ event: Event) {
        assert(storedCount < capacity, "EventBuffer.appendReserved without reserve(minimumCapacity:)")
        (base + storedCount).initialize(to: event)
        storedCount += 1
    }

    /// Removes and returns the last event (`count` > 0).
    @inlinable @inline(__always)
    public mutating func removeLast() -> Event {
        precondition(storedCount > 0, "removeLast from an empty EventBuffer")
        storedCount -= 1
        return (base + storedCount).move()
    }
}
