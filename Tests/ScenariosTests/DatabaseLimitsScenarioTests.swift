// DatabaseLimitsScenarioTests.swift — `database.storage`, the blue-green keys and `database.tiers`:
// defaults, every key read, and errors with positions and key paths.

import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite("Database limits, upgrades and tiers in scenarios")
struct DatabaseLimitsScenarioTests {
    @Test func omittedKeysKeepTheDefaults() throws {
        let database = try Fixture.taskSystem("kind: task-system\nname: x\n").configuration.database
        #expect(database.storage == DatabaseStorage())
        #expect(database.storage.type == .gp3 && database.storage.allocatedGiB == 100 && database.storage.iops == 3000)
        #expect(database.storage.rowBytes == 1024 && database.storage.bufferPoolHitRatio == 0.99)
        #expect(database.storage.rowsPerPage == 16 && database.storage.writeIOs == 1)
        #expect(!database.autoUpgrade && database.tiers.isEmpty && database.tierUsersPerActive == 10)
        #expect(database.provisioningTime == SimClock.time(seconds: 600))
        #expect(database.cutover == SimClock.time(seconds: 5))
        #expect(database.keepOldPrimary == SimClock.time(seconds: 86_400))
    }

    @Test func everyKeyIsRead() throws {
        let database = try Fixture.taskSystem("""
            kind: task-system
            name: x
            database:
              storage: {type: gp2, allocated_gib: 200, row_size: 2KiB, buffer_pool_hit_ratio: 0.95, rows_per_page: 8, write_ios: 2}
              auto_upgrade: true
              provisioning: 15m
              cutover: 30s
              keep_old_primary: 1h
              tiers: seed
              tier_users_per_active: 5
            """).configuration.database
        #expect(database.storage == DatabaseStorage(type: .gp2, allocatedGiB: 200, rowBytes: 2048, bufferPoolHitRatio: 0.95,
                                                    rowsPerPage: 8, writeIOs: 2))
        #expect(database.storage.iops == 600)  // gp2: 3 IOPS per GiB
        #expect(database.autoUpgrade && database.tierUsersPerActive == 5)
        #expect(database.provisioningTime == SimClock.time(seconds: 900) && database.cutover == SimClock.time(seconds: 30))
        #expect(database.keepOldPrimary == SimClock.time(seconds: 3600))
        #expect(database.tiers == DatabaseTier.seed)
    }

    @Test func provisionedIOPSAndAnExplicitTierTable() throws {
        let database = try Fixture.taskSystem("""
            kind: task-system
            name: x
            database:
              storage: {type: io1, iops: 5000}
              tiers:
                - {users: 0, primary: db.r5.large}
                - {users: 2000, primary: db.r5.xlarge, replica: db.r5.large, replicas: 1}
            """).configuration.database
        #expect(database.storage.iops == 5000)
        let large = DatabaseInstanceClass.named("db.r5.large")!, xlarge = DatabaseInstanceClass.named("db.r5.xlarge")!
        #expect(database.tiers == [DatabaseTier(users: 0, primary: large, replica: large, replicas: 0),
                                   DatabaseTier(users: 2000, primary: xlarge, replica: large, replicas: 1)])
        // The starting topology is the tier of the load at time 0 (100 users × 10 = 1,000: tier 0).
        #expect(database.startingTopology(activeUsers: 100).primary == large)
        #expect(database.startingTopology(activeUsers: 200).replicas == 1)
    }

    @Test func badValuesAreReportedWithPositionsAndKeyPaths() throws {
        let errors = try Fixture.errors("""
            kind: task-system
            name: x
            database:
              storage: {type: sata, allocated_gib: 0, buffer_pool_hit_ratio: 1.5, rows_per_page: 0, write_ios: -1, iopz: 3}
              auto_upgrade: maybe
              provisioning: soon
              tier_users_per_active: 0
              tiers: fastest
            """)
        #expect(errors == [
            "4:19: database.storage.type: unknown volume type 'sata'; allowed: gp2, gp3, io1",
            "4:40: database.storage.allocated_gib: must be greater than 0, got 0.0",
            "4:66: database.storage.buffer_pool_hit_ratio: a probability must be between 0 and 1, got 1.5",
            "4:86: database.storage.rows_per_page: too small (min 1), got 0",
            "4:100: database.storage.write_ios: must not be negative, got -1.0",
            "4:104: database.storage.iopz: unknown key 'iopz'; did you mean 'iops'?",
            "5:17: database.auto_upgrade: expected true or false, got the string \"maybe\"",
            "6:17: database.provisioning: \"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\"",
            "7:26: database.tier_users_per_active: must be greater than 0, got 0.0",
            "8:10: database.tiers: unknown tier table 'fastest'; allowed: seed",
        ])
    }

    @Test func preProvisioningReadsAFractionOrASchedule() throws {
        let percent = try Fixture.taskSystem("kind: task-system\nname: x\ndatabase: {tiers: seed, tier_provision_at: 80%}")
        #expect(percent.configuration.database.tierProvisionAt == 0.8)
        let fraction = try Fixture.taskSystem("kind: task-system\nname: x\ndatabase: {tiers: seed, tier_provision_at: 0.5}")
        #expect(fraction.configuration.database.tierProvisionAt == 0.5)
        let schedule = try Fixture.taskSystem("""
            kind: task-system
            name: x
            database:
              tiers: seed
              tier_schedule: [{at: 10m, tier: 1}, {at: 20m, tier: 3}]
            """)
        #expect(schedule.configuration.database.tierSchedule == [.init(time: 600 * SimClock.nanosecondsPerSecond, tier: 1),
                                                                 .init(time: 1_200 * SimClock.nanosecondsPerSecond, tier: 3)])
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {tier_provision_at: 80%}")
                == ["3:31: database.tier_provision_at: needs 'tiers': it says when the tier table's tiers are ordered"])
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {tiers: seed, tier_provision_at: 120%}")
                == ["3:44: database.tier_provision_at: must be a fraction of the tier's boundary above 0 and at most 1 (or 1 % … 100 %), got 120%"])
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {tiers: seed, tier_provision_at: 0.8, tier_schedule: [{at: 1m, tier: 1}]}")
                == ["3:44: database.tier_provision_at: cannot be given with 'tier_schedule': order tiers by the load or by the clock, not both"])
        let order = try Fixture.errors("kind: task-system\nname: x\ndatabase: {tiers: seed, tier_schedule: [{at: 5m, tier: 2}, {at: 4m, tier: 3}, {at: 9m, tier: 4}]}")
        #expect(order.count == 2)
        #expect(order[0].contains("each order must come later and name a higher tier than the one before (tier 2 at 300.0 s)"))
        #expect(order[1].contains("database.tier_schedule[2].tier: too large (max 3), got 4"))
    }

    @Test func badTierTablesAreReported() throws {
        let errors = try Fixture.errors("""
            kind: task-system
            name: x
            database:
              primary: db.r5.large
              storage: {type: io1}
              tiers:
                - {users: 10, primary: db.r5.large, replicas: -1}
                - {users: 5, primary: db.r5.huge, replica_count: 2}
            """)
        #expect(errors == [
            "5:12: database.storage: an io1 volume needs 'iops' (its provisioned IOPS)",
            "7:15: database.tiers[0].users: the first tier must start at 0 users, got 10",
            "7:51: database.tiers[0].replicas: too small (min 0), got -1",
            "8:27: database.tiers[1].primary: unknown instance class 'db.r5.huge'; the catalogue: db.t3.medium, db.m5.large, db.m5.xlarge, db.m5.2xlarge, db.m5.4xlarge, db.r5.large, db.r5.xlarge, db.r5.2xlarge, db.r5.4xlarge, db.r5.8xlarge, db.r6g.large, db.r6g.xlarge, db.r6g.2xlarge, db.r6g.4xlarge",
            "8:39: database.tiers[1].replica_count: unknown key 'replica_count'; allowed keys: users, primary, replica, replicas",
        ])
        let order = try Fixture.errors("""
            kind: task-system
            name: x
            database:
              tiers: [{users: 0, primary: db.r5.large}, {users: 0, primary: db.r5.xlarge}]
            """)
        #expect(order == ["4:53: database.tiers[1].users: tiers must be in increasing 'users', got 0 after 0"])
        let both = try Fixture.errors("""
            kind: task-system
            name: x
            database:
              replicas: 2
              tiers: seed
            """)
        #expect(both == ["4:13: database.replicas: cannot be given with 'tiers': the tier table sets the topology"])
    }
}
