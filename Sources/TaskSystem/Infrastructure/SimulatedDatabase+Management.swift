import Sim

// MARK: - Running the database tier over time

/// The minute loop of the database tier: the seed's `DatabaseMonitor` on the primary, the
/// resulting blue-green upgrades (``DatabaseConfiguration/autoUpgrade``), and the tier table
/// (``DatabaseConfiguration/tiers``) followed as the load grows.
extension SimulatedDatabase {
    /// Starts the minute loop. `users` gives the load profile's active users at a time (the
    /// tier table is keyed by `users × tierUsersPerActive`).
    public func startManagement(users: @escaping @Sendable (SimTime) -> Int) {
        runtime.spawn { [self] in
            var monitor = DatabaseMonitor()
            var lastIOs: [Double] = []
            var lastBusy = 0.0
            var lastReadIOs = 0.0
            var monitored = ObjectIdentifier(primaryNode)
            var tier = configuration.tierIndex(activeUsers: users(runtime.now), at: runtime.now)
            let interval = configuration.monitorInterval
            let minutes = SimClock.seconds(interval)
            while true {
                do {
                    try await runtime.sleep(for: interval)
                } catch {
                    return
                }
                let now = runtime.now
                // Peaks of every instance in service over the last interval.
                while lastIOs.count < instances.count { lastIOs.append(0) }
                for (index, node) in instances.enumerated() {
                    let total = node.readIOs + node.writeIOs
                    let rate = (total - lastIOs[index]) / minutes
                    lastIOs[index] = total
                    metrics.peakIOPS = max(metrics.peakIOPS, rate)
                    metrics.peakIOPSUtilization = max(metrics.peakIOPSUtilization, rate / node.iops.rate)
                }
                // The seed's monitor, on the primary.
                let primary = primaryNode
                if ObjectIdentifier(primary) != monitored {
                    monitored = ObjectIdentifier(primary)
                    monitor.primaryChanged()
                    lastBusy = 0
                    lastReadIOs = 0
                }
                let busy = primary.cpu.queue.busyLevel.area(at: SimClock.seconds(now))
                let sample = DatabaseMonitorSample(
                    cpuUtilization: 100 * (busy - lastBusy) / (Double(primary.instanceClass.vCPUs) * minutes),
                    connections: primary.connections, maxConnections: primary.maxConnections,
                    readIOPS: (primary.readIOs - lastReadIOs) / minutes, provisionedIOPS: primary.iops.rate,
                    storageUsed: storage.usedBytes, storageTotal: storage.allocatedBytes)
                lastBusy = busy
                lastReadIOs = primary.readIOs
                if let reason = monitor.check(sample) {
                    metrics.triggers[DatabaseScalingReason.allCases.firstIndex(of: reason)!] += 1
                    events.append(DatabaseEvent(time: now, kind: .trigger, detail: reason.message, evidence: sample.evidence(for: reason)))
                    if configuration.autoUpgrade, !upgrading, let next = nextClass(after: primary.instanceClass) {
                        upgradePrimary(to: next)
                    }
                }
                // The tier table: only upwards, one change at a time.
                if !configuration.tiers.isEmpty, !upgrading, !changingReplicas {
                    let target = configuration.tierIndex(activeUsers: users(now), at: now)
                    if target > tier {
                        tier = target
                        apply(configuration.tiers[target], index: target)
                    }
                }
            }
        }
    }

    /// The class after `current` on the upgrade ladder, if any.
    func nextClass(after current: DatabaseInstanceClass) -> DatabaseInstanceClass? {
        let ladder = configuration.upgradeLadder
        guard let index = ladder.firstIndex(where: { $0.name == current.name }), index + 1 < ladder.count else { return nil }
        return ladder[index + 1]
    }

    // MARK: Tiers

    /// Moves the topology to `tier`: a blue-green upgrade when its primary is bigger, and
    /// replicas added (same class) or replaced (new class: the new ones serve first, then the
    /// old ones are retired).
    func apply(_ tier: DatabaseTier, index: Int) {
        events.append(DatabaseEvent(time: runtime.now, kind: .tier, detail:
            "tier \(index): \(tier.primary.name) + \(tier.replicas)× \(tier.replica.name) from \(tier.users) users"))
        if tier.primary.vCPUs > primaryNode.instanceClass.vCPUs {  // tiers only ever grow the primary
            upgradePrimary(to: tier.primary)
        }
        let serving = replicaNodes.indices.filter { replicaServing[$0] }
        let sameClass = tier.replica == replicaClass
        let added = sameClass ? max(0, tier.replicas - serving.count) : tier.replicas
        if !sameClass, tier.replicas == 0 {  // a tier without replicas of a new class: the old ones go
            replicaClass = tier.replica
            for replica in serving { retireReplica(replica) }
            return
        }
        guard added > 0 else { return }
        replicaClass = tier.replica
        changingReplicas = true
        let fresh = (0..<added).map { _ in addReplica(of: tier.replica) }
        runtime.spawn { [self] in
            do {
                try await runtime.sleep(for: configuration.provisioningTime)
                for replica in fresh { startReplication(of: replica) }
                // Caught up: every change committed by the end of provisioning applied.
                let target = store.primary.headLSN
                for replica in fresh {
                    while store.position(of: .replica(replica)) < target {
                        try await runtime.sleep(for: configuration.replicationTick)
                    }
                    replicaServing[replica] = true
                    events.append(DatabaseEvent(time: runtime.now, kind: .replicaInService,
                                                detail: "replica \(replica) (\(replicaNodes[replica].instanceClass.name))"))
                }
                if !sameClass { for replica in serving { retireReplica(replica) } }
                changingReplicas = false
            } catch {
                return
            }
        }
    }

