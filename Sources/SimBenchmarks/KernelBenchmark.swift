import Sim

// MARK: - Kernel benchmarks

/// The three reference models, run on the Sim kernel with a chosen future-event list.
public enum KernelBenchmark {
    /// A benchmark model of `shared/bench/des_ref.c`.
    public enum Model: String, CaseIterable, Sendable {
        /// Open M/M/1, ρ = 0.9, 3,000,000 customers.
        case mm1
        /// Open M/M/8, ρ = 0.85, 3,000,000 customers.
        case mmc
        /// Closed: 100,000 users, think 10 s, 64 servers, service 5 ms, 600 simulated seconds.
        case closed

        /// The reference program's arguments for this model.
        public var referenceArguments: [String] {
            switch self {
            case .mm1: ["mm1", "3000000", "1"]
            case .mmc: ["mmc", "3000000", "1"]
            case .closed: ["closed", "100000", "1"]
            }
        }
    }

    /// Runs `model` on the kernel with list type `List`; returns events and wall seconds.
    public static func run<List: FutureEventList & ~Copyable>(_ model: Model, list: List.Type) -> (events: Int, seconds: Double) {
        let clock = ContinuousClock()
        let started = clock.now
        let events: Int
        switch model {
        case .mm1, .mmc:
            let open = model == .mm1
                ? OpenQueueModel(arrivalRate: 0.9, serviceRate: 1, servers: 1, customers: 3_000_000, seed: 1)
                : OpenQueueModel(arrivalRate: 6.8, serviceRate: 1, servers: 8, customers: 3_000_000, seed: 1)
            var simulation = Simulation(model: open, list: List())
            simulation.model.start(&simulation.scheduler)
            while simulation.step() {}
            events = simulation.model.events
        case .closed:
            let closed = ClosedQueueModel(users: 100_000, thinkMean: 10, serviceMean: 0.005, servers: 64, seed: 1)
            var simulation = Simulation(model: closed, list: List())
            simulation.model.start(&simulation.scheduler)
            simulation.run(until: SimClock.time(seconds: 600))
            events = simulation.model.events
        }
        let elapsed = clock.now - started
        return (events, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
