// DatabaseReader.swift — the `database` section to a DatabaseConfiguration.

import Sim
import TaskSystem

// MARK: - DatabaseReader

/// Reads `database` over the defaults of `DatabaseConfiguration`.
enum DatabaseReader {
    /// The keys of `database`.
    static let keys = ["primary", "replica", "replicas", "replication_lag", "max_replica_lag", "query_plan",
                       "round_trip", "point_read", "list_base", "write", "list_row", "join_row",
                       "storage", "auto_upgrade", "provisioning", "cutover", "keep_old_primary", "tiers",
                       "tier_users_per_active", "tier_provision_at", "tier_schedule", "replica_apply",
                       "replica_parallel_workers"]

    /// Overrides `database` with what `value` gives.
    static func read(_ value: YAMLValue, into database: inout DatabaseConfiguration, catalog: PriceCatalog) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        map.read("primary", into: &database.primary) { instanceClass($0, in: catalog) }
        map.read("replica", into: &database.replica) { instanceClass($0, in: catalog) }
        map.read("replicas", into: &database.replicas) { $0.int(atLeast: 0, atMost: ScenarioBounds.replicas) }
        map.read("replication_lag", into: &database.replicationLag) { $0.distribution(isTime: true) }
        if let lag = map.optional("max_replica_lag")?.duration() {
            database.maxReplicaLag = lag
        }
        map.read("query_plan", into: &database.taskListPlan) {
            $0.choice(DatabaseConfiguration.QueryPlan.self, what: "query plan")
        }
        map.read("round_trip", into: &database.roundTrip) { $0.distribution(isTime: true) }
        map.read("point_read", into: &database.pointReadCost) { $0.distribution(isTime: true) }
        map.read("list_base", into: &database.listBaseCost) { $0.distribution(isTime: true) }
        map.read("write", into: &database.writeCost) { $0.distribution(isTime: true) }
        map.read("list_row", into: &database.listRowCost) { $0.nonNegativeSeconds() }
        map.read("join_row", into: &database.joinRowCost) { $0.nonNegativeSeconds() }
        if let apply = map.optional("replica_apply") {
            // A duration is a constant cost (`0`: the instant model); otherwise a distribution.
            let cost = apply.scalar != nil ? apply.nonNegativeSeconds().map(Distribution.constant)
                : apply.distribution(isTime: true)
            if let cost { database.replicaApplyCost = cost }
        }
        map.read("replica_parallel_workers", into: &database.replicaParallelWorkers) {
            $0.int(atLeast: 0, atMost: ScenarioBounds.applierWorkers)
        }
        DatabaseLimitsReader.read(map, into: &database, catalog: catalog)
    }

    /// A class of the price catalogue; an unknown name is reported with the near name, if any,
    /// and the catalogue's classes.
    static func instanceClass(_ value: YAMLValue, in catalog: PriceCatalog) -> DatabaseInstanceClass? {
        guard let name = value.string() else { return nil }
        if let known = catalog.databaseClass(named: name) { return known }
        let names = catalog.databaseClasses.map(\.instanceClass.name)
        let near = Suggestions.closest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
        value.report("unknown instance class '\(name)'\(near); the catalogue: \(names.joined(separator: ", "))")
        return nil
    }
}
