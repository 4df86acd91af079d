import Testing
import Sim
@testable import TaskSystem

/// The database statement as an explicit state machine (``DatabaseStatement``): hand-computed
/// completion times, and the same event order as the `async` statement it replaced.
@Suite struct DatabaseStatementTests {
    /// Four statements issued at t = 0 on a primary of 2 cores with a 10-IOPS volume (10 tokens):
    /// round trip 4 ms (2 ms each way), 10 ms of core each. At t = 0.002 all four arrive, in the
    /// order issued: A and B take 4 I/Os each (10 → 2 tokens, no wait) and both cores; C's 4 I/Os
    /// leave the bucket 2 in debt, 0.2 s at 10 IOPS, so C waits until 0.202; D needs no I/O and
    /// queues for a core. At 0.012 A and B finish (their data read then), A's core passes to D
    /// (0.012–0.022); C takes a free core at 0.202 (0.202–0.212). Each caller wakes 2 ms after
    /// its statement's completion.
    @Test func statementsCompleteAtTheHandComputedTimes() {
        let bench = StatementBench()
        let log = bench.run(suspending: false)
        #expect(log == [
            "A read@0.012", "B read@0.012", "A back@0.014", "B back@0.014",
            "D read@0.022", "D back@0.024", "C read@0.212", "C back@0.214",
        ])
        #expect(bench.lastDatabase!.metrics.primaryQueries == 4)
        #expect(bench.lastDatabase!.primaryNode.ioWait == 0.2)
    }

    /// The same statements, with bystander processes waking at every stage's instant (ties in
    /// simulated time), give the same log, the same number of events and the same core-pool
    /// statistics to the bit as the `async` statement the state machine replaced.
    @Test func stageOrderMatchesTheSuspendingStatement() {
        let reference = StatementBench(bystanders: true)
        let referenceLog = reference.run(suspending: true)
        let machine = StatementBench(bystanders: true)
        let machineLog = machine.run(suspending: false)
        #expect(machineLog == referenceLog)
        #expect(machineLog.count == 8 + 6 * 3)
        #expect(machine.events == reference.events)
        let (before, after) = (reference.lastDatabase!.primaryNode.cpu.queue, machine.lastDatabase!.primaryNode.cpu.queue)
        #expect(after.utilization(at: seconds(1)) == before.utilization(at: seconds(1)))
        #expect(after.meanQueueLength(at: seconds(1)) == before.meanQueueLength(at: seconds(1)))
    }

    /// A statement whose data access throws fails at its completion (no return trip), and its
    /// caller goes on before the work the released core made runnable — as the error of the
    /// `async` statement went straight up its caller's stack.
    @Test func failingStatementHandsControlBackAtOnce() {
        let reference = StatementBench(failing: "A")
        let machine = StatementBench(failing: "A")
        let expected = machine.run(suspending: false)
        #expect(expected == reference.run(suspending: true))
        #expect(expected.first == "A failed@0.012")
        let retry = expected.firstIndex(of: "A after failure@0.022")
        let grantedCore = expected.firstIndex(of: "D read@0.022")
        #expect(retry != nil && grantedCore != nil && retry! < grantedCore!)
        #expect(machine.lastDatabase!.metrics.primaryQueries == 3)
    }
}

/// A small primary and four statements (A–D, see the first test), run either through
/// ``SimulatedDatabase/execute(on:cost:ios:write:lead:_:)`` or through the `async` statement as
/// it was written before the state machine (``SimulatedDatabase/executeSuspending``).
private final class StatementBench: @unchecked Sendable {
    let bystanders: Bool
    let failing: String?
    private(set) var lastDatabase: SimulatedDatabase?
    private(set) var events = 0

    init(bystanders: Bool = false, failing: String? = nil) {
        self.bystanders = bystanders
        self.failing = failing
    }

    struct Injected: Error {}

    func run(suspending: Bool) -> [String] {
        let runtime = ProcessRuntime()
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 10, projects: 1, tasksPerProject: 2, random: &random)
        var configuration = DatabaseConfiguration(primary: DatabaseInstanceClass.named("db.r5.large")!,
                                                  roundTrip: .constant(0.004))
        configuration.storage = DatabaseStorage(provisionedIOPS: 10)
        let database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                         streams: RandomStreamFactory(rootSeed: 1))
        lastDatabase = database
        let log = Outbox<String>()
        let stamp = Stamper(runtime: runtime, log: log)
        for (name, ios) in [("A", 4.0), ("B", 4.0), ("C", 4.0), ("D", 0.0)] {
            runtime.spawn { [failing] in
                let body: () throws -> Int = {
                    if name == failing { throw Injected() }
                    stamp("\(name) read")
                    return 1
                }
                do {
                    if suspending {
                        _ = try await database.executeSuspending(on: .primary, cost: 0.010, ios: ios, body)
                    } else {
                        _ = try await database.execute(on: .primary, cost: 0.010, ios: ios, body)
                    }
                    stamp("\(name) back")
                } catch {
                    stamp("\(name) failed")
                    // A stage's length after the failure: ties with D's core at 0.022, so
                    // whether A's caller went on before D's grant shows in the order.
                    try? await runtime.sleep(for: seconds(0.010))
                    stamp("\(name) after failure")
                }
            }
        }
        if bystanders {
            // Processes waking at the instants the stages do, some spawned before the
            // statements' first stage and some after, so ties go both ways.
            for at in [0.002, 0.012, 0.014, 0.022, 0.202, 0.212] {
                runtime.spawn {
                    try? await runtime.sleep(for: seconds(at))
                    stamp("x")
                    try? await runtime.sleep(for: 0)
                    stamp("y")
                    try? await runtime.sleep(for: 0)
                    stamp("z")
                }
            }
        }
        runtime.run(until: seconds(1))
        events = runtime.scheduler.eventsHandled
        runtime.shutdown()
        return log.values
    }
}

/// Logs `text@now`.
private struct Stamper: @unchecked Sendable {
    let runtime: ProcessRuntime
    let log: Outbox<String>

    func callAsFunction(_ text: String) { log.add("\(text)@\(SimClock.seconds(runtime.now))") }
}

extension SimulatedDatabase {
    /// The statement as an `async` function, as it was written before ``DatabaseStatement``
    /// (one suspension per stage): the reference the state machine must match.
    func executeSuspending<Result>(on node: StoreNode, cost: Double, ios: Double, write: Bool = false,
                                   lead: SimTime = 0, _ body: () throws -> Result) async throws -> Result {
        let failures = primaryFailures
        if primaryDown, node == .primary { throw refuseOnFailedPrimary() }
        let trip = configuration.roundTrip.sample(&costStream)
        try await runtime.sleep(for: SimClock.adding(lead, to: SimClock.time(seconds: trip / 2)))
        let server = instance(of: node)
        let wait = server.requestIO(ios, at: runtime.now, write: write)
        if wait > 0 { try await runtime.sleep(for: SimClock.time(seconds: wait)) }
        try await server.cpu.serve(for: SimClock.time(seconds: cost))
        if case .replica(let index) = node, store.detached[index] { throw APIError.databaseConnectionLost }
        if node == .primary, failures != primaryFailures { throw APIError.databaseConnectionLost }
        let result = try body()
        metrics.count(on: node)
        try await runtime.sleep(for: SimClock.time(seconds: trip / 2))
        return result
    }
}
