import Sim

// MARK: - Autoscaling the API tier

/// The API tier's autoscaler: ECS policies each minute, or a Kubernetes HPA each sync period.
/// Both launch instances (serving after the start-up delay) or retire the newest ones to reach
/// the capacity they decide (``APITier/scale(to:)``), and record each decision worth recording
/// on the timeline with its reasons and numbers. Confined to the replication's runtime (hence
/// `@unchecked Sendable`).
final class APIAutoscaler: @unchecked Sendable {
    let policy: AutoscalingPolicy
    private let api: APITier
    private let recorders: RunRecorders
    private var runtime: ProcessRuntime { api.runtime }

    init(policy: AutoscalingPolicy, api: APITier, recorders: RunRecorders) {
        self.policy = policy
        self.api = api
        self.recorders = recorders
    }

    /// Starts the autoscaler's process.
    func start() {
        switch policy {
        case .ecs(let configuration): startECSAutoscaling(configuration)
        case .kubernetesHPA(let configuration): startHPA(configuration)
        }
    }

    /// Records a scaling decision on the timeline: the capacity change, the policy's reason
    /// (policy, cooldown, limits) and the metrics it read.
    private func recordScaling(_ decision: ScalingDecision, numbers: String) {
        var reason = "\(decision.reason)"
        if let evidence = decision.evidence {
            reason += "; \(evidence.policy): \(evidence.metric.map { "\($0) " } ?? "")"
            reason += "\(Self.rounded(evidence.value)) against \(Self.rounded(evidence.threshold))"
            if let alarm = evidence.alarm { reason += ", alarm \(alarm)" }
            reason += ", from \(Self.rounded(evidence.base)) instances"
            if let until = evidence.scaleOutCooldownUntil, until > runtime.now {
                reason += ", scale-out cooldown until \(Self.rounded(SimClock.seconds(until))) s"
            }
        }
        recorders.timeline.record(TimelineEvent(time: runtime.now, component: .autoscaler, kind: "scaling-decision",
                                                from: "\(decision.previousCapacity)", to: "\(decision.desiredCapacity)",
                                                reason: "\(reason); \(numbers)"))
    }

    /// `value` to one decimal, for the timeline.
    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    // MARK: ECS

    /// Evaluates the ECS policies once a minute on the last minute's CPU, memory, request
    /// count (whole load balancer and per target) and p95, as published `metricDelay` after the
    /// minute ends. A scale-out activity completes when its instances serve (the start-up
    /// delay): the scale-out cooldown runs from then.
    private func startECSAutoscaling(_ policies: AutoScalingPolicyConfiguration) {
        let period = 60 * SimClock.nanosecondsPerSecond
        var timed = policies
        timed.scaleOutActivityDuration = api.configuration.startupDelay
        let configuration = timed
        runtime.spawn { [self] in
            var engine = AutoScalingPolicyEngine(configuration: configuration)
            var sampler = UtilisationSampler(api)
            var metrics = MetricPublication(delay: configuration.metricDelay,
                                            kept: max(20, configuration.longestEvaluationPeriods))
            var lastRecorded: ScalingReason? = .withinTarget
            while true {
                do {
                    try await runtime.sleep(for: period)
                } catch {
                    return
                }
                let usage = sampler.sample(api, over: period)
                let p95 = api.minuteLatencies.count == 0 ? 0 : api.minuteLatencies.percentile(95)
                var values: [ScalingMetric: Double] = [
                    .cpuUtilization: usage.cpuPercent,
                    .memoryUtilization: usage.memoryPercent,
                    .requestCount: Double(api.minuteRequests),
                    .latencyP95: p95,
                ]
                // ALBRequestCountPerTarget: no datapoint while no target served.
                if usage.measuredInstances > 0 {
                    values[.requestCountPerTarget] = Double(api.minuteRequests) / usage.measuredInstances
                }
                metrics.record(MetricDatapoint(time: runtime.now, values: values), periodEnd: runtime.now,
                               measured: usage.measuredInstances)
                api.minuteRequests = 0
                api.minuteLatencies.reset()
                metrics.publish(at: runtime.now)
                let capacity = ServiceCapacity(desired: api.desired, inService: api.inService, measured: metrics.measured)
                let decision = engine.evaluate(at: runtime.now, series: metrics.published, capacity: capacity)
                if decision.isWorthRecording(after: &lastRecorded) {
                    let numbers = "minute ending now: CPU \(Self.rounded(usage.cpuPercent)) %, memory \(Self.rounded(usage.memoryPercent)) %, "
                        + "\(Int(values[.requestCount] ?? 0)) requests/min, p95 \(Self.rounded(p95 * 1000)) ms"
                    recordScaling(decision, numbers: numbers)
                }
                api.scale(to: decision.desiredCapacity)
            }
        }
    }

    // MARK: Kubernetes HPA

