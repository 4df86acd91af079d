import Sim

// MARK: - The one request path

/// What an API call's work came to: the task a write touched, the response of a cacheable
/// `GET` (for the CDN edge), the task a successful write returned (acknowledged only once the
/// client has its answer), or the failure the client sees.
struct RequestOutcome {
    var written: TaskID?
    var body: EdgeResponse?
    var acknowledged: TaskItem?
    var failure: APIError?
}

/// How the origin answered a static asset the CDN edge did not hold.
enum AssetAnswer {
    /// An instance's vCPU served it.
    case served
    /// 502: no instance in service, a crashed target the health checks had not caught yet, or
    /// an instance that crashed while serving it.
    case badGateway
    /// The run ended while an instance served it.
    case runEnded
}

/// Every request reaching the load balancer takes this path: the load balancer picks an
/// instance (``route(for:)``); when none is in service, or the pick is a crashed target the
/// health checks have not caught yet, the answer is 502 at once. Otherwise the request holds
/// the instance (its `outstanding` count, for least-connections balancing and conservation)
/// while its work runs. An API call's work is its vCPU time, then the client's call on the
/// instance's service code (``Workload/call(_:by:on:_:task:project:body:acknowledged:)``): run
/// inline, or — when instances may crash — as a process of its own that a crash answers 502 at
/// once (`APITier+Crashes`). A static asset's work is its vCPU time only; a crash does not cut
/// it short, the asset is answered 502 when its time is up.
///
/// Latency is measured at the load balancer; every answer counts towards the load balancer's
/// one-minute metrics (the ECS autoscaler's), an API call's also towards its endpoint's figures
/// and the series window.
extension APITier: FrontDoor {
    /// A client request straight to the load balancer (no CDN): counted as generated here.
    func request(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID?) async
        -> TaskID?
    {
        recorders.requests.started()
        var body: EdgeResponse?
        return await serve(endpoint, by: user, &stream, task: task, project: nil, body: &body)
    }
}

extension APITier {
    // MARK: API calls

    /// A request the CDN edge forwards (counted as generated when it reached the edge), with
    /// the project the edge already chose; `body` receives the response of a cacheable `GET`.
    func forward(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID?,
                 project: ProjectID?, body: inout EdgeResponse?) async -> TaskID? {
        await serve(endpoint, by: user, &stream, task: task, project: project, body: &body)
    }

    private func serve(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task: TaskID?,
                       project: ProjectID?, body: inout EdgeResponse?) async -> TaskID? {
        let started = runtime.now
        guard let instance = route(for: user) else {
            crashCounts.noTargetRequests += 1
            record(endpoint, since: started, failure: .badGateway)
            return nil
        }
        let cost = SimClock.time(seconds: configuration.cpuCost[Endpoint.allCases.firstIndex(of: endpoint)!]
            .sample(&stream))
        guard instance.crashedAt == nil else {
            crashCounts.deadTargetRequests += 1
            record(endpoint, since: started, failure: .badGateway)
            return nil
        }
        instance.outstanding += 1
        var outcome: RequestOutcome
        if configuration.failures.isEnabled {
            outcome = await runFacingCrashes(endpoint, on: instance, cost: cost, by: user, &stream, task: task,
                                             project: project)
        } else {
            outcome = await runInline(endpoint, on: instance, cost: cost, by: user, &stream, task: task, project: project)
        }
        instance.outstanding -= 1
        record(endpoint, since: started, failure: outcome.failure)
        guard outcome.failure == nil else { return nil }
        // Moved out, not copied: the task and the response body hold strings and arrays.
        if let acknowledged = outcome.acknowledged.take() { workload.acknowledge(acknowledged, by: user) }
        body = outcome.body.take()
        return outcome.written
    }

    /// The call's work in the client's own process (instances never crash).
    private func runInline(_ endpoint: Endpoint, on instance: APIInstance, cost: SimTime, by user: UserID,
                           _ stream: inout RandomStream, task: TaskID?, project: ProjectID?) async -> RequestOutcome {
        guard let outcome = await perform(endpoint, on: instance, cost: cost, by: user, &stream, task: task, project: project) else {
            preconditionFailure("instance \(instance.id) crashed in a run without failures")
        }
        return outcome
    }

    /// The call's work on `instance`, in whichever process runs it: a vCPU for `cost`, then the
    /// service; `nil` when the instance crashed while the request waited for its core (the work
    /// then does nothing more).
    func perform(_ endpoint: Endpoint, on instance: APIInstance, cost: SimTime, by user: UserID,
                 _ stream: inout RandomStream, task: TaskID?, project: ProjectID?) async -> RequestOutcome? {
        var outcome = RequestOutcome()
        do {
            try await instance.cpu.serve(for: cost)
            guard instance.crashedAt == nil else { return nil }
            var body: EdgeResponse?
            var acknowledged: TaskItem?
            outcome.written = try await workload.call(endpoint, by: user, on: instance.api, &stream, task: task,
                                                      project: project, body: &body, acknowledged: &acknowledged)
            outcome.body = body
            outcome.acknowledged = acknowledged
        } catch let error as APIError {
            outcome.failure = error
        } catch {
            outcome.failure = .poolTimeout  // the run ended inside the request: counted, never reported
        }
        return outcome
    }

    /// Records an answered API call: its endpoint's figures, the series window, and the load
    /// balancer's minute.
    private func record(_ endpoint: Endpoint, since started: SimTime, failure: APIError?) {
        recorders.requests.finished(endpoint, latency: runtime.now - started, error: failure)
        recorders.series.answered(latency: runtime.now - started, serverError: failure?.isServerError == true)
        recordInMinute(since: started)
    }

    // MARK: Static assets

    /// A static asset the CDN edge did not hold (counted as generated at the edge): `cpu` draws
    /// its vCPU time once an instance takes it. Answered outside the API's endpoint figures.
    func serveStaticAsset(for user: UserID, cpu: () -> SimTime) async -> AssetAnswer {
        guard let instance = route(for: user), instance.crashedAt == nil else {
            recorders.requests.recordAnswerOutsideEndpoints()
            return .badGateway
        }
        let arrived = runtime.now
        instance.outstanding += 1
        var finished = true
        do {
            try await instance.cpu.serve(for: cpu())
        } catch {
            finished = false  // the run ended inside the instance
        }
        instance.outstanding -= 1
        recorders.requests.recordAnswerOutsideEndpoints()
        if finished, instance.crashedAt != nil { return .badGateway }  // the instance died while serving it
        recordInMinute(since: arrived)
        return finished ? .served : .runEnded
    }

    // MARK: Routing and the load balancer's minute

    /// The instance the load balancer picks for `user`'s request (nil: none in service). The
    /// pick may have crashed: the load balancer routes to it until its health checks fail.
    private func route(for user: UserID) -> APIInstance? {
        balancer.select(for: user, among: instances).map { instances[$0] }
    }

    /// Counts an answer in the load balancer's current minute.
    private func recordInMinute(since started: SimTime) {
        minuteLatencies.record(nanoseconds: UInt64(max(0, runtime.now - started)))
        minuteRequests += 1
    }
}
