import Sim

// MARK: - Building a world from a configuration

extension TaskSystemWorld {
    /// Builds replication `replication` of `configuration` on a fresh ``ProcessRuntime``, with
    /// streams named from the root seed: every component, wired to the ones it uses. The
    /// processes components start when they are built run from here (the database's
    /// management, the job workers, random crashes of the starting instances); ``start()``
    /// starts the rest. The one way a world is made — `runReplication` and the tests alike.
    ///
    /// The components are built in a fixed order, which fixes the order of simultaneous events:
    /// the database tier, the shared cache, the job queues, the workload, the API tier, the CDN
    /// edge, the autoscaler, the permission revocations, the fault injector, the busiest-minute
    /// monitor.
    static func build(_ configuration: TaskSystemConfiguration, replication: Int) -> TaskSystemWorld {
        let streams = RandomStreamFactory(rootSeed: configuration.seed, replication: replication)
        let runtime = ProcessRuntime()
        let recorders = RunRecorders(seriesWindow: configuration.seriesWindow)
        let load = configuration.workload.load
        // The fault plan's crashes join the machinery that owns them.
        var apiConfiguration = configuration.api
        apiConfiguration.failures = configuration.faults.instanceFailures(over: configuration.api.failures)
        if configuration.faults.crashesInstances { apiConfiguration.failures.injected = true }
        var jobsConfiguration = configuration.jobs
        jobsConfiguration.workerFailures = configuration.faults.workerFailures(over: configuration.jobs.workerFailures)

        // The database tier: the seeded data on the starting topology; its management (the
        // monitor, upgrades, the tier table) follows the load profile.
        var dataStream = streams.stream(named: "data")
        let data = PrimaryStore.seeded(configuration.workload.data, random: &dataStream)
        let database = SimulatedDatabase(
            runtime: runtime, configuration: configuration.database.startingTopology(activeUsers: load.users(at: 0)),
            data: data, streams: streams)
        database.startManagement { load.users(at: $0) }

        // The shared cache, warmed at deploy if asked (the seed's `CacheWarmer`).
        let cache = SimulatedSharedCache(runtime: runtime, configuration: configuration.cache, streams: streams)
        if configuration.warmCache { warm(cache, from: database.store.primary, plan: configuration.workload.data) }

        // The job queues: each worker process (prefork child) with its own engine and connection
        // pools of the API's settings (made when the process starts; connections open lazily),
        // running the handlers.
        let handlers = JobHandlers(runtime: runtime, external: configuration.external, streams: streams)
        let jobs = SimulatedJobQueue(runtime: runtime, configuration: jobsConfiguration, streams: streams) { _ in
            let client = DatabaseClient(database: database, runtime: runtime, configuration: configuration.api)
            return { job in try await handlers.handle(job, using: client) }
        }
        jobs.crashesScripted = configuration.faults.scriptsWorkerCrashes

        // The workload, with the test hooks' defects planted (none by default).
        let workload = Workload(runtime: runtime, configuration: configuration.workload, database: database,
                                streams: streams, recorders: recorders)
        workload.plant(configuration.testHooks)

        // The API tier with its starting instances, the CDN edge in front of it, its autoscaler.
        apiConfiguration.readRouterIgnoresConsistencyWindow = configuration.testHooks.readRouterIgnoresConsistencyWindow
        let api = APITier(runtime: runtime, configuration: apiConfiguration, database: database, cache: cache,
                          jobs: jobs, workload: workload, streams: streams, recorders: recorders)
        let edge = configuration.cdn.map {
            CDNEdge(configuration: $0, origin: api, workload: workload, database: database, streams: streams,
                    recorders: recorders)
        }
        let autoscaler = configuration.api.autoscaling.map { APIAutoscaler(policy: $0, api: api, recorders: recorders) }

        let revocations = configuration.workload.permissionRevocationsPerHour > 0
            ? PermissionRevocations(runtime: runtime, perHour: configuration.workload.permissionRevocationsPerHour,
                                    api: api, database: database, streams: streams)
            : nil
        // The faults the plan injects at their times (none: the injector starts nothing).
        let faults = FaultInjector(plan: configuration.faults, runtime: runtime, cache: cache, jobs: jobs, api: api,
                                   database: database, workload: workload, recorders: recorders)

        return TaskSystemWorld(runtime: runtime, recorders: recorders, database: database, cache: cache, jobs: jobs,
                               workload: workload, api: api, edge: edge, autoscaler: autoscaler, faults: faults,
                               peakRateMonitor: PeakRateMonitor(runtime: runtime, recorders: recorders,
                                                                database: database),
                               revocations: revocations)
    }

    /// The seed's `CacheWarmer`: every user profile and its permissions (`permissions:{user}`), and
    /// every project, in the shared cache at deploy.
    static func warm(_ cache: SimulatedSharedCache, from store: PrimaryStore, plan: SeedPlan) {
        let rows = (1...max(1, plan.users)).compactMap { store.user(UserID($0)) }
        let users = rows.flatMap { user in
            let projects = store.projectsEverJoined(by: user.id).compactMap { store.project($0) }
            return [(CacheKey.user(user.id.rawValue), CachedValue.user(user)),
                    (CacheKey.permissions(user: user.id.rawValue), CachedValue.permissions(UserPermissions(of: user, on: projects)))]
        }
        let projects = (1...max(1, plan.projects)).compactMap { store.project(ProjectID($0)) }
            .map { (CacheKey.project($0.id.rawValue), CachedValue.project($0)) }
        _ = cache.warm(users + projects)
    }
}
