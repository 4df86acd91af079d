import Sim

// MARK: - What a failover did

/// The outcome of a `primary-failover`'s promotion: which replica became the primary, where it
/// stood, and what the failed primary had committed beyond it (lost).
public struct FailoverOutcome: Sendable, Equatable {
    /// The replica promoted (`nil`: none was taking reads, so the failed primary itself came
    /// back after the promotion time, with every commit — InnoDB's crash recovery).
    public let promoted: Int?
    /// The promoted replica's applied position at the promotion, and the failed primary's head.
    public let position: LSN
    public let failedHead: LSN
    /// Writes committed on the failed primary after ``position``: lost, undone on the new primary.
    public let lostWrites: Int
    /// Statements refused at once while the primary was down.
    public let refusedStatements: Int
}

// MARK: - Failing the primary and promoting a replica

/// A `primary-failover` on the simulated MySQL tier, as on RDS MySQL with asynchronous read
/// replicas (or Aurora's promotion of its most advanced reader):
///
/// 1. ``failPrimary()``: the primary is down. Every statement routed to it — every write, and
///    every read the router or the ConsistencyManager sends to the primary — fails at once with
///    ``APIError/databaseUnavailable`` (500; the service code's error path runs); a statement that
///    was running on it fails with ``APIError/databaseConnectionLost``. The replicas keep
///    serving reads but stop where they stand: nothing more reaches them. A change is on a
///    replica only if it was applied by the failure — in the instant model that is everything
///    that had arrived; with `replica_apply` time, a change in the relay log but not yet
///    applied counts as lost too (RDS would apply the relay log before promoting: the loss is
///    then an upper bound).
/// 2. ``promoteMostAdvancedReplica()``, after the promotion time: the replica taking reads with
///    the largest applied position (the lowest number on a tie) becomes the primary and leaves
///    the read pool; the router's `.primary` now means it, and every client's pooled primary
///    connections are found dead at their next checkout (as after a blue-green switch). The
///    failed primary is decommissioned (paid until it failed).
/// 3. The writes the failed primary had committed beyond the promoted replica's position never
///    reached it: they are lost. The store keeps one history, so the new primary's data is made
///    what the promoted replica held — each lost change is undone, newest first, by a
///    compensating write (an update back to its before-image; an inserted row deleted) committed
///    now. The remaining replicas replay those compensations and converge on the new primary,
///    as replicas re-pointed at it would (a replica that had applied a lost write serves it until
///    the compensation reaches it). Rows are never deleted by the services, so a lost deletion
///    (which could not be re-inserted: identifiers are not reused) does not occur; were one to,
///    it is left as it is.
///
/// The tier then has one replica fewer. The database management replaces none by itself: the
/// tier table tops the replicas up to its count at its next step up (``apply(_:index:)``
/// counts the replicas in service), and nothing else adds one.
extension SimulatedDatabase {
    /// The primary fails now: statements on it fail until ``promoteMostAdvancedReplica()``.
    func failPrimary() {
        primaryDown = true
        primaryFailures += 1
    }

    /// A statement reached the primary while it was down: counted, and its error.
    func refuseOnFailedPrimary() -> APIError {
        metrics.failoverRefusedStatements += 1
        return .databaseUnavailable
    }

    /// Ends the failover begun at `failedAt`: promotes the most advanced replica taking reads
    /// (or brings the failed primary back when there is none) and undoes the lost writes; see
    /// the type's documentation. `refusedSince` is ``DatabaseMetrics/failoverRefusedStatements``
    /// at the failure.
    func promoteMostAdvancedReplica(failedAt: SimTime, refusedSince: Int) -> FailoverOutcome {
        defer { primaryDown = false }
        let head = store.primary.headLSN
        let refused = metrics.failoverRefusedStatements - refusedSince
        let candidates = replicaNodes.indices.filter { replicaServing[$0] && !store.detached[$0] }
        guard let promoted = candidates.max(by: { store.position(of: .replica($0)) < store.position(of: .replica($1)) })
        else {
            return FailoverOutcome(promoted: nil, position: head, failedHead: head, lostWrites: 0,
                                   refusedStatements: refused)
        }
        let position = store.position(of: .replica(promoted))
        let lost = undoChanges(after: position)
        metrics.failoverLostWrites += lost
        // The promoted replica leaves the read pool and replication, and takes the writes.
        let failed = primaryNode
        replicaServing[promoted] = false
        store.detachReplica(promoted)
        primaryNode = replicaNodes[promoted]
        primaryNode.dropAllConnections()
        generations[promoted + 1] += 1
        failed.dropAllConnections()
        failed.retiredAt = failedAt
        generations[0] += 1
        for pool in clientPools { pool.serverClosedConnections() }
        events.append(DatabaseEvent(time: runtime.now, kind: .switched, detail:
            "failover: replica \(promoted) (\(primaryNode.instanceClass.name)) promoted; \(lost) write(s) lost"))
        events.append(DatabaseEvent(time: runtime.now, kind: .decommissioned,
                                    detail: "\(failed.instanceClass.name) (failed primary)"))
        return FailoverOutcome(promoted: promoted, position: position, failedHead: head, lostWrites: lost,
                               refusedStatements: refused)
    }

    /// Undoes every change committed after `position`, newest first, with compensating writes
    /// committed now; returns how many changes were undone. The log still holds them: it is
    /// truncated only up to the slowest replica, and the promoted one was still replicating.
    private func undoChanges(after position: LSN) -> Int {
        let lost = Array(store.primary.log.changes(after: position, through: store.primary.headLSN))
        var undone = 0
        for change in lost.reversed() {
            let inverse: RowWrite
            switch (change.oldValue, change.newValue) {
            case (nil, _): inverse = .delete(change.key)  // an insert
            case (let old?, _?): inverse = .update(old)
            case (_?, nil): continue  // a deletion: never issued by the services; see the type's documentation
            }
            do {
                try store.apply(inverse, at: runtime.now)
                undone += 1
            } catch {
                continue  // cannot happen: each inverse restores a state the row had
            }
        }
        return undone
    }
}
