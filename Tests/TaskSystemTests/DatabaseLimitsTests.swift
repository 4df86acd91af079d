import Testing
import Sim
@testable import TaskSystem

/// A database on a tiny seeded dataset (50 users, 5 projects of 8 tasks), with constant costs.
private struct SmallDatabase {
    let runtime = ProcessRuntime()
    let database: SimulatedDatabase
    let client: DatabaseClient

    init(poolSize: Int = 10, _ configure: (inout DatabaseConfiguration) -> Void = { _ in }) {
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 50, projects: 5, tasksPerProject: 8, membersPerProject: 10, random: &random)
        var configuration = DatabaseConfiguration(
            replicationLag: .constant(0.05), replicationTick: seconds(0.01), roundTrip: .constant(0),
            pointReadCost: .constant(0.001), listBaseCost: .constant(0.001), writeCost: .constant(0.002))
        configure(&configuration)
        database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                     streams: RandomStreamFactory(rootSeed: 9))
        client = DatabaseClient(database: database,
                                pool: ConnectionPool(runtime: runtime, size: poolSize, maxOverflow: 0, timeout: seconds(300)))
    }

    /// Renames user `id` on the primary (one single-row update).
    func rename(_ id: Int, _ name: String) async throws {
        let user = database.store.primary.user(UserID(id))!
        try await client.save(.update(.user(User(id: user.id, name: name, email: user.email, role: user.role))))
    }
}

/// 1 GiB of memory: RDS's formula gives 1,073,741,824 / 12,582,880 = 85 connections.
private let tiny = DatabaseInstanceClass(name: "tiny", vCPUs: 1, memoryGiB: 1, hourlyPrice: 0.1)

@Suite struct DatabaseLimitsTests {
    /// max_connections: with 85 allowed, 86 clients' concurrent queries open 85 server
    /// connections and the 86th sees MySQL's "Too many connections".
    @Test func connectionBeyondMaxConnectionsIsRefused() {
        let db = SmallDatabase(poolSize: 200) { $0.primary = tiny }
        #expect(tiny.maxConnections == 85)
        let outcomes = Outbox<String>()
        for _ in 0..<86 {
            db.runtime.spawn {
                do {
                    _ = try await db.client.user(UserID(1), consistency: .primary)
                    outcomes.add("ok")
                } catch let error as APIError {
                    outcomes.add("\(error)")
                } catch {
                    outcomes.add("other")
                }
            }
        }
        db.runtime.run(until: seconds(10))
        db.runtime.shutdown()
        #expect(outcomes.values.filter { $0 == "ok" }.count == 85)
        #expect(outcomes.values.filter { $0 == "tooManyConnections" }.count == 1)
        #expect(db.database.primaryNode.peakConnections == 85)
        #expect(db.database.refusedConnections == 1)
        // The pool keeps its connections open (idle) after use: still 85 on the server.
        #expect(db.database.primaryNode.connections == 85)
    }

