// TaskSystemScenarioTests.swift — `kind: task-system` files: decoding, defaults, load profiles,
// units, autoscaling, KPIs, and errors with exact positions and key paths.

import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite("Task-system scenarios")
struct TaskSystemScenarioTests {
    // MARK: Full example

    static let example = """
        kind: task-system
        name: baseline-1k
        seed: 7
        duration: 1h
        warmup: 5m
        replications: 3
        users:
          registered: 2000
          projects: 150
          tasks_per_project: 25
          members_per_project: 8
          think: {distribution: exponential, mean: 5s}
          requests_per_session: {distribution: exponential, mean: 20}
          refresh_after_write: false
          mix: {get_task: 0.5, list_tasks: 0.3, update_task: 0.1, comment: 0.1}
        load:
          profile: ramp
          from: 100
          to: 1000
          start: 1m
          over: 30m
        api:
          instances: 3
          vcpus: 2
          load_balancing: least-connections
          local_cache_entries: 500
          cpu: {get_task: {distribution: constant, value: 2ms}, login: {distribution: exponential, mean: 0.01}}
          hourly_price: 0.1
          startup: 90s
          pool: {size: 5, max_overflow: 10, timeout: 10s}
          autoscaling: {min: 2, max: 10, scale_out_cooldown: 30s, scale_in_cooldown: 120s}
        database:
          primary: db.r5.xlarge
          replica: db.r5.2xlarge
          replicas: 2
          replication_lag: {distribution: exponential, mean: 20ms}
          max_replica_lag: 1s
          query_plan: n-plus-one
          round_trip: {distribution: constant, value: 1ms}
          point_read: {distribution: exponential, mean: 1ms}
          list_base: {distribution: exponential, mean: 2ms}
          write: {distribution: exponential, mean: 3ms}
          list_row: 30us
          join_row: 0.00002
        cache:
          latency: {distribution: uniform, low: 1ms, high: 2ms}
          max_memory: "512MB"
          eviction: volatile-ttl
          rate_limit: 600
          warm: false
        jobs:
          pools: {high: {workers: 6}, low: {workers: 1, concurrency: 4}}
          max_retries: 5
          retry_backoff: 30s
          retry_backoff_max: 10m
          autoscale: false
        external:
          email: {latency: {distribution: constant, value: 100ms}, failure: 0.02}
          push: {latency: {distribution: constant, value: 50ms}, failure: 0}
          report: {distribution: exponential, mean: 5s}
        kpis:
          - p99(api.get_task.latency) < 300ms
          - rate(cache.l2.hit) >= 90%
          - cost.total < 20
        """

    /// What ``example`` must decode to, built from the configuration types' initialisers.
    static var expectedExample: TaskSystemConfiguration {
        var cpu = APIConfiguration().cpuCost
        cpu[Endpoint.allCases.firstIndex(of: .getTask)!] = .constant(0.002)
        cpu[Endpoint.allCases.firstIndex(of: .login)!] = .exponential(mean: 0.01)
        var autoscaling = AutoScalingPolicyConfiguration.seed
        autoscaling.minCapacity = 2
        autoscaling.maxCapacity = 10
        autoscaling.cooldowns = ScalingCooldownPeriods(scaleOut: seconds(30), scaleIn: seconds(120))
        var jobs = JobQueueConfiguration.seed
        jobs.pools.queues[0].workers = 6
        jobs.pools.queues[2].workers = 1
        jobs.pools.queues[2].concurrency = 4
        jobs.retry = CeleryRetryPolicy(maxRetries: 5, countdown: .exponentialBackoff(
            factorSeconds: 30, maximumSeconds: 600, fullJitter: true))
        jobs.scaler = nil
        return TaskSystemConfiguration(
            name: "baseline-1k", seed: 7, duration: seconds(3600), warmup: seconds(300), replications: 3,
            workload: WorkloadConfiguration(
                data: SeedPlan(users: 2000, projects: 150, tasksPerProject: 25, membersPerProject: 8),
                load: .ramp(from: 100, to: 1000, start: seconds(60), over: seconds(1800)),
                thinkTime: .exponential(mean: 5),
                mix: EndpointMix([(.getTask, 0.5), (.listTasks, 0.3), (.updateTask, 0.1), (.comment, 0.1)]),
                requestsPerSession: .exponential(mean: 20), refreshAfterWrite: false),
            api: APIConfiguration(
                instances: 3, vCPUs: 2, cpuCost: cpu, loadBalancing: .leastConnections, localCacheCapacity: 500,
                poolSize: 5, poolOverflow: 10, poolTimeout: seconds(10), hourlyPrice: 0.1,
                autoscaling: .ecs(autoscaling), startupDelay: seconds(90)),
            database: DatabaseConfiguration(
                primary: DatabaseInstanceClass.named("db.r5.xlarge")!,
                replica: DatabaseInstanceClass.named("db.r5.2xlarge")!, replicas: 2,
                replicationLag: .exponential(mean: 0.02), maxReplicaLag: seconds(1), roundTrip: .constant(0.001),
                pointReadCost: .exponential(mean: 0.001), listBaseCost: .exponential(mean: 0.002),
                listRowCost: 0.00003, joinRowCost: 0.00002, writeCost: .exponential(mean: 0.003),
                taskListPlan: .nPlusOne),
            cache: SharedCacheConfiguration(
                redis: RedisConfiguration(maxMemory: 512_000_000, evictionPolicy: .volatileTTL),
                latency: .uniform(low: 0.001, high: 0.002), rateLimit: 600),
            jobs: jobs,
            external: ExternalServices(
                emailLatency: .constant(0.1), emailFailureProbability: 0.02, pushLatency: .constant(0.05),
                pushFailureProbability: 0, reportRendering: .exponential(mean: 5)),
            warmCache: false)
    }

