import Sim

// MARK: - What a process's suspension costs

/// The C reference's closed model written three ways on simrun's engine, so that one command
/// tells what a simulated process's suspension costs against the C loop, next to the cost of
/// the same model as plain events and as explicit state machines:
///
/// - **kernel**: ``ClosedQueueModel`` on the event scheduler (what `des_ref.c` does);
/// - **processes**: each user a Swift task on ``ProcessRuntime`` that sleeps its think time,
///   waits for a server of a ``ServerPool`` and sleeps its service — the style of the task
///   system's simulated infrastructure and of the services' `async` code;
/// - **steps**: each user an explicit state machine, a ``ProcessMachine`` on the same runtime
///   (the style of `DatabaseStatement` and `ReplicaApplierWorker`).
///
/// All three draw from one stream in the same order and schedule their events in the same
/// order, so over the same horizon they count the same arrivals, starts and departures
/// (`ProcessBenchmarkTests` checks it): the difference in their CPU is the cost of the style,
/// not of the model.
public enum ProcessBenchmark {
    /// The closed model's parameters.
    public struct Configuration: Sendable {
        public var users: Int
        public var thinkMean: Double
        public var serviceMean: Double
        public var servers: Int
        /// Simulated seconds.
        public var horizon: Double
        public var seed: UInt64

        public init(users: Int, thinkMean: Double, serviceMean: Double, servers: Int, horizon: Double, seed: UInt64) {
            self.users = users
            self.thinkMean = thinkMean
            self.serviceMean = serviceMean
            self.servers = servers
            self.horizon = horizon
            self.seed = seed
        }

        /// 10,000 users (the live processes of `steady-100k`), think 1 s, 64 servers of 5 ms,
        /// 120 simulated seconds: about 1.2 million customers, 78 % utilisation.
        public static let standard = Configuration(users: 10_000, thinkMean: 1, serviceMean: 0.005, servers: 64,
                                                   horizon: 120, seed: 1)

        /// `des_ref.c closed N seed Z S c T warm` for the same model.
        public var referenceArguments: [String] {
            ["closed", "\(users)", "\(seed)", "\(thinkMean)", "\(serviceMean)", "\(servers)", "\(horizon)", "10"]
        }

        var kernelModel: ClosedQueueModel {
            ClosedQueueModel(users: users, thinkMean: thinkMean, serviceMean: serviceMean, servers: servers, seed: seed)
        }
    }

    /// What one run counted, and its wall time.
    public struct Outcome: Sendable, Equatable {
        public var arrivals = 0
        public var starts = 0
        public var departures = 0
        /// Waits: a process's sleeps and parks (the processes style), a state machine's
        /// scheduled and parked stages (the steps style); zero for the kernel.
        public var waits = 0
        /// The waits that were parks: an arrival that found every server busy.
        public var parks = 0
        public var seconds = 0.0

        /// Events as the C reference counts them: an arrival, a start and a departure each.
        public var events: Int { arrivals + starts + departures }

        /// The counts alone (two styles agree on them; their times differ).
        public var counts: [Int] { [arrivals, starts, departures] }
    }

    // MARK: The three styles

    /// The model as plain events on the kernel.
    public static func runKernel(_ configuration: Configuration) -> Outcome {
        let started = ContinuousClock.now
        var simulation = Simulation(model: configuration.kernelModel, list: QuaternaryHeap())
        simulation.model.start(&simulation.scheduler)
        simulation.run(until: SimClock.time(seconds: configuration.horizon))
        let model = simulation.model
        return Outcome(arrivals: model.arrivals, starts: model.starts, departures: model.departures,
                       seconds: seconds(since: started))
    }

    /// The model as one Swift task per user on ``ProcessRuntime``.
    public static func runProcesses(_ configuration: Configuration) -> Outcome {
        let started = ContinuousClock.now
        let world = ClosedWorld(configuration)
        for _ in 0..<configuration.users {
            world.runtime.spawn { await world.processUser() }
        }
        world.finish()
        return world.outcome(seconds: seconds(since: started))
    }

    /// The model as one explicit state machine per user on ``ProcessRuntime``.
    public static func runSteps(_ configuration: Configuration) -> Outcome {
        let started = ContinuousClock.now
        let world = ClosedWorld(configuration)
        for _ in 0..<configuration.users {
            world.runtime.start(StepUser(world), stage: StepUser.Stage.start.rawValue)
        }
        world.finish()
        return world.outcome(seconds: seconds(since: started))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

// MARK: - The closed model on the process runtime

/// The runtime, the station and the counts shared by every user of one run; confined to the
/// thread that runs it (`@unchecked Sendable` so the users' tasks can capture it).
private final class ClosedWorld: @unchecked Sendable {
    let configuration: ProcessBenchmark.Configuration
    let runtime = ProcessRuntime(census: nil)
    let station: ServerPool
    var stream: RandomStream
    var counts = ProcessBenchmark.Outcome()

    init(_ configuration: ProcessBenchmark.Configuration) {
        self.configuration = configuration
        station = ServerPool(runtime: runtime, servers: configuration.servers)
        stream = RandomStreamFactory(rootSeed: configuration.seed).stream(named: "bench")
    }

    func thinkTime() -> SimTime { SimClock.time(seconds: stream.exponential(mean: configuration.thinkMean)) }
    func serviceTime() -> SimTime { SimClock.time(seconds: stream.exponential(mean: configuration.serviceMean)) }
    /// Counts the park an arrival is about to make when every server is busy.
    func countParkIfFull() {
        guard station.queue.busy >= station.queue.servers else { return }
        counts.waits += 1
        counts.parks += 1
    }

    func finish() {
        runtime.run(until: SimClock.time(seconds: configuration.horizon))
        runtime.shutdown()
    }

    func outcome(seconds: Double) -> ProcessBenchmark.Outcome {
        var outcome = counts
        outcome.seconds = seconds
        return outcome
    }

    // MARK: A user as a process

    /// Think, queue, be served, release: the loop the kernel model's events describe.
    func processUser() async {
        do {
            while true {
                counts.waits += 1
                try await runtime.sleep(for: thinkTime())
                counts.arrivals += 1
                countParkIfFull()
                try await station.acquire()
                counts.starts += 1
                counts.waits += 1
                try await runtime.sleep(for: serviceTime())
                counts.departures += 1
                station.release()
            }
        } catch {
            return  // the run ended
        }
    }
}

// MARK: - A user as a state machine

/// One user of ``ClosedWorld`` as a ``ProcessMachine``: think, queue, be served, release.
private final class StepUser: ProcessMachine {
    enum Stage: UInt32 { case start, thought, granted, served }
    let world: ClosedWorld

    init(_ world: ClosedWorld) { self.world = world }

    func run(stage: UInt32, interruption: ProcessInterruption?) {
        let stage = Stage(rawValue: stage)!
        if stage == .served { world.station.release() }
        guard interruption == nil else { return }  // the run ended
        switch stage {
        case .start, .served:
            if stage == .served { world.counts.departures += 1 }
            world.counts.waits += 1
            world.runtime.after(world.thinkTime(), self, stage: Stage.thought.rawValue)
        case .thought:
            world.counts.arrivals += 1
            world.countParkIfFull()
            world.station.acquire(self, stage: Stage.granted.rawValue)
        case .granted:
            world.counts.starts += 1
            world.counts.waits += 1
            world.runtime.after(world.serviceTime(), self, stage: Stage.served.rawValue)
        }
    }
}
