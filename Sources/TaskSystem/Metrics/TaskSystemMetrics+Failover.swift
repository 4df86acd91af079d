import Sim

// MARK: - Failover metrics

extension TaskSystemMetrics {
    /// What `primary-failover` faults cost the database tier: measured only in runs whose fault
    /// plan has one (runs without keep byte-identical summaries).
    static let failover: [MetricDeclaration] = [
        MetricDeclaration("db.failover.lost_writes", .counter, .count, window: .wholeRun, section: .database,
                          "committed writes a `primary-failover` lost: committed on the failed primary after the promoted replica's applied position, so never on the new primary (undone there, as asynchronous replication loses them). Their acknowledged task writes are the `no-acknowledged-write-lost` invariant's violations. Only in runs with a `primary-failover` fault",
                          measuredIf: hasFailover) {
            [Double($0.world.database.metrics.failoverLostWrites)]
        },
        MetricDeclaration("db.failover.refused_statements", .counter, .count, window: .wholeRun, section: .database,
                          "statements refused at once because the primary was down (a `primary-failover`'s promotion time: every write, and every read routed to the primary, fails with 500). Only in runs with a `primary-failover` fault",
                          measuredIf: hasFailover) {
            [Double($0.world.database.metrics.failoverRefusedStatements)]
        },
    ]

    /// Whether `configuration`'s fault plan fails the primary over.
    @Sendable static func hasFailover(_ configuration: TaskSystemConfiguration) -> Bool {
        configuration.faults.faults.contains { $0.kind == .primaryFailover }
    }
}
