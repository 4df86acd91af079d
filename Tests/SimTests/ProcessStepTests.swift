import Testing
@testable import Sim

private func seconds(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

// MARK: - Three sleepers, the middle one in any style

/// What ``threeSleepersLog(middle:)`` logs when the middle sleeper keeps the others' times.
let threeSleepersExpectedLog = ["a@1.0", "b@1.0", "c@1.0", "a@3.0", "b@3.0", "c@3.0"]

/// Three sleepers, each sleeping 1 s, logging, sleeping 2 s, logging: "a" and "c" as processes,
/// "b" started by `middle` between them (in whatever style is under test); the log of a run
/// until t = 10.
func threeSleepersLog(middle: (ProcessRuntime, ProcessLog) -> Void) -> [String] {
    let runtime = ProcessRuntime()
    let log = ProcessLog()
    func sleeper(_ name: String) {
        runtime.spawn {
            try? await runtime.sleep(for: SimClock.time(seconds: 1))
            log.add("\(name)@\(SimClock.seconds(runtime.now))")
            try? await runtime.sleep(for: SimClock.time(seconds: 2))
            log.add("\(name)@\(SimClock.seconds(runtime.now))")
        }
    }
    sleeper("a")
    middle(runtime, log)
    sleeper("c")
    runtime.run(until: SimClock.time(seconds: 10))
    return log.entries
}

/// Explicit state machines on the run loop (``ProcessStep``): each step must take exactly the
/// place in the event order that the process's `await` it replaces had.
@Suite struct ProcessStepTests {
    /// A step scheduled with `after` runs at its time, between processes exactly where a process
    /// sleeping the same duration from the same point would have resumed.
    @Test func stepTakesThePlaceOfTheSleepItReplaces() {
        // The middle of three sleepers written once as a process and once as a chain of steps:
        // the logs must be identical, ties at t = 1 and t = 3 included.
        let asProcess = threeSleepersLog { runtime, log in
            runtime.spawn {
                try? await runtime.sleep(for: seconds(1))
                log.add("b@\(SimClock.seconds(runtime.now))")
                try? await runtime.sleep(for: seconds(2))
                log.add("b@\(SimClock.seconds(runtime.now))")
            }
        }
        let asSteps = threeSleepersLog { runtime, log in
            runtime.spawn {
                runtime.after(seconds(1)) { _ in
                    log.add("b@\(SimClock.seconds(runtime.now))")
                    runtime.after(seconds(2)) { _ in log.add("b@\(SimClock.seconds(runtime.now))") }
                }
            }
        }
        #expect(asProcess == threeSleepersExpectedLog)
        #expect(asSteps == threeSleepersExpectedLog)
    }

    /// A state machine started with `start` first runs where a process spawned at the same
    /// point would: behind the processes spawned before it, before those spawned after, at the
    /// instant it was started (also when started by a running process mid-run).
    @Test func startedStepRunsWhereASpawnedProcessWouldFirstRun() {
        func run(middleAsStep: Bool) -> [String] {
            let runtime = ProcessRuntime()
            let log = ProcessLog()
            @Sendable func middle() {
                if middleAsStep {
                    runtime.start { interruption in log.add("b\(interruption == nil ? "" : "!")@\(SimClock.seconds(runtime.now))") }
                } else {
                    runtime.spawn { log.add("b@\(SimClock.seconds(runtime.now))") }
                }
            }
            runtime.spawn { log.add("a@\(SimClock.seconds(runtime.now))") }
            middle()
            runtime.spawn {
                log.add("c@\(SimClock.seconds(runtime.now))")
                try? await runtime.sleep(for: seconds(2))
                runtime.spawn { log.add("d@\(SimClock.seconds(runtime.now))") }
                middle()
                log.add("c@\(SimClock.seconds(runtime.now))")
                runtime.spawn { log.add("e@\(SimClock.seconds(runtime.now))") }
            }
            runtime.spawn {
                try? await runtime.sleep(for: seconds(2))
                log.add("f@\(SimClock.seconds(runtime.now))")
            }
            runtime.run(until: seconds(10))
            runtime.shutdown()
            return log.entries
        }
        let expected = ["a@0.0", "b@0.0", "c@0.0", "c@2.0", "d@2.0", "b@2.0", "e@2.0", "f@2.0"]
        #expect(run(middleAsStep: false) == expected)
        #expect(run(middleAsStep: true) == expected)
    }

    /// A woken step joins the FIFO of runnable work behind what is already there, as a woken
    /// process does; `wakeNext` puts a process first.
    @Test func wokenStepQueuesBehindRunnableWorkAndWakeNextGoesFirst() {
        func run(finishingWithWakeNext: Bool) -> [String] {
            let runtime = ProcessRuntime()
            let log = ProcessLog()
            let waiter = ProcessLog()
            let bystander = ProcessLog()
            runtime.spawn {
                try? await runtime.park { waiter.token = $0 }
                log.add("waiter")
            }
            runtime.spawn {
                try? await runtime.park { bystander.token = $0 }
                log.add("bystander")
            }
            runtime.spawn {
                runtime.after(seconds(1)) { _ in
                    log.add("step")
                    runtime.wake(bystander.token!)  // queued first
                    if finishingWithWakeNext { runtime.wakeNext(waiter.token!) } else { runtime.wake(waiter.token!) }
                }
            }
            runtime.run(until: seconds(10))
            return log.entries
        }
        #expect(run(finishingWithWakeNext: false) == ["step", "bystander", "waiter"])
        #expect(run(finishingWithWakeNext: true) == ["step", "waiter", "bystander"])
    }

    /// A step waiting in a server pool's queue is served in its FIFO turn among processes; the
    /// pool's statistics are the same as with processes alone.
    @Test func stepsAndProcessesShareAServerPoolFirstInFirstOut() {
        func run(oddAsSteps: Bool) -> (log: [String], utilization: Double) {
            let runtime = ProcessRuntime()
            let station = ServerPool(runtime: runtime, servers: 1)
            let log = ProcessLog()
            for customer in 0..<4 {
                if oddAsSteps, customer % 2 == 1 {
                    runtime.spawn {
                        runtime.after(seconds(Double(customer) * 0.1)) { _ in
                            station.serve(for: seconds(1)) { _ in log.add("c\(customer)@\(SimClock.seconds(runtime.now))") }
                        }
                    }
                } else {
                    runtime.spawn {
                        try? await runtime.sleep(for: seconds(Double(customer) * 0.1))
                        try? await station.serve(for: seconds(1))
                        log.add("c\(customer)@\(SimClock.seconds(runtime.now))")
                    }
                }
            }
            runtime.run(until: seconds(10))
            return (log.entries, station.queue.utilization(at: runtime.now))
        }
        let processes = run(oddAsSteps: false)
        let mixed = run(oddAsSteps: true)
        #expect(processes.log == ["c0@1.0", "c1@2.0", "c2@3.0", "c3@4.0"])
        #expect(mixed.log == processes.log)
        #expect(mixed.utilization == processes.utilization)
    }

    /// At shutdown a step waiting for its wake-up or for a server gets `simulationEnded`, and a
    /// server it held is released first.
    @Test func shutdownInterruptsWaitingSteps() {
        let runtime = ProcessRuntime()
        let station = ServerPool(runtime: runtime, servers: 1)
        let log = ProcessLog()
        runtime.spawn {
            station.serve(for: seconds(50)) { log.add("holder: \($0.map { "\($0)" } ?? "served")") }
            station.serve(for: seconds(1)) { log.add("queued: \($0.map { "\($0)" } ?? "served")") }
        }
        runtime.run(until: seconds(10))
        runtime.shutdown()
        #expect(log.entries.sorted() == ["holder: simulationEnded", "queued: simulationEnded"])
        #expect(station.queue.busy == 0)
    }
}
