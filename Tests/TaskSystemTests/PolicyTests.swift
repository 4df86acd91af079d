// PolicyTests.swift — the scaling, retry and load-balancing decision logic in TaskSystem/Policies.
//
// Every test is pure arithmetic on value types with explicit simulated times; nothing sleeps or
// reads a clock.

import Testing
@testable import TaskSystem
import Sim

// MARK: - Helpers

/// `n` simulated seconds.
private func seconds(_ n: Int) -> SimTime { SimTime(n) * SimClock.nanosecondsPerSecond }

/// One datapoint per minute, starting at minute 0, from parallel value lists.
private func minutes(cpu: [Double], memory: [Double]? = nil) -> [MetricDatapoint] {
    cpu.indices.map { i in
        var values: [ScalingMetric: Double] = [.cpuUtilization: cpu[i]]
        if let memory { values[.memoryUtilization] = memory[i] }
        return MetricDatapoint(time: seconds(60 * i), values: values)
    }
}

/// One datapoint per minute of a single metric.
private func minutes(_ metric: ScalingMetric, _ values: [Double]) -> [MetricDatapoint] {
    values.indices.map { MetricDatapoint(time: seconds(60 * $0), values: [metric: values[$0]]) }
}

/// A CPU-only service (2…20, seed cooldowns).
private func cpuOnly(target: Double = 70) -> AutoScalingPolicyConfiguration {
    AutoScalingPolicyConfiguration(
        minCapacity: 2, maxCapacity: 20,
        targetTracking: [TargetTrackingPolicy(name: "cpu", metric: .cpuUtilization, targetValue: target)])
}

/// Evaluates the engine once per minute as the series grows; returns every decision.
private func runMinutely(_ engine: inout AutoScalingPolicyEngine, _ series: [MetricDatapoint],
                         capacity: ServiceCapacity) -> [ScalingDecision] {
    (1...series.count).map { n in
        engine.evaluate(at: seconds(60 * n), series: series.prefix(n), capacity: capacity)
    }
}

// MARK: - CloudWatch alarms

@Suite("PolicyTests — CloudWatch M-of-N alarms")
struct PolicyTestsAlarms {
    let alarm = CloudWatchAlarm(metric: .cpuUtilization, comparison: .greaterThan, threshold: 70,
                                datapointsToAlarm: 3, evaluationPeriods: 5)

    @Test("ALARM only once M of the last N datapoints breach")
    func fireAfterM() {
        #expect(alarm.evaluate(minutes(cpu: [90, 90])) == .ok)
        #expect(alarm.evaluate(minutes(cpu: [90, 50, 90])) == .ok)
        #expect(alarm.evaluate(minutes(cpu: [90, 50, 90, 50, 90])) == .alarm)
        #expect(alarm.evaluate(minutes(cpu: [90, 90, 90])) == .alarm)
        // The oldest breach has slid out of the five-period window.
        #expect(alarm.evaluate(minutes(cpu: [90, 50, 90, 50, 90, 50])) == .ok)
    }

    @Test("threshold itself does not breach a strict comparison")
    func strictThreshold() {
        #expect(alarm.evaluate(minutes(cpu: [70, 70, 70, 70, 70])) == .ok)
    }

    @Test("missing data: all missing is INSUFFICIENT_DATA; breaching / notBreaching / ignore")
    func missingData() {
        let empty = minutes(.requestCount, [1, 2, 3])   // no CPU values at all
        #expect(alarm.evaluate(empty) == .insufficientData)
        #expect(alarm.evaluate([MetricDatapoint]()) == .insufficientData)

        var breaching = alarm
        breaching.missingData = .breaching
        #expect(breaching.evaluate(empty) == .alarm)

        var notBreaching = alarm
        notBreaching.missingData = .notBreaching
        #expect(notBreaching.evaluate(empty) == .ok)

        var ignore = alarm
        ignore.missingData = .ignore
        #expect(ignore.evaluate(empty, previous: .alarm) == .alarm)
        #expect(ignore.evaluate(empty, previous: .ok) == .ok)
    }

    @Test("target tracking's managed alarms: 3 of 3 above target, 15 of 15 below 90 % of it")
    func managedAlarms() {
        let policy = TargetTrackingPolicy.cpu70
        #expect(policy.scaleOutAlarm.datapointsToAlarm == 3 && policy.scaleOutAlarm.evaluationPeriods == 3)
        #expect(policy.scaleOutAlarm.threshold == 70)
        #expect(policy.scaleInAlarm.datapointsToAlarm == 15 && policy.scaleInAlarm.evaluationPeriods == 15)
        #expect(abs(policy.scaleInAlarm.threshold - 63) < 1e-9)
        #expect(policy.scaleInAlarm.evaluate(minutes(cpu: Array(repeating: 50, count: 14))) == .ok)
        #expect(policy.scaleInAlarm.evaluate(minutes(cpu: Array(repeating: 50, count: 15))) == .alarm)
    }
}

