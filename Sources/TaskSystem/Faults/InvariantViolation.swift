import Sim

// MARK: - A broken invariant, for the report

/// The first violation of one invariant in one replication: which invariant, when (simulated
/// time), the entities involved, how many violations there were, and whether the scenario
/// declared it an accepted loss (`accept:`).
public struct InvariantViolation: Sendable, Equatable {
    public let invariant: InvariantIdentifier
    /// The replication it happened in (1-based).
    public let replication: Int
    /// Simulated time of the first violation (invariants checked only at the end of the run —
    /// conservation, lost writes — carry the end of the run).
    public let time: SimTime
    /// The users, tasks, jobs or request counts involved, in words.
    public let entities: String
    /// Violations in the replication.
    public let violations: Int
    /// Whether the scenario accepts this invariant's violations as a declared, counted loss.
    public let accepted: Bool

    public init(invariant: InvariantIdentifier, replication: Int, time: SimTime, entities: String, violations: Int,
                accepted: Bool) {
        self.invariant = invariant
        self.replication = replication
        self.time = time
        self.entities = entities
        self.violations = violations
        self.accepted = accepted
    }
}
