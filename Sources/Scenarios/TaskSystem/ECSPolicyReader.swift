// ECSPolicyReader.swift — the ECS autoscaler's policies in `api.autoscaling`: target tracking
// targets, step scaling policies with their alarms and steps, the cooldown rule.

import Sim
import TaskSystem

// MARK: - ECSPolicyReader

/// Reads the policy keys of `api.autoscaling` with `kind: ecs` over the seed's policies.
enum ECSPolicyReader {
    /// The policy keys (besides `kind`, `min`, `max` and the cooldowns).
    static let keys = ["cpu_target", "memory_target", "request_count_per_target", "step_scaling",
                       "scale_out_cooldown_blocks_scale_in", "metric_delay"]
    /// The longest `metric_delay` accepted.
    static let longestMetricDelay: SimTime = 600 * SimClock.nanosecondsPerSecond
    /// The keys of one `step_scaling` item.
    static let stepPolicyKeys = ["name", "metric", "comparison", "threshold", "evaluation_periods",
                                 "datapoints_to_alarm", "missing_data", "adjustment_type",
                                 "min_adjustment_magnitude", "steps"]
    /// The keys of one step.
    static let stepKeys = ["lower", "upper", "adjustment"]
    /// The most one-minute periods an alarm may evaluate (the model keeps one hour of datapoints).
    static let maximumEvaluationPeriods = 60
    /// The largest step adjustment or minimum magnitude accepted (instances or percent).
    static let largestAdjustment = 1_000_000

    /// The metrics a step policy can alarm on, by name.
    static let metrics: [(name: String, metric: ScalingMetric)] = [
        ("request_count", .requestCount), ("request_count_per_target", .requestCountPerTarget),
        ("latency_p95", .latencyP95), ("cpu", .cpuUtilization), ("memory", .memoryUtilization),
    ]
    /// CloudWatch's comparison operators, by name.
    static let comparisons: [(name: String, comparison: AlarmComparison)] = [
        ("greater_than", .greaterThan), ("greater_than_or_equal", .greaterThanOrEqual),
        ("less_than", .lessThan), ("less_than_or_equal", .lessThanOrEqual),
    ]
    /// CloudWatch's `TreatMissingData`, by name.
    static let missingData: [(name: String, treatment: MissingDataTreatment)] = [
        ("missing", .missing), ("ignore", .ignore), ("breaching", .breaching), ("not_breaching", .notBreaching),
    ]
    /// Application Auto Scaling's adjustment types, by name.
    static let adjustmentTypes: [(name: String, type: StepAdjustmentType)] = [
        ("change_in_capacity", .changeInCapacity), ("exact_capacity", .exactCapacity),
        ("percent_change_in_capacity", .percentChangeInCapacity),
    ]

    /// Overrides the policies of `policy` with what `map` gives; false once a problem was reported.
    static func read(_ map: YAMLMapping, into policy: inout AutoScalingPolicyConfiguration) -> Bool {
        var ok = true
        ok = readTarget(map, "cpu_target", replacing: "cpu-target", in: &policy.targetTracking) {
            TargetTrackingPolicy(name: "cpu-target-\(format($0))", metric: .cpuUtilization, targetValue: $0)
        } && ok
        ok = readTarget(map, "memory_target", replacing: "memory-target", in: &policy.targetTracking) {
            TargetTrackingPolicy(name: "memory-target-\(format($0))", metric: .memoryUtilization, targetValue: $0)
        } && ok
        if let value = map.optional("request_count_per_target") {
            if let target = positive(value) {
                policy.targetTracking.append(TargetTrackingPolicy(
                    name: "request-count-per-target-\(format(target))", metric: .requestCountPerTarget,
                    targetValue: target))
            } else {
                ok = false
            }
        }
        ok = map.read("scale_out_cooldown_blocks_scale_in", into: &policy.scaleOutCooldownBlocksScaleIn) { $0.bool() } && ok
        ok = map.read("metric_delay", into: &policy.metricDelay, readMetricDelay) && ok
        if let steps = map.optional("step_scaling") {
            if let policies = readStepPolicies(steps) { policy.stepScaling = policies } else { ok = false }
        }
        return ok
    }

    // MARK: Target tracking

