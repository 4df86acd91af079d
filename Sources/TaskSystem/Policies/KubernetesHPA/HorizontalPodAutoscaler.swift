// HorizontalPodAutoscaler.swift — the Kubernetes HPA as a second autoscaling policy kind.
//
// Semantics (Kubernetes docs, "Horizontal Pod Autoscaling", and the HPA controller):
// - with several metrics, each proposes a replica count and the largest wins (pods grouped
//   into ready, unready and missing as ``HPAReplicaCalculator`` describes);
// - recommendations are stabilised: the result may not exceed the highest recommendation
//   within the scale-down window (300 s by default) nor fall below the lowest within the
//   scale-up window (0 s by default);
// - the change is then limited by the rate policies, and clamped to min…max replicas;
// - a replica count outside min…max is brought to the bound directly; 0 replicas disables scaling.

import Sim

// MARK: - Configuration

/// An HPA's bounds, tolerance and behaviour.
public struct HorizontalPodAutoscalerConfiguration: Sendable, Equatable {
    /// `minReplicas` (2, the seed's minimum).
    public var minReplicas: Int
    /// `maxReplicas` (20, the seed's maximum).
    public var maxReplicas: Int
    /// The ratio tolerance (`--horizontal-pod-autoscaler-tolerance`, 0.1).
    public var tolerance: Double
    /// Scale-up behaviour.
    public var scaleUp: HPAScalingRules
    /// Scale-down behaviour.
    public var scaleDown: HPAScalingRules

    /// Creates a configuration with Kubernetes' defaults.
    public init(
        minReplicas: Int = 2,
        maxReplicas: Int = 20,
        tolerance: Double = 0.1,
        scaleUp: HPAScalingRules = .defaultScaleUp,
        scaleDown: HPAScalingRules = .defaultScaleDown
    ) {
        precondition(minReplicas >= 1 && minReplicas <= maxReplicas, "HPA: need 1 ≤ min ≤ max")
        precondition(tolerance >= 0, "HPA: tolerance must be ≥ 0")
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.tolerance = tolerance
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}

// MARK: - Autoscaler

/// A Kubernetes HorizontalPodAutoscaler: a value holding its recommendation history.
///
/// Call ``evaluate(at:pods:metrics:)`` every sync period (15 s in Kubernetes).
public struct HorizontalPodAutoscaler: Sendable {
    /// Bounds, tolerance and behaviour.
    public let configuration: HorizontalPodAutoscalerConfiguration
    /// Past recommendations (time, replicas) still inside a stabilisation window.
    private var recommendations: [(time: SimTime, replicas: Int)] = []
    /// Past replica changes still inside a rate policy's period.
    private var events: [HPAScaleEvent] = []

    /// Creates an autoscaler with no history.
    public init(configuration: HorizontalPodAutoscalerConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Evaluates the metrics at `now` and returns the new replica count.
    public mutating func evaluate(at now: SimTime, pods: HPAPodCounts, metrics: [HPAMetricObservation]) -> ScalingDecision {
        let config = configuration
        let current = pods.current
        if current == 0 { return .hold(0, reason: .withinTarget) }
        if current > config.maxReplicas {
            return record(ScalingDecision(previousCapacity: current, desiredCapacity: config.maxReplicas, reason: .aboveMaximum), at: now)
        }
        if current < config.minReplicas {
            return record(ScalingDecision(previousCapacity: current, desiredCapacity: config.minReplicas, reason: .belowMinimum), at: now)
        }

        // Each metric proposes; the largest proposal wins.
        var proposal = current
        var proposer: HPAMetricObservation? = nil
        for observation in metrics {
            let replicas = HPAReplicaCalculator.replicas(for: observation, pods: pods, tolerance: config.tolerance)
            if proposer == nil || replicas > proposal {
                proposal = replicas
                proposer = observation
            }
        }
        let evidence = proposer.map {
            ScalingEvidence(policy: $0.name, metric: nil, value: $0.currentAverage, threshold: $0.targetAverage,
                            alarm: nil, base: Double(pods.ready))
        }
        let stabilized = stabilize(proposal, current: current, now: now)

        // Rate policies, then bounds.
        var desired = stabilized
        var rateLimited = false
        if stabilized > current {
            let rate = config.scaleUp.scaleUpLimit(current: current, now: now, events: events)
            rateLimited = rate < min(stabilized, config.maxReplicas)
            desired = min(stabilized, rate, config.maxReplicas)
        } else if stabilized < current {
            let rate = config.scaleDown.scaleDownLimit(current: current, now: now, events: events)
            rateLimited = rate > max(stabilized, config.minReplicas)
            desired = max(stabilized, rate, config.minReplicas)
        }

        let name = proposer?.name ?? "none"
        let reason: ScalingReason
        if rateLimited {
            reason = .rateLimited(name)
        } else if desired != current {
            reason = .policy(name)
        } else if proposal == current {
            reason = metrics.isEmpty ? .withinTarget : .withinTolerance
        } else if stabilized == current {
            reason = .stabilizationWindow
        } else {
            reason = stabilized > current ? .atMaximum : .atMinimum
        }
        return record(ScalingDecision(previousCapacity: current, desiredCapacity: desired, reason: reason,
                                      evidence: evidence), at: now)
    }

    // MARK: Stabilisation

    /// Applies the stabilisation windows to `proposal` and remembers it.
    private mutating func stabilize(_ proposal: Int, current: Int, now: SimTime) -> Int {
        let upCutoff = now - configuration.scaleUp.stabilizationWindow
        let downCutoff = now - configuration.scaleDown.stabilizationWindow
        var up = proposal
        var down = proposal
        for recommendation in recommendations {
            if recommendation.time > upCutoff { up = min(up, recommendation.replicas) }
            if recommendation.time > downCutoff { down = max(down, recommendation.replicas) }
        }
        let oldest = now - max(configuration.scaleUp.stabilizationWindow, configuration.scaleDown.stabilizationWindow)
        recommendations.removeAll { $0.time <= oldest }
        recommendations.append((now, proposal))
        var result = current
        if result < up { result = up }
        if result > down { result = down }
        return result
    }

    // MARK: Events

    /// Remembers a replica change for the rate policies and returns `decision`.
    private mutating func record(_ decision: ScalingDecision, at now: SimTime) -> ScalingDecision {
        let horizon = max(configuration.scaleUp.longestPeriod, configuration.scaleDown.longestPeriod)
        events.removeAll { $0.time <= now - horizon }
        if decision.changesCapacity {
            events.append(HPAScaleEvent(time: now, change: decision.desiredCapacity - decision.previousCapacity))
        }
        return decision
    }
}
