import Testing
@testable import Sim

/// A log shared by the processes of one test run (confined to the simulation's thread).
final class ProcessLog: @unchecked Sendable {
    var entries: [String] = []
    var token: WakeToken?
    func add(_ entry: String) { entries.append(entry) }
}

private func seconds(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

@Suite struct ProcessRuntimeTests {
    @Test func processesSleepInSimulatedTimeAndInterleaveDeterministically() {
        let runtime = ProcessRuntime()
        let log = ProcessLog()
        for name in ["a", "b"] {
            runtime.spawn {
                for step in 0..<3 {
                    try? await runtime.sleep(for: name == "a" ? seconds(2) : seconds(3))
                    log.add("\(name)\(step)@\(SimClock.seconds(runtime.now))")
                }
            }
        }
        runtime.run(until: seconds(100))
        // At t = 6 both wake: "b" scheduled its wake-up first (at t = 3, "a" at t = 4), so
        // ties break first-scheduled, first-run.
        #expect(log.entries == ["a0@2.0", "b0@3.0", "a1@4.0", "b1@6.0", "a2@6.0", "b2@9.0"])
        #expect(runtime.liveProcesses == 0)
        #expect(runtime.now == seconds(100))
    }

    /// A process woken inside its own `park` (before it has suspended) runs straight on: Swift
    /// resumes a continuation resumed that early without a task switch, so it goes on ahead of
    /// the process spawned after it (what `ConnectionPool.checkout` relies on to skip the park
    /// when a connection is free: the order is the same either way).
    @Test func parkWokenInsideItsRegistrationRunsStraightOn() {
        let runtime = ProcessRuntime()
        let log = ProcessLog()
        runtime.spawn {
            log.add("a parks")
            try? await runtime.park { runtime.wake($0) }
            log.add("a goes on")
        }
        runtime.spawn { log.add("b") }
        runtime.run(until: seconds(1))
        #expect(log.entries == ["a parks", "a goes on", "b"])
    }

    @Test func shutdownInterruptsParkedProcesses() {
        let runtime = ProcessRuntime()
        let log = ProcessLog()
        runtime.spawn {
            do {
                try await runtime.sleep(for: seconds(50))
                log.add("woke")
            } catch {
                log.add("\(error)")
            }
        }
        runtime.run(until: seconds(10))
        #expect(runtime.liveProcesses == 1)
        runtime.shutdown()
        #expect(log.entries == ["simulationEnded"])
        #expect(runtime.liveProcesses == 0)
    }

    @Test func staleWakeUpsAreIgnored() {
        let runtime = ProcessRuntime()
        let log = ProcessLog()
        runtime.spawn {
            try? await runtime.park { token in
                log.token = token
                runtime.scheduleWake(token, at: seconds(5))
                runtime.scheduleWake(token, at: seconds(7))  // a second, now stale, wake-up
            }
            log.add("first@\(SimClock.seconds(runtime.now))")
        }
        runtime.run(until: seconds(10))
        #expect(log.entries == ["first@5.0"])
        #expect(runtime.wake(log.token!) == false)
    }
}

@Suite struct ServerPoolTests {
    @Test func serversServeFirstInFirstOut() {
        let runtime = ProcessRuntime()
        let station = ServerPool(runtime: runtime, servers: 2)
        let log = ProcessLog()
        for customer in 0..<4 {
            runtime.spawn {
                try? await runtime.sleep(for: seconds(Double(customer) * 0.1))
                try? await station.serve(for: seconds(1))
                log.add("c\(customer)@\(SimClock.seconds(runtime.now))")
            }
        }
        runtime.run(until: seconds(10))
        // Two servers: c0 and c1 finish at 1.0 and 1.1; c2 and c3 start then and finish at 2.0, 2.1.
        #expect(log.entries == ["c0@1.0", "c1@1.1", "c2@2.0", "c3@2.1"])
        #expect(station.queue.busy == 0 && station.queue.waiting == 0)
        // Busy-server area: 4 services of 1 s over 10 s, on 2 servers → utilisation 0.2.
        #expect(abs(station.queue.utilization(at: runtime.now) - 0.2) < 1e-12)
    }

    @Test func priorityLevelsOvertakeAtTheServer() {
        let runtime = ProcessRuntime()
        let station = ServerPool(runtime: runtime, servers: 1, discipline: .priority(levels: 2))
        let log = ProcessLog()
        let arrivals: [(name: String, at: Double, level: Int)] = [("busy", 0, 1), ("low", 0.1, 1), ("high", 0.2, 0)]
        for arrival in arrivals {
            runtime.spawn {
                try? await runtime.sleep(for: seconds(arrival.at))
                try? await station.serve(for: seconds(1), level: arrival.level)
                log.add(arrival.name)
            }
        }
        runtime.run(until: seconds(10))
        #expect(log.entries == ["busy", "high", "low"])
    }
}

@Suite struct ConnectionPoolTests {
    /// A checkout that finds a free connection goes straight on without parking (the census
    /// counts no wait at the pool), ahead of the work already runnable, as it did when it parked
    /// and was woken inside the park; one that finds none parks once and runs where the
    /// checkin's wake-up puts it: behind the releasing process.
    @Test func grantedCheckoutGoesOnWithoutParking() {
        let census = SuspensionCensus()
        let runtime = ProcessRuntime(census: census)
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: seconds(30))
        let log = ProcessLog()
        for (name, hold) in [("a", 1.0), ("b", 0.0)] {
            runtime.spawn {
                log.add("\(name) asks@\(SimClock.seconds(runtime.now))")
                guard let connection = try? await pool.checkout() else { return log.add("\(name) failed") }
                log.add("\(name) holds@\(SimClock.seconds(runtime.now))")
                if hold > 0 { try? await runtime.sleep(for: seconds(hold)) }
                pool.checkin(connection)
                log.add("\(name) returned@\(SimClock.seconds(runtime.now))")
            }
        }
        runtime.run(until: seconds(10))
        runtime.shutdown()
        #expect(log.entries == ["a asks@0.0", "a holds@0.0", "b asks@0.0", "a returned@1.0", "b holds@1.0",
                                "b returned@1.0"])
        let parks = census.counts.filter { $0.key.hasPrefix("park Sim/ConnectionPool.swift") }.values.reduce(0, +)
        #expect(parks == 1, "only b's checkout waited")
        #expect(pool.pool.grantedTotal == 2 && pool.pool.timeoutsTotal == 0)
    }

    /// The seed's QueuePool with pool_size 1, max_overflow 0, pool_timeout 30 s: a second
    /// request while the only connection is held for 100 s times out after exactly 30 s.
    @Test func secondRequestTimesOutAfterExactlyPoolTimeout() {
        let runtime = ProcessRuntime()
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: seconds(30))
        let log = ProcessLog()
        runtime.spawn {
            _ = try? await pool.checkout()
            try? await runtime.sleep(for: seconds(100))
            pool.checkin()
        }
        runtime.spawn {
            try? await runtime.sleep(for: seconds(1))
            do {
                try await pool.checkout()
                log.add("granted")
            } catch {
                log.add("\(error)@\(runtime.now)")
            }
        }
        runtime.run(until: seconds(200))
        #expect(log.entries == ["timedOut@\(seconds(31))"])
        #expect(pool.pool.timeoutsTotal == 1)
        #expect(pool.pool.checkedOut == 0)
    }

    @Test func waiterGrantedBeforeItsTimeoutIsNotTimedOut() {
        let runtime = ProcessRuntime()
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 0, timeout: seconds(30))
        let log = ProcessLog()
        runtime.spawn {
            _ = try? await pool.checkout()
            try? await runtime.sleep(for: seconds(10))
            pool.checkin()
        }
        runtime.spawn {
            try? await runtime.sleep(for: seconds(1))
            do {
                try await pool.checkout()
                log.add("granted@\(SimClock.seconds(runtime.now))")
                pool.checkin()
            } catch {
                log.add("\(error)")
            }
        }
        runtime.run(until: seconds(200))
        #expect(log.entries == ["granted@10.0"])
        #expect(pool.pool.timeoutsTotal == 0)
    }

    @Test func overflowConnectionsServeSpikes() {
        let runtime = ProcessRuntime()
        let pool = ConnectionPool(runtime: runtime, size: 1, maxOverflow: 1, timeout: seconds(30))
        let log = ProcessLog()
        for name in ["a", "b", "c"] {
            runtime.spawn {
                do {
                    try await pool.checkout()
                    log.add("\(name)@\(SimClock.seconds(runtime.now))")
                    try await runtime.sleep(for: seconds(5))
                    pool.checkin()
                } catch {
                    log.add("\(name) \(error)")
                }
            }
        }
        runtime.run(until: seconds(100))
        #expect(log.entries == ["a@0.0", "b@0.0", "c@5.0"])
        #expect(pool.pool.overflowOpenedTotal == 1)
    }
}
