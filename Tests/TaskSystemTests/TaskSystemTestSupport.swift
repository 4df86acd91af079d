import Sim
@testable import TaskSystem

// MARK: - Small doubles and fixtures for service-level tests


/// A shared cache with no latency (the real one is `SimulatedSharedCache`): the tests of the
/// service logic should not depend on cache timing.
final class InstantCache: SharedCache, @unchecked Sendable {
    let runtime: ProcessRuntime
    var redis = RedisModel<CachedValue>()
    init(runtime: ProcessRuntime) { self.runtime = runtime }

    func get(_ key: CacheKey) async throws -> CachedValue? { redis.get(key, now: runtime.now) }
    func set(_ key: CacheKey, _ value: CachedValue, ttl: SimTime?) async throws {
        _ = redis.set(key, value, now: runtime.now, ttl: ttl.map(CacheExpiry.after) ?? .familyDefault, bytes: 100)
    }
    func delete(_ keys: [CacheKey]) async throws {
        for key in keys { _ = redis.delete(key, now: runtime.now) }
    }
    func allowRequest(of user: UserID) async throws -> Bool { true }
    func deleteAll(ownedBy owner: CacheOwner, families: CacheFamilies) async throws -> Int {
        redis.deleteAll(ownedBy: owner, families: families, now: runtime.now)
    }
}

/// Collects enqueued jobs.
final class RecordingJobQueue: JobQueue, @unchecked Sendable {
    var jobs: [Job] = []
    func enqueue(_ job: Job) async throws { jobs.append(job) }
}

/// Results written by processes, read by the test afterwards.
final class Outbox<Value>: @unchecked Sendable {
    var values: [Value] = []
    func add(_ value: Value) { values.append(value) }
}

func seconds(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

/// One small tier saturated by a crowd, scaled by ECS CPU target tracking (2…8 instances of 1
/// vCPU, 30 s start-up): 300 users / 3 s think ≈ 100 requests/s × 20 ms = 2 CPUs of work on 2
/// instances, so the policy must scale out.
func saturatedTier(duration: SimTime) -> TaskSystemConfiguration {
    var api = APIConfiguration(instances: 2, vCPUs: 1,
                               autoscaling: .ecs(AutoScalingPolicyConfiguration(
                                   minCapacity: 2, maxCapacity: 8, targetTracking: [.cpu70])),
                               startupDelay: seconds(30))
    api.cpuCost = Endpoint.allCases.map { _ in .exponential(mean: 0.02) }
    return TaskSystemConfiguration(
        duration: duration, warmup: seconds(10),
        workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 400), load: .constant(users: 300),
                                        thinkTime: .exponential(mean: 3)),
        api: api)
}

/// A small world: seeded data, a database with `replicas` replicas of constant `lag`, an
/// instant cache, and one API instance.
struct World {
    let runtime = ProcessRuntime()
    let database: SimulatedDatabase
    let client: DatabaseClient
    let cache: InstantCache
    let jobs = RecordingJobQueue()
    let api: TaskAPI<DatabaseClient, InstantCache, RecordingJobQueue, RuntimeClock>

    init(replicas: Int, lag: Double, plan: DatabaseConfiguration.QueryPlan = .join, poolSize: Int = 10) {
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 50, projects: 5, tasksPerProject: 8, membersPerProject: 10, random: &random)
        let configuration = DatabaseConfiguration(
            replicas: replicas, replicationLag: .constant(lag), replicationTick: seconds(0.01),
            roundTrip: .constant(0), pointReadCost: .constant(0.001), listBaseCost: .constant(0.001),
            writeCost: .constant(0.002), taskListPlan: plan)
        database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                     streams: RandomStreamFactory(rootSeed: 9))
        client = DatabaseClient(database: database,
                                pool: ConnectionPool(runtime: runtime, size: poolSize, maxOverflow: 0, timeout: seconds(30)))
        cache = InstantCache(runtime: runtime)
        api = TaskAPI(repository: client, cache: cache, jobs: jobs, clock: RuntimeClock(runtime: runtime))
    }

    /// A task of the seeded data with a project member who may write it.
    func writableTask() -> (task: TaskItem, writer: UserID, reader: UserID) {
        let task = database.store.primary.taskItems(inProject: ProjectID(1)).first!
        let project = database.store.primary.project(task.project)!
        let writers = project.memberIDs.filter { id in
            PermissionService.isAllowed(database.store.primary.user(id)!, to: .updateTask, in: project)
        }
        return (task, writers[0], writers[1])
    }
}
