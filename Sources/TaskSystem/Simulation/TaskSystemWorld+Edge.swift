import Sim

// MARK: - Requests through the CDN edge

extension TaskSystemWorld {
    /// Requests the CDN edge holds now (received, not yet answered or handed to an instance).
    var requestsAtEdge: Int { edge?.atEdge ?? 0 }

    /// A client request with the CDN in front of the load balancer: the request itself, then —
    /// for a page load — the page's static assets, one after another.
    func requestThroughEdge(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream,
                            task preset: TaskID?) async -> TaskID? {
        let index = Endpoint.allCases.firstIndex(of: endpoint)!
        let written = await apiRequestThroughEdge(endpoint, index: index, by: user, &stream, task: preset)
        if edge!.isPage[index] {
            for _ in 0..<edge!.configuration.staticAssets.perPage {
                guard await staticAssetThroughEdge(for: user) else { break }
            }
        }
        return written
    }

    /// One API call: the client ↔ edge round trip, then a fresh cached response for a cacheable
    /// `GET` (not for a recent writer, who bypasses the edge), else the load balancer and an
    /// instance, whose successful answer to a cacheable `GET` the edge stores for its TTL.
    ///
    /// The request is counted as generated when it reaches the edge; one the edge answers is
    /// recorded apart from the API's endpoint figures (`cdn.latency`), one it forwards is
    /// recorded by the origin path like any request (`api.*`, latency measured at the load
    /// balancer, without the edge round trip).
    private func apiRequestThroughEdge(_ endpoint: Endpoint, index: Int, by user: UserID,
                                       _ stream: inout RandomStream, task preset: TaskID?) async -> TaskID? {
        let started = runtime.now
        metrics.started()
        edge!.counters.requests += 1
        edge!.atEdge += 1
        do {
            try await runtime.sleep(for: edge!.latency.next())
        } catch {
            return nil  // the run ended at the edge: still counted in flight
        }

        // The URL: a cacheable GET names its resource now (the same draws the origin path makes).
        var project: ProjectID?
        var task = preset
        var key: EdgeKey?
        let cacheable = edge!.isCacheable[index]
        if cacheable {
            switch endpoint {
            case .getTask:
                if preset == nil {
                    let projects = projectsOfUser[user.rawValue - 1]
                    let chosen = projects[stream.uniformIndex(below: projects.count)]
                    let tasks = database.store.primary.tasks(inProject: chosen)
                    project = chosen
                    task = tasks.isEmpty ? nil : tasks[stream.uniformIndex(below: tasks.count)]
                }
                key = task.map { edge!.key(.getTask, resource: $0.rawValue, for: user) }
            case .listTasks:
                let projects = projectsOfUser[user.rawValue - 1]
                let chosen = projects[stream.uniformIndex(below: projects.count)]
                project = chosen
                key = edge!.key(.listTasks, resource: chosen.rawValue, for: user)
            default:
                break
            }
        }
        let bypass = cacheable && edge!.bypasses(user, at: runtime.now)
        if bypass { edge!.counters.bypasses += 1 }

        // A fresh cached response: answered at the edge.
        if let key, !bypass {
            edge!.counters.apiLookups += 1
            if let body = edge!.cache.lookup(key, now: runtime.now) {
                edge!.counters.apiHits += 1
                edge!.counters.hits += 1
                if isStale(body, project: project) { edge!.counters.staleResponses += 1 }
                if case .task(let seen) = body,
                   let check = readYourWrites.check(of: seen.id, for: user, at: runtime.now) {
                    readYourWrites.judge(check, seen: seen.version, at: runtime.now)
                }
                edge!.atEdge -= 1
                metrics.recordEdgeAnswer(latency: runtime.now - started)
                return nil
            }
        }

        // Forwarded to the load balancer.
        edge!.atEdge -= 1
        edge!.counters.originRequests += 1
        var body: EdgeResponse?
        let written = await originRequest(endpoint, by: user, &stream, task: task, project: project, body: &body)
        if let key, !bypass, let body { edge!.cache.store(key, body, now: runtime.now) }
        if endpoint.isWrite { edge!.lastWriteAt[user.rawValue - 1] = runtime.now }
        return written
    }

    /// One static asset: the round trip to the edge, then a hit with the configured ratio, or
    /// the load balancer and an instance's CPU. False if the run ended meanwhile.
    private func staticAssetThroughEdge(for user: UserID) async -> Bool {
        let started = runtime.now
        metrics.started()
        edge!.counters.requests += 1
        edge!.counters.assetRequests += 1
        edge!.atEdge += 1
        do {
            try await runtime.sleep(for: edge!.latency.next())
        } catch {
            return false
        }
        if edge!.assetDraws.uniform() < edge!.configuration.staticAssets.hitRatio {
            edge!.counters.assetHits += 1
            edge!.counters.hits += 1
            edge!.atEdge -= 1
            metrics.recordEdgeAnswer(latency: runtime.now - started)
            return true
        }
        edge!.atEdge -= 1
        edge!.counters.originRequests += 1
        guard let chosen = balancer.select(for: user, among: instances) else {
            return answerAssetWithBadGateway()
        }
        let instance = instances[chosen]
        guard instance.crashedAt == nil else {  // a dead target the health checks have not caught yet
            return answerAssetWithBadGateway()
        }
        let arrived = runtime.now
        instance.outstanding += 1
        var finished = true
        do {
            try await instance.cpu.serve(for: edge!.originCPU.next())
        } catch {
            finished = false  // the run ended inside the instance
        }
        instance.outstanding -= 1
        if finished, instance.crashedAt != nil {  // the instance died while serving it: 502
            return answerAssetWithBadGateway()
        }
        metrics.recordAnswerOutsideEndpoints()
        minuteLatencies.record(nanoseconds: UInt64(max(0, runtime.now - arrived)))
        minuteRequests += 1
        return finished
    }

    /// A static asset the origin could not serve: 502 (counted apart from the API's endpoints).
    private func answerAssetWithBadGateway() -> Bool {
        edge!.counters.badGateway += 1
        metrics.recordAnswerOutsideEndpoints()
        return true
    }

    /// Whether a cached body differs from what the primary holds now (the edge served stale data).
    func isStale(_ body: EdgeResponse, project: ProjectID?) -> Bool {
        let primary = database.store.primary
        switch body {
        case .task(let task):
            return primary.task(task.id)?.version != task.version
        case .taskList(let cached):
            guard let project else { return false }
            let current = primary.taskItems(inProject: project)
            guard current.count == cached.count else { return true }
            for (now, then) in zip(current, cached) {
                if now != then.task { return true }
                if let assignee = now.assignee, primary.user(assignee) != then.assignee { return true }
                if now.assignee == nil && then.assignee != nil { return true }
            }
            return false
        }
    }
}
