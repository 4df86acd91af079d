// MARK: - Future-event list

/// The pending events of a simulation, ordered by ``Event/precedes(_:)``.
///
/// Implementations must be value types whose operations allocate only when they grow, so that
/// the engine's hot loop stays free of allocation and reference counting. They may be
/// noncopyable (``QuaternaryHeap`` is: it owns its storage, so it needs no copy-on-write check).
/// Every implementation runs the same test suite (`FutureEventListConformanceTests`).
public protocol FutureEventList: ~Copyable, Sendable {
    /// An empty list.
    init()
    /// The number of pending events.
    var count: Int { get }
    /// Adds an event.
    mutating func insert(_ event: Event)
    /// Removes and returns the earliest event, or `nil` when the list is empty.
    mutating func removeFirst() -> Event?
    /// The earliest event without removing it.
    var first: Event? { get }
}

extension FutureEventList where Self: ~Copyable {
    /// Whether no events are pending.
    @inlinable public var isEmpty: Bool { count == 0 }
}
