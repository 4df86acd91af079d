import Sim

// MARK: - Every metric of the task system

/// The task system's metric registry: every metric declared once, in `summary.json` order.
/// Adding a metric is one declaration here (with its measurement) plus its documentation row,
/// which `docs/metrics.md` regenerates from this list.
public enum TaskSystemMetrics {
    /// Every declaration, in `summary.json` order. New metrics go at the end of their group.
    public static let declarations: [MetricDeclaration] =
        traffic + databaseQueries + cacheHitRates + jobQueues + workload + instances + pools + jobFailures
        + consistency + [totalCost] + cacheFamilies + edge + databaseLimits + failover + [databaseCost] + partCosts
        + endpoints

    /// The declaration called `name` (a KPI's metric name).
    public static func declaration(named name: String) -> MetricDeclaration? {
        declarations.first { $0.name == name }
    }

    // MARK: API traffic

    static let traffic: [MetricDeclaration] = [
        MetricDeclaration("api.requests", .counter, .count, section: .api,
                          "requests answered (success or error); with a CDN, those that reached the load balancer (the edge's are under `cdn.*`)",
                          series: { [Double($0.recorder.answered)] }) {
            [Double($0.requests.answered)]
        },
        MetricDeclaration("api.throughput", .rate, .perSecond, [.value, .max], section: .api,
                          "`value`: `api.requests` / measured seconds; `max`: requests answered in the busiest whole minute after the warm-up, / 60 (the seed's \"API Requests/sec\" target is a peak, which a whole-run mean over a ramp hides); 0 if the measured stretch is shorter than a minute",
                          series: { [Double($0.recorder.answered) / $0.seconds] }) {
            [Double($0.requests.answered) / $0.seconds, $0.world.peakRates.apiRequestsPerSecond]
        },
        MetricDeclaration("api.latency", .latency, .seconds, [.p50, .p95, .p99], default: .p95, section: .api,
                          "response time at the client: load balancer to answer, including queueing for an instance's vCPU, cache and database round trips and connection-pool waits",
                          series: { context in [50.0, 95, 99].map { context.recorder.latency.count == 0 ? .nan : context.recorder.latency.percentile($0) } }) {
            $0.percentiles($0.requests.overall)
        },
        MetricDeclaration("api.error_rate", .fraction, .fraction, section: .api,
                          "server errors (5xx: connection-pool timeouts 503, database connections refused 503, queries on a dead connection 500, crashed instances 502, writes on a full volume 507) / answered; 4xx (403, 404, 409, 422, 429) are the API working as designed",
                          series: { [$0.fraction($0.recorder.serverErrors, $0.recorder.answered)] }) {
            [$0.requests.answered == 0 ? .nan : Double($0.requests.serverErrors) / Double($0.requests.answered)]
        },
        MetricDeclaration("api.rate_limited", .counter, .count, section: .api,
                          "429 answers (per-user rate limit in the shared cache)") {
            [Double($0.requests.rateLimited)]
        },
        MetricDeclaration("api.stale_profiles", .counter, .count, section: .api,
                          "logins that returned an older profile than the primary held: an instance-local copy (the stateful controller, or another instance's L1 inside its TTL) missed an `update_profile`") {
            $0.counted(\.staleProfiles)
        },
        MetricDeclaration("auth.permission_revocations", .counter, .count, section: .api,
                          "project memberships removed by the admin console (`users.permission_revocations_per_hour`): the revocations stale grants follow from") {
            $0.counted(\.permissionRevocations)
        },
        MetricDeclaration("auth.stale_permission_grants", .counter, .count, section: .api,
                          "project-scoped requests an instance authorised that the primary's memberships refused at that instant: a cached permission outlived a revocation — with `cache.l1.mode: seed-permissions`, the `lru_cache` entry that nothing expires or invalidates; with `entities-ttl`, a project cached in L1 inside its 5-minute TTL. The seed's design accepts these silently") {
            $0.counted(\.stalePermissionGrants)
        },
    ]

