// MARK: - Scheduler

/// The clock and the future-event list of one simulation run.
///
/// Models receive the scheduler `inout` while they handle an event and schedule what follows
/// from it. Everything here is `@inlinable` so that the hot loop specialises in the model's
/// module: generic engine code called unspecialised across modules runs several times slower.
///
/// Cancelling is lazy: a cancelled event stays in the list and is skipped when it comes up, so
/// cancellation costs nothing on the hot path of runs that never cancel.
///
/// The scheduler owns its list: with a noncopyable list (``QuaternaryHeap``) it is noncopyable
/// too, and is passed `inout`, never copied; with a copyable list it is an ordinary value.
public struct EventScheduler<List: FutureEventList & ~Copyable>: ~Copyable, Sendable {
    /// The current simulated time: the time of the event being handled.
    @inlinable public var now: SimTime { clock }
    @usableFromInline var clock: SimTime
    @usableFromInline var list: List
    @usableFromInline var nextSequence: UInt64
    @usableFromInline var cancelled: Set<UInt64>
    /// Events handled so far (cancelled ones excluded).
    @inlinable public var eventsHandled: Int { handledCount }
    @usableFromInline var handledCount: Int

    /// A scheduler at time zero with `list` as its (normally empty) future-event list.
    @inlinable
    public init(list: consuming List = List()) {
        self.clock = 0
        self.list = list
        self.nextSequence = 0
        self.cancelled = []
        self.handledCount = 0
    }

    /// The number of events pending, including cancelled ones not yet skipped.
    @inlinable public var pendingCount: Int { list.count }

    // MARK: Scheduling

    /// Schedules an event at absolute time `time` (not before ``now``).
    @inlinable @inline(__always) @discardableResult
    public mutating func schedule(at time: SimTime, kind: UInt32, target: UInt32 = 0,
                                  priority: Int = EventPriority.normal) -> EventHandle {
        precondition(time >= now, "cannot schedule in the past: \(time) < now \(now)")
        let sequence = nextSequence
        nextSequence &+= 1
        list.insert(Event(time: time, priority: priority, sequence: sequence, kind: kind, target: target))
        return EventHandle(time: time, sequence: sequence)
    }

    /// Schedules an event `delay` after ``now`` (`delay` ≥ 0), saturating at `SimTime.max`.
    @inlinable @inline(__always) @discardableResult
    public mutating func schedule(after delay: SimTime, kind: UInt32, target: UInt32 = 0,
                                  priority: Int = EventPriority.normal) -> EventHandle {
        schedule(at: SimClock.adding(delay, to: now), kind: kind, target: target, priority: priority)
    }

    /// Cancels a pending event. Cancelling an event that already fired is a no-op when its
    /// time has passed; callers must not cancel an event that fired at the current instant.
    @inlinable
    public mutating func cancel(_ handle: EventHandle) {
        if handle.time >= now { cancelled.insert(handle.sequence) }
    }

    // MARK: Advancing

    /// Removes the next live event that fires before `limit`, advances ``now`` to its time and
    /// returns it; `nil` (with ``now`` unchanged) when there is none.
    @inlinable @inline(__always)
    public mutating func nextEvent(before limit: SimTime = .max) -> Event? {
        while let event = list.removeFirst() {
            if event.time >= limit {
                list.insert(event)
                return nil
            }
            if !cancelled.isEmpty, cancelled.remove(event.sequence) != nil { continue }
            clock = event.time
            handledCount &+= 1
            return event
        }
        return nil
    }

    /// Moves the clock forward to `time` without handling events (used at the end of a run).
    @inlinable
    public mutating func advance(to time: SimTime) {
        precondition(time >= now, "time cannot go back")
        clock = time
    }
}

extension EventScheduler: Copyable where List: Copyable {}
