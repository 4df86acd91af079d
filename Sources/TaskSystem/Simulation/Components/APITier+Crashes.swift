import Sim

// MARK: - API instance crashes and replacement

/// What instance crashes cost (whole run; the result takes differences after the warm-up).
struct InstanceCrashCounters: Sendable {
    /// Instances that crashed.
    var crashes = 0
    /// Requests inside an instance when it crashed (each answered 502).
    var crashedRequests = 0
    /// Requests the load balancer sent to a crashed instance before its health checks failed
    /// (connection refused: 502 at once).
    var deadTargetRequests = 0
    /// Requests that found no instance in service (502 at once from the load balancer).
    var noTargetRequests = 0

    /// Every 502 answer to an API request.
    var badGateway: Int { crashedRequests + deadTargetRequests + noTargetRequests }
}

/// A request inside an instance, when crashes are on: the client waits on it, and either the
/// instance's work settles it or the instance's crash does (502).
final class RequestCall: @unchecked Sendable {
    /// The client's park.
    var token = WakeToken.none
    /// Settled (by the work or the crash); a later settlement is ignored.
    var settled = false
    /// What the work came to, or the crash's 502.
    var outcome = RequestOutcome()
    /// The user's stream, advanced by the work.
    var stream: RandomStream
    /// Its index in the instance's `calls`.
    var index = 0

    init(stream: RandomStream) { self.stream = stream }
}

/// An instance crash, as ECS and an ALB see it:
/// - At the crash its in-flight requests fail with 502, its in-process caches are lost, its
///   pooled connections close (later queries of its leftover work fail), and it stops costing.
/// - ECS sees the task stop and launches a replacement at once (the desired count is kept); the
///   replacement takes traffic after `api.startup`.
/// - The load balancer keeps routing to the dead target until its health checks fail
///   (``HealthCheck/detection(launchedAt:crashedAt:)``); those requests fail fast with 502.
///
/// With crashes on, each request's work runs as its own process so that a crash can answer the
/// client at once; with crashes off (the default) requests run inline as before.
extension APITier {
    // MARK: Crashes

    /// Crashes `instance` at random: exponential time from its launch with the configured mean.
    func armRandomFailure(of instance: APIInstance) {
        guard let mtbf = configuration.failures.meanTimeBetweenFailures else { return }
        runtime.spawn { [self] in
            var stream = streams.stream(named: "api.failure.\(instance.id)")
            do {
                try await runtime.sleep(for: SimClock.time(seconds: stream.exponential(mean: SimClock.seconds(mtbf))))
            } catch {
                return  // the run ended
            }
            if instance.crashedAt == nil, instance.retiredAt == nil { crash(instance) }
        }
    }

    /// At each scripted time, crashes the oldest instance in service (none in service: nothing).
    func startScriptedFailures() {
        let times = configuration.failures.at
        guard !times.isEmpty else { return }
        runtime.spawn { [self] in
            for time in times {
                do { try await runtime.sleep(for: max(0, time - runtime.now)) } catch { return }
                if let victim = instances.first(where: { $0.isServing }) { crash(victim) }
            }
        }
    }

    /// `instance` dies now.
    func crash(_ instance: APIInstance) {
        let now = runtime.now
        crashCounts.crashes += 1
        instance.crashedAt = now
        let wasDesired = instance.retiredAt == nil
        if wasDesired { instance.retiredAt = now }  // stops costing
        instance.client.close()  // its pool and every server connection it held
        instance.api.restart()  // the L1 LRU is lost
        for call in instance.calls {
            call.settled = true
            call.outcome.failure = .badGateway
            runtime.wake(call.token)
            crashCounts.crashedRequests += 1
        }
        recorders.timeline.record(TimelineEvent(
            time: now, component: .faults, kind: "instance-crashed", from: "\(instance.health)", to: "crashed",
            reason: "instance \(instance.id); \(instance.calls.count) request(s) in flight answered 502"))
        instance.calls.removeAll()
        switch instance.health {
        case .healthy:
            let detection = configuration.healthCheck.detection(launchedAt: instance.launchedAt, crashedAt: now)
            runtime.spawn { [self] in
                do { try await runtime.sleep(for: detection - runtime.now) } catch { return }
                if instance.health == .healthy {
                    instance.health = .unhealthy
                    recorders.timeline.record(TimelineEvent(
                        time: runtime.now, component: .api, kind: "crash-detected", from: "in rotation", to: "out of rotation",
                        reason: "instance \(instance.id) failed \(configuration.healthCheck.unhealthyThreshold) health check(s)"))
                }
            }
        case .initial:
            instance.health = .unhealthy  // never passed its checks
        case .unhealthy, .draining:
            break
        }
        if wasDesired { launchInstance(healthy: false) }  // ECS keeps the desired count
    }

    // MARK: Zones

    /// Availability zone `zone` is lost: every instance placed there that has not crashed
    /// crashes now (oldest first; ECS launches each replacement in the other zone); returns how
    /// many crashed.
    func loseZone(_ zone: AvailabilityZone) -> Int {
        if !lostZones.contains(zone) { lostZones.append(zone) }
        let victims = instances.filter { $0.zone == zone && $0.crashedAt == nil && $0.retiredAt == nil }
        for victim in victims { crash(victim) }
        return victims.count
    }

    /// Availability zone `zone` takes launches again.
    func restoreZone(_ zone: AvailabilityZone) {
        lostZones.removeAll { $0 == zone }
    }

    // MARK: Requests

    /// An API call's work on `instance` when instances may crash (see `APITier+Requests`): the
    /// work runs as its own process so that a crash answers the client at once.
    func runFacingCrashes(_ endpoint: Endpoint, on instance: APIInstance, cost: SimTime, by user: UserID,
                          _ stream: inout RandomStream, task: TaskID?, project: ProjectID?) async -> RequestOutcome {
        let call = RequestCall(stream: stream)
        call.index = instance.calls.count
        instance.calls.append(call)
        runtime.spawn { [self] in
            var local = call.stream
            // A request whose instance died while it waited for a core does nothing more.
            guard let outcome = await perform(endpoint, on: instance, cost: cost, by: user, &local, task: task,
                                              project: project) else { return }
            guard !call.settled else { return }  // the instance crashed: nobody waits for this
            call.settled = true
            call.outcome = outcome
            call.stream = local
            removeCall(call, from: instance)
            runtime.wake(call.token)
        }
        do {
            try await runtime.park { call.token = $0 }
        } catch {
            call.settled = true  // the run ended while the client waited
            call.outcome.failure = .poolTimeout
            if instance.crashedAt == nil { removeCall(call, from: instance) }
        }
        if call.outcome.failure == .badGateway, instance.crashedAt != nil {
            // The work may go on drawing from the stream it was given: continue from a fresh seed.
            stream = RandomStream(seed: stream.next())
        } else {
            stream = call.stream
        }
        return call.outcome
    }

    private func removeCall(_ call: RequestCall, from instance: APIInstance) {
        let last = instance.calls.removeLast()
        if last !== call {
            instance.calls[call.index] = last
            last.index = call.index
        }
    }
}
