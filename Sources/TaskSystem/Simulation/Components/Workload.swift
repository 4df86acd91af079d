import Sim

// MARK: - Where clients send their requests

/// What a client sends its requests to: the CDN edge when there is one, else the API tier's
/// load balancer (``TaskSystemWorld/frontDoor``).
protocol FrontDoor: AnyObject, Sendable {
    /// Sends one request and records it; returns the task a successful write touched (for the
    /// UI's re-read).
    func request(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID?) async -> TaskID?
}

// MARK: - The workload

/// The users and what they ask for: a process per user the load profile ever needs, sessions of
/// requests with think times and an endpoint mix, the call each request makes on an instance's
/// service code (targets drawn from the user's projects), and the client-side checks of the
/// answers — read-your-writes, every acknowledged write kept, stale profiles.
///
/// Streams: `user.<index>` per user process (think times, the session, the endpoints and their
/// targets); with turnover, `session.<index>` (the user of each session). Confined to the
/// replication's runtime (hence `@unchecked Sendable`).
final class Workload: AuthorizationAudit, @unchecked Sendable {
    let runtime: ProcessRuntime
    let configuration: WorkloadConfiguration
    private let database: SimulatedDatabase
    private let streams: RandomStreamFactory
    private let recorders: RunRecorders
    /// Users with at least one project, in id order: the population sessions are drawn from.
    let activeUsers: [UserID]
    /// Projects of each user (index `id - 1`), in id order.
    let projectsOfUser: [[ProjectID]]

    /// Every acknowledged write (no acknowledged write may be lost).
    private(set) var acknowledgedWrites = AcknowledgedWrites()
    /// Writers re-reading their own writes, judged against the seed's consistency window.
    private(set) var readYourWrites: ReadYourWritesMonitor
    /// Logins that returned an older profile than the primary held (an instance-local copy).
    private(set) var staleProfiles = 0
    /// Project-scoped requests an instance authorised that the primary's memberships refuse
    /// (``AuthorizationAudit``): a cached permission outlived a revocation.
    private(set) var stalePermissionGrants = 0
    /// Users in a session now, and the most at once.
    private(set) var usersInSession = 0
    private(set) var maxUsersInSession = 0
    /// What the users saw (``clientCounters``), the users-in-session area up to ``sessionAreaSince``.
    private var client = ClientCounters()
    private var sessionAreaSince: SimTime = 0
    /// Numbers the titles and names the users write.
    private var titleCounter = 0
    /// With turnover: the registered users not in a session, whom new sessions are drawn from.
    private var sessionUsers: SessionUserPool?

    /// The workload of `configuration` on the data in `database`'s primary. Read-your-writes is
    /// judged against `consistencyWindow` — the seed's 5 s by default, whatever the API's
    /// `consistency_window`, so that turning the ConsistencyManager off shows as a broken
    /// invariant rather than as no checks.
    init(runtime: ProcessRuntime, configuration: WorkloadConfiguration, database: SimulatedDatabase,
         streams: RandomStreamFactory, recorders: RunRecorders,
         consistencyWindow: SimTime = ConsistencyManager().window) {
        self.runtime = runtime
        self.configuration = configuration
        self.database = database
        self.streams = streams
        self.recorders = recorders
        readYourWrites = ReadYourWritesMonitor(consistencyWindow: consistencyWindow)
        let primary = database.store.primary
        var projects = Array(repeating: [ProjectID](), count: configuration.data.users)
        for projectIndex in 1...max(1, configuration.data.projects) {
            guard let project = primary.project(ProjectID(projectIndex)) else { continue }
            for member in project.memberIDs where member.rawValue <= projects.count {
                projects[member.rawValue - 1].append(project.id)
            }
        }
        projectsOfUser = projects
        activeUsers = projects.indices.filter { !projects[$0].isEmpty }.map { UserID($0 + 1) }
        if configuration.turnover { sessionUsers = SessionUserPool(users: activeUsers) }
    }

    // MARK: Users

    /// Starts a process for every user the load profile ever needs; user `i` works while
    /// `i < load.users(at: now)`, each starting after a first think time, and sends its requests
    /// to `door`.
    func startUsers(through door: any FrontDoor) {
        for index in 0..<configuration.load.maxUsers {
            runtime.spawn { [self] in
                await runUser(index, through: door)
            }
        }
    }

