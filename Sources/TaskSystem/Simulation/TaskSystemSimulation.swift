import Sim

// MARK: - Running the task system

/// Runs replications of a ``TaskSystemConfiguration``: each builds the world on a fresh
/// ``ProcessRuntime`` with streams named from the root seed, runs it for the duration, and
/// reports its metrics and invariants. Replications run in parallel and come back in order.
public enum TaskSystemSimulation {
    /// Runs every replication on at most `threads` concurrent tasks; `progress` hears how far
    /// each has got (it changes nothing in the results).
    public static func run(_ configuration: TaskSystemConfiguration, threads: Int,
                           progress: ProgressObserver? = nil) async -> [TaskSystemResult] {
        await ParallelReplications.run(count: configuration.replications, threads: threads) { replication in
            runReplication(configuration, replication: replication, progress: progress)
        }
    }

    /// Runs one replication: builds its world (``TaskSystemWorld/build(_:replication:)``),
    /// starts it, discards what the warm-up counted, and measures the rest.
    /// `progress` hears how far the run has come (it never changes what the run does).
    public static func runReplication(_ configuration: TaskSystemConfiguration, replication: Int,
                                      progress: ProgressObserver? = nil) -> TaskSystemResult {
        let world = TaskSystemWorld.build(configuration, replication: replication)
        let runtime = world.runtime
        let series = world.start()

        // Warm-up: everything counted before it is discarded.
        runtime.run(until: configuration.warmup, replication: replication, duration: configuration.duration, observer: progress)
        world.recorders.requests.resetMeasurements()
        world.peakRateMonitor.start()
        let start = MeasurementSnapshot(world)
        runtime.run(until: configuration.duration, replication: replication, duration: configuration.duration, observer: progress)
        let end = MeasurementSnapshot(world)
        series.closeWindow(of: world)  // the last, possibly partial, window
        var result = TaskSystemResult(configuration: configuration, world: world, from: start, to: end,
                                      replication: replication + 1)
        result.series = series.series
        runtime.shutdown()
        return result
    }
}

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
    let stalePermissionGrants: Int
    let permissionRevocations: Int
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
    /// What the users saw (`users.*`).
    let client: ClientCounters

    init(_ world: TaskSystemWorld) {
        time = world.runtime.now
        client = world.workload.clientCounters
        staleProfiles = world.workload.staleProfiles
        stalePermissionGrants = world.workload.stalePermissionGrants
        permissionRevocations = world.revocations?.performed ?? 0
        let metrics = world.database.metrics
        primaryQueries = metrics.primaryQueries
        replicaQueries = metrics.replicaQueries.reduce(0, +)
        staleReads = metrics.staleReads
        refusedConnections = world.database.refusedConnections
        storageFullWrites = metrics.storageFullWrites
        let instances = world.api.instances
        poolTimeouts = instances.reduce(0) { $0 + $1.client.poolTimeouts }
        crashes = world.api.crashCounts
        var pools = ConnectionPoolCounters()
        for instance in instances { pools.add(instance.client.poolCounters) }
        self.pools = pools
        poolHighUtilisation = instances.reduce(0) { $0 + $1.client.poolHighUtilisationTime }
        localHits = instances.reduce(0) { $0 + $1.api.localCache.counters.hits }
        localMisses = instances.reduce(0) { $0 + $1.api.localCache.counters.misses }
        // Shared-cache data lookups; `last_write` markers are consistency checks, not cached data.
        let families = CacheKey.Family.allCases.filter { $0 != .lastWrite }
        sharedHits = families.reduce(0) { $0 + world.cache.counters(for: $1).hits }
        sharedMisses = families.reduce(0) { $0 + world.cache.counters(for: $1).misses }
        let all = CacheKey.Family.allCases
        localFamilyHits = all.map { family in instances.reduce(0) { $0 + $1.api.localCounters(for: family).hits } }
        localFamilyMisses = all.map { family in instances.reduce(0) { $0 + $1.api.localCounters(for: family).misses } }
        sharedFamilyHits = all.map { world.cache.counters(for: $0).hits }
        sharedFamilyMisses = all.map { world.cache.counters(for: $0).misses }
        patternInvalidations = world.cache.counters.patternInvalidations
        edge = world.edge?.counters ?? EdgeCounters()
    }
}
