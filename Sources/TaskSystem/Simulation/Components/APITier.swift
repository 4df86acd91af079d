import Sim

// MARK: - The API tier

/// The API instances behind the load balancer: launching them (at once or after the start-up
/// delay), retiring them, what they cost, their crashes and replacements
/// (`APITier+Crashes`), and the one path every request takes through the load balancer to an
/// instance (`APITier+Requests`). It also keeps the load balancer's one-minute request count
/// and latencies, which the ECS autoscaler reads (``APIAutoscaler``).
///
/// Streams: `api.failure.<instance id>` per instance (random crashes). Confined to the
/// replication's runtime (hence `@unchecked Sendable`).
final class APITier: @unchecked Sendable {
    let runtime: ProcessRuntime
    let configuration: APIConfiguration
    private let database: SimulatedDatabase
    private let cache: SimulatedSharedCache
    private let jobs: SimulatedJobQueue
    let streams: RandomStreamFactory
    let recorders: RunRecorders
    /// The clients whose calls the instances run, and who acknowledge their writes.
    let workload: Workload

    /// Every instance ever launched, in launch order (its `id` is its index).
    private(set) var instances: [APIInstance] = []
    var balancer: LoadBalancer
    /// The most instances in service at once.
    private(set) var maxInService = 0
    /// Instance crashes and the requests they failed (`APITier+Crashes`).
    var crashCounts = InstanceCrashCounters()
    /// Requests answered and their latencies in the current one-minute period: the load
    /// balancer's `RequestCount` and `TargetResponseTime`, which the ECS autoscaler reads and
    /// resets each minute.
    var minuteRequests = 0
    var minuteLatencies = LatencyHistogram()
    /// Availability zones lost now (`zone-loss`): they take no launch.
    var lostZones: [AvailabilityZone] = []

    /// The tier of `configuration` with its starting instances in service; each instance uses
    /// `database`, `cache` and `jobs`, and runs `workload`'s calls.
    init(runtime: ProcessRuntime, configuration: APIConfiguration, database: SimulatedDatabase,
         cache: SimulatedSharedCache, jobs: SimulatedJobQueue, workload: Workload, streams: RandomStreamFactory,
         recorders: RunRecorders) {
        self.runtime = runtime
        self.configuration = configuration
        self.database = database
        self.cache = cache
        self.jobs = jobs
        self.workload = workload
        self.streams = streams
        self.recorders = recorders
        balancer = LoadBalancer(policy: configuration.loadBalancing)
        for _ in 0..<configuration.instances { launchInstance(healthy: true) }
        maxInService = configuration.instances
    }

    // MARK: Instances

    /// Launches an instance; it takes traffic at once (`healthy`) or after the start-up delay.
    func launchInstance(healthy: Bool) {
        let instance = APIInstance(id: instances.count, runtime: runtime, configuration: configuration,
                                   database: database, cache: cache, jobs: jobs,
                                   health: healthy ? .healthy : .initial, audit: workload)
        instance.zone = zone(forLaunch: instance.id)
        instances.append(instance)
        recorders.timeline.record(TimelineEvent(
            time: runtime.now, component: .api, kind: "instance-launched", from: "\(desired - 1)", to: "\(desired)",
            reason: "instance \(instance.id)" + (healthy ? ", in service at once"
                : ", in service after the \(SimClock.seconds(configuration.startupDelay)) s start-up")))
        if configuration.failures.meanTimeBetweenFailures != nil { armRandomFailure(of: instance) }
        if !healthy {
            runtime.spawn { [self] in
                do {
                    try await runtime.sleep(for: configuration.startupDelay)
                } catch {
                    return
                }
                if instance.health == .initial {
                    instance.health = .healthy
                    instance.inServiceSince = runtime.now
                    recorders.timeline.record(TimelineEvent(
                        time: runtime.now, component: .api, kind: "instance-in-service", from: "\(inService - 1)",
                        to: "\(inService)", reason: "instance \(instance.id) passed its start-up"))
                }
                maxInService = max(maxInService, inService)
            }
        }
    }

    /// The zone of the `index`-th launch: alternating a, b, …, or the other zone when that one
    /// is lost (both lost: the alternation's, as nothing else is left).
    private func zone(forLaunch index: Int) -> AvailabilityZone {
        let zone = AvailabilityZone.alternating(index)
        guard lostZones.contains(zone) else { return zone }
        let other: AvailabilityZone = zone == .a ? .b : .a
        return lostZones.contains(other) ? zone : other
    }

    /// Instances taking traffic.
    var inService: Int { instances.reduce(0) { $0 + ($1.isServing ? 1 : 0) } }
    /// Instances launched and not retired (the desired count).
    var desired: Int { instances.reduce(0) { $0 + ($1.retiredAt == nil ? 1 : 0) } }

    /// Retires the newest instances first until `count` remain; their in-flight requests finish.
    func retire(downTo count: Int) {
        var excess = desired - count
        for instance in instances.reversed() where excess > 0 && instance.retiredAt == nil {
            instance.health = .draining
            instance.retiredAt = runtime.now
            recorders.timeline.record(TimelineEvent(
                time: runtime.now, component: .api, kind: "instance-draining", from: "\(desired + 1)", to: "\(desired)",
                reason: "instance \(instance.id) retired, \(instance.outstanding) request(s) finishing"))
            excess -= 1
        }
    }

    /// Launches or retires instances so that `capacity` are desired (the autoscaler's decision).
    func scale(to capacity: Int) {
        if capacity > desired {
            for _ in desired..<capacity { launchInstance(healthy: false) }
        } else if capacity < desired {
            retire(downTo: capacity)
        }
    }

    /// Instance-hours paid so far.
    func instanceHours(until end: SimTime) -> Double {
        instances.reduce(0) { hours, instance in
            let stop = min(instance.retiredAt ?? end, end)
            return hours + SimClock.seconds(max(0, stop - instance.launchedAt)) / 3600
        }
    }

    /// Requests inside instances now, counted by the instances themselves (conservation's
    /// in-flight part).
    var requestsInsideInstances: Int { instances.reduce(0) { $0 + $1.outstanding } }
}
