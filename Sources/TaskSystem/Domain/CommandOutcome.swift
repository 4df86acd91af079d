// CommandOutcome.swift — the result of a successful command: the new value and its events.

// MARK: - CommandOutcome

/// What a successful command produces: the value to store and the events to publish.
///
/// A command that changes nothing (e.g. setting the status a task already has) succeeds with
/// the unchanged value and no events; ``changed`` is then `false` and nothing need be written.
public struct CommandOutcome<Value: Hashable & Sendable>: Hashable, Sendable {
    /// The entity after the command.
    public let value: Value
    /// The events, in the order they happened.
    public let events: [DomainEvent]

    /// Creates an outcome.
    public init(value: Value, events: [DomainEvent]) {
        self.value = value
        self.events = events
    }

    /// Whether the command changed anything.
    public var changed: Bool { !events.isEmpty }
}
