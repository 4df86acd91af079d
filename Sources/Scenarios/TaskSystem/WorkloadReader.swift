// WorkloadReader.swift — the `users` and `load` sections to a WorkloadConfiguration.

import Sim
import TaskSystem

// MARK: - WorkloadReader

/// Reads `users` (the dataset, the users' behaviour and the endpoint mix) and `load` (how
/// many are active over time) over the defaults of `WorkloadConfiguration`.
enum WorkloadReader {
    /// The keys of `users`.
    static let userKeys = ["registered", "projects", "tasks_per_project", "members_per_project", "concurrent",
                           "think", "requests_per_session", "refresh_after_write", "mix",
                           "permission_revocations_per_hour", "turnover"]

    /// The most membership revocations an hour a scenario may ask for (one every 3.6 ms).
    static let maximumRevocationsPerHour = 1_000_000.0

    /// Overrides `workload` with what `users` and `load` give (either may be absent).
    static func read(users: YAMLValue?, load: YAMLValue?, into workload: inout WorkloadConfiguration) {
        let map = users?.mapping(allowedKeys: userKeys)
        if let map {
            readData(map, into: &workload.data)
            map.read("think", into: &workload.thinkTime) { $0.distribution(isTime: true) }
            map.read("requests_per_session", into: &workload.requestsPerSession, readRequestsPerSession)
            map.read("refresh_after_write", into: &workload.refreshAfterWrite) { $0.bool() }
            map.read("turnover", into: &workload.turnover) { $0.bool() }
            map.read("mix", into: &workload.mix, readMix)
            map.read("permission_revocations_per_hour", into: &workload.permissionRevocationsPerHour) { value in
                guard let rate = value.nonNegativeNumber() else { return nil }
                guard rate <= maximumRevocationsPerHour else {
                    value.report("too large (max \(Int(maximumRevocationsPerHour))), got \(rate)")
                    return nil
                }
                return rate
            }
        }
        let concurrent = map?.optional("concurrent")
        if let concurrent, let users = concurrent.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers) {
            workload.load = .constant(users: users)
        }
        guard let load else { return }
        let profile = LoadProfileReader.read(load)  // read even when exclusive, to report its own problems
        if concurrent != nil {
            load.report("'load' and 'users.concurrent' are exclusive; users.concurrent: N is short for "
                        + "load: {profile: constant, users: N}")
        } else if let profile {
            workload.load = profile
        }
    }

    // MARK: Dataset

    /// `registered`, `projects` (default: one per ten users, at least 1, as `SeedPlan.scaled`),
    /// `tasks_per_project`, `members_per_project`.
    private static func readData(_ map: YAMLMapping, into data: inout SeedPlan) {
        if let registered = map.optional("registered")?.int(atLeast: 1, atMost: ScenarioBounds.users) {
            data.users = registered
            data.projects = SeedPlan.scaled(users: registered).projects  // unless `projects` follows
        }
        map.read("projects", into: &data.projects) { $0.int(atLeast: 1, atMost: ScenarioBounds.users) }
        map.read("tasks_per_project", into: &data.tasksPerProject) { $0.int(atLeast: 0, atMost: ScenarioBounds.tasksPerProject) }
        map.read("members_per_project", into: &data.membersPerProject) { $0.int(atLeast: 1, atMost: ScenarioBounds.membersPerProject) }
    }

    // MARK: Behaviour

    /// The largest mean number of requests per session.
    static let maximumRequestsPerSession = 1_000_000.0

    /// A distribution of requests per session (a count, not a time) with a mean > 0 and at
    /// most ``maximumRequestsPerSession``.
    private static func readRequestsPerSession(_ value: YAMLValue) -> Distribution? {
        guard let distribution = value.distribution() else { return nil }
        guard distribution.mean > 0 else {
            value.report("the mean number of requests per session must be > 0, got \(distribution.mean)")
            return nil
        }
        guard distribution.mean <= maximumRequestsPerSession else {
            value.report("the mean number of requests per session is too large (max \(Int(maximumRequestsPerSession))), "
                         + "got \(distribution.mean)")
            return nil
        }
        return distribution
    }

    /// `{endpoint: weight, …}` in the order written; weights > 0, relative (they need not sum to 1).
    private static func readMix(_ value: YAMLValue) -> EndpointMix? {
        guard let map = value.mapping(expected: "a mapping of endpoint to weight, such as {get_task: 0.4, list_tasks: 0.3}") else {
            return nil
        }
        let names = Endpoint.allCases.filter { $0 != .login }.map(\.rawValue)
        let excluded = ["login": "login is not part of the mix: every session opens with one login, "
                        + "and the mix weighs the requests that follow"]
        var weights: [(endpoint: Endpoint, weight: Double)] = []
        var complete = map.entries.count == map.entries(named: names, what: "endpoint", excluded: excluded).count
        for entry in map.entries {
            guard let endpoint = Endpoint(rawValue: entry.key), endpoint != .login else { continue }
            guard let weight = entry.value.double() else {
                complete = false
                continue
            }
            guard weight > 0 else {
                entry.value.report("a weight must be > 0, got \(weight); leave the endpoint out to exclude it")
                complete = false
                continue
            }
            weights.append((endpoint, weight))
        }
        if map.entries.isEmpty {
            value.report("at least one endpoint is required; endpoints: \(names.joined(separator: ", "))")
            return nil
        }
        return complete ? EndpointMix(weights) : nil
    }
}
