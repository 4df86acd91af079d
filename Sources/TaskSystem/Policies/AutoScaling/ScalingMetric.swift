// ScalingMetric.swift — the metrics autoscaling policies watch, and one period's datapoint.

import Sim

// MARK: - Metrics

/// A metric that an autoscaling policy can track or alarm on.
///
/// Units follow CloudWatch, so that thresholds read like the AWS configuration they model:
/// utilisations are percentages (0…100), request counts are sums per one-minute period, and
/// latencies are seconds.
public enum ScalingMetric: Hashable, Sendable, CustomStringConvertible {
    /// Average CPU utilisation of the in-service instances, in percent
    /// (`ECSServiceAverageCPUUtilization`).
    case cpuUtilization
    /// Average memory utilisation of the in-service instances, in percent
    /// (`ECSServiceAverageMemoryUtilization`).
    case memoryUtilization
    /// Requests received in the period by the whole load balancer (the ALB's `RequestCount`,
    /// statistic Sum): the seed's `RequestCount > 10,000` rule reads this.
    case requestCount
    /// Requests received in the period per target in service (`ALBRequestCountPerTarget`: the
    /// target group's request count over its targets, statistic Sum per target).
    case requestCountPerTarget
    /// The 95th percentile of response time in the period, in seconds
    /// (`TargetResponseTime`, statistic p95).
    case latencyP95
    /// Any other metric the simulator publishes, by name.
    case custom(String)

    /// A short, stable name, e.g. `cpu_utilization`.
    public var description: String {
        switch self {
        case .cpuUtilization: "cpu_utilization"
        case .memoryUtilization: "memory_utilization"
        case .requestCount: "request_count"
        case .requestCountPerTarget: "request_count_per_target"
        case .latencyP95: "latency_p95"
        case .custom(let name): name
        }
    }
}

// MARK: - Datapoints

/// The aggregated values of every published metric over one period (one minute by default).
///
/// A metric absent from ``values`` is *missing* for that period, which CloudWatch alarms treat
/// according to their ``MissingDataTreatment``. Utilisation metrics are expected to be averaged
/// over in-service (warm) instances only: instances still warming up do not count toward the
/// metric (see ``ServiceCapacity``).
public struct MetricDatapoint: Sendable, Equatable {
    /// The start of the period.
    public var time: SimTime
    /// The aggregated value of each metric published in the period.
    public var values: [ScalingMetric: Double]

    /// Creates a datapoint for the period starting at `time`.
    public init(time: SimTime, values: [ScalingMetric: Double]) {
        self.time = time
        self.values = values
    }

    /// The value of `metric` in this period, or `nil` when it is missing or not finite.
    public subscript(metric: ScalingMetric) -> Double? {
        guard let value = values[metric], value.isFinite else { return nil }
        return value
    }
}

// MARK: - Series helpers

extension BidirectionalCollection where Element == MetricDatapoint {
    /// The most recent finite value of `metric` among the last `count` datapoints, if any.
    func latestValue(of metric: ScalingMetric, within count: Int) -> Double? {
        for datapoint in suffix(count).reversed() {
            if let value = datapoint[metric] { return value }
        }
        return nil
    }
}