    // MARK: Database queries

    static let databaseQueries: [MetricDeclaration] = [
        MetricDeclaration("db.qps", .rate, .perSecond, [.value, .max], section: .database,
                          "`value`: queries executed on all nodes per second (an N+1 task list counts 1 + N); `max`: in the busiest whole minute after the warm-up, / 60",
                          series: { [Double($0.counted(\.primaryQueries) + $0.counted(\.replicaQueries)) / $0.seconds] }) {
            [($0.primaryQueries + $0.replicaQueries) / $0.seconds, $0.world.peakRates.databaseQueriesPerSecond]
        },
        MetricDeclaration("db.primary.qps", .rate, .perSecond, section: .database,
                          "queries executed on the primary per second",
                          series: { [Double($0.counted(\.primaryQueries)) / $0.seconds] }) { [$0.primaryQueries / $0.seconds] },
        MetricDeclaration("db.replica.qps", .rate, .perSecond, section: .database,
                          "queries executed on all replicas per second",
                          series: { [Double($0.counted(\.replicaQueries)) / $0.seconds] }) { [$0.replicaQueries / $0.seconds] },
        MetricDeclaration("db.replica.lag", .gauge, .seconds, [.max], window: .wholeRun, section: .database,
                          "the largest replication lag any replica taking reads had (a replica still being provisioned or catching up is not read and not counted); series: the largest lag of a replica taking reads, sampled",
                          series: { $0.gauges[.replicaLag] }, seriesIf: SeriesPresence.replicas) {
            [SimClock.seconds($0.world.database.metrics.maxReplicaLag)]
        },
        MetricDeclaration("db.stale_reads", .counter, .count, section: .database,
                          "replica reads of a row the primary had already changed: the replica returned the old value (job handlers reading a task created moments ago count here too)",
                          series: { [Double($0.counted(\.staleReads))] }) {
            $0.counted(\.staleReads)
        },
        MetricDeclaration("db.pool.timeouts", .counter, .count, section: .pool,
                          "QueuePool checkouts that waited `pool_timeout` and failed (the request answers 503)",
                          series: { [Double($0.counted(\.poolTimeouts))] }) {
            $0.counted(\.poolTimeouts)
        },
    ]

    // MARK: Cache hit rates

    static let cacheHitRates: [MetricDeclaration] = [
        MetricDeclaration("cache.hit", .fraction, .fraction, [.rate], section: .cache,
                          "logical cache lookups answered by L1 or L2: (L1 hits + L2 hits) / (L1 hits + L2 lookups); `last_write` consistency markers are not data lookups and are excluded",
                          series: { context in
                              let localHits = context.counted(\.localHits), sharedHits = context.counted(\.sharedHits)
                              return [context.fraction(localHits + sharedHits, localHits + sharedHits + context.counted(\.sharedMisses))]
                          }) { context in
            let (start, end) = (context.start, context.end)
            let localHits = end.localHits - start.localHits, localLookups = localHits + end.localMisses - start.localMisses
            let sharedHits = end.sharedHits - start.sharedHits
            let sharedLookups = sharedHits + end.sharedMisses - start.sharedMisses
            return [localLookups + sharedLookups - (localLookups - localHits) == 0 ? .nan
                : Double(localHits + sharedHits) / Double(localHits + sharedLookups)]
        },
        MetricDeclaration("cache.l1.hit", .fraction, .fraction, [.rate], section: .cache,
                          "in-process LRU hits / lookups, over all instances",
                          series: { [$0.fraction($0.counted(\.localHits), $0.counted(\.localHits) + $0.counted(\.localMisses))] }) { context in
            let hits = context.end.localHits - context.start.localHits
            return [context.fraction(hits, hits + context.end.localMisses - context.start.localMisses)]
        },
        MetricDeclaration("cache.l2.hit", .fraction, .fraction, [.rate], section: .cache,
                          "shared-cache (Redis) data hits / lookups",
                          series: { [$0.fraction($0.counted(\.sharedHits), $0.counted(\.sharedHits) + $0.counted(\.sharedMisses))] }) { context in
            let hits = context.end.sharedHits - context.start.sharedHits
            return [context.fraction(hits, hits + context.end.sharedMisses - context.start.sharedMisses)]
        },
        MetricDeclaration("cache.pattern_invalidations", .counter, .count, section: .cache,
                          "pattern invalidations of a user's cached data (`update_profile` runs the seed's `invalidate_user_caches`: profile, permission checks and task count of the user, in one round trip; session, rate-limit counters and recent-write markers stay)") {
            $0.counted(\.patternInvalidations)
        },
        MetricDeclaration("cache.node.utilization", .fraction, .fraction, window: .wholeRun, section: .cache,
                          "the Redis node's command thread busy over the run: command time, value bytes at the node's bandwidth and keys scanned, per simulated second (0 with `node: none` and `command_time: 0`). `simrun plan` treats 0.8 and above as the node being the bottleneck") {
            [$0.configuration.duration > 0 ? $0.world.cache.commandThreadBusySeconds / SimClock.seconds($0.configuration.duration) : .nan]
        },
    ]

