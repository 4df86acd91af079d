// NetworkReader.swift — the root mapping of a `kind: network` file to a NetworkScenario.

import Sim

// MARK: - NetworkReader

/// Reads a `kind: network` document. Every problem is reported to the diagnostics; the
/// scenario is built only when there are none.
struct NetworkReader {
    /// The keys of the document root.
    static let rootKeys = ["kind", "name", "seed", "duration", "warmup", "replications",
                           "stations", "routes", "arrivals", "populations", "kpis"]

    let sourcePath: String

    /// The scenario, or `nil` once problems were reported.
    func read(_ root: YAMLMapping) -> NetworkScenario? {
        var root = root
        root.rejectKeys(notIn: Self.rootKeys)

        let name = root.required("name")?.scenarioName()
        let seed = root.optional("seed").map { $0.uint64() } ?? 1
        let duration = readDuration(root)
        let warmup = readWarmup(root, duration: duration)
        let replications = root.optional("replications").map { $0.int(atLeast: 1, atMost: ScenarioBounds.replications) } ?? 1

        var stationNames = NameTable(what: "station")
        let stations = readStations(root, names: &stationNames)
        let routes = RouteReader(stations: stationNames).read(root.optional("routes"),
                                                              stationCount: stations.count)
        var classNames = NameTable(what: "class")
        let openClasses = readItems(root.optional("arrivals")) {
            readOpenClass($0, index: $1, classes: &classNames, stations: stationNames)
        }
        let closedClasses = readItems(root.optional("populations")) {
            readClosedClass($0, index: $1, classes: &classNames, stations: stationNames)
        }
        if classNames.names.isEmpty {
            (root.optional("arrivals") ?? root.optional("populations") ?? root.value)
                .report("a network needs at least one class: add 'arrivals' (open classes) or 'populations' (closed classes)")
        }
        let catalogue = MetricCatalogue.network(stations: stationNames.names, classes: classNames.names)
        let kpis = KPIReader.read(root.optional("kpis"), catalogue: catalogue)

        guard !root.value.diagnostics.hasErrors,
              let name, let seed, let duration, let warmup, let replications,
              let stations = stations.allPresent(), let routes,
              let openClasses = openClasses.allPresent(), let closedClasses = closedClasses.allPresent(),
              let kpis else {
            if !root.value.diagnostics.hasErrors {
                root.value.report("internal error: incomplete scenario without a reported problem")
            }
            return nil
        }
        let spec = NetworkSpec(name: name, seed: seed, duration: duration, warmup: warmup,
                               replications: replications, stations: stations, routes: routes,
                               openClasses: openClasses, closedClasses: closedClasses)
        return NetworkScenario(spec: spec, kpis: kpis, sourcePath: sourcePath)
    }

    // MARK: Run settings

    private func readDuration(_ root: YAMLMapping) -> SimTime? {
        guard let value = root.required("duration"), let duration = value.duration() else { return nil }
        guard duration > 0 else {
            value.report("must be greater than 0")
            return nil
        }
        return duration
    }

    /// `warmup`: a duration shorter than `duration`, or `mser5`; default 0.
    private func readWarmup(_ root: YAMLMapping, duration: SimTime?) -> NetworkSpec.Warmup? {
        guard let value = root.optional("warmup") else { return .fixed(0) }
        if value.scalar?.string == "mser5" { return .mser5 }
        if let text = value.scalar?.string, !text.contains(where: \.isNumber) {
            // A word rather than a number: most likely a misspelt rule name.
            let hint = Suggestions.closest(to: text, in: ["mser5"]).map { "; did you mean '\($0)'?" } ?? ""
            value.report("expected a duration (seconds, or a string such as \"5m\") or \"mser5\", got \(value.summary)" + hint)
            return nil
        }
        guard let warmup = value.duration() else { return nil }
        if let duration, warmup >= duration {
            value.report("must be shorter than duration (\(SimClock.seconds(duration)) s), got \(SimClock.seconds(warmup)) s")
            return nil
        }
        return .fixed(warmup)
    }

