// PlanSpace.swift — the configurations `simrun plan` searches for one user tier, what each costs
// before it runs, and the `--param` settings that make a scenario run it.

import Scenarios
import TaskSystem

// MARK: - One configuration

/// A point of the search space, as indices into ``PlanSpace``'s ordered options (cheapest first).
public struct PlanConfiguration: Sendable, Hashable {
    /// Index into ``PlanSpace/classes`` of the primary.
    public var primary: Int
    /// Read replicas.
    public var replicas: Int
    /// Index into ``PlanSpace/classes`` of every replica.
    public var replicaClass: Int
    /// Index into ``PlanSpace/apiLimits``: the autoscaler's maximum (or the fixed instance count).
    public var api: Int
    /// Index into ``PlanSpace/workerFactors``: every Celery pool's workers times this.
    public var workers: Int
    /// Index into ``PlanSpace/cacheNodes``: the Redis node type.
    public var cache: Int = 0
}

// MARK: - The space

/// The configurations searched for one tier of users: the primary and replica classes of the
/// scenario's family in the price catalogue, 0 … ``maximumReplicas`` replicas, API instance
/// limits, worker multipliers and the Redis node types of the scenario node's family; with the
/// price of each before it runs.
public struct PlanSpace: Sendable {
    /// Registered users of the tier; `users / usersPerActive` are active at once.
    public let users: Int
    public let activeUsers: Int
    /// The database classes, smallest first (the scenario primary's family).
    public let classes: [DatabaseInstanceClass]
    public let maximumReplicas: Int
    /// API instance limits, ascending.
    public let apiLimits: [Int]
    /// Worker multipliers, ascending, from 1.
    public let workerFactors: [Int]
    /// The scenario's Celery pools: name and workers.
    public let pools: [(name: String, workers: Int)]
    /// A worker's hourly price.
    public let workerHourlyPrice: Double
    /// The Redis node types, cheapest first: the scenario node's family in the catalogue (its own
    /// node when the catalogue has no such family); `[nil]` when the scenario has no node limit.
    public let cacheNodes: [RedisNodeType?]
    /// The API task's hourly price and whether an autoscaler sets the count (else `api.instances`).
    public let apiHourlyPrice: Double
    public let autoscaled: Bool
    /// The minimum instances the autoscaler keeps (the limit never goes below it).
    public let apiMinimum: Int
    /// API instances the tier's load keeps at 70 % CPU (``instancesAtTarget(activeUsers:cpuSecondsPerRequest:thinkSeconds:vCPUs:)``
    /// for the scenario's endpoint mix): where an autoscaled evaluation starts.
    public let apiSteadyInstances: Int

    /// The space for `users` registered users (`usersPerActive` registered per active one) of
    /// `scenario`, priced by `catalog`.
    public init(users: Int, usersPerActive: Double, scenario: TaskSystemScenario, catalog: PriceCatalog) {
        let configuration = scenario.configuration
        self.users = users
        activeUsers = max(1, Int((Double(users) / usersPerActive).rounded()))
        let family = catalog.family(of: configuration.database.tiers.first?.primary ?? configuration.database.primary)
        classes = family.isEmpty ? [configuration.database.primary] : family
        maximumReplicas = 8
        apiHourlyPrice = configuration.api.hourlyPrice
        autoscaled = configuration.api.autoscaling != nil
        apiMinimum = configuration.api.autoscaling?.minimum ?? 1
        // Limits from the minimum up to 64 instances, roughly ×1.5 a step.
        // Limits from the minimum up to at least 64 instances, roughly ×1.5 a step, and the
        // scenario's own limit (so its configuration is a point of the space).
        var limits = [max(2, apiMinimum)]
        while limits.last! < 64 { limits.append(Int((Double(limits.last!) * 1.5).rounded(.up))) }
        let own = configuration.api.autoscaling?.maximum ?? configuration.api.instances
        apiLimits = Array(Set(limits + [max(own, apiMinimum)])).sorted()
        workerFactors = [1, 2, 4, 8]
        apiSteadyInstances = Self.instancesAtTarget(activeUsers: activeUsers,
                                                    cpuSecondsPerRequest: Self.meanCPU(configuration),
                                                    thinkSeconds: configuration.workload.thinkTime.mean,
                                                    vCPUs: configuration.api.vCPUs)
        pools = configuration.jobs.pools.queues.map { ($0.name, $0.workers) }
        workerHourlyPrice = configuration.jobs.workerHourlyPrice
        if let node = configuration.cache.node {
            let family = catalog.cacheFamily(of: node)
            cacheNodes = family.isEmpty ? [node] : family
        } else {
            cacheNodes = [nil]
        }
    }