    // MARK: Job queues

    static let jobQueues: [MetricDeclaration] = [
        MetricDeclaration("queue.depth", .gauge, .jobs, [.max], window: .wholeRun, section: .jobs,
                          "the deepest any Celery queue got; series: jobs waiting in all queues, sampled",
                          series: { $0.gauges[.queueDepth] }, seriesIf: SeriesPresence.jobs) { [Double($0.jobs.map(\.maxDepth).max() ?? 0)] },
    ] + JobQueueName.allCases.map { queue in
        MetricDeclaration("queue.\(queue.rawValue).depth", .gauge, .jobs, [.max], window: .wholeRun, section: .jobs,
                          "the deepest the `\(queue.rawValue)` queue got; series: jobs waiting in it, sampled (only when a pool serves it)",
                          series: { $0.gauges[SampledGauge.depth(of: queue)] },
                          seriesIf: SeriesPresence.queue(queue)) {
            [Double($0.jobs[queue.jobQueueIndex].maxDepth)]
        }
    } + [
        MetricDeclaration("jobs.completed", .counter, .count, window: .wholeRun, section: .jobs,
                          "background jobs finished") { $0.jobsTotal(\.completed) },
        MetricDeclaration("jobs.retried", .counter, .count, window: .wholeRun, section: .jobs,
                          "background job runs that failed and were retried") { $0.jobsTotal(\.retried) },
        MetricDeclaration("jobs.dead", .counter, .count, window: .wholeRun, section: .jobs,
                          "background jobs dead-lettered after their last retry") { $0.jobsTotal(\.deadLettered) },
        MetricDeclaration("jobs.workers", .gauge, .count, [.max], window: .wholeRun, section: .jobs,
                          "the most Celery worker processes active at once, all pools (largest sample of the series); series: worker processes active, sampled",
                          series: { $0.gauges[.workers] }, seriesIf: SeriesPresence.jobs) { [$0.world.recorders.gauges.runMax(.workers)] },
        MetricDeclaration("jobs.enqueued", .counter, .count, window: .wholeRun, section: .jobs,
                          "background jobs that reached the broker (each counted once, however often it ran): `jobs.completed` + `jobs.dead` + `jobs.waiting_at_end` + `jobs.running_at_end`") {
            $0.jobsTotal(\.enqueued)
        },
        MetricDeclaration("jobs.waiting_at_end", .gauge, .jobs, window: .atEnd, section: .jobs,
                          "jobs not finished at the end and not running: in a queue, waiting out a retry countdown, or held unacknowledged by a crashed worker until the visibility timeout") {
            [Double($0.jobs.reduce(0) { $0 + $1.pending + $1.waitingToRetry + $1.unacknowledged })]
        },
        MetricDeclaration("jobs.running_at_end", .gauge, .jobs, window: .atEnd, section: .jobs,
                          "jobs a worker was running at the end") { $0.jobsTotal(\.inFlight) },
    ]