// MARK: - Target tracking

@Suite("PolicyTests — ECS target tracking")
struct PolicyTestsTargetTracking {
    @Test("4 instances at 90 % CPU against 70 % → ⌈4 × 90 / 70⌉ = 6")
    func proportionalScaleOut() {
        #expect(TargetTrackingPolicy.cpu70.proportionalCapacity(current: 4, metricValue: 90) == 6)
        #expect(TargetTrackingPolicy.memory80.proportionalCapacity(current: 5, metricValue: 96) == 6)
    }

    @Test("exact products are not pushed up by floating-point noise")
    func exactProducts() {
        // 10 × 77 / 70 is 11.000000000000002 in binary floating point.
        #expect(TargetTrackingPolicy.cpu70.proportionalCapacity(current: 10, metricValue: 77) == 11)
        #expect(TargetTrackingPolicy.cpu70.proportionalCapacity(current: 7, metricValue: 70) == 7)
    }

    @Test("the high alarm needs three breaching minutes before the engine scales out")
    func scaleOutAfterThreeMinutes() {
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        let decisions = runMinutely(&engine, minutes(cpu: [90, 90, 90]), capacity: ServiceCapacity(desired: 4))
        #expect(decisions[0].desiredCapacity == 4 && decisions[0].reason == .withinTarget)
        #expect(decisions[1].desiredCapacity == 4)
        #expect(decisions[2].desiredCapacity == 6)
        #expect(decisions[2].action == .scaleOut)
        #expect(decisions[2].reason == .policy("cpu"))
    }

    @Test("scale-in removes only the whole part of the excess: 10 at 33 % vs 50 % → 7")
    func scaleInRoundsRemovalDown() {
        // 10 × 33 / 50 = 6.6: removing 3.4 instances rounds down to removing 3.
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly(target: 50))
        let decisions = runMinutely(&engine, minutes(cpu: Array(repeating: 33, count: 15)),
                                    capacity: ServiceCapacity(desired: 10))
        #expect(decisions.dropLast().allSatisfy { !$0.changesCapacity })
        #expect(decisions.last?.desiredCapacity == 7)
        #expect(decisions.last?.action == .scaleIn)
    }

    @Test("scale out if ANY policy says so, to the largest proposal")
    func anyPolicyScalesOut() {
        var engine = AutoScalingPolicyEngine(configuration: .init(
            minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70, .memory80]))
        // CPU: ⌈4 × 90 / 70⌉ = 6; memory: ⌈4 × 100 / 80⌉ = 5.
        let series = minutes(cpu: [90, 90, 90], memory: [100, 100, 100])
        let decision = engine.evaluate(at: seconds(180), series: series, capacity: ServiceCapacity(desired: 4))
        #expect(decision.desiredCapacity == 6)
        #expect(decision.reason == .policy("cpu-target-70"))

        // Memory alone breaching still scales out, even with CPU idle.
        var other = AutoScalingPolicyEngine(configuration: .init(
            minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70, .memory80]))
        let memoryOnly = minutes(cpu: [10, 10, 10], memory: [100, 100, 100])
        #expect(other.evaluate(at: seconds(180), series: memoryOnly, capacity: ServiceCapacity(desired: 4)).desiredCapacity == 5)
    }

    @Test("scale in only if ALL policies agree, to the largest of their proposals")
    func allPoliciesMustAgreeToScaleIn() {
        let config = AutoScalingPolicyConfiguration(minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70, .memory80])
        let fifteen = { (x: Double) in Array(repeating: x, count: 15) }

        var disagree = AutoScalingPolicyEngine(configuration: config)
        let lowCPUOnly = minutes(cpu: fifteen(30), memory: fifteen(78))   // 78 is not below 72
        let held = disagree.evaluate(at: seconds(900), series: lowCPUOnly, capacity: ServiceCapacity(desired: 10))
        #expect(held.desiredCapacity == 10)
        #expect(held.reason == .notAllPoliciesReadyToScaleIn)

        var agree = AutoScalingPolicyEngine(configuration: config)
        // CPU proposes ⌈10 × 30 / 70⌉ = 5, memory ⌈10 × 60 / 80⌉ = 8: the larger wins.
        let bothLow = minutes(cpu: fifteen(30), memory: fifteen(60))
        let decision = agree.evaluate(at: seconds(900), series: bothLow, capacity: ServiceCapacity(desired: 10))
        #expect(decision.desiredCapacity == 8)
        #expect(decision.reason == .policy("memory-target-80"))
    }

    @Test("a policy with scale-in disabled does not vote")
    func disabledScaleInDoesNotVote() {
        let memoryOutOnly = TargetTrackingPolicy(name: "memory", metric: .memoryUtilization, targetValue: 80, disableScaleIn: true)
        var engine = AutoScalingPolicyEngine(configuration: .init(
            minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70, memoryOutOnly]))
        let series = minutes(cpu: Array(repeating: 30, count: 15), memory: Array(repeating: 78, count: 15))
        #expect(engine.evaluate(at: seconds(900), series: series, capacity: ServiceCapacity(desired: 10)).desiredCapacity == 5)
    }

    @Test("capacity is clamped to 2…20")
    func minMaxClamp() {
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        let hot = minutes(cpu: [95, 95, 95])
        // ⌈18 × 95 / 70⌉ = 25 → 20.
        #expect(engine.evaluate(at: seconds(180), series: hot, capacity: ServiceCapacity(desired: 18)).desiredCapacity == 20)

        var atMax = AutoScalingPolicyEngine(configuration: cpuOnly())
        let held = atMax.evaluate(at: seconds(180), series: hot, capacity: ServiceCapacity(desired: 20))
        #expect(held.desiredCapacity == 20 && held.reason == .atMaximum)

        var atMin = AutoScalingPolicyEngine(configuration: cpuOnly())
        let idle = minutes(cpu: Array(repeating: 5, count: 15))
        let floor = atMin.evaluate(at: seconds(900), series: idle, capacity: ServiceCapacity(desired: 2))
        #expect(floor.desiredCapacity == 2 && floor.reason == .atMinimum)
        var nearMin = AutoScalingPolicyEngine(configuration: cpuOnly())
        #expect(nearMin.evaluate(at: seconds(900), series: idle, capacity: ServiceCapacity(desired: 6)).desiredCapacity == 2)

        var below = AutoScalingPolicyEngine(configuration: cpuOnly())
        let raised = below.evaluate(at: seconds(60), series: minutes(cpu: [50]), capacity: ServiceCapacity(desired: 1))
        #expect(raised.desiredCapacity == 2 && raised.reason == .belowMinimum)
        var above = AutoScalingPolicyEngine(configuration: cpuOnly())
        #expect(above.evaluate(at: seconds(60), series: minutes(cpu: [50]), capacity: ServiceCapacity(desired: 25)).desiredCapacity == 20)
    }
}