    /// `key`: a target in percent (0 < x ≤ 100) replacing the seed policy whose name starts with
    /// `prefix`, or `false` to remove it.
    private static func readTarget(_ map: YAMLMapping, _ key: String, replacing prefix: String,
                                   in policies: inout [TargetTrackingPolicy],
                                   make: (Double) -> TargetTrackingPolicy) -> Bool {
        guard let value = map.optional(key) else { return true }
        let index = policies.firstIndex { $0.name.hasPrefix(prefix) }
        if value.boolIfWritten == false {
            if let index { policies.remove(at: index) }
            return true
        }
        guard let number = value.double() else { return false }
        guard number > 0, number <= 100 else {
            value.report("must be a percentage greater than 0 and at most 100, or false, got \(number)")
            return false
        }
        if let index { policies[index] = make(number) } else { policies.append(make(number)) }
        return true
    }

    // MARK: Step scaling

    /// A list of step scaling policies (replacing the seed's two; `[]` for none).
    private static func readStepPolicies(_ value: YAMLValue) -> [StepScalingPolicy]? {
        guard let items = value.list() else { return nil }
        var policies: [StepScalingPolicy] = []
        var ok = true
        for (index, item) in items.enumerated() {
            if let policy = readStepPolicy(item, index: index) { policies.append(policy) } else { ok = false }
        }
        return ok ? policies : nil
    }

    /// One step scaling policy with its alarm.
    private static func readStepPolicy(_ value: YAMLValue, index: Int) -> StepScalingPolicy? {
        guard let map = value.mapping(allowedKeys: stepPolicyKeys) else { return nil }
        var ok = true
        var name = "step-\(index + 1)"
        ok = map.read("name", into: &name) { $0.string() } && ok
        var metric = ScalingMetric.requestCount
        guard let metricValue = map.required("metric") else { return nil }
        if let found = pick(metricValue, from: metrics.map { ($0.name, $0.metric) }, what: "metric") {
            metric = found
        } else {
            ok = false
        }
        var comparison = AlarmComparison.greaterThan
        ok = map.read("comparison", into: &comparison) { pick($0, from: comparisons.map { ($0.name, $0.comparison) }, what: "comparison") } && ok
        var threshold = 0.0
        if let thresholdValue = map.required("threshold") {
            if let number = metric == .latencyP95 ? thresholdValue.seconds() : thresholdValue.double() {
                threshold = number
            } else {
                ok = false
            }
        } else {
            ok = false
        }
        var periods = 3
        let periodsRead = map.read("evaluation_periods", into: &periods) { readPeriods($0) }
        var datapoints = periods
        let datapointsRead = map.read("datapoints_to_alarm", into: &datapoints) { readPeriods($0) }
        ok = periodsRead && datapointsRead && ok
        if periodsRead, datapointsRead, datapoints > periods, let written = map.optional("datapoints_to_alarm") {
            written.report("must be at most evaluation_periods (\(periods)), got \(datapoints)")
            ok = false
        }
        var missing = MissingDataTreatment.missing
        ok = map.read("missing_data", into: &missing) { pick($0, from: missingData.map { ($0.name, $0.treatment) }, what: "missing-data treatment") } && ok
        var type = StepAdjustmentType.changeInCapacity
        ok = map.read("adjustment_type", into: &type) { pick($0, from: adjustmentTypes.map { ($0.name, $0.type) }, what: "adjustment type") } && ok
        var magnitude: Int? = nil
        if let written = map.optional("min_adjustment_magnitude") {
            if let number = written.int(atLeast: 1) {
                if number > largestAdjustment {
                    written.report("must be at most \(largestAdjustment), got \(number)")
                    ok = false
                } else if type == .percentChangeInCapacity {
                    magnitude = number
                } else {
                    written.report("applies only with adjustment_type: percent_change_in_capacity")
                    ok = false
                }
            } else {
                ok = false
            }
        }
        guard let stepsValue = map.required("steps"), let steps = readSteps(stepsValue, type: type), ok else {
            return nil
        }
        return StepScalingPolicy(
            name: name,
            alarm: CloudWatchAlarm(metric: metric, comparison: comparison, threshold: threshold,
                                   datapointsToAlarm: datapoints, evaluationPeriods: periods, missingData: missing),
            adjustmentType: type, steps: steps, minAdjustmentMagnitude: magnitude)
    }

