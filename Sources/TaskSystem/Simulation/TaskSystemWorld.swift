import Sim

// MARK: - The task system, assembled on simulated infrastructure

/// One replication's world: the database tier, the shared cache, the job queue, the API
/// instances behind a load balancer, and the users whose sessions drive it all.
final class TaskSystemWorld<Cache: SharedCache, Queue: JobQueue>: @unchecked Sendable {
    let runtime: ProcessRuntime
    let workload: WorkloadConfiguration
    let apiConfiguration: APIConfiguration
    let database: SimulatedDatabase
    let cache: Cache
    let jobs: Queue
    var instances: [APIInstance<Cache, Queue>] = []
    var balancer: LoadBalancer
    let streams: RandomStreamFactory
    var metrics = RequestMetrics()
    /// Users with at least one project, in id order: the population sessions are drawn from.
    let activeUsers: [UserID]
    /// Projects of each user (index `id - 1`), in id order.
    let projectsOfUser: [[ProjectID]]
    /// Invariants: every acknowledged write, and writers re-reading their own writes.
    var acknowledgedWrites = AcknowledgedWrites()
    var readYourWrites: ReadYourWritesMonitor
    var titleCounter = 0
    /// Logins that returned an older profile than the primary held (an instance-local copy).
    var staleProfiles = 0
    /// The CDN edge in front of the load balancer (`nil`: no CDN; see `TaskSystemWorld+Edge`).
    var edge: EdgeLayer?
    /// The busiest minute's request and query rates after the warm-up (`TaskSystemWorld+PeakRates`).
    var peakRates = PeakRates()
    /// Instance crashes and the requests they failed (`TaskSystemWorld+Failures`).
    var crashCounts = InstanceCrashCounters()
    /// The current window's requests, latencies and users in session (`TaskSystemWorld+Series`).
    var seriesRecorder = SeriesRecorder(width: 60 * SimClock.nanosecondsPerSecond)
    /// The series' sampled levels, utilisations and cost (`Metrics/SeriesGauges`).
    var gauges = SeriesGauges()
    /// Decisions and incidents in time order (scaling, instances, crashes), bounded.
    var timeline = Timeline()

    init(runtime: ProcessRuntime, workload: WorkloadConfiguration, api: APIConfiguration,
         database: SimulatedDatabase, cache: Cache, jobs: Queue, streams: RandomStreamFactory,
         consistencyWindow: SimTime = ConsistencyManager().window, cdn: CDNConfiguration? = nil) {
        self.runtime = runtime
        self.workload = workload
        apiConfiguration = api
        self.database = database
        self.cache = cache
        self.jobs = jobs
        self.streams = streams
        readYourWrites = ReadYourWritesMonitor(consistencyWindow: consistencyWindow)
        balancer = LoadBalancer(policy: api.loadBalancing)
        let primary = database.store.primary
        var projects = Array(repeating: [ProjectID](), count: workload.data.users)
        for projectIndex in 1...max(1, workload.data.projects) {
            guard let project = primary.project(ProjectID(projectIndex)) else { continue }
            for member in project.memberIDs where member.rawValue <= projects.count {
                projects[member.rawValue - 1].append(project.id)
            }
        }
        projectsOfUser = projects
        activeUsers = projects.indices.filter { !projects[$0].isEmpty }.map { UserID($0 + 1) }
        edge = cdn.map { EdgeLayer(configuration: $0, users: workload.data.users,
                                   consistencyWindow: api.consistencyWindow, streams: streams) }
        for _ in 0..<api.instances { launchInstance(healthy: true) }
        maxInService = api.instances
    }

    // MARK: Instances

    /// Launches an instance; it takes traffic at once (`healthy`) or after the start-up delay.
    func launchInstance(healthy: Bool) {
        let instance = APIInstance(id: instances.count, runtime: runtime, configuration: apiConfiguration,
                                   database: database, cache: cache, jobs: jobs,
                                   health: healthy ? .healthy : .initial)
        instances.append(instance)
        timeline.record(TimelineEvent(
            time: runtime.now, component: .api, kind: "instance-launched", from: "\(desired - 1)", to: "\(desired)",
            reason: "instance \(instance.id)" + (healthy ? ", in service at once"
                : ", in service after the \(SimClock.seconds(apiConfiguration.startupDelay)) s start-up")))
        if apiConfiguration.failures.meanTimeBetweenFailures != nil { armRandomFailure(of: instance) }
        if !healthy {
            runtime.spawn { [self] in
                do {
                    try await runtime.sleep(for: apiConfiguration.startupDelay)
                } catch {
                    return
                }
                if instance.health == .initial {
                    instance.health = .healthy
                    instance.inServiceSince = runtime.now
                    timeline.record(TimelineEvent(
                        time: runtime.now, component: .api, kind: "instance-in-service", from: "\(inService - 1)",
                        to: "\(inService)", reason: "instance \(instance.id) passed its start-up"))
                }
                maxInService = max(maxInService, inService)
            }
        }
    }

