import Sim

// MARK: - Levels sampled for the series

/// A level the series record as a gauge (`mean`, `max` per window), sampled from the world
/// (``SeriesGauges/sample(_:)``).
enum SampledGauge: Int, CaseIterable {
    /// API instances in service.
    case apiInstances
    /// API instances launched and not retired: the autoscaler's desired count.
    case apiDesired
    /// Jobs waiting in all queues.
    case queueDepth
    /// Jobs waiting in each queue, in `JobQueueName.allCases` order.
    case highQueueDepth, defaultQueueDepth, lowQueueDepth
    /// Celery worker processes active, all pools.
    case workers
    /// The largest lag of a replica taking reads (NaN: none takes reads).
    case replicaLag
    /// The most server connections any live database instance holds, and that as a fraction of
    /// its `max_connections`.
    case databaseConnections, databaseConnectionsUtilization
    /// Replicas taking reads.
    case replicas

    /// The depth gauge of `queue`.
    static func depth(of queue: JobQueueName) -> SampledGauge {
        switch queue {
        case .high: .highQueueDepth
        case .default: .defaultQueueDepth
        case .low: .lowQueueDepth
        }
    }
}

/// One gauge's samples in the current window, and its largest sample of the run.
struct GaugeSamples {
    private var sum = 0.0
    private var count = 0
    private var windowMax = -Double.infinity
    /// The largest sample of the run (`-infinity` before the first).
    private(set) var runMax = -Double.infinity

    /// Adds a sample; NaN (nothing to measure) is skipped.
    mutating func add(_ level: Double) {
        guard !level.isNaN else { return }
        sum += level
        count += 1
        windowMax = max(windowMax, level)
        runMax = max(runMax, level)
    }

    /// The window's `mean` and `max` (NaN, NaN: no sample), and a fresh window.
    mutating func close() -> [Double] {
        defer { (sum, count, windowMax) = (0, 0, -.infinity) }
        return count == 0 ? [.nan, .nan] : [sum / Double(count), windowMax]
    }
}

/// Busy (or used) area over offered capacity, for one window and summed over the run.
struct AreaRatio {
    private(set) var used = 0.0
    private(set) var offered = 0.0

    /// `used / offered`; NaN when nothing was offered.
    var value: Double { offered > 0 ? used / offered : .nan }

    mutating func add(used: Double, offered: Double) {
        self.used += used
        self.offered += offered
    }
}

// MARK: - What the series read beyond the counters

/// The gauges and utilisations of one replication's series.
///
/// Levels (``SampledGauge``) are sampled `samplesPerWindow` times per window, at the midpoints
/// of equal sub-intervals (never on a window boundary), about once a simulated second: a
/// window's `mean` is the mean of its samples, each standing for its sub-interval (a
/// time-weighted mean at one-second resolution), its `max` the largest sample. Utilisations are
/// exact: busy vCPU-seconds and checked-out connection-seconds from the resources' own
/// time-weighted areas, differenced at each window boundary. Memory: a few numbers per gauge,
/// plus one area per API instance, database instance and connection pool ever launched, so it
/// does not grow with the simulated duration.
struct SeriesGauges {
    private var samples = Array(repeating: GaugeSamples(), count: SampledGauge.allCases.count)
    /// Areas at the last window boundary (``Utilisation/Areas``).
    private var areas = Utilisation.Areas()
    /// Dollars accrued up to the last window boundary.
    private var costSoFar = 0.0

    /// The largest sample of `gauge` in the run (0 before any sample).
    func runMax(_ gauge: SampledGauge) -> Double {
        let value = samples[gauge.rawValue].runMax
        return value == -.infinity ? 0 : value
    }

    /// Samples every level now.
    mutating func sample(_ world: TaskSystemWorld) {
        for gauge in SampledGauge.allCases { samples[gauge.rawValue].add(world.level(of: gauge)) }
    }

    /// Closes the window `[start, end)` (now is `end`): each gauge's `mean` and `max`, each
    /// utilisation and the dollars accrued.
    mutating func closeWindow(of world: TaskSystemWorld, from start: SimTime, to end: SimTime) -> GaugeWindow {
        let levels = SampledGauge.allCases.map { samples[$0.rawValue].close() }
        let utilisation = Utilisation(of: world, from: start, to: end, since: &areas)
        let cost = RunCost(of: world, until: end).total
        defer { costSoFar = cost }
        return GaugeWindow(levels: levels, utilisation: utilisation, cost: cost - costSoFar)
    }
}