    /// IOPS: at 100 IOPS with a one-second bucket and every read missing the buffer pool, 150
    /// reads at once: the first 100 do not wait, read 100 + k waits k / 100 s.
    @Test func iopsSaturationMakesIOWaitAsTheRateImplies() {
        let db = SmallDatabase(poolSize: 200) {
            $0.primary = DatabaseInstanceClass(name: "wide", vCPUs: 200, memoryGiB: 64, hourlyPrice: 1)
            $0.storage = DatabaseStorage(provisionedIOPS: 100, bufferPoolHitRatio: 0)
        }
        let finished = Outbox<Double>()
        for _ in 0..<150 {
            db.runtime.spawn {
                _ = try? await db.client.user(UserID(1), consistency: .primary)
                finished.add(SimClock.seconds(db.runtime.now))
            }
        }
        db.runtime.run(until: seconds(10))
        db.runtime.shutdown()
        let expected = (1...150).map { 0.001 + Double(max(0, $0 - 100)) / 100 }
        #expect(finished.values.count == 150)
        for (seen, wanted) in zip(finished.values.sorted(), expected) { #expect(abs(seen - wanted) < 1e-6) }
        #expect(abs(db.database.primaryNode.ioWait - (1...50).reduce(0.0) { $0 + Double($1) / 100 }) < 1e-6)
        #expect(db.database.primaryNode.readIOs == 150)
    }

    /// Storage: with room for exactly two more rows, two inserts succeed and the third write fails.
    @Test func writeFailsWhenStorageIsFull() {
        let rowBytes = 1_073_741_824.0  // one GiB a row keeps the numbers small
        let db = SmallDatabase {
            let rows = 50 + 5 + 40
            $0.storage = DatabaseStorage(allocatedGiB: Double(rows + 2), rowBytes: rowBytes)
        }
        #expect(db.database.storage.rows == 95)
        let outcomes = Outbox<String>()
        db.runtime.spawn {
            for _ in 0..<3 {
                let id = db.database.reserveCommentID()
                let comment = Comment(id: id, task: TaskID(1), author: UserID(1), body: "x", createdAt: db.runtime.now)
                do {
                    try await db.client.save(.insert(.comment(comment)))
                    outcomes.add("ok")
                } catch let error as APIError {
                    outcomes.add("\(error)")
                } catch {
                    outcomes.add("other: \(error)")
                }
            }
        }
        db.runtime.run(until: seconds(10))
        db.runtime.shutdown()
        #expect(outcomes.values == ["ok", "ok", "storageFull"])
        #expect(db.database.metrics.storageFullWrites == 1)
        #expect(db.database.storage.usedFraction == 1)
    }
}

@Suite struct DatabaseMonitorTests {
    static func sample(cpu: Double = 10, connections: Int = 0, readIOPS: Double = 0, storage: Double = 0)
        -> DatabaseMonitorSample
    {
        DatabaseMonitorSample(cpuUtilization: cpu, connections: connections, maxConnections: 100, readIOPS: readIOPS,
                              provisionedIOPS: 1000, storageUsed: storage, storageTotal: 1)
    }

    /// CPU above 80 % fires on the 15th consecutive minute, not the 14th; 80 % itself never.
    @Test func cpuFiresAfterFifteenMinutesAboveEighty() {
        var monitor = DatabaseMonitor()
        let fourteen = (0..<14).map { _ in monitor.check(Self.sample(cpu: 81)) }
        #expect(fourteen.allSatisfy { $0 == nil })
        #expect(monitor.check(Self.sample(cpu: 81)) == .cpu)
        var atThreshold = DatabaseMonitor()
        #expect((0..<30).allSatisfy { _ in atThreshold.check(Self.sample(cpu: 80)) == nil })
        var interrupted = DatabaseMonitor()
        for _ in 0..<14 { _ = interrupted.check(Self.sample(cpu: 90)) }
        _ = interrupted.check(Self.sample(cpu: 50))
        #expect(interrupted.check(Self.sample(cpu: 90)) == nil)
    }

    /// Connections, read IOPS and storage fire just above their thresholds, not at them.
    @Test func eachThresholdFiresAboveItAndNotAtIt() {
        var monitor = DatabaseMonitor()
        #expect(monitor.check(Self.sample(connections: 80)) == nil)
        #expect(monitor.check(Self.sample(connections: 81)) == .connections)
        #expect(monitor.check(Self.sample(readIOPS: 800)) == nil)
        #expect(monitor.check(Self.sample(readIOPS: 801)) == .iops)
        #expect(monitor.check(Self.sample(storage: 0.85)) == nil)
        #expect(monitor.check(Self.sample(storage: 0.86)) == .storage)
        // The seed's order: the first reason that holds is returned.
        #expect(monitor.check(Self.sample(connections: 90, storage: 0.9)) == .connections)
    }

