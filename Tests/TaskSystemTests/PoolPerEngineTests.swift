import Testing
import Sim
@testable import TaskSystem

// MARK: - A pool per engine (issue 11 item 7)

/// The seed's router holds a connection per database; in SQLAlchemy each database URL is its own
/// `Engine`, and "the Engine … maintains a pool of connections" (a `QueuePool` by default:
/// https://docs.sqlalchemy.org/en/20/core/pooling.html), so a process behind the router has one
/// pool per database. Here: a primary and 2 replicas, 1 s point reads, pools of 1 connection
/// without overflow and a 0.5 s `pool_timeout`; at t = 0 one primary read and three replica
/// reads (routed round robin: replica 0, replica 1, replica 0).
@Suite struct PoolPerEngineTests {
    private static func run(perEngine: Bool) -> (outcomes: [String], peaks: [Int], timeouts: Int, pools: Int) {
        let runtime = ProcessRuntime()
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 10, projects: 1, tasksPerProject: 2, random: &random)
        var configuration = DatabaseConfiguration(replicas: 2, replicationLag: .constant(0), roundTrip: .constant(0),
                                                  pointReadCost: .constant(1))
        configuration.replicaApplyCost = .constant(0)
        let database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                         streams: RandomStreamFactory(rootSeed: 1))
        let makePool = { ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: seconds(0.5)) }
        let client = perEngine ? DatabaseClient(database: database, poolPerEngine: makePool)
            : DatabaseClient(database: database, pool: makePool())
        let outcomes = Outbox<String>()
        for consistency in [ReadConsistency.primary, .replica, .replica, .replica] {
            runtime.spawn {
                do {
                    _ = try await client.user(UserID(1), consistency: consistency)
                    outcomes.add("ok")
                } catch ProcessInterruption.timedOut {
                    outcomes.add("timeout")
                } catch {
                    outcomes.add("\(error)")
                }
            }
        }
        runtime.run(until: seconds(5))
        runtime.shutdown()
        let peaks = [database.primaryNode] + database.replicaNodes
        return (outcomes.values.sorted(), peaks.map(\.peakConnections), client.poolTimeouts, client.pools.count)
    }

    /// Per engine: the primary read and the first read on each replica run at once; the second
    /// read on replica 0 waits for its pool's one connection (held 1 s) and times out at 0.5 s.
    /// Each database sees one connection from this process.
    @Test func eachDatabaseHasItsOwnPool() {
        let run = Self.run(perEngine: true)
        #expect(run.pools == 3)
        #expect(run.outcomes == ["ok", "ok", "ok", "timeout"])
        #expect(run.timeouts == 1)
        #expect(run.peaks == [1, 1, 1])
    }

    /// One pool for every database: the first read holds the only connection for 1 s, the three
    /// others time out at 0.5 s, whatever database they were going to.
    @Test func oneSharedPoolServesOneQueryAtATime() {
        let run = Self.run(perEngine: false)
        #expect(run.pools == 1)
        #expect(run.outcomes == ["ok", "timeout", "timeout", "timeout"])
        #expect(run.timeouts == 3)
        #expect(run.peaks.reduce(0, +) == 1)
    }
}