    /// Instances taking traffic.
    var inService: Int { instances.reduce(0) { $0 + ($1.isServing ? 1 : 0) } }
    /// Instances launched and not retired (the desired count).
    var desired: Int { instances.reduce(0) { $0 + ($1.retiredAt == nil ? 1 : 0) } }
    var maxInService = 0

    /// Retires the newest instances first until `count` remain; their in-flight requests finish.
    func retire(downTo count: Int) {
        var excess = desired - count
        for instance in instances.reversed() where excess > 0 && instance.retiredAt == nil {
            instance.health = .draining
            instance.retiredAt = runtime.now
            timeline.record(TimelineEvent(time: runtime.now, component: .api, kind: "instance-draining",
                                          from: "\(desired + 1)", to: "\(desired)",
                                          reason: "instance \(instance.id) retired, \(instance.outstanding) request(s) finishing"))
            excess -= 1
        }
    }

    /// Instance-hours paid so far.
    func instanceHours(until end: SimTime) -> Double {
        instances.reduce(0) { hours, instance in
            let stop = min(instance.retiredAt ?? end, end)
            return hours + SimClock.seconds(max(0, stop - instance.launchedAt)) / 3600
        }
    }

    // MARK: Users

    /// Starts a process for every user the load profile ever needs; user `i` works while
    /// `i < load.users(at: now)`, each starting after a first think time.
    func startUsers() {
        for index in 0..<workload.load.maxUsers {
            runtime.spawn { [self] in
                await runUser(index)
            }
        }
    }

    /// Users in a session now, and the most at once.
    var usersInSession = 0
    var maxUsersInSession = 0

    func isActive(_ index: Int) -> Bool { index < workload.load.users(at: runtime.now) }

    func runUser(_ index: Int) async {
        guard !activeUsers.isEmpty else { return }
        let user = activeUsers[index % activeUsers.count]
        var stream = streams.stream(named: "user.\(index)")
        do {
            try await runtime.sleep(for: SimClock.time(seconds: workload.thinkTime.sample(&stream)))
            while true {
                guard isActive(index) else {
                    try await runtime.sleep(for: workload.activationCheck)
                    continue
                }
                usersInSession += 1
                maxUsersInSession = max(maxUsersInSession, usersInSession)
                seriesRecorder.users.update(to: Double(usersInSession), at: SimClock.seconds(runtime.now))
                defer {
                    usersInSession -= 1
                    seriesRecorder.users.update(to: Double(usersInSession), at: SimClock.seconds(runtime.now))
                }
                _ = await request(.login, by: user, &stream)
                let requests = max(1, SimClock.saturatingCount(workload.requestsPerSession.sample(&stream)))
                for _ in 0..<requests {
                    try await runtime.sleep(for: SimClock.time(seconds: workload.thinkTime.sample(&stream)))
                    guard isActive(index) else { break }
                    let endpoint = workload.mix.pick(&stream)
                    if let written = await request(endpoint, by: user, &stream), workload.refreshAfterWrite {
                        try await runtime.sleep(for: SimClock.time(seconds: workload.refreshDelay.sample(&stream)))
                        _ = await request(.getTask, by: user, &stream, task: written)
                    }
                }
            }
        } catch {
            return  // the run ended
        }
    }

    // MARK: Requests

    /// Sends one request — through the CDN edge when there is one, else straight to the load
    /// balancer — and records it. Returns the task a successful write touched (for the UI's re-read).
    func request(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID? = nil) async
        -> TaskID?
    {
        if edge != nil { return await requestThroughEdge(endpoint, by: user, &stream, task: task) }
        var body: EdgeResponse?
        return await originRequest(endpoint, by: user, &stream, task: task, project: nil, body: &body)
    }

    /// Sends one request through the load balancer to an instance and records it; `body`
    /// receives the response of a cacheable `GET` (for the edge). A request through the edge
    /// was counted as generated when it reached the edge.
    func originRequest(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID?,
                       project: ProjectID?, body: inout EdgeResponse?) async -> TaskID? {
        guard let chosen = balancer.select(for: user, among: instances) else {
            // No instance in service (every one crashed or still starting): the load balancer
            // answers 502 at once.
            if edge == nil { metrics.started() }
            crashCounts.noTargetRequests += 1
            record(endpoint, since: runtime.now, failure: .badGateway)
            return nil
        }
        if apiConfiguration.failures.isEnabled {
            return await requestFacingCrashes(endpoint, on: chosen, by: user, &stream, task: task, project: project,
                                              body: &body)
        }
        let instance = instances[chosen]
        let started = runtime.now
        if edge == nil { metrics.started() }
        instance.outstanding += 1
        let cost = apiConfiguration.cpuCost[Endpoint.allCases.firstIndex(of: endpoint)!].sample(&stream)
        var written: TaskID?
        var failure: APIError?
        do {
            try await instance.cpu.serve(for: SimClock.time(seconds: cost))
            var acknowledged: TaskItem?
            written = try await perform(endpoint, by: user, on: instance.api, &stream, task: task, project: project,
                                        body: &body, acknowledged: &acknowledged)
            if let acknowledged { acknowledge(acknowledged, by: user) }
        } catch let error as APIError {
            failure = error
        } catch {
            failure = .poolTimeout  // the run ended inside the request: counted, never reported
        }
        instance.outstanding -= 1
        record(endpoint, since: started, failure: failure)
        return written
    }

