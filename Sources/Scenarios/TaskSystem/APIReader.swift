// APIReader.swift — the `api` section to an APIConfiguration, autoscaling included.

import Sim
import TaskSystem

// MARK: - APIReader

/// Reads `api` over the defaults of `APIConfiguration`.
enum APIReader {
    /// The keys of `api`.
    static let keys = ["instances", "vcpus", "memory", "load_balancing", "local_cache_entries", "cpu", "hourly_price",
                       "startup", "consistency_window", "stateful_controller", "pool", "autoscaling",
                       "failures", "health_check"]
    /// The keys of `api.pool`.
    static let poolKeys = ["size", "max_overflow", "timeout", "per_engine"] + ResilienceReader.poolLifecycleKeys

    /// Overrides `api` with what `value` gives, and `sizes` with what the catalogue prices the
    /// task by (`api.memory`, whether `api.hourly_price` is written).
    static func read(_ value: YAMLValue, into api: inout APIConfiguration, sizes: inout PriceCatalog.TaskSizes) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        sizes.apiPriceWritten = map.optional("hourly_price") != nil
        if let memory = map.optional("memory")?.memorySize() {
            sizes.apiMemoryGiB = Double(memory) / 1_073_741_824
        }
        let instancesRead = map.read("instances", into: &api.instances) { $0.int(atLeast: 1, atMost: ScenarioBounds.instances) }
        map.read("vcpus", into: &api.vCPUs) { $0.int(atLeast: 1, atMost: ScenarioBounds.vCPUs) }
        map.read("load_balancing", into: &api.loadBalancing) { $0.choice(LoadBalancingPolicy.self, what: "load balancing policy") }
        map.read("local_cache_entries", into: &api.localCacheCapacity, readCacheEntries)
        if let cpu = map.optional("cpu") { readCPU(cpu, into: &api.cpuCost) }
        map.read("hourly_price", into: &api.hourlyPrice) { $0.nonNegativeNumber() }
        map.read("startup", into: &api.startupDelay) { $0.duration() }
        map.read("consistency_window", into: &api.consistencyWindow) { $0.duration() }
        map.read("stateful_controller", into: &api.statefulController) { $0.bool() }
        if let pool = map.optional("pool")?.mapping(allowedKeys: poolKeys) {
            pool.read("size", into: &api.poolSize) { $0.int(atLeast: 1, atMost: ScenarioBounds.poolConnections) }
            pool.read("max_overflow", into: &api.poolOverflow) { $0.int(atLeast: 0, atMost: ScenarioBounds.poolConnections) }
            pool.read("timeout", into: &api.poolTimeout) { $0.duration() }
            pool.read("per_engine", into: &api.poolPerEngine) { $0.bool() }
            ResilienceReader.readLifecycle(pool, into: &api.poolLifecycle)
        }
        if let failures = map.optional("failures") { ResilienceReader.readInstanceFailures(failures, into: &api.failures) }
        if let check = map.optional("health_check") { ResilienceReader.readHealthCheck(check, into: &api.healthCheck) }
        if let autoscaling = map.optional("autoscaling"), let policy = readAutoscaling(autoscaling) {
            api.autoscaling = policy.configuration
            if let configuration = policy.configuration, instancesRead {
                checkInstances(api.instances, within: configuration, instances: map.optional("instances"),
                               autoscaling: autoscaling)
            }
        }
    }

    // MARK: Values

    /// The LRU's capacity: 0 (no local cache) up to 2³¹ − 1 entries.
    private static func readCacheEntries(_ value: YAMLValue) -> Int? {
        value.int(atLeast: 0, atMost: Int(Int32.max))
    }

    /// `{endpoint: distribution, …}`: CPU seconds per request, replacing the defaults of the
    /// endpoints named (every endpoint, `login` included).
    private static func readCPU(_ value: YAMLValue, into costs: inout [Distribution]) {
        guard let map = value.mapping(expected: "a mapping of endpoint to distribution, such as "
                                      + "{get_task: {distribution: exponential, mean: 3ms}}") else { return }
        let endpoints = Endpoint.allCases
        for entry in map.entries(named: endpoints.map(\.rawValue), what: "endpoint") {
            guard let index = endpoints.firstIndex(where: { $0.rawValue == entry.key }), costs.indices.contains(index),
                  let distribution = entry.value.distribution(isTime: true) else { continue }
            costs[index] = distribution
        }
    }

    // MARK: Autoscaling

    /// The autoscaler kinds `autoscaling.kind` names.
    static let autoscalingKinds = ["ecs", "hpa"]
    /// The keys of `api.autoscaling` with `kind: ecs` (the default).
    static let autoscalingKeys = ["kind", "min", "max", "scale_out_cooldown", "scale_in_cooldown"] + ECSPolicyReader.keys
    /// The keys of `api.autoscaling` with `kind: hpa`.
    static let hpaKeys = ["kind", "min", "max", "tolerance", "cpu_target", "memory_target", "sync_period",
                          "scale_up_stabilization", "scale_down_stabilization"] + HPABehaviorReader.keys

    /// What `autoscaling` says: off, or a policy.
    struct Autoscaling {
        /// `nil`: a fixed number of instances.
        let configuration: AutoscalingPolicy?
    }

    /// `false` (fixed instances), `true` (the seed's ECS policy) or a mapping: ECS overrides of
    /// the seed's policy, or with `kind: hpa` a Kubernetes HPA; `nil` once a problem was reported.
    private static func readAutoscaling(_ value: YAMLValue) -> Autoscaling? {
        if let enabled = value.boolIfWritten {
            return Autoscaling(configuration: enabled ? .ecs(.seed) : nil)
        }
        guard var map = value.mapping(expected: "true, false or a mapping such as {min: 2, max: 20}") else {
            return nil
        }
        var kind = "ecs"
        guard map.read("kind", into: &kind, { $0.choice(from: autoscalingKinds, what: "autoscaler kind") }) else {
            return nil
        }
        if kind == "hpa" {
            map.rejectKeys(notIn: hpaKeys)
            return readHPA(map)
        }
        map.rejectKeys(notIn: autoscalingKeys)
        var policy = AutoScalingPolicyConfiguration.seed
        let minRead = map.read("min", into: &policy.minCapacity) { $0.int(atLeast: 1, atMost: ScenarioBounds.instances) }
        let maxRead = map.read("max", into: &policy.maxCapacity) { $0.int(atLeast: 1, atMost: ScenarioBounds.instances) }
        map.read("scale_out_cooldown", into: &policy.cooldowns.scaleOut) { $0.duration() }
        map.read("scale_in_cooldown", into: &policy.cooldowns.scaleIn) { $0.duration() }
        let policiesRead = ECSPolicyReader.read(map, into: &policy)
        guard minRead, maxRead, policiesRead, checkBounds(policy.minCapacity, policy.maxCapacity, in: map) else { return nil }
        return Autoscaling(configuration: .ecs(policy))
    }

    /// `kind: hpa`: Kubernetes' defaults with the seed's targets (CPU 70 %, memory 80 %),
    /// overridden by what the mapping gives.
    private static func readHPA(_ map: YAMLMapping) -> Autoscaling? {
        var hpa = KubernetesAutoscaling()
        var minReplicas = hpa.autoscaler.minReplicas, maxReplicas = hpa.autoscaler.maxReplicas
        var tolerance = hpa.autoscaler.tolerance
        var scaleUp = hpa.autoscaler.scaleUp, scaleDown = hpa.autoscaler.scaleDown
        let minRead = map.read("min", into: &minReplicas) { $0.int(atLeast: 1, atMost: ScenarioBounds.instances) }
        let maxRead = map.read("max", into: &maxReplicas) { $0.int(atLeast: 1, atMost: ScenarioBounds.instances) }
        map.read("tolerance", into: &tolerance) { $0.nonNegativeNumber() }
        map.read("cpu_target", into: &hpa.cpuTarget, readPercent)
        if let memory = map.optional("memory_target") {
            if memory.boolIfWritten == false {
                hpa.memoryTarget = nil
            } else if let percent = readPercent(memory) {
                hpa.memoryTarget = percent
            }
        }
        map.read("sync_period", into: &hpa.syncPeriod) { $0.positiveDuration() }
        map.read("scale_up_stabilization", into: &scaleUp.stabilizationWindow) { $0.duration() }
        map.read("scale_down_stabilization", into: &scaleDown.stabilizationWindow) { $0.duration() }
        let behaviorRead = HPABehaviorReader.read(map, scaleUp: &scaleUp, scaleDown: &scaleDown)
        guard minRead, maxRead, behaviorRead, checkBounds(minReplicas, maxReplicas, in: map) else { return nil }
        hpa.autoscaler = HorizontalPodAutoscalerConfiguration(minReplicas: minReplicas, maxReplicas: maxReplicas,
                                                              tolerance: tolerance, scaleUp: scaleUp,
                                                              scaleDown: scaleDown)
        return Autoscaling(configuration: .kubernetesHPA(hpa))
    }

    /// A utilisation target in percent: greater than 0, at most 100.
    private static func readPercent(_ value: YAMLValue) -> Double? {
        guard let number = value.double() else { return nil }
        guard number > 0, number <= 100 else {
            value.report("must be a percentage greater than 0 and at most 100, got \(number)")
            return nil
        }
        return number
    }

    /// `min` must not exceed `max`; the problem is reported at whichever the file wrote.
    private static func checkBounds(_ minimum: Int, _ maximum: Int, in map: YAMLMapping) -> Bool {
        guard minimum > maximum else { return true }
        if let maxValue = map.optional("max") {
            maxValue.report("must be at least min (\(minimum)), got \(maximum)")
        } else {
            map.optional("min")?.report("must be at most max (\(maximum), the default), got \(minimum)")
        }
        return false
    }

    /// The instances at the start must lie within the autoscaling bounds.
    private static func checkInstances(_ count: Int, within policy: AutoscalingPolicy,
                                       instances: YAMLValue?, autoscaling: YAMLValue) {
        guard count < policy.minimum || count > policy.maximum else { return }
        let bounds = "\(policy.minimum)…\(policy.maximum)"
        if let instances {
            instances.report("must be within autoscaling min…max (\(bounds)), got \(count)")
        } else {
            autoscaling.report("the default \(count) instances at the start lie outside min…max (\(bounds)); "
                               + "set api.instances within the bounds")
        }
    }
}