    // MARK: Users

    static let workload: [MetricDeclaration] = [
        MetricDeclaration("users.concurrent", .gauge, .users, [.max], window: .wholeRun, section: .workload,
                          "most users in a session at once",
                          series: { [$0.recorder.users.mean(at: $0.recorder.users.lastUpdate), $0.recorder.users.max] }) { [Double($0.world.maxUsersInSession)] },
        MetricDeclaration("users.in_session", .gauge, .users, section: .workload,
                          "time-average of the users in a session (thinking or waiting for an answer): N of Little's law for the closed population, `users.in_session` = `users.requests` / measured seconds × (`users.response_time` + think time per request)") {
            context -> [Double] in [context.client.userSeconds / context.seconds]
        },
        MetricDeclaration("users.requests", .counter, .count, section: .workload,
                          "answers the users received, counted at the client whatever answered (the CDN edge, an instance, an error; a page's static assets are part of its call): `api.requests` plus the edge's answers, counted independently of them") {
            [Double($0.client.answered)]
        },
        MetricDeclaration("users.response_time", .gauge, .seconds, section: .workload,
                          "mean time from a user sending a request to the user having its answer (`users.requests`); R of Little's law") {
            context -> [Double] in
            let client = context.client
            return [client.answered == 0 ? Double.nan : SimClock.seconds(client.responseTime) / Double(client.answered)]
        },
        MetricDeclaration("users.logins", .counter, .count, section: .workload,
                          "of `users.requests`: the logins that open sessions (no think time before them)") {
            [Double($0.client.logins)]
        },
        MetricDeclaration("users.refresh_reads", .counter, .count, section: .workload,
                          "of `users.requests`: the UI's re-reads of a task after the user's write (`users.refresh_after_write`; the refresh delay before them, not a think time)") {
            [Double($0.client.refreshes)]
        },
        MetricDeclaration("users.departures", .counter, .count, section: .workload,
                          "think times that ended without a request because the load profile no longer had the user active: the session ended there") {
            [Double($0.client.departures)]
        },
    ]

    // MARK: API instances and crashes

    static let instances: [MetricDeclaration] = [
        MetricDeclaration("api.instances", .gauge, .instances, [.max], window: .wholeRun, section: .api,
                          "most API instances in service at once; series: instances in service, sampled",
                          series: { $0.gauges[.apiInstances] }) { [Double($0.world.maxInService)] },
        MetricDeclaration("api.instances.desired", .gauge, .instances, [.max], window: .wholeRun, section: .api,
                          "most API instances desired at once (launched and not retired: the autoscaler's desired count, instances still starting included); series: the desired count, sampled",
                          series: { $0.gauges[.apiDesired] }) { [Double($0.world.maxDesired)] },
        MetricDeclaration("api.cpu.utilization", .fraction, .fraction, window: .wholeRun, section: .api,
                          "busy vCPU-seconds of the API instances while in service / their vCPU-seconds in service (exact, from each instance's busy-core area)",
                          series: { [$0.gauges.utilisation.api.value] }) { [$0.wholeRunUtilisation.api.value] },
        MetricDeclaration("api.crashes", .counter, .count, section: .api,
                          "API instances that crashed (`api.failures`)") { [Double($0.end.crashes.crashes - $0.start.crashes.crashes)] },
        MetricDeclaration("api.crashed_requests", .counter, .count, section: .api,
                          "requests inside an instance when it crashed: answered 502 at the crash") {
            [Double($0.end.crashes.crashedRequests - $0.start.crashes.crashedRequests)]
        },
        MetricDeclaration("api.bad_gateway", .counter, .count, section: .api,
                          "all 502 answers to API requests: `api.crashed_requests`, requests the load balancer sent to a crashed instance before its health checks failed, and requests that found no instance in service (all crashed or starting); each 502 at once, counted in `api.error_rate`",
                          series: { [Double($0.current.crashes.badGateway - $0.previous.crashes.badGateway)] }) {
            [Double($0.end.crashes.badGateway - $0.start.crashes.badGateway)]
        },
    ]

