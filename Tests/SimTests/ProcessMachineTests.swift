import Testing
@testable import Sim

private func seconds(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

/// A state machine for tests: stage `n` runs `stages[n]`.
private final class ScriptedMachine: ProcessMachine, @unchecked Sendable {
    var stages: [(ProcessInterruption?) -> Void] = []
    func run(stage: UInt32, interruption: ProcessInterruption?) { stages[Int(stage)](interruption) }
}

/// State machines as objects (``ProcessMachine``): each wait must take exactly the place in the
/// event order that the closure step (and the process's `await`) it replaces had.
@Suite struct ProcessMachineTests {
    /// The middle of three sleepers written as a machine logs what the process and the closure
    /// steps it replaces log (`ProcessStepTests`), ties at t = 1 and t = 3 included.
    @Test func machineStageTakesThePlaceOfTheSleepItReplaces() {
        let log = threeSleepersLog { runtime, log in
            let machine = ScriptedMachine()
            machine.stages = [
                { _ in
                    log.add("b@\(SimClock.seconds(runtime.now))")
                    runtime.after(seconds(2), machine, stage: 1)
                },
                { _ in log.add("b@\(SimClock.seconds(runtime.now))") },
            ]
            runtime.spawn { runtime.after(seconds(1), machine, stage: 0) }
        }
        #expect(log == threeSleepersExpectedLog)
    }

    /// A started machine first runs where a spawned process would: behind the work spawned
    /// before it, ahead of the work spawned after it.
    @Test func startedMachineRunsWhereASpawnedProcessWouldFirstRun() {
        let runtime = ProcessRuntime()
        let log = ProcessLog()
        let machine = ScriptedMachine()
        machine.stages = [{ log.add("b\($0 == nil ? "" : "!")@\(SimClock.seconds(runtime.now))") }]
        runtime.spawn { log.add("a@\(SimClock.seconds(runtime.now))") }
        runtime.start(machine, stage: 0)
        runtime.spawn { log.add("c@\(SimClock.seconds(runtime.now))") }
        runtime.run(until: seconds(1))
        #expect(log.entries == ["a@0.0", "b@0.0", "c@0.0"])
    }

    /// A parked machine, woken, queues behind the work already runnable, as a woken process does.
    @Test func wokenMachineQueuesBehindRunnableWork() {
        let runtime = ProcessRuntime()
        let log = ProcessLog()
        let bystander = ProcessLog()
        let machine = ScriptedMachine()
        let machineToken = ProcessLog()
        machine.stages = [{ _ in log.add("machine") }]
        runtime.park({ machineToken.token = $0 }, machine, stage: 0)
        runtime.spawn {
            try? await runtime.park { bystander.token = $0 }
            log.add("bystander")
        }
        runtime.spawn {
            try? await runtime.sleep(for: seconds(1))
            log.add("waker")
            runtime.wake(bystander.token!)  // queued first
            runtime.wake(machineToken.token!)
        }
        runtime.run(until: seconds(10))
        #expect(log.entries == ["waker", "bystander", "machine"])
    }

    /// Machines holding and queueing for a server pool's servers are served in their FIFO turn
    /// among processes, with the pool's statistics of processes alone, to the bit.
    @Test func machinesAndProcessesShareAServerPoolFirstInFirstOut() {
        func run(oddAsMachines: Bool) -> (log: [String], utilization: Double, waiting: Double) {
            let runtime = ProcessRuntime()
            let station = ServerPool(runtime: runtime, servers: 1)
            let log = ProcessLog()
            var machines: [ScriptedMachine] = []
            for customer in 0..<4 {
                if oddAsMachines, customer % 2 == 1 {
                    let machine = ScriptedMachine()
                    machine.stages = [
                        { _ in station.acquire(machine, stage: 1) },
                        { _ in runtime.after(seconds(1), machine, stage: 2) },
                        { _ in
                            station.release()
                            log.add("c\(customer)@\(SimClock.seconds(runtime.now))")
                        },
                    ]
                    machines.append(machine)
                    runtime.spawn { runtime.after(seconds(Double(customer) * 0.1), machine, stage: 0) }
                } else {
                    runtime.spawn {
                        try? await runtime.sleep(for: seconds(Double(customer) * 0.1))
                        try? await station.serve(for: seconds(1))
                        log.add("c\(customer)@\(SimClock.seconds(runtime.now))")
                    }
                }
            }
            runtime.run(until: seconds(10))
            return (log.entries, station.queue.utilization(at: runtime.now), station.queue.meanQueueLength(at: runtime.now))
        }
        let processes = run(oddAsMachines: false)
        let mixed = run(oddAsMachines: true)
        #expect(processes.log == ["c0@1.0", "c1@2.0", "c2@3.0", "c3@4.0"])
        #expect(mixed.log == processes.log)
        #expect(mixed.utilization == processes.utilization)
        #expect(mixed.waiting == processes.waiting)
    }

    /// At shutdown a machine waiting for its wake-up runs its stage with `simulationEnded` and
    /// gives its server back; the machine queued for it is granted it and, waiting again, is
    /// ended in a further round (as the closure steps of `ProcessStepTests` are).
    @Test func shutdownInterruptsWaitingMachines() {
        let runtime = ProcessRuntime()
        let station = ServerPool(runtime: runtime, servers: 1)
        let log = ProcessLog()
        let holder = ScriptedMachine(), queued = ScriptedMachine()
        holder.stages = [
            { _ in station.acquire(holder, stage: 1) },
            { _ in runtime.after(seconds(50), holder, stage: 2) },
            { interruption in
                station.release()
                log.add("holder: \(interruption.map { "\($0)" } ?? "served")")
            },
        ]
        queued.stages = [
            { _ in station.acquire(queued, stage: 1) },
            { interruption in
                if let interruption { return log.add("queued: \(interruption)") }
                runtime.after(seconds(1), queued, stage: 2)  // granted when the holder is interrupted
            },
            { interruption in
                station.release()
                log.add("queued: \(interruption.map { "\($0)" } ?? "served")")
            },
        ]
        runtime.start(holder, stage: 0)
        runtime.start(queued, stage: 0)
        runtime.run(until: seconds(10))
        runtime.shutdown()
        #expect(log.entries.sorted() == ["holder: simulationEnded", "queued: simulationEnded"])
        #expect(station.queue.busy == 0)
    }
}