    /// In a run: storage above 85 % makes the minute loop record the trigger and, with
    /// auto-upgrade, start a blue-green upgrade to the next catalog class.
    @Test func storageTriggerStartsAnUpgradeToTheNextClass() {
        let db = SmallDatabase {
            $0.storage = DatabaseStorage(allocatedGiB: 100, rowBytes: 0.9 * 100 * 1_073_741_824 / 95)
            $0.autoUpgrade = true
            $0.provisioningTime = seconds(60)
        }
        db.database.startManagement { _ in 10 }
        db.runtime.run(until: seconds(200))
        db.runtime.shutdown()
        #expect(db.database.metrics.triggers == [0, 0, 0, 3])
        #expect(db.database.events.first == DatabaseEvent(time: seconds(60), kind: .trigger,
                                                          detail: "SCALE_UP: Storage nearly full",
                                                          evidence: "storage 90.0 % full > 85.0 %"))
        #expect(db.database.primaryNode.instanceClass.name == "db.r5.xlarge")
        #expect(db.database.metrics.upgrades == 1)
    }
}

@Suite struct BlueGreenUpgradeTests {
    /// The switch: the target catches up to lag 0, writes during the cut-over wait for it,
    /// writes after it run on the new class, and both instances are paid while they overlap.
    @Test func writesAfterTheSwitchGoToTheNewClassAndCostCountsTheOverlap() {
        let db = SmallDatabase {
            $0.provisioningTime = seconds(60)
            $0.cutover = seconds(5)
        }
        let old = db.database.primaryNode
        let target = DatabaseInstanceClass.named("db.r5.xlarge")!
        let writes = Outbox<(Double, Double)>()
        db.runtime.spawn {
            // One write a second from t = 1.5 to t = 100.5.
            for second in 1...100 {
                try? await db.runtime.sleep(for: max(0, seconds(Double(second) + 0.5) - db.runtime.now))
                let issued = SimClock.seconds(db.runtime.now)
                try? await db.rename(1, "v\(second)")
                writes.add((issued, SimClock.seconds(db.runtime.now)))
            }
        }
        db.runtime.spawn {
            try? await db.runtime.sleep(for: seconds(10))
            db.database.upgradePrimary(to: target)
        }
        db.runtime.run(until: seconds(120))
        db.runtime.shutdown()
        let switched = db.database.events.first { $0.kind == .switched }
        #expect(db.database.primaryNode.instanceClass == target)
        #expect(db.database.lastSwitchLag == 0)
        #expect(db.database.metrics.upgrades == 1)
        // Provisioning from t = 10 to 70, then the cut-over: lag 0 within a replication batch,
        // then 5 s of DNS switch.
        let switchTime = SimClock.seconds(switched!.time)
        #expect(switchTime >= 75 && switchTime < 75.2)
        // Writes issued during the cut-over finish after the switch. The switchover dropped the
        // pooled connection and this pool has no pre-ping: the first write that checks one out
        // afresh after the switch fails at once on the dead connection; the rest take 2 ms.
        var failedAfterSwitch = 0
        for (issued, done) in writes.values {
            if issued >= 70, issued < switchTime {
                #expect(done > switchTime)
            } else if done == issued {
                failedAfterSwitch += 1
                #expect(issued > switchTime)
            } else {
                #expect(abs(done - issued - 0.002) < 1e-9)
            }
        }
        #expect(failedAfterSwitch == 1)
        // Writes issued from t = 70.5 on (31) ended after the switch, 30 of them committed on
        // the new instance; before, it replayed the 60 writes made after its snapshot at t = 10.
        let after = writes.values.filter { $0.1 > switchTime }.count
        #expect(after == 31)
        #expect(old.writeIOs == 69)
        #expect(db.database.primaryNode.writeIOs == 30 + 60)
        // The switch closed the old primary's connections; the writer's pool reopened one on the new.
        #expect(old.connections == 0 && db.database.primaryNode.connections == 1)
        // Cost: the old primary all 120 s (kept 24 h), the new one from t = 10.
        let expected = 0.25 * 120 / 3600 + 0.50 * 110 / 3600
        #expect(abs(db.database.instanceCost(until: seconds(120)) - expected) < 1e-12)
    }
}