// MARK: - Cooldowns and warm-up

@Suite("PolicyTests — cooldowns and warm-up")
struct PolicyTestsCooldowns {
    private let fifteenLow = minutes(cpu: Array(repeating: 30, count: 15))

    @Test("a scale-in blocks the next scale-in for 300 s")
    func scaleInCooldownBlocksScaleIn() {
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        let t0 = seconds(900)
        #expect(engine.evaluate(at: t0, series: fifteenLow, capacity: ServiceCapacity(desired: 10)).desiredCapacity == 5)
        let blocked = engine.evaluate(at: t0 + seconds(60), series: fifteenLow, capacity: ServiceCapacity(desired: 5))
        #expect(blocked.desiredCapacity == 5)
        #expect(blocked.reason == .scaleInCooldown(until: t0 + seconds(300)))
        let later = engine.evaluate(at: t0 + seconds(300), series: fifteenLow, capacity: ServiceCapacity(desired: 5))
        #expect(later.desiredCapacity == 3)   // ⌈5 × 30 / 70⌉
    }

    @Test("a scale-out interrupts the scale-in cooldown, which then stops")
    func scaleOutInterruptsScaleInCooldown() {
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        let t0 = seconds(900)
        _ = engine.evaluate(at: t0, series: fifteenLow, capacity: ServiceCapacity(desired: 10))
        #expect(engine.cooldowns.lastScaleIn == t0)
        let spike = fifteenLow + minutes(cpu: [95, 95, 95])
        let out = engine.evaluate(at: t0 + seconds(60), series: spike, capacity: ServiceCapacity(desired: 5))
        #expect(out.desiredCapacity == 7)     // ⌈5 × 95 / 70⌉
        #expect(out.action == .scaleOut)
        #expect(engine.cooldowns.lastScaleIn == nil)
    }

    @Test("a scale-out cooldown blocks scale-in (simrun's default reading)")
    func scaleOutCooldownBlocksScaleIn() {
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        _ = engine.evaluate(at: seconds(180), series: minutes(cpu: [90, 90, 90]), capacity: ServiceCapacity(desired: 4))
        let held = engine.evaluate(at: seconds(200), series: fifteenLow, capacity: ServiceCapacity(desired: 6))
        #expect(held.desiredCapacity == 6)
        #expect(held.reason == .scaleOutCooldown(until: seconds(240)))

        var config = cpuOnly()
        config.scaleOutCooldownBlocksScaleIn = false
        var permissive = AutoScalingPolicyEngine(configuration: config)
        _ = permissive.evaluate(at: seconds(180), series: minutes(cpu: [90, 90, 90]), capacity: ServiceCapacity(desired: 4))
        #expect(permissive.evaluate(at: seconds(200), series: fifteenLow, capacity: ServiceCapacity(desired: 6)).action == .scaleIn)
    }