    /// Evaluates a HorizontalPodAutoscaler every sync period on the average CPU (and memory)
    /// utilisation of the pods that served the whole period. Pods still starting, and pods that
    /// came into service during the period, are unready: Kubernetes ignores a CPU sample whose
    /// window began before the pod's readiness transition (`groupPods`, within the CPU
    /// initialisation period). Every running pod has a sample, so none is missing.
    private func startHPA(_ configuration: KubernetesAutoscaling) {
        let period = configuration.syncPeriod
        runtime.spawn { [self] in
            var autoscaler = HorizontalPodAutoscaler(configuration: configuration.autoscaler)
            var sampler = UtilisationSampler(api)
            var lastRecorded: ScalingReason? = .withinTolerance
            while true {
                do {
                    try await runtime.sleep(for: period)
                } catch {
                    return
                }
                let usage = sampler.sample(api, over: period)
                var metrics = [HPAMetricObservation(name: "cpu", currentAverage: usage.settledCPUPercent,
                                                    targetAverage: configuration.cpuTarget)]
                if let memoryTarget = configuration.memoryTarget {
                    metrics.append(HPAMetricObservation(name: "memory", currentAverage: usage.memoryPercent,
                                                        targetAverage: memoryTarget))
                }
                let desired = api.desired
                let ready = min(usage.settledInstances, desired)
                let pods = HPAPodCounts(current: desired, ready: ready, unready: max(0, desired - ready))
                let decision = autoscaler.evaluate(at: runtime.now, pods: pods, metrics: metrics)
                if decision.isWorthRecording(after: &lastRecorded) {
                    recordScaling(decision, numbers: metrics.map {
                        "\($0.name) \(Self.rounded($0.currentAverage)) % (target \(Self.rounded($0.targetAverage)) %)"
                    }.joined(separator: ", ") + "; \(ready) ready of \(desired)")
                }
                api.scale(to: decision.desiredCapacity)
            }
        }
    }
}

// MARK: - Utilisation over a period

/// The API tier's resource use over one evaluation period, averaged over the instances in
/// service: CPU from each instance's busy-core area, memory from the modelled footprint.
struct APIUtilisation {
    /// Busy core-seconds over offered core-seconds of the instances in service, in percent.
    var cpuPercent: Double
    /// Modelled memory use of an instance in service, in percent.
    var memoryPercent: Double
    /// The instances in service, time-weighted over the period (what ``cpuPercent`` averages
    /// over): 3 instances all period plus one for its last 15 s of 60 give 3.25.
    var measuredInstances: Double
    /// CPU of the instances in service for the whole period only, in percent (0 when none).
    var settledCPUPercent: Double
    /// Instances in service for the whole period.
    var settledInstances: Int
}

/// Remembers each instance's busy-core area at the last sample, so that every sample covers
/// exactly the period since the previous one.
struct UtilisationSampler {
    private var lastBusyArea: [Double]

    init(_ api: APITier) {
        let now = SimClock.seconds(api.runtime.now)
        lastBusyArea = api.instances.map { $0.cpu.queue.busyLevel.area(at: now) }
    }

    /// The utilisation of the `period` that ends now.
    mutating func sample(_ api: APITier, over period: SimTime) -> APIUtilisation {
        let now = SimClock.seconds(api.runtime.now)
        let periodStart = api.runtime.now - period
        while lastBusyArea.count < api.instances.count { lastBusyArea.append(0) }
        var busy = 0.0, capacity = 0.0, outstanding = 0, servedSeconds = 0.0
        var settledBusy = 0.0, settledCapacity = 0.0, settled = 0
        for (index, instance) in api.instances.enumerated() {
            let area = instance.cpu.queue.busyLevel.area(at: now)
            if instance.isServing {
                let used = area - lastBusyArea[index]
                busy += used
                // Offered only since it took traffic: an instance that came into service during
                // the period offers part of it (counting all of it would understate the CPU).
                let since = max(periodStart, instance.inServiceSince ?? periodStart)
                let offered = Double(instance.cpu.queue.servers) * SimClock.seconds(api.runtime.now - since)
                capacity += offered
                servedSeconds += SimClock.seconds(api.runtime.now - since)
                outstanding += instance.outstanding
                if since == periodStart {
                    settledBusy += used
                    settledCapacity += offered
                    settled += 1
                }
            }
            lastBusyArea[index] = area
        }
        let configuration = api.configuration
        let memory = configuration.memoryBaseline
            + configuration.memoryPerRequest * Double(outstanding) / Double(max(1, api.inService))
        return APIUtilisation(cpuPercent: capacity == 0 ? 0 : 100 * busy / capacity,
                              memoryPercent: 100 * min(1, memory),
                              measuredInstances: period == 0 ? 0 : servedSeconds / SimClock.seconds(period),
                              settledCPUPercent: settledCapacity == 0 ? 0 : 100 * settledBusy / settledCapacity,
                              settledInstances: settled)
    }
}

// MARK: - Timeline filter

extension ScalingDecision {
    /// Whether this decision goes on the timeline: every capacity change, and every change of
    /// the reason for keeping the capacity (into or out of a cooldown, a limit, an alarm), but
    /// not the same reason evaluation after evaluation (the HPA syncs every 15 s). `last` is the
    /// reason last seen, `nil` right after a change.
    func isWorthRecording(after last: inout ScalingReason?) -> Bool {
        defer { last = changesCapacity ? nil : reason }
        return changesCapacity || reason != last
    }
}