    private func isActive(_ index: Int) -> Bool { index < configuration.load.users(at: runtime.now) }

    private func runUser(_ index: Int, through door: any FrontDoor) async {
        guard !activeUsers.isEmpty else { return }
        let ownUser = activeUsers[index % activeUsers.count]
        var stream = streams.stream(named: "user.\(index)")
        var sessionStream = configuration.turnover ? streams.stream(named: "session.\(index)") : nil
        do {
            try await runtime.sleep(for: SimClock.time(seconds: configuration.thinkTime.sample(&stream)))
            while true {
                guard isActive(index) else {
                    try await runtime.sleep(for: configuration.activationCheck)
                    continue
                }
                let drawn = drawSessionUser(&sessionStream)
                let user = drawn ?? ownUser
                changeUsersInSession(by: 1)
                maxUsersInSession = max(maxUsersInSession, usersInSession)
                defer {
                    changeUsersInSession(by: -1)
                    if let drawn { sessionUsers?.release(drawn) }
                }
                _ = await send(.login, by: user, through: door, &stream, task: nil, counting: \.logins)
                let requests = max(1, SimClock.saturatingCount(configuration.requestsPerSession.sample(&stream)))
                for _ in 0..<requests {
                    try await runtime.sleep(for: SimClock.time(seconds: configuration.thinkTime.sample(&stream)))
                    guard isActive(index) else {
                        client.departures += 1
                        break
                    }
                    let endpoint = configuration.mix.pick(&stream)
                    if let written = await send(endpoint, by: user, through: door, &stream, task: nil),
                       configuration.refreshAfterWrite {
                        try await runtime.sleep(for: SimClock.time(seconds: configuration.refreshDelay.sample(&stream)))
                        _ = await send(.getTask, by: user, through: door, &stream, task: written, counting: \.refreshes)
                    }
                }
            }
        } catch {
            return  // the run ended
        }
    }

    /// With turnover, the user of a new session, drawn from the users not in a session (who
    /// returns to them when the session ends); nil without turnover, or when every one of them
    /// is in a session: the session is then the process's own registered user's.
    private func drawSessionUser(_ sessionStream: inout RandomStream?) -> UserID? {
        guard var stream = sessionStream, let drawn = sessionUsers?.draw(&stream) else { return nil }
        sessionStream = stream
        return drawn
    }

    /// Sends one request through `door` and counts its answer at the client (and in `kind`, if given).
    private func send(_ endpoint: Endpoint, by user: UserID, through door: any FrontDoor,
                      _ stream: inout RandomStream, task: TaskID?,
                      counting kind: WritableKeyPath<ClientCounters, Int>? = nil) async -> TaskID? {
        let sent = runtime.now
        let written = await door.request(endpoint, by: user, &stream, task: task)
        client.answered += 1
        client.responseTime += runtime.now - sent
        if let kind { client[keyPath: kind] += 1 }
        return written
    }

    /// A user enters (`1`) or leaves (`-1`) a session now.
    private func changeUsersInSession(by change: Int) {
        client.userSeconds += Double(usersInSession) * SimClock.seconds(runtime.now - sessionAreaSince)
        sessionAreaSince = runtime.now
        usersInSession += change
        recorders.series.users.update(to: Double(usersInSession), at: SimClock.seconds(runtime.now))
    }

    /// What the users saw up to now (the users-in-session area closed at the current time).
    var clientCounters: ClientCounters {
        var counters = client
        counters.userSeconds += Double(usersInSession) * SimClock.seconds(runtime.now - sessionAreaSince)
        return counters
    }

    // MARK: What a request asks for

    /// One of `user`'s projects, drawn from `stream`.
    func someProject(of user: UserID, _ stream: inout RandomStream) -> ProjectID {
        let projects = projectsOfUser[user.rawValue - 1]
        return projects[stream.uniformIndex(below: projects.count)]
    }

    /// One task of `project` as the primary holds it now, drawn from `stream` (nil: none).
    func someTask(in project: ProjectID, _ stream: inout RandomStream) -> TaskID? {
        let tasks = database.store.primary.tasks(inProject: project)
        return tasks.isEmpty ? nil : tasks[stream.uniformIndex(below: tasks.count)]
    }