    /// Records an answered API request: its endpoint figures, and the current minute's scaling
    /// metrics (request count and latency).
    func record(_ endpoint: Endpoint, since started: SimTime, failure: APIError?) {
        metrics.finished(endpoint, latency: runtime.now - started, error: failure)
        seriesRecorder.answered(latency: runtime.now - started, serverError: failure?.isServerError == true)
        minuteLatencies.record(nanoseconds: UInt64(max(0, runtime.now - started)))
        minuteRequests += 1
    }

    /// The call a client makes for `endpoint`, with targets drawn from the user's projects.
    /// `project` and `body`: the project the edge already chose, and the response it may cache.
    /// `acknowledged`: the task a successful write returned, which the caller records as
    /// acknowledged once the client has its answer (a crash may still fail the request).
    func perform(_ endpoint: Endpoint, by user: UserID, on api: APIInstance<Cache, Queue>.API,
                 _ stream: inout RandomStream, task preset: TaskID?, project presetProject: ProjectID? = nil,
                 body: inout EdgeResponse?, acknowledged: inout TaskItem?) async throws -> TaskID? {
        let projects = projectsOfUser[user.rawValue - 1]
        let project: ProjectID
        if let presetProject { project = presetProject } else { project = projects[stream.uniformIndex(below: projects.count)] }
        func someTask(_ stream: inout RandomStream) -> TaskID? {
            if let preset { return preset }
            let tasks = database.store.primary.tasks(inProject: project)
            return tasks.isEmpty ? nil : tasks[stream.uniformIndex(below: tasks.count)]
        }
        switch endpoint {
        case .login:
            let profile = try await api.login(user)
            if profile != database.store.primary.user(user) { staleProfiles += 1 }
        case .updateProfile:
            titleCounter += 1
            _ = try await api.updateProfile(name: "User \(user.rawValue) v\(titleCounter)", as: user)
        case .getTask:
            guard let taskID = someTask(&stream) else { return nil }
            let check = readYourWrites.check(of: taskID, for: user, at: runtime.now)
            let task = try await api.getTask(taskID, as: user)
            if let check { readYourWrites.judge(check, seen: task.version, at: runtime.now) }
            body = .task(task)
        case .listTasks:
            body = .taskList(try await api.listTasks(inProject: project, as: user))
        case .searchTasks:
            _ = try await api.searchTasks(inProject: project, matching: "task", as: user)
        case .createTask:
            titleCounter += 1
            let task = try await api.createTask(CreateTask(title: "Task \(titleCounter)"), inProject: project, as: user)
            acknowledged = task
            return task.id
        case .updateTask:
            guard let taskID = someTask(&stream) else { return nil }
            titleCounter += 1
            let result = try await api.updateTask(taskID, with: UpdateTask(title: "Edited \(titleCounter)"), as: user)
            guard result.written else { return nil }
            acknowledged = result.value
            return taskID
        case .assignTask:
            guard let taskID = someTask(&stream),
                  let members = database.store.primary.project(project)?.memberIDs, !members.isEmpty else { return nil }
            let result = try await api.assignTask(
                taskID, with: AssignTask(assignee: members[stream.uniformIndex(below: members.count)]), as: user)
            guard result.written else { return nil }
            acknowledged = result.value
            return taskID
        case .comment:
            guard let taskID = someTask(&stream) else { return nil }
            _ = try await api.comment(AddComment(body: "Looks good"), on: taskID, as: user)
            return nil
        case .requestReport:
            try await api.requestReport(forProject: project, as: user)
        }
        return nil
    }

    // MARK: Autoscaling

    /// Requests and latencies of the current one-minute period (the ECS scaling metrics).
    var minuteRequests = 0
    var minuteLatencies = LatencyHistogram()

    // MARK: Invariants

    func acknowledge(_ task: TaskItem, by user: UserID) {
        acknowledgedWrites.record(task.id, version: task.version)
        readYourWrites.acknowledged(task.id, version: task.version, by: user, at: runtime.now)
    }

    /// Plants the test hooks' defects (nothing for the default hooks): phantom acknowledged
    /// writes get task ids above any the dataset or the run can create.
    func plant(_ hooks: TaskSystemTestHooks) {
        for index in 0..<hooks.phantomAcknowledgedWrites {
            acknowledgedWrites.record(TaskID(Int.max - index), version: 1)
        }
    }

    /// Acknowledged writes missing from the primary at the end of the run.
    func lostWrites() -> Int { acknowledgedWrites.lost(in: database.store.primary) }

    /// Requests inside instances now, counted by the instances themselves.
    var requestsInsideInstances: Int { instances.reduce(0) { $0 + $1.outstanding } }
}
