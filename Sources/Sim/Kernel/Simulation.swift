// MARK: - Models and the run loop

/// A simulation model: state plus a handler that reacts to each event by changing the state
/// and scheduling new events. A model may be noncopyable (owning its state, so the handler
/// mutates it with no copy-on-write checks).
public protocol SimulationModel: ~Copyable {
    /// Handles `event` at `scheduler.now`.
    mutating func handle<List: FutureEventList & ~Copyable>(_ event: Event, scheduler: inout EventScheduler<List>)
}

/// A model and its scheduler: `step()` handles one event, `run(until:)` a stretch of time.
/// Noncopyable when its model or future-event list is (the default ``QuaternaryHeap`` is).
public struct Simulation<Model: SimulationModel & ~Copyable, List: FutureEventList & ~Copyable>: ~Copyable {
    /// The clock and pending events.
    public var scheduler: EventScheduler<List>
    /// The model's state.
    public var model: Model

    /// A simulation of `model` at time zero.
    @inlinable
    public init(model: consuming Model, list: consuming List = List()) {
        self.model = model
        self.scheduler = EventScheduler(list: list)
    }

    /// The current simulated time.
    @inlinable public var now: SimTime { scheduler.now }

    /// Handles the next event, if any; returns whether one was handled.
    @inlinable @discardableResult
    public mutating func step() -> Bool {
        guard let event = scheduler.nextEvent() else { return false }
        model.handle(event, scheduler: &scheduler)
        return true
    }

    /// Handles every event that fires before `end`, then sets the clock to `end`. Events at
    /// exactly `end` stay pending for the next call.
    @inlinable
    public mutating func run(until end: SimTime) {
        while let event = scheduler.nextEvent(before: end) {
            model.handle(event, scheduler: &scheduler)
        }
        if end > scheduler.now { scheduler.advance(to: end) }
    }
}

extension Simulation: Copyable where Model: Copyable, List: Copyable {}
