// MARK: - Events

/// One scheduled event: a small value type, 24 bytes, dispatched by the model with a `switch`
/// on ``kind`` — no closure, existential or reference counting per event.
///
/// Events are ordered by the key (``time``, priority, sequence): earlier time first; at equal
/// times the lower priority value first; at equal priorities first scheduled, first fired (FIFO).
/// Priority and sequence are packed into ``order`` so the key compares in two integer compares.
@frozen
public struct Event: Sendable, Equatable {
    /// When the event fires.
    public var time: SimTime
    /// Priority (high 16 bits, biased) and sequence number (low 48 bits).
    public var order: UInt64
    /// What happens: the model's own event code.
    public var kind: UInt32
    /// Whom it happens to: an index the model interprets (a station, a customer, a server…).
    public var target: UInt32

    @usableFromInline static let sequenceBits: UInt64 = 48
    @usableFromInline static let sequenceMask: UInt64 = (1 << 48) - 1

    /// Creates an event; `priority` must lie in ``EventPriority/range``.
    @inlinable
    public init(time: SimTime, priority: Int, sequence: UInt64, kind: UInt32, target: UInt32) {
        self.time = time
        self.order = EventPriority.biased(priority) << Event.sequenceBits | (sequence & Event.sequenceMask)
        self.kind = kind
        self.target = target
    }

    /// The sequence number the scheduler gave the event (unique within a run).
    @inlinable public var sequence: UInt64 { order & Event.sequenceMask }

    /// The event's priority: lower values fire first among events at the same time.
    @inlinable public var priority: Int { Int(order >> Event.sequenceBits) - EventPriority.bias }

    /// Whether `self` fires before `other`: the (time, priority, sequence) key order.
    @inlinable @inline(__always)
    public func precedes(_ other: Event) -> Bool {
        time < other.time || (time == other.time && order < other.order)
    }
}

/// Priorities of events that fire at the same simulated time.
public enum EventPriority {
    /// The default priority.
    public static let normal = 0
    /// The allowed priorities; lower values fire first.
    public static let range = -32_768...32_767
    @usableFromInline static let bias = 32_768

    @inlinable @inline(__always)
    static func biased(_ priority: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: priority + bias) & 0xFFFF
    }
}

/// A handle to a scheduled event, used to cancel it.
public struct EventHandle: Sendable, Hashable {
    /// The event's time.
    public let time: SimTime
    /// The event's sequence number.
    public let sequence: UInt64

    @inlinable
    init(time: SimTime, sequence: UInt64) {
        self.time = time
        self.sequence = sequence
    }
}
