// HPAReplicaCalculator.swift — the Kubernetes HPA's per-metric replica count.
//
// Semantics (Kubernetes docs, "Horizontal Pod Autoscaling — Algorithm details", and
// pkg/controller/podautoscaler/replica_calculator.go):
//   desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue)
// where the current value is averaged over ready pods and the ratio is taken against ready pods;
// nothing changes while |ratio − 1| ≤ tolerance (0.1 by default). On a scale-up, pods not yet
// ready are assumed to use 0 % of the target, and the result is recomputed over all pods; if that
// brings the ratio within tolerance or reverses its direction, the replica count is kept.

// MARK: - Inputs

/// The pods of the scaled workload at the moment of evaluation.
public struct HPAPodCounts: Sendable, Equatable {
    /// The replica count currently requested (`spec.replicas`).
    public var current: Int
    /// Pods ready and reporting the metric.
    public var ready: Int
    /// Pods started but not yet ready (still initialising); they report no usable metric.
    public var unready: Int

    /// Creates pod counts; by default every requested pod is ready.
    public init(current: Int, ready: Int? = nil, unready: Int = 0) {
        precondition(current >= 0 && unready >= 0, "HPAPodCounts: counts must be ≥ 0")
        self.current = current
        self.ready = max(0, ready ?? current)
        self.unready = unready
    }
}

/// One metric's observation against its target, as the HPA's metrics client reports it.
public struct HPAMetricObservation: Sendable, Equatable {
    /// The metric's name, used in decision reasons.
    public var name: String
    /// The current value averaged over ready pods (e.g. CPU utilisation in percent of requests).
    public var currentAverage: Double
    /// The target average value per pod (e.g. 70 for 70 % CPU utilisation).
    public var targetAverage: Double

    /// Creates an observation.
    ///
    /// - Precondition: `targetAverage > 0`.
    public init(name: String, currentAverage: Double, targetAverage: Double) {
        precondition(targetAverage > 0 && targetAverage.isFinite, "HPAMetricObservation: target must be > 0")
        self.name = name
        self.currentAverage = currentAverage
        self.targetAverage = targetAverage
    }

    /// `currentAverage / targetAverage`.
    public var usageRatio: Double { currentAverage / targetAverage }
}

// MARK: - Calculator

/// The HPA's replica calculation for a single metric.
public enum HPAReplicaCalculator {
    /// The replica count `observation` asks for, or `pods.current` when it asks for no change.
    public static func replicas(for observation: HPAMetricObservation, pods: HPAPodCounts, tolerance: Double) -> Int {
        let ratio = observation.usageRatio
        guard pods.ready > 0, ratio.isFinite else { return pods.current }
        let scaleUpWithUnready = pods.unready > 0 && ratio > 1
        if !scaleUpWithUnready {
            if abs(1 - ratio) <= tolerance { return pods.current }
            return CapacityRounding.ceiling(ratio * Double(pods.ready))
        }
        // Unready pods count as using nothing: recompute the ratio over every pod.
        let all = pods.ready + pods.unready
        let newRatio = ratio * Double(pods.ready) / Double(all)
        if abs(1 - newRatio) <= tolerance || newRatio < 1 { return pods.current }
        let replicas = CapacityRounding.ceiling(newRatio * Double(all))
        return replicas < pods.current ? pods.current : replicas
    }
}