@Suite struct DatabaseTierTests {
    /// Crossing a tier boundary adds the tier's replicas: provisioned from a snapshot, they
    /// catch up and then take reads.
    @Test func tierSwitchAddsReplicasAtTheBoundary() {
        let large = DatabaseInstanceClass.named("db.r5.large")!
        let db = SmallDatabase {
            $0.tiers = [DatabaseTier(users: 0, primary: large, replica: large, replicas: 0),
                        DatabaseTier(users: 100, primary: large, replica: large, replicas: 2)]
            $0.tierUsersPerActive = 1
            $0.provisioningTime = seconds(60)
        }
        db.database.startManagement { $0 < seconds(150) ? 50 : 150 }
        let serving = Outbox<(Double, Int)>()
        for at in [170.0, 235.0, 245.0] {
            db.runtime.spawn {
                try? await db.runtime.sleep(for: seconds(at))
                serving.add((at, db.database.replicaServing.filter { $0 }.count))
            }
        }
        db.runtime.spawn {
            try? await db.runtime.sleep(for: seconds(200))
            try? await db.rename(2, "during provisioning")
            try? await db.runtime.sleep(for: seconds(60))
            _ = try? await db.client.user(UserID(3), consistency: .replica)
        }
        db.runtime.run(until: seconds(300))
        db.runtime.shutdown()
        // The check at t = 180 sees 150 users: tier 1, two replicas provisioned until t = 240.
        #expect(db.database.events.first { $0.kind == .tier }?.time == seconds(180))
        #expect(serving.values.map(\.1) == [0, 0, 2])
        #expect(db.database.store.replicas.count == 2)
        // They caught up with the write made while they were provisioned, and serve reads.
        #expect(db.database.store.position(of: .replica(0)) == db.database.store.primary.headLSN)
        #expect(db.database.metrics.replicaQueries.reduce(0, +) == 1)
    }

    /// Two db.r5.large replicas under a table whose next tier (from 100 users) has none, of a new
    /// class, and a load of 50 users until t = 150 s, 150 after: the check at t = 180 s retires
    /// both replicas.
    private func retiringReplicas(_ change: (inout DatabaseConfiguration) -> Void = { _ in }) -> SmallDatabase {
        let large = DatabaseInstanceClass.named("db.r5.large")!, xlarge = DatabaseInstanceClass.named("db.r5.xlarge")!
        let db = SmallDatabase {
            $0.tiers = [DatabaseTier(users: 0, primary: large, replica: large, replicas: 2),
                        DatabaseTier(users: 100, primary: large, replica: xlarge, replicas: 0)]
            $0.tierUsersPerActive = 1
            $0.replica = large  // the first tier's topology, as a run starts it
            $0.replicas = 2
            change(&$0)
        }
        db.database.startManagement { $0 < seconds(150) ? 50 : 150 }
        return db
    }

    /// A custom table whose next tier has no replicas of a new class: the old replicas are
    /// retired at the tier change, and reads go to the primary.
    @Test func aTierWithoutReplicasOfANewClassRetiresTheOldOnes() {
        let db = retiringReplicas()
        db.runtime.spawn {
            try? await db.runtime.sleep(for: seconds(200))
            _ = try? await db.client.user(UserID(3), consistency: .replica)
        }
        db.runtime.run(until: seconds(300))
        db.runtime.shutdown()
        #expect(db.database.replicaServing.filter { $0 }.isEmpty)
        #expect(db.database.events.filter { $0.kind == .decommissioned }.count == 2)
        #expect(db.database.metrics.primaryQueries == 1 && db.database.metrics.replicaQueries.reduce(0, +) == 0)
    }