    // MARK: Stations

    private func readStations(_ root: YAMLMapping, names: inout NameTable) -> [NetworkSpec.Station?] {
        guard let list = root.required("stations")?.list() else { return [nil] }
        if list.isEmpty {
            root.optional("stations")?.report("at least one station is required")
            return [nil]
        }
        return list.enumerated().map { index, item in
            guard let map = item.mapping(allowedKeys: ["name", "servers", "discipline", "service"]) else {
                return nil
            }
            let name = map.required("name").flatMap { names.declare($0, index: index) }
            let servers = map.optional("servers").map { $0.int(atLeast: 1, atMost: ScenarioBounds.servers) } ?? 1
            let discipline = map.optional("discipline").map {
                $0.choice(NetworkSpec.Discipline.self, what: "discipline")
            } ?? .fifo
            let service = map.required("service")?.distribution(isTime: true)
            guard let name, let servers, let discipline, let service else { return nil }
            return NetworkSpec.Station(name: name, servers: servers, discipline: discipline, service: service)
        }
    }

    // MARK: Classes

    /// Reads each item of an optional list with `read(item, index)`.
    private func readItems<Item>(_ value: YAMLValue?, _ read: (YAMLValue, Int) -> Item?) -> [Item?] {
        guard let value, let items = value.list() else { return value == nil ? [] : [nil] }
        return items.enumerated().map { read($1, $0) }
    }

    private func readOpenClass(_ item: YAMLValue, index: Int, classes: inout NameTable,
                               stations: NameTable) -> NetworkSpec.OpenClass? {
        guard let map = item.mapping(allowedKeys: ["class", "station", "interarrival", "priority"]) else {
            return nil
        }
        let name = map.required("class").flatMap { classes.declare($0, index: index, clashingWith: stations) }
        let station = map.required("station").flatMap { stations.resolve($0) }
        let interarrival = map.required("interarrival").flatMap(readInterarrival)
        let priority = map.optional("priority").map { $0.int(atLeast: 0, atMost: ScenarioBounds.priority) } ?? 0
        guard let name, let station, let interarrival, let priority else { return nil }
        return NetworkSpec.OpenClass(name: name, station: station, interarrival: interarrival, priority: priority)
    }

    /// A time distribution with a positive mean (a zero mean would flood time 0 with arrivals).
    private func readInterarrival(_ value: YAMLValue) -> Distribution? {
        guard let distribution = value.distribution(isTime: true) else { return nil }
        guard distribution.mean > 0 else {
            value.report("the mean time between arrivals must be > 0, got \(distribution.mean)")
            return nil
        }
        return distribution
    }

    private func readClosedClass(_ item: YAMLValue, index: Int, classes: inout NameTable,
                                 stations: NameTable) -> NetworkSpec.ClosedClass? {
        guard let map = item.mapping(allowedKeys: ["class", "size", "think", "station", "priority"]) else {
            return nil
        }
        let name = map.required("class").flatMap { classes.declare($0, index: index, clashingWith: stations) }
        let size = map.required("size")?.int(atLeast: 1, atMost: ScenarioBounds.population)
        let think = map.required("think")?.distribution(isTime: true)
        let station = map.required("station").flatMap { stations.resolve($0) }
        let priority = map.optional("priority").map { $0.int(atLeast: 0, atMost: ScenarioBounds.priority) } ?? 0
        guard let name, let size, let think, let station, let priority else { return nil }
        return NetworkSpec.ClosedClass(name: name, population: size, think: think, station: station,
                                       priority: priority)
    }
}

// MARK: - Helpers

extension Array {
    /// The unwrapped elements, or `nil` if any is `nil`.
    func allPresent<Wrapped>() -> [Wrapped]? where Element == Wrapped? {
        var result: [Wrapped] = []
        result.reserveCapacity(count)
        for element in self {
            guard let element else { return nil }
            result.append(element)
        }
        return result
    }
}
