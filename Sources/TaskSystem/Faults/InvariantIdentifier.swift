// MARK: - Invariant identifiers

/// The invariants every task-system run checks, by the identifiers scenarios name them with
/// (`accept: [no-acknowledged-write-lost]`) and reports print.
public enum InvariantIdentifier: String, Sendable, CaseIterable, Hashable {
    /// Every request generated was answered or is still in flight.
    case requestsConserved = "requests-conserved"
    /// Every write acknowledged to a user is on the primary at the end.
    case noAcknowledgedWriteLost = "no-acknowledged-write-lost"
    /// Every job is done, dead-lettered or still queued (duplicates counted, never lost).
    case jobsConserved = "jobs-conserved"
    /// A writer re-reading inside the consistency window sees its write.
    case readYourWrites = "read-your-writes"
}