    @Test func fullExampleDecodesToTheExpectedConfiguration() throws {
        let path = try Fixture.write(Self.example)
        defer { Fixture.remove(path) }
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: path) else {
            Issue.record("expected a task-system scenario")
            return
        }
        let decoded = scenario.configuration, expected = Self.expectedExample
        // Section by section first, so that a failure names the section.
        #expect(decoded.name == "baseline-1k")
        #expect(decoded.seed == 7 && decoded.duration == seconds(3600) && decoded.warmup == seconds(300))
        #expect(decoded.replications == 3 && decoded.warmCache == false)
        #expect(decoded.workload.data == expected.workload.data)
        #expect(decoded.workload.load == expected.workload.load)
        #expect(decoded.workload.mix == expected.workload.mix)
        #expect(decoded.workload == expected.workload)
        #expect(decoded.api.cpuCost == expected.api.cpuCost)
        #expect(decoded.api.autoscaling == expected.api.autoscaling)
        #expect(decoded.api == expected.api)
        #expect(decoded.database == expected.database)
        #expect(decoded.cache == expected.cache)
        #expect(decoded.jobs == expected.jobs)
        #expect(decoded.external == expected.external)
        #expect(scenario == TaskSystemScenario(configuration: expected, kpis: [
            KPI(expression: "p99(api.get_task.latency) < 300ms", aggregate: .p99, metric: "api.get_task.latency",
                op: .lessThan, threshold: 0.3, unit: .time(.milliseconds)),
            KPI(expression: "rate(cache.l2.hit) >= 90%", aggregate: .rate, metric: "cache.l2.hit",
                op: .greaterThanOrEqual, threshold: 0.9, unit: .percent),
            KPI(expression: "cost.total < 20", aggregate: nil, metric: "cost.total", op: .lessThan, threshold: 20),
        ], sourcePath: path, sourceText: Self.example))
        #expect(scenario.kpis.map { taskSystemMetricKey(for: $0) }
                == ["metrics.api.get_task.latency.p99", "metrics.cache.l2.hit_rate", "metrics.cost.total"])
    }

    @Test func equalityNoticesEverySection() {
        let base = TaskSystemConfiguration()
        #expect(base == TaskSystemConfiguration())
        let changes: [(String, (inout TaskSystemConfiguration) -> Void)] = [
            ("name", { $0.name = "other" }),
            ("warmCache", { $0.warmCache = false }),
            ("workload.refreshDelay", { $0.workload.refreshDelay = .constant(2) }),
            ("workload.activationCheck", { $0.workload.activationCheck += 1 }),
            ("api.memoryPerRequest", { $0.api.memoryPerRequest = 0.5 }),
            ("api.startupDelay", { $0.api.startupDelay += 1 }),
            ("database.replicationTick", { $0.database.replicationTick += 1 }),
            ("database.joinRowCost", { $0.database.joinRowCost = 1 }),
            ("cache.rateLimit", { $0.cache.rateLimit = 1 }),
            ("jobs.workerStartDelay", { $0.jobs.workerStartDelay = 1 }),
            ("external.reportRendering", { $0.external.reportRendering = .constant(1) }),
        ]
        for (field, change) in changes {
            var changed = base
            change(&changed)
            #expect(base != changed, "\(field)")
        }
    }

    // MARK: Defaults

    @Test func omittedKeysKeepTheConfigurationDefaults() throws {
        let scenario = try Fixture.taskSystem("kind: task-system\nname: minimal\n")
        let decoded = scenario.configuration, defaults = TaskSystemConfiguration()
        #expect(decoded.name == "minimal")
        #expect(decoded.seed == defaults.seed && decoded.duration == defaults.duration)
        #expect(decoded.warmup == defaults.warmup && decoded.replications == defaults.replications)
        #expect(decoded.warmCache == defaults.warmCache)
        #expect(decoded.workload.data == defaults.workload.data)
        #expect(decoded.workload.load == defaults.workload.load)
        #expect(decoded.workload.mix == defaults.workload.mix)
        #expect(decoded.workload.thinkTime == defaults.workload.thinkTime)
        #expect(decoded.api.cpuCost == defaults.api.cpuCost && decoded.api.autoscaling == nil)
        #expect(decoded.api.instances == defaults.api.instances && decoded.api.hourlyPrice == defaults.api.hourlyPrice)
        #expect(decoded.database.primary == defaults.database.primary && decoded.database.maxReplicaLag == nil)
        #expect(decoded.cache == defaults.cache && decoded.cache.redis.maxMemory == nil)
        #expect(decoded.jobs == defaults.jobs && decoded.jobs.scaler == .seed)
        var named = defaults
        named.name = "minimal"
        #expect(decoded == named)
    }

    @Test func emptySectionsKeepTheDefaults() throws {
        let scenario = try Fixture.taskSystem("""
            kind: task-system
            name: empty
            users: {}
            api: {}
            database: {}
            cache: {}
            jobs: {pools: {}}
            external: {email: {}}
            """)
        var expected = TaskSystemConfiguration()
        expected.name = "empty"
        #expect(scenario.configuration == expected)
    }

    @Test func registeredUsersScaleTheProjectsUnlessGiven() throws {
        let scaled = try Fixture.taskSystem("kind: task-system\nname: x\nusers: {registered: 5000}")
        #expect(scaled.configuration.workload.data == SeedPlan.scaled(users: 5000))
        #expect(scaled.configuration.workload.data.projects == 500)
        let given = try Fixture.taskSystem("kind: task-system\nname: x\nusers: {registered: 5000, projects: 7}")
        #expect(given.configuration.workload.data.projects == 7)
        let few = try Fixture.taskSystem("kind: task-system\nname: x\nusers: {registered: 5}")
        #expect(few.configuration.workload.data.projects == 1)
    }

    // MARK: Load

    @Test("load profiles", arguments: [
        ("users: {concurrent: 250}", LoadProfile.constant(users: 250)),
        ("load: {profile: constant, users: 40}", .constant(users: 40)),
        ("load: {profile: steps, steps: [{at: 0s, users: 100}, {at: 10m, users: 1000}]}",
         .steps([.init(at: 0, users: 100), .init(at: seconds(600), users: 1000)])),
        ("load: {profile: ramp, from: 100, to: 10000, start: 0s, over: 1h}",
         .ramp(from: 100, to: 10000, start: 0, over: seconds(3600))),
        ("load: {profile: ramp, from: 500, to: 50, over: 10m}", .ramp(from: 500, to: 50, start: 0, over: seconds(600))),
        ("load: {profile: diurnal, min: 100, max: 1000, period: 24h, peak_at: 14h}",
         .diurnal(min: 100, max: 1000, period: seconds(86400), peakAt: seconds(50400))),
        ("load: {profile: diurnal, min: 10, max: 20, peak_at: 2h}",
         .diurnal(min: 10, max: 20, period: seconds(86400), peakAt: seconds(7200))),
        ("load: {profile: flash-crowd, base: 1000, peak: 10000, at: 10m, hold: 5m}",
         .flashCrowd(base: 1000, peak: 10000, at: seconds(600), hold: seconds(300))),
    ])
    func loadProfile(yaml: String, expected: LoadProfile) throws {
        let scenario = try Fixture.taskSystem("kind: task-system\nname: x\n\(yaml)")
        #expect(scenario.configuration.workload.load == expected)
    }

    @Test("load profile errors", arguments: [
        ("users: {concurrent: 10}\nload: {profile: constant, users: 20}",
         ["4:7: load: 'load' and 'users.concurrent' are exclusive; users.concurrent: N is short for load: {profile: constant, users: N}"]),
        ("load: {profile: steps, steps: [{at: 1m, users: 10}, {at: 2m, users: 20}, {at: 90s, users: 5}]}",
         ["3:37: load.steps[0].at: the first step must be at 0, got 60.0 s",
          "3:79: load.steps[2].at: steps must be in increasing order of 'at': 90.0 s is not after the previous step's 120.0 s"]),
        ("load: {profile: steps, steps: []}", ["3:31: load.steps: at least one step is required, e.g. [{at: 0s, users: 100}]"]),
        ("load: {profile: diurnal, min: 100, max: 50, peak_at: 1h}", ["3:41: load.max: must be at least min (100), got 50"]),
        ("load: {profile: diurnal, min: 1, max: 5, period: 1h, peak_at: 2h}",
         ["3:63: load.peak_at: must be within the period (3600.0 s), got 7200.0 s"]),
        ("load: {profile: constant, from: 5}",
         ["3:7: load: missing required key 'users'", "3:27: load.from: 'from' belongs to profile 'ramp'; profile 'constant' takes users"]),
        ("load: {profile: ramp, from: 1, to: -2, over: 0s}",
         ["3:36: load.to: too small (min 0), got -2", "3:46: load.over: must be greater than 0"]),
        ("load: {profile: flash, base: 1}",
         ["3:17: load.profile: unknown load profile 'flash'; allowed: constant, steps, ramp, diurnal, flash-crowd"]),
        ("load: {profile: flash-crowd, base: 1, peak: 2, at: 1m, hold: 0s, holds: 1}",
         ["3:62: load.hold: must be greater than 0", "3:66: load.holds: unknown key 'holds'; did you mean 'hold'?"]),
    ])
    func loadErrors(yaml: String, expected: [String]) throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\n\(yaml)") == expected)
    }

    // MARK: Mix

    @Test func mixKeepsTheOrderWritten() throws {
        let scenario = try Fixture.taskSystem("kind: task-system\nname: x\nusers: {mix: {comment: 2, get_task: 6}}")
        #expect(scenario.configuration.workload.mix == EndpointMix([(.comment, 2), (.getTask, 6)]))
    }

    @Test func mixRejectsUnknownEndpointsLoginAndNonPositiveWeights() throws {
        let errors = try Fixture.errors("""
            kind: task-system
            name: x
            users:
              mix:
                get_tasks: 0.4
                login: 0.1
                comment: 0
                list_tasks: -1
                request_report: often
                dance: 1
            """)
        #expect(errors == [
            "5:5: users.mix.get_tasks: unknown endpoint 'get_tasks'; did you mean 'get_task'?",
            "6:5: users.mix.login: login is not part of the mix: every session opens with one login, and the mix weighs the requests that follow",
            "7:14: users.mix.comment: a weight must be > 0, got 0.0; leave the endpoint out to exclude it",
            "8:17: users.mix.list_tasks: a weight must be > 0, got -1.0; leave the endpoint out to exclude it",
            "9:21: users.mix.request_report: expected a number, got the string \"often\"",
            "10:5: users.mix.dance: unknown endpoint 'dance'; endpoints: get_task, list_tasks, create_task, update_task, assign_task, comment, request_report, update_profile, search_tasks",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\nusers: {mix: {}}")
                == ["3:14: users.mix: at least one endpoint is required; endpoints: get_task, list_tasks, create_task, update_task, assign_task, comment, request_report, update_profile, search_tasks"])
    }

    // MARK: Database

    @Test func unknownInstanceClassListsTheCatalog() throws {
        let catalog = "the catalogue: db.t3.medium, db.m5.large, db.m5.xlarge, db.m5.2xlarge, db.m5.4xlarge, db.r5.large, "
            + "db.r5.xlarge, db.r5.2xlarge, db.r5.4xlarge, db.r5.8xlarge, db.r6g.large, db.r6g.xlarge, db.r6g.2xlarge, db.r6g.4xlarge"
        #expect(try Fixture.errors("kind: task-system\nname: x\ndatabase: {primary: db.m6.large, replica: big}") == [
            "3:21: database.primary: unknown instance class 'db.m6.large'; did you mean 'db.m5.large'?; \(catalog)",
            "3:43: database.replica: unknown instance class 'big'; \(catalog)",
        ])
    }

    // MARK: Cache memory

    @Test("memory sizes", arguments: [
        ("1073741824", 1_073_741_824),
        ("1_000", 1000),
        ("\"512MB\"", 512_000_000),
        ("512MB", 512_000_000),
        ("1GB", 1_000_000_000),
        ("\"1 GiB\"", 1_073_741_824),
        ("256KiB", 262_144),
        ("64KB", 64_000),
        ("1.5GiB", 1_610_612_736),
        ("2MiB", 2_097_152),
        ("1TB", 1_000_000_000_000),
        ("100B", 100),
    ])
    func memorySize(text: String, bytes: Int) throws {
        let scenario = try Fixture.taskSystem("kind: task-system\nname: x\ncache:\n  max_memory: \(text)")
        #expect(scenario.configuration.cache.redis.maxMemory == bytes)
    }

    @Test("memory size errors", arguments: [
        ("512mb", "unknown unit 'mb' in \"512mb\"; did you mean 'MB'?"),
        ("512 bytes", "unknown unit 'bytes' in \"512 bytes\"; units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB"),
        ("\"512\"", "memory size \"512\" has no unit; expected a number of bytes or a number with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. \"512MB\" or \"1GiB\""),
        ("lots", "\"lots\" is not a memory size; expected a number of bytes or a number with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. \"512MB\" or \"1GiB\""),
        ("0", "must be greater than 0 bytes, got 0; leave max_memory out for no limit"),
        ("-5", "must be greater than 0 bytes, got -5; leave max_memory out for no limit"),
        ("1.5", "must be a whole number of bytes, got 1.5"),
        ("1.5B", "memory size \"1.5B\" is not a whole number of bytes (1.5)"),
        ("[1]", "expected a memory size (bytes, or a string such as \"512MB\"), got a list"),
    ])
    func memorySizeError(text: String, message: String) throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\ncache:\n  max_memory: \(text)")
                == ["4:15: cache.max_memory: \(message)"])
    }

    // MARK: Autoscaling

    @Test func autoscalingOnOffAndOverrides() throws {
        func policy(_ yaml: String) throws -> AutoscalingPolicy? {
            try Fixture.taskSystem("kind: task-system\nname: x\n\(yaml)").configuration.api.autoscaling
        }
        #expect(try policy("") == nil)
        #expect(try policy("api: {autoscaling: false}") == nil)
        #expect(try policy("api: {autoscaling: true}") == .ecs(.seed))
        #expect(try policy("api: {autoscaling: {kind: ecs}}") == .ecs(.seed))
        var expected = AutoScalingPolicyConfiguration.seed
        expected.maxCapacity = 8
        expected.cooldowns.scaleIn = seconds(600)
        #expect(try policy("api: {autoscaling: {max: 8, scale_in_cooldown: 10m}}") == .ecs(expected))
        #expect(try policy("api: {autoscaling: {max: 8, scale_in_cooldown: 10m}}") != .ecs(.seed))
    }

    @Test func hpaKindWithKubernetesDefaultsAndOverrides() throws {
        func policy(_ yaml: String) throws -> AutoscalingPolicy? {
            try Fixture.taskSystem("kind: task-system\nname: x\n\(yaml)").configuration.api.autoscaling
        }
        #expect(try policy("api: {autoscaling: {kind: hpa}}") == .kubernetesHPA(KubernetesAutoscaling()))
        var down = HPAScalingRules.defaultScaleDown
        down.stabilizationWindow = seconds(120)
        let expected = KubernetesAutoscaling(
            autoscaler: HorizontalPodAutoscalerConfiguration(minReplicas: 3, maxReplicas: 12, tolerance: 0.05,
                                                             scaleDown: down),
            cpuTarget: 60, memoryTarget: nil, syncPeriod: seconds(30))
        #expect(try policy("""
            api:
              instances: 3
              autoscaling: {kind: hpa, min: 3, max: 12, tolerance: 0.05, cpu_target: 60, memory_target: false,
                            sync_period: 30s, scale_down_stabilization: 2m}
            """) == .kubernetesHPA(expected))
    }

    @Test("autoscaling errors", arguments: [
        ("api: {autoscaling: {min: 4, max: 3}}", ["3:34: api.autoscaling.max: must be at least min (4), got 3"]),
        ("api: {autoscaling: {min: 30}}", ["3:26: api.autoscaling.min: must be at most max (20, the default), got 30"]),
        ("api: {instances: 25, autoscaling: true}", ["3:18: api.instances: must be within autoscaling min…max (2…20), got 25"]),
        ("api: {autoscaling: {min: 3}}",
         ["3:20: api.autoscaling: the default 2 instances at the start lie outside min…max (3…20); set api.instances within the bounds"]),
        ("api: {autoscaling: yes}", ["3:20: api.autoscaling: expected true, false or a mapping such as {min: 2, max: 20}, got the string \"yes\""]),
        ("api: {autoscaling: {minimum: 1}}", ["3:21: api.autoscaling.minimum: unknown key 'minimum'; allowed keys: kind, min, max, scale_out_cooldown, scale_in_cooldown, cpu_target, memory_target, request_count_per_target, step_scaling, scale_out_cooldown_blocks_scale_in, metric_delay"]),
        ("api: {autoscaling: {kind: hpa, scale_in_cooldown: 1m}}",
         ["3:32: api.autoscaling.scale_in_cooldown: unknown key 'scale_in_cooldown'; allowed keys: kind, min, max, tolerance, cpu_target, memory_target, sync_period, scale_up_stabilization, scale_down_stabilization, scale_up_policies, scale_down_policies, scale_up_select_policy, scale_down_select_policy"]),
        ("api: {autoscaling: {kind: kubernetes}}",
         ["3:27: api.autoscaling.kind: unknown autoscaler kind 'kubernetes'; allowed: ecs, hpa"]),
        ("api: {autoscaling: {kind: hpa, cpu_target: 150}}",
         ["3:44: api.autoscaling.cpu_target: must be a percentage greater than 0 and at most 100, got 150.0"]),
        ("api: {autoscaling: {kind: hpa, min: 5, max: 4}}", ["3:45: api.autoscaling.max: must be at least min (5), got 4"]),
    ])
    func autoscalingErrors(yaml: String, expected: [String]) throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\n\(yaml)") == expected)
    }

    // MARK: KPIs

    @Test func absentKPIsAreTheSeedTableAndAnEmptyListIsNone() throws {
        let absent = try Fixture.taskSystem("kind: task-system\nname: x")
        #expect(absent.kpis == TaskSystemScenario.defaultKPIs)
        let parsed = try ["p95(api.latency) < 500ms", "rate(cache.hit) >= 0.95", "max(queue.depth) < 1000"]
            .map { try KPI(parsing: $0) }
        #expect(TaskSystemScenario.defaultKPIs == parsed)
        #expect(TaskSystemScenario.defaultKPIs.map { taskSystemMetricKey(for: $0) }
                == ["metrics.api.latency.p95", "metrics.cache.hit_rate", "metrics.queue.depth.max"])
        #expect(try Fixture.taskSystem("kind: task-system\nname: x\nkpis: []").kpis.isEmpty)
        let one = try Fixture.taskSystem("kind: task-system\nname: x\nkpis: [\"jobs.dead == 0\"]")
        #expect(one.kpis == [KPI(expression: "jobs.dead == 0", aggregate: nil, metric: "jobs.dead", op: .equal, threshold: 0)])
    }

    @Test("task-system summary keys", arguments: [
        ("api.latency < 1s", "metrics.api.latency.p95"),
        ("p50(api.latency) < 1s", "metrics.api.latency.p50"),
        ("p99(api.latency) < 1s", "metrics.api.latency.p99"),
        ("p95(api.list_tasks.latency) < 1s", "metrics.api.list_tasks.latency.p95"),
        ("p50(api.login.latency) < 1s", "metrics.api.login.latency.p50"),
        ("api.throughput > 50", "metrics.api.throughput"),
        ("max(api.throughput) >= 5000", "metrics.api.throughput.max"),
        ("max(db.qps) >= 15000", "metrics.db.qps.max"),
        ("api.error_rate < 1%", "metrics.api.error_rate"),
        ("api.requests > 0", "metrics.api.requests"),
        ("db.qps < 1000", "metrics.db.qps"),
        ("db.primary.qps < 1000", "metrics.db.primary.qps"),
        ("db.replica.qps < 1000", "metrics.db.replica.qps"),
        ("max(db.replica.lag) < 1s", "metrics.db.replica.lag.max"),
        ("db.stale_reads == 0", "metrics.db.stale_reads"),
        ("db.pool.timeouts == 0", "metrics.db.pool.timeouts"),
        ("cache.hit >= 95%", "metrics.cache.hit_rate"),
        ("rate(cache.l1.hit) >= 0.5", "metrics.cache.l1.hit_rate"),
        ("rate(cache.l2.hit) >= 0.5", "metrics.cache.l2.hit_rate"),
        ("queue.depth < 1000", "metrics.queue.depth.max"),
        ("jobs.completed > 0", "metrics.jobs.completed"),
        ("jobs.retried < 10", "metrics.jobs.retried"),
        ("jobs.dead == 0", "metrics.jobs.dead"),
        ("max(api.instances) <= 20", "metrics.api.instances.max"),
        ("max(users.concurrent) <= 1000", "metrics.users.concurrent.max"),
        ("cost.total < 20", "metrics.cost.total"),
    ])
    func taskSystemKey(text: String, key: String) throws {
        #expect(taskSystemMetricKey(for: try KPI(parsing: text)) == key)
    }

    @Test func everyEndpointHasALatencyMetric() {
        for endpoint in Endpoint.allCases {
            #expect(MetricCatalogue.taskSystem.metric(named: "api.\(endpoint.rawValue).latency")?.aggregates
                    == [.p50, .p95, .p99])
        }
    }

    @Test("metrics and aggregates the task system does not offer", arguments: [
        ("p95(api.latncy) < 500ms", "unknown metric 'api.latncy'; did you mean 'api.latency'?"),
        ("rate(cache.hits) >= 0.9", "unknown metric 'cache.hits'; did you mean 'cache.hit'?"),
        ("mean(api.latency) < 1s", "aggregate 'mean' is not available for 'api.latency'; use p50, p95, p99"),
        ("p90(api.latency) < 1s", "aggregate 'p90' is not available for 'api.latency'; use p50, p95, p99"),
        ("p95(db.replica.lag) < 1s", "aggregate 'p95' is not available for 'db.replica.lag'; use max"),
        ("mean(cache.hit) > 0.9", "aggregate 'mean' is not available for 'cache.hit'; use rate"),
        ("p99(jobs.dead) < 1", "aggregate 'p99' is not available for 'jobs.dead'; use mean"),
        ("cache.hit > 90ms", "'cache.hit' is not a time, so the threshold cannot be in 'ms'; write a fraction or a percentage"),
        ("api.latency < 5%", "'api.latency' is not a fraction, so the threshold cannot be a percentage; write a time such as 2s or 50ms"),
    ])
    func rejectedByTaskSystemCatalogue(text: String, message: String) throws {
        let kpi = try KPI(parsing: text)
        #expect(throws: KPIError(message: message)) {
            try MetricCatalogue.taskSystem.resolve(kpi)
        }
        #expect(taskSystemMetricKey(for: kpi) == nil)
    }

    @Test func kpiTyposInAFilePointAtTheItem() throws {
        #expect(try Fixture.errors("""
            kind: task-system
            name: x
            kpis:
              - p95(api.latncy) < 500ms
              - rate(cache.hit) >= 95%
              - p95(api.get_tsk.latency) < 1s
            """) == [
            "4:5: kpis[0]: \"p95(api.latncy) < 500ms\": unknown metric 'api.latncy'; did you mean 'api.latency'?",
            "6:5: kpis[2]: \"p95(api.get_tsk.latency) < 1s\": unknown metric 'api.get_tsk.latency'; did you mean 'api.get_task.latency'?",
        ])
    }

    // MARK: Several errors at once

    @Test func severalErrorsAreReportedTogetherWithPositionsAndKeyPaths() throws {
        let errors = try Fixture.errors("""
            kind: task-system
            name: errors
            duration: 10m
            warmup: 10m
            users:
              registered: -5
              thinks: {distribution: exponential, mean: 10s}
            api:
              instancs: 2
              pool: {size: 0, timeout: soon}
            database:
              replicas: -1
              query_plan: n+1
              list_row: -1
            cache:
              eviction: lru
              rate_limit: 0
            jobs:
              pools: {urgent: {workers: 2}, high: {workers: -1, concurency: 3}}
              retry_backoff: 1.5s
            external:
              email: {failure: 1.5}
            ports: 80
            """)
        #expect(errors == [
            "4:9: warmup: must be shorter than duration (600.0 s), got 600.0 s",
            "6:15: users.registered: too small (min 1), got -5",
            "7:3: users.thinks: unknown key 'thinks'; did you mean 'think'?",
            "9:3: api.instancs: unknown key 'instancs'; did you mean 'instances'?",
            "10:16: api.pool.size: too small (min 1), got 0",
            "10:28: api.pool.timeout: \"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\"",
            "12:13: database.replicas: too small (min 0), got -1",
            "13:15: database.query_plan: unknown query plan 'n+1'; allowed: join, n-plus-one",
            "14:13: database.list_row: must not be negative, got -1.0",
            "16:13: cache.eviction: unknown eviction policy 'lru'; allowed: allkeys-lru, volatile-ttl, noeviction",
            "17:15: cache.rate_limit: too small (min 1), got 0",
            "19:11: jobs.pools.urgent: unknown queue 'urgent'; queues: high, default, low",
            "19:49: jobs.pools.high.workers: too small (min 0), got -1",
            "19:53: jobs.pools.high.concurency: unknown key 'concurency'; did you mean 'concurrency'?",
            "20:18: jobs.retry_backoff: must be a whole number of seconds, got 1.5 s",
            "22:20: external.email.failure: a probability must be between 0 and 1, got 1.5",
            "23:1: ports: unknown key 'ports'; allowed keys: kind, name, seed, duration, warmup, replications, users, load, api, database, cache, jobs, external, cdn, series, kpis, faults, accept, defaults",
        ])
    }

    @Test func runLengthChecks() throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\nduration: 30s") == [
            "3:11: duration: must be longer than warmup (60.0 s, the default), got 30.0 s; set warmup too",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\nduration: 0s\nwarmup: 0\nreplications: 0") == [
            "3:11: duration: must be greater than 0",
            "5:15: replications: too small (min 1), got 0",
        ])
        let short = try Fixture.taskSystem("kind: task-system\nname: x\nduration: 30s\nwarmup: 0")
        #expect(short.configuration.duration == seconds(30) && short.configuration.warmup == 0)
    }

    @Test func retryBackoffMustNotExceedItsCap() throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\njobs: {retry_backoff: 20m}") == [
            "3:23: jobs.retry_backoff: must be at most retry_backoff_max (600 s, the default), got 1200 s",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\njobs: {retry_backoff: 60, retry_backoff_max: 30}") == [
            "3:46: jobs.retry_backoff_max: must be at least retry_backoff (60 s), got 30 s",
        ])
    }

    @Test func namesAreCheckedInEverySection() throws {
        #expect(try Fixture.errors("""
            kind: task-system
            name: x
            api: {cpu: {get_tsk: {distribution: constant, value: 1ms}}, load_balancing: random}
            external: {sms: {failure: 0.1}}
            """) == [
            "3:13: api.cpu.get_tsk: unknown endpoint 'get_tsk'; did you mean 'get_task'?",
            "3:77: api.load_balancing: unknown load balancing policy 'random'; allowed: round-robin, least-connections, sticky",
            "4:12: external.sms: unknown key 'sms'; allowed keys: email, push, report",
        ])
    }
}

@Suite struct TaskSystemScenarioConsistencyWindowTests {
    @Test func consistencyWindowIsReadAsADuration() throws {
        let scenario = try ScenarioLoader.load(yaml: """
            kind: task-system
            name: w
            api: {consistency_window: 0s}
            """, path: "w.yaml")
        guard case .taskSystem(let decoded) = scenario else {
            Issue.record("expected a task-system scenario")
            return
        }
        #expect(decoded.configuration.api.consistencyWindow == 0)
    }
}