// MARK: - Utilisation over a stretch

/// Busy over offered capacity over `[start, end)` (now is `end`) of the API instances, the
/// primary, the replicas and the client pools, from the resources' time-weighted areas.
struct Utilisation {
    /// Busy core-seconds (by API instance id and database instance in launch order) and
    /// checked-out connection-seconds (by client pool) at the start of the stretch; all zero
    /// for a stretch from the start of the run.
    struct Areas {
        var instances: [Double] = []
        var nodes: [Double] = []
        var pools: [Double] = []
    }

    /// API instances while in service.
    var api = AreaRatio()
    /// The instance that is primary at `end`.
    var primary = AreaRatio()
    /// The replicas taking reads at `end`, over all of them.
    var replicas = AreaRatio()
    /// Client pools (API instances from launch to retirement, workers); `pool_size +
    /// max_overflow` offered, unlimited pools left out.
    var pools = AreaRatio()

    /// Measures `[start, end)`; `areas` holds the areas at `start` and receives those at `end`.
    init(of world: TaskSystemWorld, from start: SimTime, to end: SimTime, since areas: inout Areas) {
        let at = SimClock.seconds(end)
        while areas.instances.count < world.api.instances.count { areas.instances.append(0) }
        for (index, instance) in world.api.instances.enumerated() {
            let area = instance.cpu.queue.busyLevel.area(at: at)
            let serving = Self.overlap(from: instance.inServiceSince,
                                       to: min(instance.retiredAt ?? .max, instance.crashedAt ?? .max), start, end)
            if serving > 0 {
                api.add(used: area - areas.instances[index], offered: Double(instance.cpu.queue.servers) * serving)
            }
            areas.instances[index] = area
        }

        let database = world.database
        while areas.nodes.count < database.instances.count { areas.nodes.append(0) }
        for (index, node) in database.instances.enumerated() {
            let area = node.cpu.queue.busyLevel.area(at: at)
            let alive = Self.overlap(from: node.launchedAt, to: node.retiredAt ?? .max, start, end)
            let used = area - areas.nodes[index], offered = Double(node.cpu.queue.servers) * alive
            areas.nodes[index] = area
            guard alive > 0 else { continue }
            if node === database.primaryNode {
                primary.add(used: used, offered: offered)
            } else if let replica = database.replicaNodes.firstIndex(where: { $0 === node }),
                      database.replicaServing[replica] {
                replicas.add(used: used, offered: offered)
            }
        }

        while areas.pools.count < database.allClientPools.count { areas.pools.append(0) }
        for (index, clientPool) in database.allClientPools.enumerated() {
            let tokens = clientPool.pool
            let area = tokens.checkedOutLevel.area(at: at)
            defer { areas.pools[index] = area }
            guard tokens.maxOverflow >= 0 else { continue }  // unlimited: no utilisation
            let owner = world.api.instances.first { instance in instance.client.pools.contains { $0 === clientPool } }
            let alive = Self.overlap(from: owner?.launchedAt ?? 0, to: owner?.retiredAt ?? .max, start, end)
            guard alive > 0 else { continue }
            pools.add(used: area - areas.pools[index], offered: Double(tokens.size + tokens.maxOverflow) * alive)
        }
    }

    /// The whole run so far, from its start to now.
    static func wholeRun(of world: TaskSystemWorld) -> Utilisation {
        var areas = Areas()
        return Utilisation(of: world, from: 0, to: world.runtime.now, since: &areas)
    }

    /// Seconds of `[from, to)` inside `[start, end)`; 0 when `from` is `nil`.
    static func overlap(from: SimTime?, to: SimTime, _ start: SimTime, _ end: SimTime) -> Double {
        guard let from else { return 0 }
        return SimClock.seconds(max(0, min(to, end) - max(from, start)))
    }
}

/// One window's gauges and utilisations (``SeriesGauges/closeWindow(of:from:to:)``).
struct GaugeWindow {
    /// Per ``SampledGauge``: `mean`, `max`.
    let levels: [[Double]]
    let utilisation: Utilisation
    /// Dollars accrued in the window.
    let cost: Double

    /// `mean`, `max` of `gauge`.
    subscript(_ gauge: SampledGauge) -> [Double] { levels[gauge.rawValue] }
}

// MARK: - Reading the levels