    @Test("during a scale-out cooldown the capacity added counts: only a larger scale-out goes ahead")
    func scaleOutCooldownCountsAddedCapacity() {
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        let hot = minutes(cpu: [90, 90, 90, 90])
        #expect(engine.evaluate(at: seconds(180), series: hot.prefix(3), capacity: ServiceCapacity(desired: 4)).desiredCapacity == 6)
        // 30 s later the datapoint is still the one measured over the first 4 at 90 %:
        // ⌈4 × 90 / 70⌉ = 6 is what the 6 desired already hold, no change.
        let held = engine.evaluate(at: seconds(210), series: hot,
                                   capacity: ServiceCapacity(desired: 6, inService: 6, measured: 4))
        #expect(held.desiredCapacity == 6)
        #expect(held.reason == .capacityAlreadySufficient(policy: "cpu"))
        // A larger breach inside the cooldown does scale out: ⌈4 × 140 / 70⌉ = 8.
        var larger = engine
        let hotter = minutes(cpu: [90, 90, 90, 140])
        #expect(larger.evaluate(at: seconds(210), series: hotter,
                                capacity: ServiceCapacity(desired: 6, inService: 6, measured: 4)).desiredCapacity == 8)
        // Once all 6 are in the metric and still at 90 %, 6 are not enough: ⌈6 × 90 / 70⌉ = 8,
        // cooldown or not.
        #expect(engine.evaluate(at: seconds(230), series: hot, capacity: ServiceCapacity(desired: 6)).desiredCapacity == 8)
    }

    @Test("warming instances don't count as current capacity on scale-out, and block scale-in")
    func warmup() {
        // 6 desired, 4 warm at 90 %: ⌈4 × 90 / 70⌉ = 6 — the warming two already cover it.
        var engine = AutoScalingPolicyEngine(configuration: cpuOnly())
        let held = engine.evaluate(at: seconds(180), series: minutes(cpu: [90, 90, 90]),
                                   capacity: ServiceCapacity(desired: 6, inService: 4))
        #expect(held.desiredCapacity == 6)
        #expect(held.reason == .capacityAlreadySufficient(policy: "cpu"))

        var idle = AutoScalingPolicyEngine(configuration: cpuOnly())
        let blocked = idle.evaluate(at: seconds(900), series: fifteenLow, capacity: ServiceCapacity(desired: 10, inService: 8))
        #expect(blocked.desiredCapacity == 10)
        #expect(blocked.reason == .instancesWarmingUp(2))
    }

    @Test("InstanceWarmup counts an instance only after its warm-up period")
    func instanceWarmup() {
        let warmup = InstanceWarmup(duration: seconds(120))
        #expect(!warmup.isWarm(startedAt: seconds(10), now: seconds(129)))
        #expect(warmup.isWarm(startedAt: seconds(10), now: seconds(130)))
        #expect(warmup.warmAt(startedAt: seconds(10)) == seconds(130))
        #expect(InstanceWarmup.none.isWarm(startedAt: 5, now: 5))
    }
}

// MARK: - Step scaling

@Suite("PolicyTests — step scaling on custom metrics")
struct PolicyTestsStepScaling {
    @Test("AWS rounding of fractional percent changes: 12.7→12, 0.67→1, −0.58→−1, −6.67→−6")
    func percentRounding() {
        #expect(CapacityRounding.stepAdjustment(12.7) == 12)
        #expect(CapacityRounding.stepAdjustment(0.67) == 1)
        #expect(CapacityRounding.stepAdjustment(-0.58) == -1)
        #expect(CapacityRounding.stepAdjustment(-6.67) == -6)
        #expect(CapacityRounding.stepAdjustment(0) == 0)
    }

    @Test("step bounds are relative to the threshold; MinAdjustmentMagnitude raises small changes")
    func stepsAndMagnitude() {
        let policy = StepScalingPolicy(
            name: "cpu-steps",
            alarm: CloudWatchAlarm(metric: .cpuUtilization, comparison: .greaterThan, threshold: 50, evaluationPeriods: 1),
            adjustmentType: .percentChangeInCapacity,
            steps: [StepAdjustment(lowerBound: 0, upperBound: 10, adjustment: 0),
                    StepAdjustment(lowerBound: 10, upperBound: 20, adjustment: 10),
                    StepAdjustment(lowerBound: 20, upperBound: nil, adjustment: 30)])
        // The user guide's example: 10 → 11 at 60 %, then 11 → 14 at 70 % (30 % of 11 = 3.3 → 3).
        #expect(policy.capacity(from: 10, metricValue: 60) == 11)
        #expect(policy.capacity(from: 11, metricValue: 70) == 14)
        #expect(policy.capacity(from: 10, metricValue: 55) == 10)
        var withMinimum = policy
        withMinimum.minAdjustmentMagnitude = 2
        #expect(withMinimum.capacity(from: 4, metricValue: 75) == 6)   // 30 % of 4 = 1.2 → 1 → raised to 2
    }

