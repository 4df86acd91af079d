// HPAReplicaCalculator.swift — the Kubernetes HPA's per-metric replica count.
//
// Semantics (Kubernetes docs, "Horizontal Pod Autoscaling — Algorithm details", and
// pkg/controller/podautoscaler/replica_calculator.go, `GetResourceReplicas`):
//   desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue)
// where the current value is averaged over the ready pods that report the metric; nothing
// changes while |ratio − 1| ≤ tolerance (0.1 by default). Pods are grouped first:
// - *unready* pods (not yet ready, or — for CPU — ready for less than one metric window) are
//   left out; on a scale-up they are assumed to use 0 % of their request;
// - *missing* pods (ready, but with no metric) are assumed to use 100 % of their request (or
//   the target, if it is higher) on a scale-down, and 0 % on a scale-up;
// then the ratio is recomputed over every pod considered; if that brings it within tolerance or
// reverses its direction, or if the count considered would reverse the direction, the replica
// count is kept. Otherwise the result is ceil(newRatio × pods considered).

// MARK: - Inputs

/// The pods of the scaled workload at the moment of evaluation.
public struct HPAPodCounts: Sendable, Equatable {
    /// The replica count currently requested (`spec.replicas`).
    public var current: Int
    /// Pods ready and reporting the metric.
    public var ready: Int
    /// Pods not ready (starting, or ready too recently to have a full metric window).
    public var unready: Int
    /// Pods ready but with no metric sample.
    public var missing: Int

    /// Creates pod counts; by default every requested pod is ready and reports its metric.
    public init(current: Int, ready: Int? = nil, unready: Int = 0, missing: Int = 0) {
        precondition(current >= 0 && unready >= 0 && missing >= 0, "HPAPodCounts: counts must be ≥ 0")
        self.current = current
        self.ready = max(0, ready ?? current)
        self.unready = unready
        self.missing = missing
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

    /// What a missing pod is assumed to use on a scale-down: 100 % of its request, or the
    /// target when that is higher (a resource utilisation metric, as simrun's CPU and memory).
    public var missingPodUtilisationOnScaleDown: Double { max(100, targetAverage) }
}

// MARK: - Calculator

/// The HPA's replica calculation for a single metric.
public enum HPAReplicaCalculator {
    /// The replica count `observation` asks for, or `pods.current` when it asks for no change.
    public static func replicas(for observation: HPAMetricObservation, pods: HPAPodCounts, tolerance: Double) -> Int {
        let ratio = observation.usageRatio
        guard pods.ready > 0, ratio.isFinite else { return pods.current }
        let scaleUpWithUnready = pods.unready > 0 && ratio > 1
        if !scaleUpWithUnready && pods.missing == 0 {
            if abs(1 - ratio) <= tolerance { return pods.current }
            return CapacityRounding.ceiling(ratio * Double(pods.ready))
        }
        // Fill in the pods without a usable metric, then recompute over every pod considered.
        var total = observation.currentAverage * Double(pods.ready)
        var considered = pods.ready
        if pods.missing > 0 {
            if ratio < 1 {
                total += observation.missingPodUtilisationOnScaleDown * Double(pods.missing)
                considered += pods.missing
            } else if ratio > 1 {
                considered += pods.missing
            }
        }
        if scaleUpWithUnready { considered += pods.unready }
        let newRatio = total / Double(considered) / observation.targetAverage
        if abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) {
            return pods.current
        }
        let replicas = CapacityRounding.ceiling(newRatio * Double(considered))
        if (newRatio < 1 && replicas > pods.current) || (newRatio > 1 && replicas < pods.current) {
            return pods.current
        }
        return replicas
    }
}
