import Sim

// MARK: - Running the task system

/// Runs replications of a ``TaskSystemConfiguration``: each builds the world on a fresh
/// ``ProcessRuntime`` with streams named from the root seed, runs it for the duration, and
/// reports its metrics and invariants. Replications run in parallel and come back in order.
public enum TaskSystemSimulation {
    /// Runs every replication on at most `threads` concurrent tasks.
    public static func run(_ configuration: TaskSystemConfiguration, threads: Int) async -> [TaskSystemResult] {
        await ParallelReplications.run(count: configuration.replications, threads: threads) { replication in
            runReplication(configuration, replication: replication)
        }
    }

    /// Runs one replication.
    public static func runReplication(_ configuration: TaskSystemConfiguration, replication: Int) -> TaskSystemResult {
        let streams = RandomStreamFactory(rootSeed: configuration.seed, replication: replication)
        let runtime = ProcessRuntime()
        var dataStream = streams.stream(named: "data")
        let data = PrimaryStore.seeded(configuration.workload.data, random: &dataStream)
        let load = configuration.workload.load
        let database = SimulatedDatabase(
            runtime: runtime, configuration: configuration.database.startingTopology(activeUsers: load.users(at: 0)),
            data: data, streams: streams)
        database.startManagement { load.users(at: $0) }
        let cache = SimulatedSharedCache(runtime: runtime, configuration: configuration.cache, streams: streams)
        if configuration.warmCache { warm(cache, from: database.store.primary, plan: configuration.workload.data) }
        let workerClient = DatabaseClient(database: database, runtime: runtime, configuration: configuration.api)
        let handlers = JobHandlers(runtime: runtime, repository: workerClient, external: configuration.external,
                                   streams: streams)
        let jobs = SimulatedJobQueue(runtime: runtime, configuration: configuration.jobs, streams: streams) { job in
            try await handlers.handle(job)
        }
        let world = TaskSystemWorld(runtime: runtime, workload: configuration.workload, api: configuration.api,
                                    database: database, cache: cache, jobs: jobs, streams: streams,
                                    cdn: configuration.cdn)
        world.plant(configuration.testHooks)
        world.seriesRecorder = SeriesRecorder(width: configuration.seriesWindow)
        let series = world.startSeries()
        world.startUsers()
        world.startScriptedFailures()
        if let autoscaling = configuration.api.autoscaling { world.startAutoscaling(autoscaling) }

        // Warm-up: everything counted before it is discarded.
        runtime.run(until: configuration.warmup)
        world.metrics.resetMeasurements()
        world.startPeakRates()
        let start = MeasurementSnapshot(world)
        runtime.run(until: configuration.duration)
        let end = MeasurementSnapshot(world)
        series.closeWindow(of: world)  // the last, possibly partial, window
        var result = TaskSystemResult(configuration: configuration, world: world, from: start, to: end)
        result.series = series.series
        runtime.shutdown()
        return result
    }

    /// The seed's `CacheWarmer`: every user profile and project in the shared cache at deploy.
    static func warm(_ cache: SimulatedSharedCache, from store: PrimaryStore, plan: SeedPlan) {
        let users = (1...max(1, plan.users)).compactMap { store.user(UserID($0)) }
            .map { (CacheKey.user($0.id.rawValue), CachedValue.user($0)) }
        let projects = (1...max(1, plan.projects)).compactMap { store.project(ProjectID($0)) }
            .map { (CacheKey.project($0.id.rawValue), CachedValue.project($0)) }
        _ = cache.warm(users + projects)
    }
}

/// The world on the simulated cache and job queue.
typealias SimulatedWorld = TaskSystemWorld<SimulatedSharedCache, SimulatedJobQueue>

/// Counters at one instant, to measure the stretch after the warm-up as a difference.
struct MeasurementSnapshot {
    let time: SimTime
    let primaryQueries: Int
    let replicaQueries: Int
    let staleReads: Int
    let poolTimeouts: Int
    let refusedConnections: Int
    let storageFullWrites: Int
    let localHits: Int
    let localMisses: Int
    let sharedHits: Int
    let sharedMisses: Int
    let staleProfiles: Int
    /// Per key family (`family.index`): L1 and L2 hits and misses.
    let localFamilyHits: [Int]
    let localFamilyMisses: [Int]
    let sharedFamilyHits: [Int]
    let sharedFamilyMisses: [Int]
    let patternInvalidations: Int
    let edge: EdgeCounters
    /// Instance crashes and what they failed; the API pools' lifecycle counters.
    let crashes: InstanceCrashCounters
    let pools: ConnectionPoolCounters
    let poolHighUtilisation: SimTime

    init(_ world: SimulatedWorld) {
        time = world.runtime.now
        staleProfiles = world.staleProfiles
        let metrics = world.database.metrics
        primaryQueries = metrics.primaryQueries
        replicaQueries = metrics.replicaQueries.reduce(0, +)
        staleReads = metrics.staleReads
        refusedConnections = world.database.refusedConnections
        storageFullWrites = metrics.storageFullWrites
        poolTimeouts = world.instances.reduce(0) { $0 + $1.client.poolTimeouts }
        crashes = world.crashCounts
        var pools = ConnectionPoolCounters()
        for instance in world.instances { pools.add(instance.client.poolCounters) }
        self.pools = pools
        poolHighUtilisation = world.instances.reduce(0) { $0 + $1.client.poolHighUtilisationTime }
        localHits = world.instances.reduce(0) { $0 + $1.api.localCache.counters.hits }
        localMisses = world.instances.reduce(0) { $0 + $1.api.localCache.counters.misses }
        // Shared-cache data lookups; `last_write` markers are consistency checks, not cached data.
        let families = CacheKey.Family.allCases.filter { $0 != .lastWrite }
        sharedHits = families.reduce(0) { $0 + world.cache.counters(for: $1).hits }
        sharedMisses = families.reduce(0) { $0 + world.cache.counters(for: $1).misses }
        let all = CacheKey.Family.allCases
        localFamilyHits = all.map { family in world.instances.reduce(0) { $0 + $1.api.localCounters(for: family).hits } }
        localFamilyMisses = all.map { family in world.instances.reduce(0) { $0 + $1.api.localCounters(for: family).misses } }
        sharedFamilyHits = all.map { world.cache.counters(for: $0).hits }
        sharedFamilyMisses = all.map { world.cache.counters(for: $0).misses }
        patternInvalidations = world.cache.counters.patternInvalidations
        edge = world.edge?.counters ?? EdgeCounters()
    }
}