    @Test("the seed's RequestCount > 10,000 policy scales out after 3 breaching minutes")
    func requestCountPolicy() {
        var engine = AutoScalingPolicyEngine(configuration: .seed)
        var series = minutes(cpu: [50, 50, 50], memory: [50, 50, 50])
        for i in series.indices { series[i].values[.requestCount] = 15_000 }
        let early = engine.evaluate(at: seconds(120), series: series.prefix(2), capacity: ServiceCapacity(desired: 4))
        #expect(!early.changesCapacity)
        let decision = engine.evaluate(at: seconds(180), series: series, capacity: ServiceCapacity(desired: 4))
        #expect(decision.desiredCapacity == 6)   // +50 % of 4
        #expect(decision.reason == .policy("request-count-above-10000"))
    }

    @Test("a step policy in ALARM blocks scale-in even when every target tracking policy is low")
    func stepAlarmBlocksScaleIn() {
        var engine = AutoScalingPolicyEngine(configuration: .seed)
        var series = minutes(cpu: Array(repeating: 20, count: 15), memory: Array(repeating: 20, count: 15))
        for i in series.indices { series[i].values[.latencyP95] = 0.9 }
        let decision = engine.evaluate(at: seconds(900), series: series, capacity: ServiceCapacity(desired: 20))
        #expect(decision.desiredCapacity == 20)
        #expect(decision.reason == .atMaximum)
    }

    @Test("during the scale-out cooldown a step's added capacity counts: +2, then a +3 step adds 1")
    func stepCooldown() {
        let policy = StepScalingPolicy(
            name: "rps",
            alarm: CloudWatchAlarm(metric: .requestCount, comparison: .greaterThan, threshold: 1000, evaluationPeriods: 1),
            adjustmentType: .changeInCapacity,
            steps: [StepAdjustment(lowerBound: 0, upperBound: 500, adjustment: 2),
                    StepAdjustment(lowerBound: 500, upperBound: nil, adjustment: 3)])
        var engine = AutoScalingPolicyEngine(configuration: .init(
            minCapacity: 2, maxCapacity: 20, targetTracking: [], stepScaling: [policy]))
        let first = engine.evaluate(at: seconds(60), series: minutes(.requestCount, [1200]), capacity: ServiceCapacity(desired: 10))
        #expect(first.desiredCapacity == 12)
        let same = engine.evaluate(at: seconds(90), series: minutes(.requestCount, [1200, 1200]), capacity: ServiceCapacity(desired: 12))
        #expect(same.desiredCapacity == 12)
        let bigger = engine.evaluate(at: seconds(100), series: minutes(.requestCount, [1200, 1600]), capacity: ServiceCapacity(desired: 12))
        #expect(bigger.desiredCapacity == 13)
    }
}

// MARK: - Kubernetes HPA

@Suite("PolicyTests — Kubernetes HPA")
struct PolicyTestsHPA {
    private func cpu(_ value: Double) -> [HPAMetricObservation] {
        [HPAMetricObservation(name: "cpu", currentAverage: value, targetAverage: 70)]
    }

    @Test("desired = ⌈current × metric / target⌉")
    func proportional() {
        var hpa = HorizontalPodAutoscaler()
        let decision = hpa.evaluate(at: 0, pods: HPAPodCounts(current: 4), metrics: cpu(90))
        #expect(decision.desiredCapacity == 6)
        #expect(decision.reason == .policy("cpu"))
    }

    @Test("no change while |ratio − 1| ≤ 0.1")
    func tolerance() {
        var hpa = HorizontalPodAutoscaler()
        let inside = hpa.evaluate(at: 0, pods: HPAPodCounts(current: 10), metrics: cpu(76))   // ratio 1.086
        #expect(inside.desiredCapacity == 10 && inside.reason == .withinTolerance)
        let below = hpa.evaluate(at: seconds(15), pods: HPAPodCounts(current: 10), metrics: cpu(64))   // ratio 0.914
        #expect(below.desiredCapacity == 10)
        var outside = HorizontalPodAutoscaler()
        #expect(outside.evaluate(at: 0, pods: HPAPodCounts(current: 10), metrics: cpu(80)).desiredCapacity == 12)   // 1.143
    }

    @Test("several metrics: the largest proposal wins")
    func largestMetric() {
        var hpa = HorizontalPodAutoscaler()
        let metrics = cpu(90) + [HPAMetricObservation(name: "memory", currentAverage: 120, targetAverage: 80)]
        let decision = hpa.evaluate(at: 0, pods: HPAPodCounts(current: 4), metrics: metrics)
        #expect(decision.desiredCapacity == 6)
        #expect(decision.reason == .policy("cpu"))
    }

