import Sim
import Scenarios

// MARK: - summary.json of a network run

/// The figures of a network run across replications, in the layout of `summary.json`:
/// `stations.<name>.<stat>` and `classes.<name>.<stat>`, each an ``Estimate``.
public struct NetworkSummary: Sendable {
    /// The statistics of one station or class, in output order.
    public typealias Statistics = [(name: String, estimate: Estimate)]

    public let stations: [(name: String, statistics: Statistics)]
    public let classes: [(name: String, statistics: Statistics)]
    /// Mean warm-up deleted per replication, in seconds.
    public let warmup: Estimate

    /// Summarises `result`.
    public init(_ result: NetworkRunResult) {
        let runs = result.replications
        func estimate(_ value: (NetworkReplicationResult) -> Double) -> Estimate {
            Estimate(replicationValues: runs.map(value))
        }
        stations = result.spec.stations.indices.map { index in
            (result.spec.stations[index].name, [
                ("throughput", estimate { $0.stations[index].throughput }),
                ("utilization", estimate { $0.stations[index].utilization }),
                ("wait", estimate { $0.stations[index].wait }),
                ("response", estimate { $0.stations[index].response }),
                ("queue_length", estimate { $0.stations[index].queueLength }),
                ("p50_response", estimate { $0.stations[index].responsePercentiles.p50 }),
                ("p90_response", estimate { $0.stations[index].responsePercentiles.p90 }),
                ("p95_response", estimate { $0.stations[index].responsePercentiles.p95 }),
                ("p99_response", estimate { $0.stations[index].responsePercentiles.p99 }),
            ])
        }
        classes = result.spec.classNames.indices.map { index in
            (result.spec.classNames[index], [
                ("throughput", estimate { $0.classes[index].throughput }),
                ("response", estimate { $0.classes[index].response }),
                ("p50_response", estimate { $0.classes[index].responsePercentiles.p50 }),
                ("p90_response", estimate { $0.classes[index].responsePercentiles.p90 }),
                ("p95_response", estimate { $0.classes[index].responsePercentiles.p95 }),
                ("p99_response", estimate { $0.classes[index].responsePercentiles.p99 }),
            ])
        }
        warmup = estimate { SimClock.seconds($0.warmup) }
    }

    /// The estimate at `path` (`stations.api.p95_response`), if there is one.
    public func estimate(at path: String) -> Estimate? {
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count == 3 else { return nil }
        let groups = parts[0] == "stations" ? stations : parts[0] == "classes" ? classes : []
        return groups.first { $0.name == parts[1] }?.statistics.first { $0.name == parts[2] }?.estimate
    }

    /// The `stations` and `classes` members of `summary.json`.
    public var json: [(String, JSONValue)] {
        func group(_ entries: [(name: String, statistics: Statistics)]) -> JSONValue {
            .object(entries.map { entry in (entry.name, .object(entry.statistics.map { ($0.name, $0.estimate.json) })) })
        }
        return [("stations", group(stations)), ("classes", group(classes))]
    }
}