    /// A new replica instance of `instanceClass`, created from a snapshot of the primary now and
    /// not yet replicating nor serving; returns its number.
    func addReplica(of instanceClass: DatabaseInstanceClass) -> Int {
        let node = DatabaseNode(runtime: runtime, instanceClass: instanceClass, iops: configuration.storage.iops)
        instances.append(node)
        let replica = store.addReplica()
        replicaNodes.append(node)
        replicaServing.append(false)
        generations.append(0)
        metrics.replicaQueries.append(0)
        lagStreams.append(streams.stream(named: "database.replica\(replica).lag"))
        events.append(DatabaseEvent(time: runtime.now, kind: .provisioning, detail: "replica \(replica) (\(instanceClass.name))"))
        return replica
    }

    /// Takes replica `replica` out of service and decommissions it.
    func retireReplica(_ replica: Int) {
        replicaServing[replica] = false
        store.detachReplica(replica)
        replicaNodes[replica].retiredAt = runtime.now
        replicaNodes[replica].dropAllConnections()
        generations[replica + 1] += 1
        events.append(DatabaseEvent(time: runtime.now, kind: .decommissioned,
                                    detail: "replica \(replica) (\(replicaNodes[replica].instanceClass.name))"))
    }

    // MARK: Blue-green

    /// The seed's downtime-free scaling, in simulated time: (1) create the `target` instance (paid
    /// from now), from a snapshot of the primary; (2) after ``DatabaseConfiguration/provisioningTime``
    /// it replicates from the primary and catches up (its I/O at its IOPS) with writes flowing;
    /// (3) writes stop (they wait at ``commit(_:)``) and, once the writes in flight have
    /// committed, the target applies the rest until its lag is 0; (4) the
    /// DNS switch takes ``DatabaseConfiguration/cutover``, then the target is the primary and
    /// the waiting writes go to it; (5)–(6) the old primary is kept, and paid, for
    /// ``DatabaseConfiguration/keepOldPrimary``, then decommissioned.
    func upgradePrimary(to target: DatabaseInstanceClass) {
        upgrading = true
        let green = addReplica(of: target)
        runtime.spawn { [self] in
            do {
                try await runtime.sleep(for: configuration.provisioningTime)
                startReplication(of: green)
                // Catch up with writes flowing: everything committed by the end of provisioning.
                let provisioned = store.primary.headLSN
                while store.position(of: .replica(green)) < provisioned {
                    try await runtime.sleep(for: configuration.replicationTick)
                }
                blockedWriters = []
                events.append(DatabaseEvent(time: runtime.now, kind: .cutoverStarted, detail: target.name))
                while writesInFlight > 0 || store.position(of: .replica(green)) < store.primary.headLSN {
                    try await runtime.sleep(for: configuration.replicationTick)
                }
                lastSwitchLag = store.lag(of: .replica(green), now: runtime.now)
                try await runtime.sleep(for: configuration.cutover)
                let old = primaryNode
                store.detachReplica(green)
                primaryNode = replicaNodes[green]
                old.dropAllConnections()
                old.retiredAt = runtime.now + configuration.keepOldPrimary
                generations[0] += 1
                // The switchover drops the application's connections (RDS closes them): every
                // pooled connection is found dead at its next checkout — replaced after the
                // pre-ping, or failing its statement without it.
                for pool in clientPools { pool.serverClosedConnections() }
                metrics.upgrades += 1
                events.append(DatabaseEvent(time: runtime.now, kind: .switched,
                                            detail: "\(old.instanceClass.name) → \(target.name)"))
                let waiting = blockedWriters ?? []
                blockedWriters = nil
                for writer in waiting { _ = runtime.wake(writer) }
                upgrading = false
                try await runtime.sleep(for: configuration.keepOldPrimary)
                events.append(DatabaseEvent(time: runtime.now, kind: .decommissioned, detail: old.instanceClass.name))
            } catch {
                return
            }
        }
    }
}