    @Test("scale-down waits for the highest recommendation of the last 300 s")
    func stabilizationWindow() {
        var hpa = HorizontalPodAutoscaler()
        let pods = HPAPodCounts(current: 10)
        #expect(hpa.evaluate(at: 0, pods: pods, metrics: cpu(70)).desiredCapacity == 10)
        for t in stride(from: 60, through: 240, by: 60) {
            let held = hpa.evaluate(at: seconds(t), pods: pods, metrics: cpu(35))
            #expect(held.desiredCapacity == 10)
            #expect(held.reason == .stabilizationWindow)
        }
        // The t = 0 recommendation of 10 has left the window; all later ones say 5.
        let down = hpa.evaluate(at: seconds(300), pods: pods, metrics: cpu(35))
        #expect(down.desiredCapacity == 5)
    }

    @Test("scale-up is not stabilised but is rate-limited to max(+100 %, +4 pods) per 15 s")
    func scaleUpRate() {
        var hpa = HorizontalPodAutoscaler()
        let first = hpa.evaluate(at: 0, pods: HPAPodCounts(current: 2), metrics: cpu(700))
        #expect(first.desiredCapacity == 6)
        #expect(first.reason == .rateLimited("cpu"))
        let soon = hpa.evaluate(at: seconds(5), pods: HPAPodCounts(current: 6), metrics: cpu(700))
        #expect(soon.desiredCapacity == 6)
        let next = hpa.evaluate(at: seconds(15), pods: HPAPodCounts(current: 6), metrics: cpu(700))
        #expect(next.desiredCapacity == 12)
        let last = hpa.evaluate(at: seconds(30), pods: HPAPodCounts(current: 12), metrics: cpu(700))
        #expect(last.desiredCapacity == 20)
    }

    @Test("unready pods count as idle on scale-up")
    func unreadyPods() {
        var flip = HorizontalPodAutoscaler()
        // 4 ready at 90 %: ratio 1.29; with 2 unready at 0 %, 0.86 — direction flips, keep 6.
        #expect(flip.evaluate(at: 0, pods: HPAPodCounts(current: 6, ready: 4, unready: 2), metrics: cpu(90)).desiredCapacity == 6)
        var hot = HorizontalPodAutoscaler()
        // 4 ready at 140 %: ratio 2 → 2 × 4 / 6 = 1.33 over 6 pods → 8.
        #expect(hot.evaluate(at: 0, pods: HPAPodCounts(current: 6, ready: 4, unready: 2), metrics: cpu(140)).desiredCapacity == 8)
    }

    @Test("replicas are kept within min…max")
    func bounds() {
        var hpa = HorizontalPodAutoscaler()
        #expect(hpa.evaluate(at: 0, pods: HPAPodCounts(current: 25), metrics: cpu(70)).desiredCapacity == 20)
        var low = HorizontalPodAutoscaler()
        #expect(low.evaluate(at: 0, pods: HPAPodCounts(current: 1), metrics: cpu(70)).desiredCapacity == 2)
        var idle = HorizontalPodAutoscaler(configuration: .init(scaleDown: .init(stabilizationWindow: 0, policies: HPAScalingRules.defaultScaleDown.policies)))
        #expect(idle.evaluate(at: 0, pods: HPAPodCounts(current: 10), metrics: cpu(1)).desiredCapacity == 2)
    }
}

// MARK: - Celery retries

@Suite("PolicyTests — Celery retries")
struct PolicyTestsCeleryRetries {
    @Test("countdown ceilings: min(600, 60 · 2^n)")
    func ceilings() {
        let policy = CeleryRetryPolicy.seed
        #expect((0...5).map { policy.countdownCeiling(retries: $0) } == [60, 120, 240, 480, 600, 600])
        #expect(policy.countdownCeiling(retries: 200) == 600)
    }

    @Test("full jitter: every delay in [0, min(600, 60 · 2^n)], mean ≈ half the cap", arguments: 0...5)
    func fullJitter(retries: Int) {
        let policy = CeleryRetryPolicy.seed
        let cap = policy.countdownCeiling(retries: retries)
        var random = RandomStream(seed: 0x5EED_0000 + UInt64(retries))
        let draws = 20_000
        var sum = 0.0
        var low = Int.max, high = Int.min
        for _ in 0..<draws {
            let delay = policy.countdownSeconds(retries: retries, random: &random)
            sum += Double(delay)
            low = min(low, delay)
            high = max(high, delay)
        }
        // randrange(cap + 1): discrete uniform on 0…cap, variance ((cap + 1)² − 1) / 12.
        let mean = sum / Double(draws)
        let standardError = (((Double(cap) + 1) * (Double(cap) + 1) - 1) / 12 / Double(draws)).squareRoot()
        #expect(abs(mean - Double(cap) / 2) < 4 * standardError)
        #expect(low >= 0 && high <= cap)   // every draw inside [0, cap] …
        #expect(low == 0 && high == cap)   // … and both ends of the closed range reached
    }