    /// A number of one-minute periods: 1…``maximumEvaluationPeriods``.
    private static func readPeriods(_ value: YAMLValue) -> Int? {
        guard let periods = value.int(atLeast: 1) else { return nil }
        guard periods <= maximumEvaluationPeriods else {
            value.report("must be at most \(maximumEvaluationPeriods) one-minute periods, got \(periods)")
            return nil
        }
        return periods
    }

    /// The steps: bounds relative to the threshold, without gaps or overlaps, adjustments all of
    /// one sign (whole numbers unless a percentage).
    private static func readSteps(_ value: YAMLValue, type: StepAdjustmentType) -> [StepAdjustment]? {
        guard let items = value.list() else { return nil }
        guard !items.isEmpty else {
            value.report("must list at least one step, such as [{lower: 0, adjustment: 1}]")
            return nil
        }
        var steps: [StepAdjustment] = []
        var ok = true
        for item in items {
            if let step = readStep(item, type: type) { steps.append(step) } else { ok = false }
        }
        guard ok else { return nil }
        let sorted = steps.sorted { ($0.lowerBound ?? -.infinity) < ($1.lowerBound ?? -.infinity) }
        for (first, second) in zip(sorted, sorted.dropFirst()) where first.upperBound != second.lowerBound {
            value.report("steps must not overlap or leave gaps: a step ends at \(bound(first.upperBound, "+∞")) "
                         + "and the next starts at \(bound(second.lowerBound, "−∞"))")
            return nil
        }
        if type != .exactCapacity {
            let adding = steps.allSatisfy { $0.adjustment >= 0 }, removing = steps.allSatisfy { $0.adjustment <= 0 }
            guard adding || removing else {
                value.report("a policy's adjustments must all add or all remove capacity; write two policies")
                return nil
            }
        }
        return sorted
    }

    /// One step: `{lower, upper, adjustment}`; absent bounds are unbounded, but not both.
    private static func readStep(_ value: YAMLValue, type: StepAdjustmentType) -> StepAdjustment? {
        guard let map = value.mapping(allowedKeys: stepKeys) else { return nil }
        var lower: Double? = nil, upper: Double? = nil
        var ok = map.read("lower", into: &lower) { $0.double() }
        ok = map.read("upper", into: &upper) { $0.double() } && ok
        guard let adjustmentValue = map.required("adjustment"), let adjustment = adjustmentValue.double(), ok else {
            return nil
        }
        if abs(adjustment) > Double(largestAdjustment) {
            adjustmentValue.report("must be between −\(largestAdjustment) and \(largestAdjustment), got \(adjustment)")
            return nil
        }
        if type != .percentChangeInCapacity, adjustment != adjustment.rounded() {
            adjustmentValue.report("must be a whole number of instances, got \(adjustment)")
            return nil
        }
        if type == .exactCapacity, adjustment < 0 {
            adjustmentValue.report("an exact capacity must not be negative, got \(adjustment)")
            return nil
        }
        if lower == nil, upper == nil {
            value.report("needs a lower or an upper bound (relative to the threshold); both absent is not allowed")
            return nil
        }
        if let lower, let upper, lower >= upper {
            map.optional("upper")?.report("must be greater than lower (\(lower)), got \(upper)")
            return nil
        }
        return StepAdjustment(lowerBound: lower, upperBound: upper, adjustment: adjustment)
    }

    // MARK: Values

    /// A delay from 0 to 10 minutes.
    private static func readMetricDelay(_ value: YAMLValue) -> SimTime? {
        guard let delay = value.duration() else { return nil }
        guard delay >= 0, delay <= longestMetricDelay else {
            value.report("must be between 0 and 10 minutes, got \(SimClock.seconds(delay)) s")
            return nil
        }
        return delay
    }

    /// A finite number greater than 0.
    private static func positive(_ value: YAMLValue) -> Double? {
        guard let number = value.double() else { return nil }
        guard number > 0 else {
            value.report("must be greater than 0, got \(number)")
            return nil
        }
        return number
    }

    /// The entry of `choices` that `value` names.
    private static func pick<Choice>(_ value: YAMLValue, from choices: [(String, Choice)], what: String) -> Choice? {
        guard let name = value.choice(from: choices.map(\.0), what: what) else { return nil }
        return choices.first { $0.0 == name }?.1
    }

    private static func bound(_ value: Double?, _ infinite: String) -> String {
        value.map { format($0) } ?? infinite
    }

    /// `70` for 70.0, `72.5` for 72.5.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
