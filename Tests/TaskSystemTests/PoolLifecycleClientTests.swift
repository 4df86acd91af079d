// PoolLifecycleClientTests.swift — the repository's view of a dead connection: without
// pre-ping the query fails (a 500 the request sees), with it the connection is replaced and the
// query answers.

import Sim
import Testing
@testable import TaskSystem

@Suite struct PoolLifecycleClientTests {
    @Test(arguments: [false, true])
    func aQueryOnAConnectionTheServerClosed(prePing: Bool) {
        let base = World(replicas: 0, lag: 0)
        var lifecycle = ConnectionLifecycle.seed
        lifecycle.prePing = prePing
        let client = DatabaseClient(database: base.database,
                                    pool: ConnectionPool(runtime: base.runtime, size: 1, maxOverflow: 0,
                                                         timeout: seconds(30), lifecycle: lifecycle))
        let results = Outbox<Result<Bool, APIError>>()
        client.pool.serverClosedConnections()
        base.runtime.spawn {
            do {
                results.add(.success(try await client.task(TaskID(1), consistency: .primary) != nil))
            } catch let error as APIError {
                results.add(.failure(error))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        base.runtime.run(until: seconds(1))
        #expect(results.values == [prePing ? .success(true) : .failure(.databaseConnectionLost)])
        #expect(APIError.databaseConnectionLost.isServerError)
        #expect(client.pool.counters.pingReconnects == (prePing ? 1 : 0))
        #expect(client.pool.counters.connectionErrors == (prePing ? 0 : 1))
    }
}