    // MARK: Bounds

    /// The cheapest configuration at or above the analytic lower bound for the API: enough
    /// instances for the active users' CPU demand at 70 % (`cpuSecondsPerRequest` per request,
    /// each user sending one request per `thinkSeconds`), the smallest primary, no replica.
    public func lowerBound(cpuSecondsPerRequest: Double, thinkSeconds: Double, vCPUs: Int) -> PlanConfiguration {
        let instances = Self.instancesAtTarget(activeUsers: activeUsers, cpuSecondsPerRequest: cpuSecondsPerRequest,
                                               thinkSeconds: thinkSeconds, vCPUs: vCPUs)
        let api = apiLimits.firstIndex { $0 >= instances } ?? apiLimits.count - 1
        return PlanConfiguration(primary: 0, replicas: 0, replicaClass: 0, api: api, workers: 0)
    }

    /// Instances of `vCPUs` that `activeUsers` users, each sending a request per `thinkSeconds`
    /// of `cpuSecondsPerRequest`, keep at 70 % CPU (the seed's target-tracking value), rounded up.
    static func instancesAtTarget(activeUsers: Int, cpuSecondsPerRequest: Double, thinkSeconds: Double, vCPUs: Int) -> Int {
        let requestsPerSecond = Double(activeUsers) / max(thinkSeconds, 0.001)
        return Int((requestsPerSecond * cpuSecondsPerRequest / (0.7 * Double(max(vCPUs, 1)))).rounded(.up))
    }

