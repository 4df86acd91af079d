import Sim

// MARK: - Which autoscaler drives the API tier

/// The autoscaler of the API service: ECS service autoscaling (AWS Application Auto Scaling,
/// the seed's design) or a Kubernetes HorizontalPodAutoscaler, to compare the two on one load.
public enum AutoscalingPolicy: Sendable, Equatable {
    /// ECS target tracking and step scaling, evaluated on one-minute CloudWatch datapoints.
    case ecs(AutoScalingPolicyConfiguration)
    /// A Kubernetes HPA on average CPU (and optionally memory) utilisation per ready pod.
    case kubernetesHPA(KubernetesAutoscaling)

    /// The fewest instances the policy keeps.
    public var minimum: Int {
        switch self {
        case .ecs(let configuration): configuration.minCapacity
        case .kubernetesHPA(let hpa): hpa.autoscaler.minReplicas
        }
    }

    /// The most instances the policy allows.
    public var maximum: Int {
        switch self {
        case .ecs(let configuration): configuration.maxCapacity
        case .kubernetesHPA(let hpa): hpa.autoscaler.maxReplicas
        }
    }
}

// MARK: - Kubernetes HPA on the API tier

/// A HorizontalPodAutoscaler scaling the API instances as pods: resource metrics are averaged
/// over ready pods for each sync period and compared with their targets.
public struct KubernetesAutoscaling: Sendable, Equatable {
    /// Bounds, tolerance, stabilisation windows and rate policies (Kubernetes' defaults).
    public var autoscaler: HorizontalPodAutoscalerConfiguration
    /// Target average CPU utilisation per pod, in percent (70, the seed's ECS target).
    public var cpuTarget: Double
    /// Target average memory utilisation per pod, in percent (80, the seed's ECS target); nil
    /// scales on CPU alone.
    public var memoryTarget: Double?
    /// How often the controller evaluates (`--horizontal-pod-autoscaler-sync-period`, 15 s).
    public var syncPeriod: SimTime

    /// Creates an HPA configuration; the defaults are Kubernetes' with the seed's targets.
    public init(autoscaler: HorizontalPodAutoscalerConfiguration = .init(), cpuTarget: Double = 70,
                memoryTarget: Double? = 80, syncPeriod: SimTime = 15 * SimClock.nanosecondsPerSecond) {
        precondition(cpuTarget > 0 && (memoryTarget ?? 1) > 0, "KubernetesAutoscaling: targets must be > 0")
        precondition(syncPeriod > 0, "KubernetesAutoscaling: sync period must be > 0")
        self.autoscaler = autoscaler
        self.cpuTarget = cpuTarget
        self.memoryTarget = memoryTarget
        self.syncPeriod = syncPeriod
    }
}