    @Test("max_retries = 3: three retries, then dead-letter after the fourth execution")
    func deadLetter() {
        var random = RandomStream(seed: 7)
        let policy = CeleryRetryPolicy.seed
        for retries in 0..<3 {
            guard case .retry(let next, let delay) = policy.decide(afterFailureWithRetries: retries, random: &random) else {
                Issue.record("expected a retry after \(retries) retries")
                continue
            }
            #expect(next == retries + 1)
            #expect(delay >= 0 && delay <= seconds(60 << retries))
        }
        #expect(policy.decide(afterFailureWithRetries: 3, random: &random) == .deadLetter(executions: 4))
    }

    @Test("the seed's literal countdown is 60, 120, 240 s with no jitter and no draws")
    func literalCountdown() {
        var random = RandomStream(seed: 11)
        let before = random
        let delays = (0..<3).map { CeleryRetryPolicy.seedLiteral.decide(afterFailureWithRetries: $0, random: &random) }
        #expect(delays == [.retry(retries: 1, delay: seconds(60)),
                           .retry(retries: 2, delay: seconds(120)),
                           .retry(retries: 3, delay: seconds(240))])
        #expect(random == before)
        #expect(CeleryRetryPolicy.seedLiteral.decide(afterFailureWithRetries: 3, random: &random) == .deadLetter(executions: 4))
    }

    @Test("same seed, same delays")
    func deterministic() {
        var a = RandomStream(seed: 99), b = RandomStream(seed: 99)
        let first = (0..<50).map { CeleryRetryPolicy.seed.countdownSeconds(retries: $0 % 4, random: &a) }
        let second = (0..<50).map { CeleryRetryPolicy.seed.countdownSeconds(retries: $0 % 4, random: &b) }
        #expect(first == second)
    }
}

// MARK: - Celery workers

@Suite("PolicyTests — Celery worker pools and scaling")
struct PolicyTestsCeleryWorkers {
    @Test("the seed's pools and routes")
    func seedPools() {
        let pools = CeleryWorkerPools.seed
        #expect(pools.queues.map(\.name) == ["high", "default", "low"])
        #expect(pools.queues.map(\.executionSlots) == [40, 40, 8])
        #expect(pools.queues.map(\.priority) == [10, 5, 1])
        #expect(pools.queue(forTask: "tasks.send_email")?.name == "high")
        #expect(pools.queue(forTask: "tasks.send_push_notification")?.name == "high")
        #expect(pools.queue(forTask: "tasks.generate_report")?.name == "default")
        #expect(pools.queue(forTask: "tasks.cleanup_old_data")?.name == "low")
        #expect(pools.queue(forTask: "tasks.unknown") == nil)
    }

