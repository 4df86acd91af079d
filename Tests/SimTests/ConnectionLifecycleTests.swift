// ConnectionLifecycleTests.swift — the QueuePool lifecycle at checkout: recycle after
// `pool_recycle`, one pre-ping round trip per checkout, dead connections failing the statement
// without pre-ping and replaced with it, overflow connects, and time above 0.8 utilisation.

import Testing
@testable import Sim

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }
private let connect = sec(0.004), ping = sec(0.0005)

private final class Log<Value>: @unchecked Sendable {
    var values: [Value] = []
}

@Suite struct ConnectionLifecycleTests {
    /// One connection, recycle 100 s, no ping. Checkouts at 0 and 100 s (age exactly 100: not
    /// older) cost nothing; at 150 s (age 150) it is reopened once and the checkout takes exactly
    /// the 4 ms connect; at 200 s (age 49.996 s) nothing again.
    @Test func aConnectionOlderThanRecycleIsReopenedOnceAndPaysTheConnectCost() {
        let runtime = ProcessRuntime()
        let lifecycle = ConnectionLifecycle(recycle: sec(100), prePing: false, connectCost: connect, pingCost: ping)
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: sec(30), lifecycle: lifecycle)
        let waits = Log<SimTime>()
        runtime.spawn {
            for at in [0.0, 100, 150, 200] {
                try? await runtime.sleep(for: sec(at) - runtime.now)
                let start = runtime.now
                let connection = try? await pool.checkout()
                waits.values.append(runtime.now - start)
                pool.checkin(connection!)
            }
        }
        runtime.run(until: sec(300))
        #expect(waits.values == [0, 0, connect, 0])
        #expect(pool.counters.recycles == 1 && pool.counters.opened == 1 && pool.counters.closed == 1)
        #expect(pool.counters.pings == 0)
    }

    /// Closing the pool (its owner crashed): a waiter learns `.closed` at its timeout without a
    /// pool timeout being counted, a later checkout fails at once, and the one open connection
    /// is counted closed once.
    @Test func closingThePoolFailsWaitersWithoutCountingTimeouts() {
        let runtime = ProcessRuntime()
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: sec(30))
        let outcomes = Log<(SimTime, String)>()
        func attempt(at time: Double) {
            runtime.spawn {
                try? await runtime.sleep(for: sec(time))
                do {
                    _ = try await pool.checkout()
                    outcomes.values.append((runtime.now, "granted"))
                } catch ConnectionPoolError.closed {
                    outcomes.values.append((runtime.now, "closed"))
                } catch {
                    outcomes.values.append((runtime.now, "\(error)"))
                }
            }
        }
        attempt(at: 0)  // holds the only connection
        attempt(at: 1)  // waits
        runtime.spawn {
            try? await runtime.sleep(for: sec(5))
            pool.close()
        }
        attempt(at: 10)
        runtime.run(until: sec(60))
        #expect(outcomes.values.map(\.0) == [0, sec(10), sec(31)])
        #expect(outcomes.values.map(\.1) == ["granted", "closed", "closed"])
        #expect(pool.pool.timeoutsTotal == 0)
        #expect(pool.counters.closed == 1)
        runtime.shutdown()
    }

    /// Deferring the ping: a live connection's checkout returns at once with the ping as its
    /// pending delay (still counted); a dead one is pinged and replaced before it returns, with
    /// nothing left pending.
    @Test func aDeferredPingIsLeftToTheCallerUnlessTheConnectionIsDead() {
        let runtime = ProcessRuntime()
        let lifecycle = ConnectionLifecycle(recycle: nil, prePing: true, connectCost: connect, pingCost: ping)
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: sec(30), lifecycle: lifecycle)
        let results = Log<(SimTime, SimTime)>()
        runtime.spawn {
            for at in [1.0, 2.0] {
                try? await runtime.sleep(for: sec(at) - runtime.now)
                if at == 2 { pool.serverClosedConnections() }
                let start = runtime.now
                let connection = try! await pool.checkout(deferringPing: true)
                results.values.append((runtime.now - start, connection.pendingDelay))
                pool.checkin(connection)
            }
        }
        runtime.run(until: sec(10))
        #expect(results.values.map(\.0) == [0, ping + connect])
        #expect(results.values.map(\.1) == [ping, 0])
        #expect(pool.counters.pings == 2 && pool.counters.pingReconnects == 1)
        runtime.shutdown()
    }

    /// Pre-ping on, recycle off: five checkouts each take exactly one ping round trip.
    @Test func prePingAddsExactlyOneRoundTripPerCheckout() {
        let runtime = ProcessRuntime()
        let lifecycle = ConnectionLifecycle(recycle: nil, prePing: true, connectCost: connect, pingCost: ping)
        let pool = ConnectionPool(runtime: runtime, size: 2, maxOverflow: 0, timeout: sec(30), lifecycle: lifecycle)
        let waits = Log<SimTime>()
        runtime.spawn {
            for _ in 0..<5 {
                let start = runtime.now
                let connection = try? await pool.checkout()
                waits.values.append(runtime.now - start)
                try? await runtime.sleep(for: sec(1))
                pool.checkin(connection!)
            }
        }
        runtime.run(until: sec(100))
        #expect(waits.values == Array(repeating: ping, count: 5))
        #expect(pool.counters.pings == 5 && pool.counters.opened == 0)
    }

    /// The server closes both connections. Without pre-ping the first checkout fails after one
    /// round trip (the statement on the dead connection) and invalidates the pool; the next
    /// checkout reopens (4 ms) and works. With pre-ping the first checkout pings (fails),
    /// reopens and works: ping + connect; the second connection (idle FIFO: the other one),
    /// older than the invalidation, is reopened at its checkout without a failed ping, then
    /// pinged: connect + ping.
    @Test(arguments: [false, true])
    func aDeadConnectionFailsWithoutPrePingAndIsReplacedWithIt(prePing: Bool) {
        let runtime = ProcessRuntime()
        let lifecycle = ConnectionLifecycle(recycle: nil, prePing: prePing, connectCost: connect, pingCost: ping)
        let pool = ConnectionPool(runtime: runtime, size: 2, maxOverflow: 0, timeout: sec(30), lifecycle: lifecycle)
        let outcomes = Log<(SimTime, Bool)>()
        pool.serverClosedConnections()
        runtime.spawn {
            for _ in 0..<2 {
                let start = runtime.now
                do {
                    let connection = try await pool.checkout()
                    outcomes.values.append((runtime.now - start, true))
                    pool.checkin(connection)
                } catch {
                    #expect(error as? ConnectionPoolError == .connectionLost)
                    outcomes.values.append((runtime.now - start, false))
                }
            }
        }
        runtime.run(until: sec(10))
        if prePing {
            #expect(outcomes.values.map(\.0) == [ping + connect, connect + ping])
            #expect(outcomes.values.map(\.1) == [true, true])
            #expect(pool.counters.pingReconnects == 1 && pool.counters.invalidationReconnects == 1)
            #expect(pool.counters.connectionErrors == 0 && pool.counters.pings == 2)
        } else {
            #expect(outcomes.values.map(\.0) == [ping, connect])
            #expect(outcomes.values.map(\.1) == [false, true])
            #expect(pool.counters.connectionErrors == 1 && pool.counters.invalidationReconnects == 1)
        }
        #expect(pool.pool.checkedOut == 0 && pool.pool.checkedIn == 2)
    }

    /// Size 1, overflow 1: the second concurrent checkout opens an overflow connection and pays
    /// the connect cost; returned to a full pool, it closes.
    @Test func anOverflowConnectionPaysTheConnectCost() {
        let runtime = ProcessRuntime()
        let lifecycle = ConnectionLifecycle(recycle: nil, prePing: false, connectCost: connect, pingCost: ping)
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 1, timeout: sec(30), lifecycle: lifecycle)
        let waits = Log<SimTime>()
        for _ in 0..<2 {
            runtime.spawn {
                let connection = try? await pool.checkout()
                waits.values.append(runtime.now)
                try? await runtime.sleep(for: sec(1))
                pool.checkin(connection!)
            }
        }
        runtime.run(until: sec(10))
        #expect(waits.values == [0, connect])
        #expect(pool.counters.opened == 1 && pool.counters.closed == 1 && pool.pool.overflow == 0)
    }

    /// Size 2, no overflow: one connection out (utilisation 0.5) for 10 s, then two (1.0) for
    /// 90 s, then none: 90 s above the 0.8 warning.
    @Test func timeAboveTheUtilisationWarningIsMeasured() {
        let runtime = ProcessRuntime()
        let pool = ConnectionPool(runtime: runtime, size: 2, maxOverflow: 0, timeout: sec(30))
        runtime.spawn {
            let first = try? await pool.checkout()
            try? await runtime.sleep(for: sec(10))
            let second = try? await pool.checkout()
            try? await runtime.sleep(for: sec(90))
            pool.checkin(second!)
            pool.checkin(first!)
        }
        runtime.run(until: sec(200))
        #expect(pool.highUtilisationTime == sec(90))
    }

    /// A waiter gets the connection a checkin hands over (and its age): recycle 5 s, the holder
    /// keeps it 10 s, so the waiter's checkout reopens it.
    @Test func aHandedOverConnectionKeepsItsAge() {
        let runtime = ProcessRuntime()
        let lifecycle = ConnectionLifecycle(recycle: sec(5), prePing: false, connectCost: connect, pingCost: ping)
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: sec(30), lifecycle: lifecycle)
        let granted = Log<SimTime>()
        runtime.spawn {
            let connection = try? await pool.checkout()
            try? await runtime.sleep(for: sec(10))
            pool.checkin(connection!)
        }
        runtime.spawn {
            let connection = try? await pool.checkout()
            granted.values.append(runtime.now)
            pool.checkin(connection!)
        }
        runtime.run(until: sec(20))
        #expect(granted.values == [sec(10) + connect])
        #expect(pool.counters.recycles == 1)
    }
}