extension TaskSystemWorld {
    /// The current level of `gauge`.
    func level(of gauge: SampledGauge) -> Double {
        switch gauge {
        case .apiInstances: return Double(api.inService)
        case .apiDesired: return Double(api.desired)
        case .queueDepth: return Double(jobs.queues.reduce(0) { $0 + $1.pending.count })
        case .highQueueDepth: return Double(jobs.queues[JobQueueName.high.jobQueueIndex].pending.count)
        case .defaultQueueDepth: return Double(jobs.queues[JobQueueName.default.jobQueueIndex].pending.count)
        case .lowQueueDepth: return Double(jobs.queues[JobQueueName.low.jobQueueIndex].pending.count)
        case .workers: return Double(jobs.queues.reduce(0) { $0 + $1.workers.count })
        case .replicaLag:
            var lag: SimTime?
            for replica in database.replicaNodes.indices
            where database.replicaServing[replica] && !database.store.detached[replica] {
                lag = max(lag ?? 0, database.store.lag(of: .replica(replica), now: runtime.now))
            }
            return lag.map(SimClock.seconds) ?? .nan
        case .databaseConnections:
            return Double(database.instances.reduce(0) { $1.retiredAt == nil ? max($0, $1.connections) : $0 })
        case .databaseConnectionsUtilization:
            return database.instances.reduce(0) {
                $1.retiredAt == nil ? max($0, Double($1.connections) / Double($1.maxConnections)) : $0
            }
        case .replicas: return Double(database.replicaServing.reduce(0) { $0 + ($1 ? 1 : 0) })
        }
    }

    /// Samples the levels at the midpoints of `samplesPerWindow` equal parts of every window,
    /// about one a second: never on a window boundary, so a window's samples are its own.
    func startGaugeSampling() {
        let width = recorders.series.width
        let perWindow = Self.samplesPerWindow(width: width)
        runtime.spawn { [self] in
            var windowStart: SimTime = 0
            while true {
                for sample in 0..<perWindow {
                    let offset = Double(width) * Double(2 * sample + 1) / Double(2 * perWindow)
                    do {
                        try await runtime.sleep(for: windowStart + SimTime(offset) - runtime.now)
                    } catch {
                        return
                    }
                    recorders.gauges.sample(self)
                }
                windowStart += width
            }
        }
    }

    /// One sample per started simulated second of the window, at least one.
    static func samplesPerWindow(width: SimTime) -> Int {
        max(1, Int((width + SimClock.nanosecondsPerSecond - 1) / SimClock.nanosecondsPerSecond))
    }

    /// The most API instances launched and not retired at any one time (the desired count).
    var maxDesired: Int {
        var changes: [(time: SimTime, step: Int)] = api.instances.map { ($0.launchedAt, 1) }
        changes += api.instances.compactMap { $0.retiredAt.map { ($0, -1) } }
        // Retirements before launches at one instant (a scaling decision does one or the other).
        changes.sort { $0.time < $1.time || ($0.time == $1.time && $0.step < $1.step) }
        var level = 0, most = 0
        for change in changes {
            level += change.step
            most = max(most, level)
        }
        return most
    }
}

// MARK: - Which series a run records

/// The parts of a configuration a series needs (``MetricDeclaration/seriesCondition``): decided
/// from the configuration alone, so every replication records the same series and a windowed
/// KPI on a series the run will not have is refused when the scenario is read.
struct SeriesScope {
    let database: DatabaseConfiguration
    let jobs: JobQueueConfiguration

    init(_ configuration: TaskSystemConfiguration) {
        database = configuration.database
        jobs = configuration.jobs
    }

    init(_ world: TaskSystemWorld) {
        database = world.database.configuration
        jobs = world.jobs.configuration
    }
}

enum SeriesPresence {
    /// Replicas configured at the start or by a tier.
    @Sendable static func replicas(_ scope: SeriesScope) -> Bool {
        scope.database.replicas > 0 || scope.database.tiers.contains { $0.replicas > 0 }
    }

    /// A worker pool serving `queue`.
    static func queue(_ queue: JobQueueName) -> @Sendable (SeriesScope) -> Bool {
        { $0.jobs.pools.queue(named: queue.rawValue) != nil }
    }

    /// A worker pool serving any queue.
    @Sendable static func jobs(_ scope: SeriesScope) -> Bool {
        JobQueueName.allCases.contains { queue($0)(scope) }
    }
}
