// MARK: - Validating a specification built in code

extension NetworkSpec {
    /// What makes this specification impossible to run, in plain words; empty when it is sound.
    ///
    /// The scenario loader reports the same problems with file positions; this check guards
    /// specifications built in code (tests, sweeps) before ``NetworkRunner`` runs them.
    public var problems: [String] {
        var problems: [String] = []
        if stations.isEmpty { problems.append("no stations") }
        if openClasses.isEmpty && closedClasses.isEmpty { problems.append("no customer classes") }
        if replications < 1 { problems.append("replications must be at least 1, got \(replications)") }
        if duration <= 0 { problems.append("duration must be positive") }
        if case .fixed(let warmup) = warmup, warmup < 0 || warmup >= duration {
            problems.append("warm-up must lie in [0, duration)")
        }
        if routes.count != stations.count { problems.append("routes must have one entry per station") }
        let stationRange = stations.indices
        for (index, station) in stations.enumerated() {
            if station.servers < 1 { problems.append("station \(station.name): servers must be at least 1") }
            if let error = Self.validationError(station.service) { problems.append("station \(station.name): \(error)") }
            guard index < routes.count else { continue }
            let total = routes[index].reduce(0) { $0 + $1.probability }
            if routes[index].contains(where: { !stationRange.contains($0.station) || !(0...1).contains($0.probability) })
                || total > 1 + 1e-9 {
                problems.append("station \(station.name): routes need known stations and probabilities summing to ≤ 1")
            }
        }
        let names = stations.map(\.name) + classNames
        if Set(names).count != names.count { problems.append("station and class names must be unique") }
        for open in openClasses where !stationRange.contains(open.station) || open.priority < 0 {
            problems.append("class \(open.name): unknown station or negative priority")
        }
        for closed in closedClasses where !stationRange.contains(closed.station) || closed.priority < 0 || closed.population < 1 {
            problems.append("class \(closed.name): unknown station, negative priority or empty population")
        }
        return problems
    }

    private static func validationError(_ distribution: Distribution) -> String? {
        do {
            try distribution.validate()
            return nil
        } catch {
            return error.description
        }
    }
}