    // MARK: Connection pools

    static let pools: [MetricDeclaration] = [
        MetricDeclaration("db.pool.recycles", .counter, .count, section: .pool,
                          "API pool checkouts that reopened a connection older than `pool.recycle` (each paid `pool.connect_cost`)") {
            [Double($0.end.pools.recycles - $0.start.pools.recycles)]
        },
        MetricDeclaration("db.pool.pings", .counter, .count, section: .pool,
                          "API pool pre-ping round trips (one per checkout with `pool.pre_ping`)") {
            [Double($0.end.pools.pings - $0.start.pools.pings)]
        },
        MetricDeclaration("db.pool.reconnects", .counter, .count, section: .pool,
                          "API pool connections reopened because the server had closed them: found by a ping, or older than the pool's last invalidation") {
            [Double($0.end.pools.pingReconnects + $0.end.pools.invalidationReconnects
                    - $0.start.pools.pingReconnects - $0.start.pools.invalidationReconnects)]
        },
        MetricDeclaration("db.pool.connection_errors", .counter, .count, section: .pool,
                          "API queries that failed on a connection the server had closed (`pool.pre_ping: false`; the request answers 500)") {
            [Double($0.end.pools.connectionErrors - $0.start.pools.connectionErrors)]
        },
        MetricDeclaration("db.pool.high_utilisation_minutes", .counter, .minutes, section: .pool,
                          "summed over the API instances' pools: time their utilisation (checked out / (size + overflow), the seed's `check_pool_health`) was above 0.8") {
            [SimClock.seconds($0.end.poolHighUtilisation - $0.start.poolHighUtilisation) / 60]
        },
        MetricDeclaration("db.pool.utilization", .fraction, .fraction, window: .wholeRun, section: .pool,
                          "checked-out connection-seconds / (`pool_size` + `max_overflow`)-seconds, all client pools (API instances from launch to retirement, workers; with `api.pool.per_engine`, each engine's pool, counted from its process's start); pools with unlimited overflow are left out",
                          series: { [$0.gauges.utilisation.pools.value] }) { [$0.wholeRunUtilisation.pools.value] },
    ]

    // MARK: Job failures

    static let jobFailures: [MetricDeclaration] = [
        MetricDeclaration("jobs.redelivered", .counter, .count, window: .wholeRun, section: .jobs,
                          "jobs put back in their queue after a worker crash and the visibility timeout; each ran (at least partly) once more") {
            $0.jobsTotal(\.redelivered)
        },
        MetricDeclaration("jobs.worker_crashes", .counter, .count, window: .wholeRun, section: .jobs,
                          "Celery worker processes that crashed") { $0.jobsTotal(\.workerCrashes) },
        MetricDeclaration("jobs.interrupted_runs", .counter, .count, window: .wholeRun, section: .jobs,
                          "handler executions a worker crash cut off part-way: each job reruns from the start when redelivered, repeating what the first run did — the duplicate work of at-least-once delivery (a job handed over at the crash instant, not yet started, is redelivered without counting here)") {
            $0.jobsTotal(\.interruptedRuns)
        },
    ]

    // MARK: Consistency

    static let consistency: [MetricDeclaration] = [
        MetricDeclaration("api.late_stale_own_reads", .counter, .count, window: .wholeRun, section: .api,
                          "writer re-reads of its own task that started less than 2.5 s after the acknowledgement, ended later, and returned an older version: user-visible read-your-writes failures of slow requests, whose routing came after the ConsistencyManager's 5 s marker expired") {
            [Double($0.world.readYourWrites.lateStaleReads)]
        },
    ]

    // MARK: Cost

