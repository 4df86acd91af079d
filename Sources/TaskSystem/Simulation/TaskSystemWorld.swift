import Sim

// MARK: - The task system, assembled on simulated infrastructure

/// One replication's world: its components, wired by ``build(_:replication:)`` — the database
/// tier, the shared cache, the job queues, the workload (users, sessions, client-side checks),
/// the API tier (instances, load balancer, crashes, the request path), the optional CDN edge in
/// front of it, the optional autoscaler, and the busiest-minute monitor. Each component owns its
/// state and its processes; the world holds them, starts the run's processes in a fixed order,
/// and presents what the metric declarations read (``TaskSystemWorld/metrics`` and the others in
/// "Readings").
final class TaskSystemWorld: Sendable {
    let runtime: ProcessRuntime
    /// The request counters, the series window and the timeline every component records into.
    let recorders: RunRecorders
    let database: SimulatedDatabase
    let cache: SimulatedSharedCache
    let jobs: SimulatedJobQueue
    let workload: Workload
    let api: APITier
    /// The CDN edge in front of the load balancer (`nil`: no CDN).
    let edge: CDNEdge?
    /// The API tier's autoscaler (`nil`: a fixed number of instances).
    let autoscaler: APIAutoscaler?
    /// The plan's injected faults (Redis outages and flushes, …).
    let faults: FaultInjector
    let peakRateMonitor: PeakRateMonitor
    /// The admin console removing project members (`nil`: no revocations).
    let revocations: PermissionRevocations?

    /// The world of these components; ``build(_:replication:)`` makes and wires them.
    init(runtime: ProcessRuntime, recorders: RunRecorders, database: SimulatedDatabase, cache: SimulatedSharedCache,
         jobs: SimulatedJobQueue, workload: Workload, api: APITier, edge: CDNEdge?, autoscaler: APIAutoscaler?,
         faults: FaultInjector, peakRateMonitor: PeakRateMonitor, revocations: PermissionRevocations? = nil) {
        self.runtime = runtime
        self.recorders = recorders
        self.database = database
        self.cache = cache
        self.jobs = jobs
        self.workload = workload
        self.api = api
        self.edge = edge
        self.autoscaler = autoscaler
        self.faults = faults
        self.peakRateMonitor = peakRateMonitor
        self.revocations = revocations
    }

    // MARK: Running

    /// Where the clients send their requests: the CDN edge when there is one, else the load
    /// balancer.
    var frontDoor: any FrontDoor { edge.map { $0 as any FrontDoor } ?? api }

    /// Starts the processes that drive the run, in this order (the order fixes the order of
    /// simultaneous events): the series windows, the users, the scripted instance crashes, the
    /// autoscaler, the permission revocations, the injected faults. Returns the series under
    /// construction.
    func start() -> SeriesCollector {
        let series = startSeries()
        workload.startUsers(through: frontDoor)
        api.startScriptedFailures()
        autoscaler?.start()
        revocations?.start()
        faults.start()
        return series
    }

    /// Sends one request through the front door as user `user` would (the tests' entry).
    func request(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID? = nil) async
        -> TaskID?
    {
        await frontDoor.request(endpoint, by: user, &stream, task: task)
    }

    /// Requests in flight now, counted where they are (inside instances, at the edge):
    /// conservation's independent count.
    var requestsInFlight: Int { api.requestsInsideInstances + (edge?.atEdge ?? 0) }

    // MARK: Readings

    // What the metric declarations (`Metrics/TaskSystemMetrics`) read, forwarded to the component
    // that owns it, so that a component's insides can move without touching the registry.

    /// Requests generated and answered.
    var metrics: RequestMetrics { recorders.requests }
    /// The busiest minutes after the warm-up.
    var peakRates: PeakRates { peakRateMonitor.rates }
    /// The most users in session at once.
    var maxUsersInSession: Int { workload.maxUsersInSession }
    /// The most API instances in service at once.
    var maxInService: Int { api.maxInService }
    /// The read-your-writes checks and what they found.
    var readYourWrites: ReadYourWritesMonitor { workload.readYourWrites }
    /// API instance-hours paid until `end`.
    func instanceHours(until end: SimTime) -> Double { api.instanceHours(until: end) }
}
