// APIReader.swift — the `api` section to an APIConfiguration, autoscaling included.

import Sim
import TaskSystem

// MARK: - APIReader

/// Reads `api` over the defaults of `APIConfiguration`.
enum APIReader {
    /// The keys of `api`.
    static let keys = ["instances", "vcpus", "load_balancing", "local_cache_entries", "cpu", "hourly_price",
                       "startup", "consistency_window", "stateful_controller", "pool", "autoscaling",
                       "failures", "health_check"]
    /// The keys of `api.pool`.
    static let poolKeys = ["size", "max_overflow", "timeout"] + ResilienceReader.poolLifecycleKeys
    /// The keys of `api.autoscaling`.
    static let autoscalingKeys = ["min", "max", "scale_out_cooldown", "scale_in_cooldown"]

    /// Overrides `api` with what `value` gives.
    static func read(_ value: YAMLValue, into api: inout APIConfiguration) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        let instancesRead = map.read("instances", into: &api.instances) { $0.int(atLeast: 1) }
        map.read("vcpus", into: &api.vCPUs) { $0.int(atLeast: 1) }
        map.read("load_balancing", into: &api.loadBalancing) { $0.choice(LoadBalancingPolicy.self, what: "load balancing policy") }
        map.read("local_cache_entries", into: &api.localCacheCapacity, readCacheEntries)
        if let cpu = map.optional("cpu") { readCPU(cpu, into: &api.cpuCost) }
        map.read("hourly_price", into: &api.hourlyPrice) { $0.nonNegativeNumber() }
        map.read("startup", into: &api.startupDelay) { $0.duration() }
        map.read("consistency_window", into: &api.consistencyWindow) { $0.duration() }
        map.read("stateful_controller", into: &api.statefulController) { $0.bool() }
        if let pool = map.optional("pool")?.mapping(allowedKeys: poolKeys) {
            pool.read("size", into: &api.poolSize) { $0.int(atLeast: 1) }
            pool.read("max_overflow", into: &api.poolOverflow) { $0.int(atLeast: 0) }
            pool.read("timeout", into: &api.poolTimeout) { $0.duration() }
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
        guard let entries = value.int(atLeast: 0) else { return nil }
        guard entries <= Int(Int32.max) else {
            value.report("must be at most \(Int32.max), got \(entries)")
            return nil
        }
        return entries
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

    /// What `autoscaling` says: off, or a policy.
    struct Autoscaling {
        /// `nil`: a fixed number of instances.
        let configuration: AutoScalingPolicyConfiguration?
    }

    /// `false` (fixed instances), `true` (the seed's policy) or a mapping of overrides of the
    /// seed's policy; `nil` once a problem was reported.
    private static func readAutoscaling(_ value: YAMLValue) -> Autoscaling? {
        if let enabled = value.boolIfWritten {
            return Autoscaling(configuration: enabled ? .seed : nil)
        }
        guard let map = value.mapping(allowedKeys: autoscalingKeys,
                                      expected: "true, false or a mapping such as {min: 2, max: 20}") else {
            return nil
        }
        var policy = AutoScalingPolicyConfiguration.seed
        let minRead = map.read("min", into: &policy.minCapacity) { $0.int(atLeast: 1) }
        let maxRead = map.read("max", into: &policy.maxCapacity) { $0.int(atLeast: 1) }
        map.read("scale_out_cooldown", into: &policy.cooldowns.scaleOut) { $0.duration() }
        map.read("scale_in_cooldown", into: &policy.cooldowns.scaleIn) { $0.duration() }
        guard minRead, maxRead else { return nil }
        if policy.minCapacity > policy.maxCapacity {
            if let maxValue = map.optional("max") {
                maxValue.report("must be at least min (\(policy.minCapacity)), got \(policy.maxCapacity)")
            } else {
                map.optional("min")?.report("must be at most max (\(policy.maxCapacity), the default), got \(policy.minCapacity)")
            }
            return nil
        }
        return Autoscaling(configuration: policy)
    }

    /// The instances at the start must lie within the autoscaling bounds.
    private static func checkInstances(_ count: Int, within policy: AutoScalingPolicyConfiguration,
                                       instances: YAMLValue?, autoscaling: YAMLValue) {
        guard count < policy.minCapacity || count > policy.maxCapacity else { return }
        let bounds = "\(policy.minCapacity)…\(policy.maxCapacity)"
        if let instances {
            instances.report("must be within autoscaling min…max (\(bounds)), got \(count)")
        } else {
            autoscaling.report("the default \(count) instances at the start lie outside min…max (\(bounds)); "
                               + "set api.instances within the bounds")
        }
    }
}