    /// The mean API CPU per request of the scenario's endpoint mix, in seconds.
    static func meanCPU(_ configuration: TaskSystemConfiguration) -> Double {
        let weights = configuration.workload.mix.weights
        let total = weights.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return 0.005 }
        return weights.reduce(0) { sum, entry in
            sum + entry.weight / total * configuration.api.cpuCost[Endpoint.allCases.firstIndex(of: entry.endpoint) ?? 0].mean
        }
    }

    /// The most generous configuration: what fails here cannot be bought within the space.
    public var upperBound: PlanConfiguration {
        PlanConfiguration(primary: classes.count - 1, replicas: maximumReplicas, replicaClass: classes.count - 1,
                          api: apiLimits.count - 1, workers: workerFactors.count - 1, cache: cacheNodes.count - 1)
    }

    // MARK: Prices

    /// Dollars an hour at full size (every instance the limit allows, every pool's workers, the
    /// Redis node): the order the search tries moves in. The run's own `cost.total` decides.
    public func listPrice(_ c: PlanConfiguration) -> Double {
        let workers = pools.reduce(0) { $0 + $1.workers } * workerFactors[c.workers]
        return classes[c.primary].hourlyPrice + Double(c.replicas) * classes[c.replicaClass].hourlyPrice
            + Double(apiLimits[c.api]) * apiHourlyPrice + Double(workers) * workerHourlyPrice
            + (cacheNodes[c.cache]?.hourlyPrice ?? 0)
    }

    // MARK: Neighbours

    /// One step up in each dimension `signals` name (every dimension when none), the cheapest
    /// first; configurations outside the space are left out.
    public func moves(from c: PlanConfiguration, api: Bool, database: Bool, workers: Bool, cache: Bool = false) -> [PlanConfiguration] {
        let all = !api && !database && !workers && !cache
        var moves: [PlanConfiguration] = []
        if api || all, c.api + 1 < apiLimits.count { moves.append(with(c) { $0.api += 1 }) }
        if database || all {
            if c.primary + 1 < classes.count { moves.append(with(c) { $0.primary += 1 }) }
            if c.replicas < maximumReplicas { moves.append(with(c) { $0.replicas += 1 }) }
            if c.replicas > 0, c.replicaClass + 1 < classes.count { moves.append(with(c) { $0.replicaClass += 1 }) }
        }
        if workers || all, c.workers + 1 < workerFactors.count { moves.append(with(c) { $0.workers += 1 }) }
        if cache || all, c.cache + 1 < cacheNodes.count { moves.append(with(c) { $0.cache += 1 }) }
        return moves.sorted { listPrice($0) < listPrice($1) }
    }

    /// Where the descent looks from `c`: one step down in one dimension (cheapest first), then
    /// exchanges of one step down in one dimension for one step up in another that cost no more
    /// by list price (`db.r5.xlarge + 2 replicas` ↔ `db.r5.large + 3 replicas`), cheapest first.
    public func cheaperNeighbours(of c: PlanConfiguration) -> [PlanConfiguration] {
        let downs = steps(from: c, by: -1)
        let exchanges = downs.flatMap { steps(from: $0, by: +1) }
            .filter { $0 != c && listPrice($0) <= listPrice(c) + 1e-9 && !downs.contains($0) }
        var seen: [PlanConfiguration] = []
        for candidate in downs.sorted(by: { listPrice($0) < listPrice($1) })
            + exchanges.sorted(by: { listPrice($0) < listPrice($1) }) where !seen.contains(candidate) {
            seen.append(candidate)
        }
        return seen
    }

    /// One step (`+1` or `-1`) in each dimension where the space allows it, in dimension order.
    private func steps(from c: PlanConfiguration, by step: Int) -> [PlanConfiguration] {
        var result: [PlanConfiguration] = []
        func add(_ change: (inout PlanConfiguration) -> Void) {
            let changed = with(c, change)
            if contains(changed) { result.append(changed) }
        }
        add { $0.api += step }
        add { $0.primary += step }
        add { $0.replicas += step }
        if c.replicas > 0 { add { $0.replicaClass += step } }
        add { $0.workers += step }
        add { $0.cache += step }
        return result
    }

    /// Whether `c` lies inside the space (a replica class only matters with replicas).
    func contains(_ c: PlanConfiguration) -> Bool {
        apiLimits.indices.contains(c.api) && classes.indices.contains(c.primary) && (0...maximumReplicas).contains(c.replicas)
            && classes.indices.contains(c.replicaClass) && workerFactors.indices.contains(c.workers)
            && cacheNodes.indices.contains(c.cache) && (c.replicas > 0 || c.replicaClass == 0)
    }

    private func with(_ c: PlanConfiguration, _ change: (inout PlanConfiguration) -> Void) -> PlanConfiguration {
        var changed = c
        change(&changed)
        return changed
    }

    // MARK: Settings

    /// What `c` is, key by key, as `--param` settings on the scenario: the tier's users at a
    /// constant load, a fixed database topology (no tier table), the API limit, the workers, the
    /// Redis node. An autoscaled API starts at its steady size (``apiSteadyInstances`` within
    /// the autoscaler's minimum and the limit), not at the scenario's starting count: the plan
    /// asks what carries the tier's load, and a short run from 2 instances would measure the
    /// autoscaler's reaction to a step from nothing to the whole load instead (the seed's
    /// 3-minute alarm, a 60-second start and a 5-minute cooldown keep a 50,000-user tier at 3
    /// instances for a 5-minute run). The autoscaler still moves it from there.
    public func settings(for c: PlanConfiguration) throws -> [ParameterSetting] {
        var pairs: [(String, String)] = [
            ("users.registered", String(users)), ("users.concurrent", "~"),
            ("load", "{profile: constant, users: \(activeUsers)}"),
            ("database.tiers", "~"), ("database.primary", classes[c.primary].name),
            ("database.replica", classes[c.replicaClass].name), ("database.replicas", String(c.replicas)),
            (autoscaled ? "api.autoscaling.max" : "api.instances", String(apiLimits[c.api])),
        ]
        if autoscaled { pairs.append(("api.instances", String(startingInstances(c)))) }
        for pool in pools {
            pairs.append(("jobs.pools.\(pool.name).workers", String(pool.workers * workerFactors[c.workers])))
        }
        if let node = cacheNodes[c.cache] { pairs.append(("cache.node", node.name)) }
        return try pairs.map { key, value in try ParameterSetting(keyPath: ParameterKeyPath(parsing: key), value: value) }
    }

    /// The instances an autoscaled evaluation of `c` starts with: the steady size within the
    /// autoscaler's minimum and `c`'s limit.
    public func startingInstances(_ c: PlanConfiguration) -> Int {
        min(max(apiSteadyInstances, apiMinimum), apiLimits[c.api])
    }

    /// `c` for people: `db.r5.xlarge + 2× db.r5.large, ≤ 14 API instances, workers ×2, cache.r6g.xlarge`.
    public func describe(_ c: PlanConfiguration) -> String {
        var text = classes[c.primary].name
        if c.replicas > 0 { text += " + \(c.replicas)× \(classes[c.replicaClass].name)" }
        text += autoscaled ? ", ≤ \(apiLimits[c.api]) API instances" : ", \(apiLimits[c.api]) API instances"
        if workerFactors[c.workers] > 1 { text += ", workers ×\(workerFactors[c.workers])" }
        if let node = cacheNodes[c.cache] { text += ", \(node.name)" }
        return text
    }
}