    @Test("a child process is replaced after 1000 tasks, at the restart cost")
    func maxTasksPerChild() {
        let rule = WorkerChildRecycling.seed(restartCost: seconds(2))
        var child = WorkerChildProcess()
        for _ in 0..<999 { #expect(child.completeTask(under: rule) == nil) }
        #expect(child.completeTask(under: rule) == seconds(2))
        #expect(child.tasksCompleted == 0 && child.restarts == 1)
        #expect(child.completeTask(under: rule) == nil)
        var forever = WorkerChildProcess()
        let unlimited = WorkerChildRecycling(maxTasksPerChild: nil, restartCost: 0)
        for _ in 0..<5000 { #expect(forever.completeTask(under: unlimited) == nil) }
    }

    @Test("depth > 1000 doubles up to 20; depth < 100 halves down to 2; otherwise unchanged")
    func workerScaler() {
        let scaler = WorkerScalerPolicy.seed
        #expect(scaler.decide(currentWorkers: 4, queueDepth: 1500).desiredCapacity == 8)
        #expect(scaler.decide(currentWorkers: 12, queueDepth: 5000).desiredCapacity == 20)
        #expect(scaler.decide(currentWorkers: 20, queueDepth: 5000).desiredCapacity == 20)
        #expect(scaler.decide(currentWorkers: 8, queueDepth: 50).desiredCapacity == 4)
        #expect(scaler.decide(currentWorkers: 3, queueDepth: 0).desiredCapacity == 2)    // int(1.5) = 1 → 2
        #expect(scaler.decide(currentWorkers: 2, queueDepth: 0).desiredCapacity == 2)
        #expect(scaler.decide(currentWorkers: 6, queueDepth: 500).desiredCapacity == 6)
        #expect(scaler.decide(currentWorkers: 6, queueDepth: 1000).desiredCapacity == 6)  // strict >
        #expect(scaler.decide(currentWorkers: 6, queueDepth: 100).desiredCapacity == 6)   // strict <
        #expect(scaler.decide(currentWorkers: 4, queueDepth: 1500).reason == .queueDepth(1500))
    }

    @Test("checks fall on the interval grid")
    func checkInterval() {
        let scaler = WorkerScalerPolicy.seed
        #expect(scaler.nextCheck(after: 0) == seconds(60))
        #expect(scaler.nextCheck(after: seconds(59)) == seconds(60))
        #expect(scaler.nextCheck(after: seconds(60)) == seconds(120))
    }
}

// MARK: - Load balancing

@Suite("PolicyTests — load balancer selection")
struct PolicyTestsLoadBalancing {
    @Test("least outstanding requests picks the idle instance; ties go to the lowest index")
    func leastOutstanding() {
        let targets = [LoadBalancerTarget(id: 0, outstandingRequests: 5),
                       LoadBalancerTarget(id: 1, outstandingRequests: 0),
                       LoadBalancerTarget(id: 2, outstandingRequests: 3)]
        #expect(LeastOutstandingRequestsSelector.select(from: targets) == 1)
        let tied = [LoadBalancerTarget(id: 0, outstandingRequests: 2),
                    LoadBalancerTarget(id: 1, outstandingRequests: 1),
                    LoadBalancerTarget(id: 2, outstandingRequests: 1)]
        #expect(LeastOutstandingRequestsSelector.select(from: tied) == 1)
        let idleButSick = [LoadBalancerTarget(id: 0, outstandingRequests: 4),
                           LoadBalancerTarget(id: 1, health: .unhealthy),
                           LoadBalancerTarget(id: 2, health: .initial)]
        #expect(LeastOutstandingRequestsSelector.select(from: idleButSick) == 0)
        #expect(LeastOutstandingRequestsSelector.select(from: []) == nil)
    }

    @Test("round robin rotates and skips unhealthy and not-yet-started instances")
    func roundRobin() {
        let targets = [LoadBalancerTarget(id: 0),
                       LoadBalancerTarget(id: 1, health: .unhealthy),
                       LoadBalancerTarget(id: 2, health: .initial),
                       LoadBalancerTarget(id: 3),
                       LoadBalancerTarget(id: 4, health: .draining)]
        var selector = RoundRobinSelector()
        let picks = (0..<5).map { _ in selector.select(from: targets) }
        #expect(picks == [0, 3, 0, 3, 0])
        var healthy = RoundRobinSelector()
        let all = (0..<3).map { LoadBalancerTarget(id: $0) }
        #expect((0..<6).map { _ in healthy.select(from: all) } == [0, 1, 2, 0, 1, 2])
        var none = RoundRobinSelector()
        #expect(none.select(from: [LoadBalancerTarget(id: 0, health: .unhealthy)]) == nil)
    }

    @Test("sticky sessions keep a user on its instance, and re-pin only when it goes away")
    func sticky() {
        var targets = (0..<4).map { LoadBalancerTarget(id: $0) }
        var sticky = StickySessionSelector()
        let user: UInt64 = 42
        guard let first = sticky.select(user: user, from: targets) else {
            Issue.record("no target chosen")
            return
        }
        let pinnedID = targets[first].id
        // Load elsewhere, reordering and new instances do not move the user.
        targets[first].outstandingRequests = 100
        targets.reverse()
        targets.append(LoadBalancerTarget(id: 9))
        for _ in 0..<10 {
            #expect(sticky.select(user: user, from: targets).map { targets[$0].id } == pinnedID)
        }
        // The instance fails: the user moves, and stays on the new one after the old recovers.
        let failed = targets.firstIndex { $0.id == pinnedID }!
        targets[failed].health = .unhealthy
        let moved = sticky.select(user: user, from: targets).map { targets[$0].id }
        #expect(moved != nil && moved != pinnedID)
        targets[failed].health = .healthy
        #expect(sticky.select(user: user, from: targets).map { targets[$0].id } == moved)
        #expect(sticky.pins[user] == moved)
    }

    @Test("hash placement is stable, order-independent and spreads users")
    func hashPlacement() {
        let targets = (0..<4).map { LoadBalancerTarget(id: $0 * 7) }
        var counts = [Int: Int]()
        for user in UInt64(0)..<4000 {
            let index = StickySessionSelector.hashedTarget(user: user, among: targets)!
            let reversed = Array(targets.reversed())
            let other = StickySessionSelector.hashedTarget(user: user, among: reversed)!
            #expect(targets[index].id == reversed[other].id)
            counts[targets[index].id, default: 0] += 1
        }
        #expect(counts.count == 4)
        #expect(counts.values.allSatisfy { $0 > 800 && $0 < 1200 })
    }
}