    static let totalCost = MetricDeclaration(
        "cost.total", .counter, .dollars, window: .wholeRun, section: .cost,
        "everything the run paid for its simulated duration: `cost.api` + `cost.database` + `cost.cache` + `cost.workers`; series: dollars accrued in each window (they add up to the whole run's)",
        series: { [$0.gauges.cost] }) {
        [$0.cost.total]
    }

    static let partCosts: [MetricDeclaration] = [
        MetricDeclaration("cost.api", .counter, .dollars, window: .wholeRun, section: .cost,
                          "API instance-hours (from launch to retirement) × the task's hourly price (the catalogue's Fargate price of `api.vcpus` and `api.memory`, or `api.hourly_price`)") {
            [$0.cost.api]
        },
        MetricDeclaration("cost.cache", .counter, .dollars, window: .wholeRun, section: .cost,
                          "the Redis node (`cache.node`) for the whole duration at the catalogue's hourly price (0 with `node: none`)") {
            [$0.cost.cache]
        },
        MetricDeclaration("cost.workers", .counter, .dollars, window: .wholeRun, section: .cost,
                          "Celery worker-hours (active worker processes over time, all pools) × a worker's hourly price (the catalogue's Fargate price of `jobs.worker_vcpus` and `jobs.worker_memory`, or `jobs.worker_hourly_price`)") {
            [$0.cost.workers]
        },
    ]

    static let databaseCost = MetricDeclaration(
        "cost.database", .counter, .dollars, window: .wholeRun, section: .cost,
        "database instance-hours: every instance from its creation until it is decommissioned (or the end), at its class's price — a blue-green pair is paid twice while both exist") {
        [$0.cost.database]
    }

    // MARK: Cache families

    /// `cache.l1.<family>.hit` then `cache.l2.<family>.hit` for each family the API looks data
    /// up in (`rate_limit` counters are incremented, never looked up; `last_write` markers are
    /// consistency checks).
    static let cacheFamilies: [MetricDeclaration] = [
        (layer: "l1", hits: \MeasurementSnapshot.localFamilyHits, misses: \MeasurementSnapshot.localFamilyMisses,
         what: "in-process LRU"),
        (layer: "l2", hits: \MeasurementSnapshot.sharedFamilyHits, misses: \MeasurementSnapshot.sharedFamilyMisses,
         what: "shared cache (Redis)"),
    ].flatMap { layer in
        TaskSystemResult.reportedFamilies.map { family in
            MetricDeclaration("cache.\(layer.layer).\(family).hit", .fraction, .fraction, [.rate], section: .cache,
                              "\(layer.what) hits / lookups of the `\(family)` key family; `null` without lookups (L1 holds `permissions` with `cache.l1.mode: seed-permissions`, users and projects with `entities-ttl`; sessions are written, never read)") { context in
                let i = family.index
                let hits = context.end[keyPath: layer.hits][i] - context.start[keyPath: layer.hits][i]
                let misses = context.end[keyPath: layer.misses][i] - context.start[keyPath: layer.misses][i]
                return [context.fraction(hits, hits + misses)]
            }
        }
    }

    // MARK: CDN edge

