// RouteReader.swift — `routes: {api: {db: 0.3}}` to per-station route lists, with checks that
// probabilities are in [0, 1], sum to at most 1, and leave every station a way out.

import Sim

// MARK: - RouteReader

/// Reads the `routes` mapping of a network.
struct RouteReader {
    /// Sums above 1 by less than this are rounding, not a mistake.
    static let tolerance = 1e-9

    /// The declared stations.
    let stations: NameTable

    /// `routes[i]` for each of `stationCount` stations (empty where none are given); `nil` once
    /// a problem was reported.
    func read(_ value: YAMLValue?, stationCount: Int) -> [[NetworkSpec.Route]]? {
        var routes = [[NetworkSpec.Route]](repeating: [], count: stationCount)
        guard let value else { return routes }
        guard let map = value.mapping() else { return nil }
        var complete = true
        var routeNodes: [Int: YAMLValue] = [:]
        for entry in map.entries {
            let source = stations.resolve(entry.key, reportingAt: entry.keyMark, path: entry.value.path,
                                          diagnostics: value.diagnostics)
            guard let choices = readChoices(entry.value), let source, source < stationCount else {
                complete = false
                continue
            }
            routes[source] = choices
            routeNodes[source] = entry.value
        }
        guard complete else { return nil }
        return reportTraps(routes, nodes: routeNodes) ? nil : routes
    }

    /// One station's `{next: probability, …}`, in document order.
    private func readChoices(_ value: YAMLValue) -> [NetworkSpec.Route]? {
        guard let map = value.mapping(expected: "a mapping of next station to probability, such as {db: 0.3}") else {
            return nil
        }
        var result: [NetworkSpec.Route] = []
        var complete = true
        for entry in map.entries {
            let target = stations.resolve(entry.key, reportingAt: entry.keyMark, path: entry.value.path,
                                          diagnostics: value.diagnostics)
            guard let probability = entry.value.double() else {
                complete = false
                continue
            }
            guard (0...1).contains(probability) else {
                entry.value.report("a probability must be between 0 and 1, got \(probability)")
                complete = false
                continue
            }
            guard let target else {
                complete = false
                continue
            }
            result.append(NetworkSpec.Route(station: target, probability: probability))
        }
        guard complete else { return nil }
        let total = result.reduce(0) { $0 + $1.probability }
        if total > 1 + Self.tolerance {
            value.report("probabilities sum to \(total), more than 1; the remainder (1 − sum) is the chance of leaving")
            return nil
        }
        return result
    }

    /// Reports every station from which a customer can never leave (all routes from it, and
    /// from where they lead, total 1). Returns whether any was found.
    private func reportTraps(_ routes: [[NetworkSpec.Route]], nodes: [Int: YAMLValue]) -> Bool {
        let total = routes.map { $0.reduce(0) { $0 + $1.probability } }
        var canLeave = total.map { $0 < 1 - Self.tolerance }
        var changed = true
        while changed {
            changed = false
            for station in routes.indices where !canLeave[station] {
                if routes[station].contains(where: { $0.probability > 0 && canLeave[$0.station] }) {
                    canLeave[station] = true
                    changed = true
                }
            }
        }
        var found = false
        for station in routes.indices where !canLeave[station] {
            found = true
            let name = stations.names.indices.contains(station) ? stations.names[station] : "#\(station)"
            nodes[station]?.report("customers at '\(name)' can never leave: its routes, and those of every "
                                   + "station they lead to, total 1; leave some probability unassigned")
        }
        return found
    }
}