    /// A statement still running on a replica when a tier change retires it fails with the
    /// connection error a deleted RDS instance gives (500), instead of reading a position the
    /// replication log no longer keeps for it.
    @Test func aReadOnAReplicaRetiredUnderItFails() {
        // A read from t = 100 s still runs at the retirement (t = 180 s).
        let db = retiringReplicas { $0.pointReadCost = .constant(100) }
        let outcome = Outbox<String>()
        db.runtime.spawn {
            try? await db.runtime.sleep(for: seconds(100))
            do {
                _ = try await db.client.user(UserID(3), consistency: .replica)
                outcome.add("read")
            } catch let error as APIError {
                outcome.add("\(error)")
            } catch {
                outcome.add("other")
            }
        }
        db.runtime.run(until: seconds(300))
        db.runtime.shutdown()
        #expect(db.database.events.first { $0.kind == .decommissioned }?.time == seconds(180))
        #expect(outcome.values == ["databaseConnectionLost"])
    }

    // MARK: Pre-provisioning

    /// The time of the first tier order with `change` applied to a two-tier table whose
    /// boundary is 100 users, under a load that grows by one user a second from 0.
    func firstTierOrder(_ change: @escaping (inout DatabaseConfiguration) -> Void) -> SimTime? {
        let large = DatabaseInstanceClass.named("db.r5.large")!
        let db = SmallDatabase {
            $0.tiers = [DatabaseTier(users: 0, primary: large, replica: large, replicas: 0),
                        DatabaseTier(users: 100, primary: large, replica: large, replicas: 1)]
            $0.tierUsersPerActive = 1
            change(&$0)
        }
        db.database.startManagement { Int($0 / SimClock.nanosecondsPerSecond) }
        db.runtime.run(until: seconds(200))
        db.runtime.shutdown()
        return db.database.events.first { $0.kind == .tier }?.time
    }

    /// The monitor checks every minute. Reactively (100 %) the load first reaches the boundary of
    /// 100 users at t = 100 s, so the check at t = 120 s orders the tier; at 50 % the order is due
    /// at 50 users (t = 50 s), so the check at t = 60 s orders it; at 150 % it is never due within
    /// 200 s … except the fraction is at most 1, so 0.4 (t = 40 s) also orders at t = 60 s and
    /// 0.2 (t = 20 s) at t = 60 s: the minute loop's resolution.
    @Test func provisionAtOrdersATierAtItsFractionOfTheBoundary() {
        #expect(firstTierOrder { _ in } == seconds(120))
        #expect(firstTierOrder { $0.tierProvisionAt = 0.5 } == seconds(60))
        #expect(firstTierOrder { $0.tierProvisionAt = 0.7 } == seconds(120))  // 70 users at t = 70 s: the check at 120 s
        #expect(firstTierOrder { $0.tierProvisionAt = 0.6 } == seconds(60))   // 60 users at t = 60 s: due at that check
    }

    /// A schedule orders the tier at the first check at or after its time, whatever the load.
    @Test func aScheduleOrdersTiersByTheClock() {
        #expect(firstTierOrder { $0.tierSchedule = [.init(time: seconds(150), tier: 1)] } == seconds(180))
        #expect(firstTierOrder { $0.tierSchedule = [.init(time: seconds(60), tier: 1)] } == seconds(60))
        // At time 0 the schedule decides the starting topology too.
        var configuration = DatabaseConfiguration()
        let large = DatabaseInstanceClass.named("db.r5.large")!
        configuration.tiers = [DatabaseTier(users: 0, primary: large, replica: large, replicas: 0),
                               DatabaseTier(users: 100, primary: large, replica: large, replicas: 3)]
        configuration.tierSchedule = [.init(time: 0, tier: 1)]
        #expect(configuration.startingTopology(activeUsers: 0).replicas == 3)
    }
}