    static let edge: [MetricDeclaration] = [
        MetricDeclaration("cdn.requests", .counter, .count, section: .cdn,
                          "requests the CDN edge received: API calls and static assets (0 without a `cdn` section, and the rates `null`)",
                          series: { [Double($0.current.edge.requests - $0.previous.edge.requests)] }) {
            [Double($0.edge.requests)]
        },
        MetricDeclaration("cdn.hit", .fraction, .fraction, [.rate], section: .cdn,
                          "requests the edge answered itself / `cdn.requests`",
                          series: { [$0.fraction($0.current.edge.hits - $0.previous.edge.hits, $0.current.edge.requests - $0.previous.edge.requests)] }) { [$0.fraction($0.edge.hits, $0.edge.requests)] },
        MetricDeclaration("cdn.origin_requests", .counter, .count, section: .cdn,
                          "requests the edge passed to the load balancer: misses, writer bypasses, writes and uncacheable calls, asset misses") {
            [Double($0.edge.originRequests)]
        },
        MetricDeclaration("cdn.api.hit", .fraction, .fraction, [.rate], section: .cdn,
                          "cacheable `GET`s answered from the edge cache / cacheable `GET`s looked up (bypasses are not looked up)") {
            [$0.fraction($0.edge.apiHits, $0.edge.apiLookups)]
        },
        MetricDeclaration("cdn.assets.hit", .fraction, .fraction, [.rate], section: .cdn,
                          "static assets the edge held / asset requests") { [$0.fraction($0.edge.assetHits, $0.edge.assetRequests)] },
        MetricDeclaration("cdn.assets.origin_requests", .counter, .count, section: .cdn,
                          "asset misses (served by an instance)") { [Double($0.edge.assetRequests - $0.edge.assetHits)] },
        MetricDeclaration("cdn.assets.bad_gateway", .counter, .count, section: .cdn,
                          "asset misses answered 502: no instance in service, a crashed target before its health checks failed, or an instance that crashed while serving the asset") {
            [Double($0.edge.badGateway)]
        },
        MetricDeclaration("cdn.stale_responses", .counter, .count, section: .cdn,
                          "edge hits whose body differed from what the primary held at that instant (a write after the response was cached, inside the TTL)") {
            [Double($0.edge.staleResponses)]
        },
        MetricDeclaration("cdn.bypasses", .counter, .count, section: .cdn,
                          "cacheable reads a recent writer sent past the edge (`writer_bypass`)") { [Double($0.edge.bypasses)] },
        MetricDeclaration("cdn.latency", .latency, .seconds, [.p50, .p95, .p99], default: .p95, section: .cdn,
                          "response time of the requests the edge answered itself (the client ↔ edge round trip). A separate population: `api.*` counts and times only the requests that reached the load balancer, from the load balancer on") {
            $0.percentiles($0.requests.edgeLatency)
        },
    ]

    // MARK: Database limits, monitor and upgrades

