// MARK: - Deliberate defects, for the tests of the run's own path

/// Defects a test plants in one run's configuration to prove the checks around the model work:
/// the invariant roll-up, the report's "BROKEN" line and `simrun`'s exit code 3. Visible to this
/// package only (`package`), so no scenario file and no user of the libraries can set one; the
/// default plants nothing and costs nothing.
package struct TaskSystemTestHooks: Sendable, Equatable {
    /// Task writes recorded as acknowledged to a user although no task was ever written: each is
    /// an acknowledged write the primary does not hold, so the real "no acknowledged write lost"
    /// check finds exactly this many violations per replication.
    package var phantomAcknowledgedWrites = 0
    /// The read router ignores the ConsistencyManager's window: a writer's re-read of its own task
    /// goes to a replica like every other read, so under replica lag it can miss the write and the
    /// read-your-writes invariant breaks (`simrun fuzz`'s planted bug).
    package var readRouterIgnoresConsistencyWindow = false

    package init(phantomAcknowledgedWrites: Int = 0, readRouterIgnoresConsistencyWindow: Bool = false) {
        self.phantomAcknowledgedWrites = phantomAcknowledgedWrites
        self.readRouterIgnoresConsistencyWindow = readRouterIgnoresConsistencyWindow
    }
}