    /// The call a client makes for `endpoint` on an instance's service code, with targets drawn
    /// from the user's projects. `project` and `body`: the project the edge already chose, and
    /// the response it may cache. `acknowledged`: the task a successful write returned, which
    /// the API tier acknowledges (``acknowledge(_:by:)``) once the client has its answer (a
    /// crash may still fail the request).
    func call(_ endpoint: Endpoint, by user: UserID, on api: APIInstance.API, _ stream: inout RandomStream,
              task preset: TaskID?, project presetProject: ProjectID?,
              body: inout EdgeResponse?, acknowledged: inout TaskItem?) async throws -> TaskID? {
        let project: ProjectID
        if let presetProject { project = presetProject } else { project = someProject(of: user, &stream) }
        func chosenTask(_ stream: inout RandomStream) -> TaskID? {
            if let preset { return preset }
            return someTask(in: project, &stream)
        }
        switch endpoint {
        case .login:
            let profile = try await api.login(user)
            if profile != database.store.primary.user(user) { staleProfiles += 1 }
        case .updateProfile:
            titleCounter += 1
            _ = try await api.updateProfile(name: "User \(user.rawValue) v\(titleCounter)", as: user)
        case .getTask:
            guard let taskID = chosenTask(&stream) else { return nil }
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
            guard let taskID = chosenTask(&stream) else { return nil }
            titleCounter += 1
            let result = try await api.updateTask(taskID, with: UpdateTask(title: "Edited \(titleCounter)"), as: user)
            guard result.written else { return nil }
            acknowledged = result.value
            return taskID
        case .assignTask:
            guard let taskID = chosenTask(&stream),
                  let members = database.store.primary.project(project)?.memberIDs, !members.isEmpty else { return nil }
            let result = try await api.assignTask(
                taskID, with: AssignTask(assignee: members[stream.uniformIndex(below: members.count)]), as: user)
            guard result.written else { return nil }
            acknowledged = result.value
            return taskID
        case .comment:
            guard let taskID = chosenTask(&stream) else { return nil }
            _ = try await api.comment(AddComment(body: "Looks good"), on: taskID, as: user)
            return nil
        case .requestReport:
            try await api.requestReport(forProject: project, as: user)
        }
        return nil
    }

    // MARK: Invariants

    /// Judges a grant against the primary at the instant it is made.
    func granted(_ action: ProjectAction, to user: UserID, in project: ProjectID) {
        // Read through `database.store.primary` in place: binding it to a local copies the
        // whole store struct (a retain and release per stored array) on every request.
        guard let row = database.store.primary.user(user), let projectRow = database.store.primary.project(project),
              PermissionService.isAllowed(row, to: action, in: projectRow) else {
            stalePermissionGrants += 1
            return
        }
    }

    /// `user` got the answer of its write of `task`: the write is acknowledged.
    func acknowledge(_ task: TaskItem, by user: UserID) {
        acknowledgedWrites.record(task.id, version: task.version)
        readYourWrites.acknowledged(task.id, version: task.version, by: user, at: runtime.now)
    }

    /// `user` read `seen` from a cache in front of the API (the CDN edge): judged like a read
    /// through an instance if it is a writer's checked re-read.
    func judgeCachedRead(of seen: TaskItem, by user: UserID) {
        if let check = readYourWrites.check(of: seen.id, for: user, at: runtime.now) {
            readYourWrites.judge(check, seen: seen.version, at: runtime.now)
        }
    }

    /// Plants the test hooks' defects (nothing for the default hooks): phantom acknowledged
    /// writes get task ids above any the dataset or the run can create.
    func plant(_ hooks: TaskSystemTestHooks) {
        for index in 0..<hooks.phantomAcknowledgedWrites {
            acknowledgedWrites.record(TaskID(Int.max - index), version: 1)
        }
    }

    /// Acknowledged writes lost: missing from the primary at the end of the run, or taken by a
    /// failover.
    func lostWrites() -> Int { acknowledgedWrites.lost(in: database.store.primary) }

    /// A failover just promoted a replica: the acknowledged writes the new primary lacks are lost.
    func settleFailover() {
        acknowledgedWrites.settleFailover(in: database.store.primary, at: runtime.now)
    }
}