    static let databaseLimits: [MetricDeclaration] = [
        MetricDeclaration("db.connections", .gauge, .connections, [.max], window: .wholeRun, section: .database,
                          "the most server connections any database instance held at once; series: the most any live instance holds, sampled",
                          series: { $0.gauges[.databaseConnections] }) {
            [Double($0.world.database.instances.map(\.peakConnections).max() ?? 0)]
        },
        MetricDeclaration("db.connections.utilization", .fraction, .fraction, [.max], window: .wholeRun, section: .database,
                          "the highest `connections / max_connections` any instance reached; series: the time-weighted mean of the highest ratio of a live instance, sampled",
                          series: { [$0.gauges[.databaseConnectionsUtilization][0]] }) {
            [$0.world.database.instances.map { Double($0.peakConnections) / Double($0.maxConnections) }.max() ?? 0]
        },
        MetricDeclaration("db.connections.refused", .counter, .count, section: .database,
                          "connections an instance refused at `max_connections` (MySQL error 1040; the request answers 503)") {
            $0.counted(\.refusedConnections)
        },
        MetricDeclaration("db.iops", .rate, .ioPerSecond, [.max], window: .wholeRun, section: .database,
                          "the highest one-minute I/O rate (reads missing the buffer pool + writes + replica applies) of any instance") {
            [$0.world.database.metrics.peakIOPS]
        },
        MetricDeclaration("db.iops.utilization", .fraction, .fraction, [.max], window: .wholeRun, section: .database,
                          "the highest one-minute I/O rate of an instance / its volume's IOPS (above 1 only while the bucket's one-second burst is spent)") {
            [$0.world.database.metrics.peakIOPSUtilization]
        },
        MetricDeclaration("db.io.wait", .counter, .seconds, window: .wholeRun, section: .database,
                          "total time queries waited for IOPS, all instances") {
            [$0.world.database.instances.reduce(0) { $0 + $1.ioWait }]
        },
        MetricDeclaration("db.storage.used_fraction", .fraction, .fraction, window: .atEnd, section: .database,
                          "used / allocated storage (dataset + inserted rows × `row_size`)") {
            [$0.world.database.storage.usedFraction]
        },
        MetricDeclaration("db.writes.storage_full", .counter, .count, section: .database,
                          "writes refused because the volume was full (MySQL error 1114; the request answers 507)") {
            $0.counted(\.storageFullWrites)
        },
        MetricDeclaration("db.monitor.triggers", .counter, .count, window: .wholeRun, section: .database,
                          "minutes in which the seed's `DatabaseMonitor` asked to scale up") {
            [Double($0.world.database.metrics.triggers.reduce(0, +))]
        },
    ] + DatabaseScalingReason.allCases.enumerated().map { index, reason in
        MetricDeclaration("db.monitor.triggers.\(reason.rawValue)", .counter, .count, window: .wholeRun, section: .database,
                          "`db.monitor.triggers` for the reason `\(reason.rawValue)`") {
            [Double($0.world.database.metrics.triggers[index])]
        }
    } + [
        MetricDeclaration("db.upgrades", .counter, .count, window: .wholeRun, section: .database,
                          "blue-green switches completed") { [Double($0.world.database.metrics.upgrades)] },
        MetricDeclaration("db.primary.vcpus", .gauge, .vCPUs, window: .atEnd, section: .database,
                          "the primary's class (its vCPUs; the class name is in `database[].primary`)") {
            [Double($0.world.database.primaryNode.instanceClass.vCPUs)]
        },
        MetricDeclaration("db.replicas", .gauge, .replicas, window: .atEnd, section: .database,
                          "replicas in service; series: replicas taking reads, sampled",
                          series: { $0.gauges[.replicas] }, seriesIf: SeriesPresence.replicas) {
            [Double($0.world.database.replicaServing.reduce(0) { $0 + ($1 ? 1 : 0) })]
        },
        MetricDeclaration("db.primary.cpu.utilization", .fraction, .fraction, window: .wholeRun, section: .database,
                          "busy vCPU-seconds of the primary / its vCPU-seconds, exact from its busy-core area: per window, the instance that is primary at the window's end; whole run, the one that is primary at the end, over its life",
                          series: { [$0.gauges.utilisation.primary.value] }) { [$0.wholeRunUtilisation.primary.value] },
        MetricDeclaration("db.replica.cpu.utilization", .fraction, .fraction, window: .wholeRun, section: .database,
                          "busy vCPU-seconds / vCPU-seconds of the replicas taking reads, over all of them, exact from their busy-core areas: per window, those taking reads at its end; whole run, those taking reads at the end, over their lives; no value without replicas",
                          series: { [$0.gauges.utilisation.replicas.value] }, seriesIf: SeriesPresence.replicas) { [$0.wholeRunUtilisation.replicas.value] },
    ]

    // MARK: Endpoints

    /// `api.<endpoint>.requests` and `api.<endpoint>.latency` for every ``Endpoint``.
    static let endpoints: [MetricDeclaration] = Endpoint.allCases.flatMap { endpoint in
        [
            MetricDeclaration("api.\(endpoint.rawValue).requests", .counter, .count, section: .endpoints,
                              "`api.requests` of the `\(endpoint.rawValue)` endpoint") {
                let figures = $0.requests.of(endpoint)
                return [Double(figures.completed + figures.clientErrors + figures.serverErrors)]
            },
            MetricDeclaration("api.\(endpoint.rawValue).latency", .latency, .seconds, [.p50, .p95, .p99],
                              default: .p95, section: .endpoints,
                              "`api.latency` of the `\(endpoint.rawValue)` endpoint") {
                $0.percentiles($0.requests.of(endpoint).latency)
            },
        ]
    }
}
