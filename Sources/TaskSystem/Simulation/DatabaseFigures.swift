import Sim

// MARK: - The database tier's summary metrics

/// The `db.*` metrics of the limits, the monitor and the upgrades (see `docs/metrics.md`):
/// refusals after the warm-up; peaks, triggers and upgrades over the whole run.
struct DatabaseFigures {
    let metrics: [(String, Double)]

    init(_ database: SimulatedDatabase, start: MeasurementSnapshot, end: MeasurementSnapshot) {
        let figures = database.metrics
        let instances = database.instances
        var list: [(String, Double)] = [
            ("db.connections.max", Double(instances.map(\.peakConnections).max() ?? 0)),
            ("db.connections.utilization.max", instances.map {
                Double($0.peakConnections) / Double($0.maxConnections) }.max() ?? 0),
            ("db.connections.refused", Double(end.refusedConnections - start.refusedConnections)),
            ("db.iops.max", figures.peakIOPS),
            ("db.iops.utilization.max", figures.peakIOPSUtilization),
            ("db.io.wait", instances.reduce(0) { $0 + $1.ioWait }),
            ("db.storage.used_fraction", database.storage.usedFraction),
            ("db.writes.storage_full", Double(end.storageFullWrites - start.storageFullWrites)),
            ("db.monitor.triggers", Double(figures.triggers.reduce(0, +))),
        ]
        for (index, reason) in DatabaseScalingReason.allCases.enumerated() {
            list.append(("db.monitor.triggers.\(reason.rawValue)", Double(figures.triggers[index])))
        }
        list.append(("db.upgrades", Double(figures.upgrades)))
        list.append(("db.primary.vcpus", Double(database.primaryNode.instanceClass.vCPUs)))
        list.append(("db.replicas", Double(database.replicaServing.reduce(0) { $0 + ($1 ? 1 : 0) })))
        metrics = list
    }
}
