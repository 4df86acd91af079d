// MARK: - Running a network scenario

/// Runs the replications of a ``NetworkSpec``, in parallel, deterministically.
///
/// Each replication draws from its own named streams (`RandomStreamFactory(rootSeed:
/// replication:)`) and runs sequentially; replications run concurrently on up to `threads`
/// tasks and their results are put back in replication order, so the result is the same for
/// any number of threads.
public enum NetworkRunner {
    /// Windows in the MSER-5 pilot series of a replication.
    static let pilotWindows = 200

    /// Runs every replication of `spec` on at most `threads` concurrent tasks.
    ///
    /// - Precondition: `spec.problems` is empty (the scenario loader guarantees it).
    public static func run(_ spec: NetworkSpec, threads: Int) async -> NetworkRunResult {
        precondition(spec.problems.isEmpty, "unsound network specification: \(spec.problems.joined(separator: "; "))")
        let results = await ParallelReplications.run(count: spec.replications, threads: threads) { replication in
            runReplication(spec, replication: replication)
        }
        return NetworkRunResult(spec: spec, replications: results)
    }

    /// Runs replication `replication` of `spec` (MSER-5 adds a pilot pass that picks the warm-up).
    public static func runReplication(_ spec: NetworkSpec, replication: Int) -> NetworkReplicationResult {
        let streams = RandomStreamFactory(rootSeed: spec.seed, replication: replication)
        let warmup: SimTime
        switch spec.warmup {
        case .fixed(let time):
            warmup = time
        case .mser5:
            let width = max(1, spec.duration / SimTime(pilotWindows))
            var pilot = Simulation(model: NetworkModel(spec: spec, streams: streams, pilotWindow: width),
                                   list: QuaternaryHeap())
            pilot.model.start(scheduler: &pilot.scheduler, warmup: 0)
            pilot.run(until: spec.duration)
            let means = pilot.model.pilot?.means ?? []
            warmup = SimTime(MSER5(means).truncationIndex) * width
        }
        var simulation = Simulation(model: NetworkModel(spec: spec, streams: streams), list: QuaternaryHeap())
        simulation.model.start(scheduler: &simulation.scheduler, warmup: warmup)
        simulation.run(until: spec.duration)
        return collect(simulation.model, end: spec.duration, warmup: warmup, events: simulation.scheduler.eventsHandled)
    }

    static func collect(_ model: borrowing NetworkModel, end: SimTime, warmup: SimTime, events: Int)
        -> NetworkReplicationResult {
        let measured = SimClock.seconds(end - warmup)
        var stations: [NetworkReplicationResult.Station] = []
        for index in model.stations.indices {
            let station = model.stations[index]
            let statistics = station.statistics
            stations.append(NetworkReplicationResult.Station(
                throughput: Double(statistics.response.count) / measured,
                utilization: station.queue.utilization(at: end),
                wait: statistics.wait.mean,
                response: statistics.response.mean,
                queueLength: station.queue.meanQueueLength(at: end),
                responsePercentiles: ResponsePercentiles(statistics.histogram)))
        }
        var classes: [NetworkReplicationResult.CustomerClass] = []
        for index in model.classes.indices {
            let statistics = model.classes[index].statistics
            classes.append(NetworkReplicationResult.CustomerClass(
                throughput: Double(statistics.response.count) / measured,
                response: statistics.response.mean,
                responsePercentiles: ResponsePercentiles(statistics.histogram)))
        }
        return NetworkReplicationResult(stations: stations, classes: classes, warmup: warmup, events: events,
                                        customersCompleted: model.customersCompleted,
                                        invariantViolations: model.conservationViolation().map { [$0] } ?? [])
    }
}
