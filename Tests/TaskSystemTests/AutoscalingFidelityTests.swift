// AutoscalingFidelityTests.swift — the autoscalers against their documented behaviour: AWS
// Application Auto Scaling's cooldowns and policy combination, CloudWatch's repeated alarm
// actions, the Kubernetes HPA's rate policies and missing-metrics branch (issue 11, items 2, 3, 8).
//
// Sources (each test names the ones it reproduces):
// [TT]  "Target tracking scaling policies for Application Auto Scaling", Application Auto Scaling
//       User Guide, awsdocs/application-auto-scaling-user-guide,
//       doc_source/application-auto-scaling-target-tracking.md — "Cooldown period" and
//       "Considerations"; https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
// [SS]  "Step scaling policies for Application Auto Scaling", same guide,
//       doc_source/application-auto-scaling-step-scaling-policies.md — "Cooldown period"
//       (the +2 then +3 → +1 example) and "Scaling adjustment types" (rounding).
// [CW]  "Alarm actions", Amazon CloudWatch User Guide,
//       https://docs.amazonaws.cn/en%5Fus/AmazonCloudWatch/latest/monitoring/alarm-actions.md —
//       "Except for Auto Scaling actions, the actions happen only on state transitions"; and
//       "Why doesn't my CloudWatch alarm's state change invoke my Amazon EC2 Auto Scaling policy?",
//       https://repost.aws/knowledge-center/autoscaling-policy-cloudwatch-alarm — "an alarm invokes
//       an Auto Scaling action once each minute when the alarm remains in a new state".
// [ACT] "Use DescribeScalingActivities", https://docs.aws.amazon.com/autoscaling/application/userguide/example_application-auto-scaling_DescribeScalingActivities_section.html
//       — an ECS activity has a StartTime and a later EndTime ("Change successfully fulfilled by
//       ecs"): the cooldown, which starts "after … successfully scales out", starts at the end.
// [HPA] "Horizontal Pod Autoscaling", https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
//       — "Algorithm details" (missing metrics: 100 % of the desired value on scale-down, 0 % on
//       scale-up; not-yet-ready pods 0 % on scale-up) and "Configurable scaling behavior".
// [K8S] kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go
//       (`GetResourceReplicas`: the missing-pods branch and the direction checks) and horizontal.go
//       (`calculateScaleUpLimitWithScalingRules` / `calculateScaleDownLimitWithBehaviors`:
//       `periodStartReplicas := currentReplicas - replicasAddedInCurrentPeriod + replicasDeletedInCurrentPeriod`).

import Testing
@testable import TaskSystem
import Sim

// MARK: - Helpers

/// `n` simulated seconds.
private func seconds(_ n: Int) -> SimTime { SimTime(n) * SimClock.nanosecondsPerSecond }

/// One datapoint per minute with the given values for every minute.
private func constantMinutes(_ count: Int, _ values: [ScalingMetric: Double]) -> [MetricDatapoint] {
    (0..<count).map { MetricDatapoint(time: seconds(60 * $0), values: values) }
}

/// One datapoint per minute of CPU.
private func cpuMinutes(_ values: [Double]) -> [MetricDatapoint] {
    values.indices.map { MetricDatapoint(time: seconds(60 * $0), values: [.cpuUtilization: values[$0]]) }
}

// MARK: - ECS: the seed's flash crowd, minute by minute

@Suite("Autoscaling fidelity — AWS cooldowns")
struct AutoscalingFidelityCooldownTests {
    /// The seed's policies on the flash-crowd scenario's service: 3…20 tasks, cooldowns 60 s out /
    /// 300 s in, tasks serving 60 s after launch.
    private var flashCrowdService: AutoScalingPolicyConfiguration {
        var configuration = AutoScalingPolicyConfiguration.seed
        configuration.minCapacity = 3
        configuration.scaleOutActivityDuration = seconds(60)
        return configuration
    }

    /// Drives the engine once a minute for `minutes` minutes with a crowd far above the seed's
    /// RequestCount rule (57,600 requests a minute: 8,000 users at one request per ~8.3 s) while
    /// CPU, memory and p95 stay calm, so that only the RequestCount step policy acts. Tasks
    /// launched at a decision serve 60 s later. Returns the desired count after each minute.
    private func run(_ configuration: AutoScalingPolicyConfiguration, minutes: Int) -> [Int] {
        var engine = AutoScalingPolicyEngine(configuration: configuration)
        let series = constantMinutes(minutes, [.requestCount: 57_600, .cpuUtilization: 40,
                                               .memoryUtilization: 50, .latencyP95: 0.1])
        var desired = configuration.minCapacity
        var launches: [(serving: SimTime, count: Int)] = []
        var history: [Int] = []
        for minute in 1...minutes {
            let now = seconds(60 * minute)
            let serving = desired - launches.filter { $0.serving > now }.reduce(0) { $0 + $1.count }
            let decision = engine.evaluate(at: now, series: series.prefix(minute),
                                           capacity: ServiceCapacity(desired: desired, inService: serving))
            if decision.desiredCapacity > desired {
                launches.append((now + seconds(60), decision.desiredCapacity - desired))
            }
            desired = decision.desiredCapacity
            history.append(desired)
        }
        return history
    }

    // The seed's RequestCount > 10,000 rule (+50 %, at least 1, 3 of 3 datapoints; [SS] rounding:
    // 1.5 → 1, 4.5 → 4, 6.5 → 6, 9.5 → 9) with the 60 s cooldown. CloudWatch invokes the policy
    // every minute the alarm stays in ALARM [CW]. The cooldown starts when the activity
    // completes — the launched tasks serve, 60 s after the decision [ACT] — and lasts 60 s
    // [SS]; during it the +50 % applies to the pre-scale-out count, so it adds nothing [SS].
    //   t=1,2 min: 1 and 2 breaching datapoints of 3 — OK, 3.
    //   t=3:  ALARM; 3 + 1 = 4; activity ends at 4 min, cooldown until 5 min.
    //   t=4:  in cooldown: 3 + 1 = 4, not more than 4 — hold.
    //   t=5:  cooldown over: 4 + 2 = 6; cooldown until 7.   t=6: hold.
    //   t=7:  6 + 3 = 9;   until 9.                         t=8: hold.
    //   t=9:  9 + 4 = 13;  until 11.                        t=10: hold.
    //   t=11: 13 + 6 = 19; until 13.                        t=12: hold.
    //   t=13: 19 + 9 = 28 → 20 (max).
    // simrun used to start the cooldown at the decision, so that it had always expired at the
    // next one-minute evaluation: 4, 6, 9, 13, 19, 20 at t = 3…8 — +50 % every minute.
    @Test("the seed's RequestCount step policy with a 60 s cooldown grows +50 % every two minutes, not every minute")
    func seedFlashCrowdMinuteByMinute() {
        #expect(run(flashCrowdService, minutes: 14) == [3, 3, 4, 4, 6, 6, 9, 9, 13, 13, 19, 19, 20, 20])

        // The same clock with the cooldown started at the decision (activity duration 0) is the
        // old behaviour: every evaluation finds the cooldown over.
        var atDecision = flashCrowdService
        atDecision.scaleOutActivityDuration = 0
        #expect(run(atDecision, minutes: 9) == [3, 3, 4, 6, 9, 13, 19, 20, 20])
    }

    // [TT]: "The scaling policy won't increase the desired capacity again unless either a larger
    // scale out is triggered or the cooldown period ends. While the scale-out cooldown period is
    // in effect, the capacity added by the initiating scale-out activity is calculated as part of
    // the desired capacity for the next scale-out activity."
    // 3 tasks at 91 % (target 70): ⌈3 × 91 / 70⌉ = ⌈3.9⌉ = 4. With a 300 s cooldown, a minute
    // after the fourth task serves the metric is 91 % *over 4*: ⌈4 × 91 / 70⌉ = ⌈5.2⌉ = 6 > 4 is
    // a larger scale-out and goes ahead at once. simrun used to multiply the pre-scale-out 3
    // (⌈3.9⌉ = 4, "already sufficient") for the whole cooldown: 3 → 4 and stuck at 91 %.
    @Test("target tracking computes from the capacity the metric was measured over, inside a long cooldown too")
    func targetTrackingInsideALongCooldown() {
        var configuration = AutoScalingPolicyConfiguration(
            minCapacity: 2, maxCapacity: 20,
            cooldowns: ScalingCooldownPeriods(scaleOut: seconds(300), scaleIn: seconds(300)),
            targetTracking: [.cpu70])
        configuration.scaleOutActivityDuration = seconds(60)
        var engine = AutoScalingPolicyEngine(configuration: configuration)
        let first = engine.evaluate(at: seconds(180), series: cpuMinutes([91, 91, 91]), capacity: ServiceCapacity(desired: 3))
        #expect(first.desiredCapacity == 4)
        #expect(first.evidence == ScalingEvidence(policy: "cpu-target-70", metric: .cpuUtilization, value: 91,
                                                  threshold: 70, alarm: .alarm, base: 3))
        // t = 240 s: the datapoint of 180…240 s was measured over the 3 (the fourth serves from 240 s).
        let same = engine.evaluate(at: seconds(240), series: cpuMinutes([91, 91, 91, 91]),
                                   capacity: ServiceCapacity(desired: 4, inService: 4, measured: 3))
        #expect(same.desiredCapacity == 4)
        #expect(same.reason == .capacityAlreadySufficient(policy: "cpu-target-70"))
        #expect(same.evidence?.scaleOutCooldownUntil == seconds(240 + 300))
        // t = 300 s: 91 % over all 4, still inside the cooldown (it ends at 540 s).
        let larger = engine.evaluate(at: seconds(300), series: cpuMinutes([91, 91, 91, 91, 91]),
                                     capacity: ServiceCapacity(desired: 4, inService: 4, measured: 4))
        #expect(larger.desiredCapacity == 6)
        #expect(larger.reason == .policy("cpu-target-70"))
    }

    // A datapoint measured over 3 tasks must not be multiplied by the 5 that serve by the time it
    // is evaluated: 3 at 100 % → ⌈3 × 100 / 70⌉ = 5; a minute later the 5 serve from exactly the
    // evaluation instant, but the datapoint still says 100 % over 3 → 5, hold. (Multiplying by 5
    // gives ⌈7.1⌉ = 8: the same shortfall counted twice.)
    @Test("a lagging datapoint is not multiplied by capacity launched after it was measured")
    func noDoubleCounting() {
        var engine = AutoScalingPolicyEngine(configuration: .init(minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70]))
        #expect(engine.evaluate(at: seconds(180), series: cpuMinutes([100, 100, 100]),
                                capacity: ServiceCapacity(desired: 3)).desiredCapacity == 5)
        let held = engine.evaluate(at: seconds(240), series: cpuMinutes([100, 100, 100, 100]),
                                   capacity: ServiceCapacity(desired: 5, inService: 5, measured: 3))
        #expect(held.desiredCapacity == 5)
    }

    // [TT] "scale-in activities are blocked until the cooldown period has expired" and, simrun's
    // reading, a scale-out cooldown in effect blocks scale-in too — from the decision until the
    // activity's end plus the cooldown.
    @Test("the scale-out cooldown runs from the decision until the activity's end plus the cooldown")
    func cooldownWindow() {
        var state = ScalingCooldownState()
        let periods = ScalingCooldownPeriods.seed
        state.recordScaleOut(at: seconds(180), completion: seconds(240), previous: 3, periods: periods)
        #expect(state.scaleOutCooldownEnd(at: seconds(180), periods: periods) == seconds(300))
        #expect(state.scaleOutCooldownEnd(at: seconds(299), periods: periods) == seconds(300))
        #expect(state.scaleOutCooldownEnd(at: seconds(300), periods: periods) == nil)
        #expect(state.stepBase(at: seconds(240), periods: periods, desired: 4) == 3)
        #expect(state.stepBase(at: seconds(300), periods: periods, desired: 4) == 4)
    }
}

// MARK: - ECS: metric publication

@Suite("Autoscaling fidelity — metric publication")
struct AutoscalingFidelityPublicationTests {
    // With a 90 s delay, the minute ending at 60 s reaches the alarms at 150 s: the evaluation at
    // 120 s sees nothing, the one at 180 s sees the first minute only (the second ended at 120 s,
    // published at 210 s), with the capacity that minute was measured over.
    @Test("a datapoint reaches the alarms the delay after its minute ends")
    func delayedPublication() {
        var metrics = MetricPublication(delay: seconds(90), kept: 2)
        for minute in 1...4 {
            let end = seconds(60 * minute)
            metrics.record(MetricDatapoint(time: end, values: [.cpuUtilization: Double(minute)]), periodEnd: end,
                           measured: Double(minute + 2))
            metrics.publish(at: end)
            switch minute {
            case 1, 2:
                #expect(metrics.published.isEmpty && metrics.measured == nil)
            case 3:
                #expect(metrics.published.map { $0[.cpuUtilization] } == [1])
                #expect(metrics.measured == 3)
            default:
                #expect(metrics.published.map { $0[.cpuUtilization] } == [1, 2])
                #expect(metrics.measured == 4)
            }
        }
        // Without a delay every minute is seen as it closes; only the last `kept` are kept.
        var prompt = MetricPublication(delay: 0, kept: 2)
        for minute in 1...3 {
            prompt.record(MetricDatapoint(time: seconds(60 * minute), values: [.cpuUtilization: Double(minute)]),
                          periodEnd: seconds(60 * minute), measured: 1)
            prompt.publish(at: seconds(60 * minute))
        }
        #expect(prompt.published.map { $0[.cpuUtilization] } == [2, 3])
    }
}

// MARK: - ECS: policy combination and the request-count metrics

@Suite("Autoscaling fidelity — AWS policy combination")
struct AutoscalingFidelityCombinationTests {
    private let stepScaleIn = StepScalingPolicy(
        name: "rps-low",
        alarm: CloudWatchAlarm(metric: .requestCount, comparison: .lessThan, threshold: 1000, evaluationPeriods: 1),
        adjustmentType: .changeInCapacity,
        steps: [StepAdjustment(lowerBound: nil, upperBound: 0, adjustment: -2)])

    // [TT] Considerations: "scale in only if all of the target tracking policies (with the
    // scale-in portion enabled) are ready to scale in" — and "if the step scaling policy
    // initiates a scale-in activity before the target tracking policy is ready to scale in, the
    // scale-in activity will not be blocked". 10 tasks, 500 requests a minute (< 1000: the step
    // policy removes 2) while CPU at 65 % is not below 63 %: the step scale-in goes ahead.
    @Test("a step scale-in policy acts on its own alarm; it is no voter in target tracking's 'all must agree'")
    func stepScaleInIsNotBlockedByTargetTracking() {
        var engine = AutoScalingPolicyEngine(configuration: .init(
            minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70], stepScaling: [stepScaleIn]))
        let series = constantMinutes(15, [.cpuUtilization: 65, .requestCount: 500])
        let decision = engine.evaluate(at: seconds(900), series: series, capacity: ServiceCapacity(desired: 10))
        #expect(decision.desiredCapacity == 8)
        #expect(decision.reason == .policy("rps-low"))
        #expect(decision.evidence?.alarm == .alarm && decision.evidence?.value == 500)

        // And target tracking no longer waits for a step scale-in policy whose alarm is OK:
        // CPU 30 % for 15 minutes → ⌈10 × 30 / 70⌉ = 5, requests 5,000 (no step breach).
        var quiet = AutoScalingPolicyEngine(configuration: .init(
            minCapacity: 2, maxCapacity: 20, targetTracking: [.cpu70], stepScaling: [stepScaleIn]))
        let low = constantMinutes(15, [.cpuUtilization: 30, .requestCount: 5000])
        #expect(quiet.evaluate(at: seconds(900), series: low, capacity: ServiceCapacity(desired: 10)).desiredCapacity == 5)
    }

    // The seed's rule counts the whole load balancer: 57,600 requests a minute breach 10,000
    // whatever the task count, so it keeps scaling out up to the maximum. The same threshold per
    // target (`ALBRequestCountPerTarget`, 57,600 / 8 = 7,200 < 10,000) does not breach.
    @Test("RequestCount counts the whole load balancer; ALBRequestCountPerTarget divides by the targets")
    func requestCountPerTarget() {
        let perTarget = StepScalingPolicy.scaleOut(name: "rpt", metric: .requestCountPerTarget, threshold: 10_000)
        let whole = StepScalingPolicy.requestCountAbove10k
        let series = constantMinutes(3, [.requestCount: 57_600, .requestCountPerTarget: 57_600 / 8])
        var seed = AutoScalingPolicyEngine(configuration: .init(minCapacity: 2, maxCapacity: 20, targetTracking: [], stepScaling: [whole]))
        #expect(seed.evaluate(at: seconds(180), series: series, capacity: ServiceCapacity(desired: 8)).desiredCapacity == 12)
        var target = AutoScalingPolicyEngine(configuration: .init(minCapacity: 2, maxCapacity: 20, targetTracking: [], stepScaling: [perTarget]))
        #expect(target.evaluate(at: seconds(180), series: series, capacity: ServiceCapacity(desired: 8)).desiredCapacity == 8)
    }
}

// MARK: - Arithmetic bounds

@Suite("Autoscaling fidelity — arithmetic bounds")
struct AutoscalingFidelityBoundsTests {
    // Adjustments a configuration could carry beyond any real capacity clamp instead of
    // overflowing: the result is bounded by CapacityRounding.maximumCount (2⁴⁰).
    @Test("huge step adjustments and magnitudes are clamped, not overflowed")
    func hugeAdjustments() {
        let alarm = CloudWatchAlarm(metric: .cpuUtilization, comparison: .greaterThan, threshold: 50, evaluationPeriods: 1)
        let change = StepScalingPolicy(name: "c", alarm: alarm, adjustmentType: .changeInCapacity,
                                       steps: [StepAdjustment(lowerBound: 0, upperBound: nil, adjustment: 1e300)])
        #expect(change.capacity(from: 4, metricValue: 60) == 4 + CapacityRounding.maximumCount)
        let percent = StepScalingPolicy(name: "p", alarm: alarm, adjustmentType: .percentChangeInCapacity,
                                        steps: [StepAdjustment(lowerBound: 0, upperBound: nil, adjustment: 1)],
                                        minAdjustmentMagnitude: Int.max)
        #expect(percent.capacity(from: 4, metricValue: 60) == 4 + CapacityRounding.maximumCount)
    }
}

// MARK: - Kubernetes HPA

@Suite("Autoscaling fidelity — Kubernetes HPA")
struct AutoscalingFidelityHPATests {
    private func cpu(_ value: Double) -> [HPAMetricObservation] {
        [HPAMetricObservation(name: "cpu", currentAverage: value, targetAverage: 70)]
    }

    // [K8S] horizontal.go: a policy's period starts from `current − added + removed`, with the
    // HPA's changes in *both* directions inside the period. Scale-up: +4 pods per 60 s; scale-down
    // without a window. t = 0: 10 → 6 (−4). t = 30 s: the load returns (CPU 700 %, asking 20);
    // the period started at 6 − 0 + 4 = 10, so the limit is 10 + 4 = 14. Counting only the
    // scale-ups (older Kubernetes, and simrun before) the base was 6 and the limit 10.
    @Test("rate policies count the pods added and removed inside the period")
    func bothDirections() {
        let up = HPAScalingRules(stabilizationWindow: 0, policies: [HPAScalingPolicy(kind: .pods, value: 4, period: seconds(60))])
        let down = HPAScalingRules(stabilizationWindow: 0, policies: [HPAScalingPolicy(kind: .pods, value: 4, period: seconds(60))])
        var hpa = HorizontalPodAutoscaler(configuration: .init(scaleUp: up, scaleDown: down))
        let shrink = hpa.evaluate(at: 0, pods: HPAPodCounts(current: 10), metrics: cpu(35))   // asks 5, −4 allowed
        #expect(shrink.desiredCapacity == 6)
        let grow = hpa.evaluate(at: seconds(30), pods: HPAPodCounts(current: 6), metrics: cpu(700))
        #expect(grow.desiredCapacity == 14)
        #expect(grow.reason == .rateLimited("cpu"))
        #expect(grow.evidence == ScalingEvidence(policy: "cpu", metric: nil, value: 700, threshold: 70, alarm: nil, base: 6))

        // Symmetrically for a scale-down after a scale-up: t = 0 2 → 6 (+4), t = 30 s asks 2:
        // the period started at 6 − 4 + 0 = 2, and 2 − 4 < 2 allows the whole way down.
        var back = HorizontalPodAutoscaler(configuration: .init(scaleUp: up, scaleDown: down))
        #expect(back.evaluate(at: 0, pods: HPAPodCounts(current: 2), metrics: cpu(700)).desiredCapacity == 6)
        #expect(back.evaluate(at: seconds(30), pods: HPAPodCounts(current: 6), metrics: cpu(1)).desiredCapacity == 2)
    }

    @Test("selectPolicy: Min takes the smaller change, Disabled none")
    func selectPolicy() {
        var rules = HPAScalingRules.defaultScaleUp   // +100 % or +4 pods per 15 s
        rules.selectPolicy = .min
        var cautious = HorizontalPodAutoscaler(configuration: .init(scaleUp: rules))
        // From 2: +100 % → 4, +4 → 6; Min picks 4.
        #expect(cautious.evaluate(at: 0, pods: HPAPodCounts(current: 2), metrics: cpu(700)).desiredCapacity == 4)
        rules.selectPolicy = .disabled
        var frozen = HorizontalPodAutoscaler(configuration: .init(scaleUp: rules))
        #expect(frozen.evaluate(at: 0, pods: HPAPodCounts(current: 2), metrics: cpu(700)).desiredCapacity == 2)
    }

    // [HPA] Algorithm details / [K8S] GetResourceReplicas, missing pods:
    // - scale-down: 4 ready at 35 % (ratio 0.5), 2 missing taken at 100 %: (4 × 35 + 2 × 100) / 6
    //   = 56.67 %, ratio 0.81 → ⌈0.81 × 6⌉ = 5 (without the branch: ⌈0.5 × 4⌉ = 2);
    // - scale-up: 4 ready at 140 % (ratio 2), 2 missing at 0 %: 560 / 6 = 93.3 %, ratio 1.33 →
    //   ⌈1.33 × 6⌉ = 8;
    // - direction flip: 4 ready at 60 % (ratio 0.86), 4 missing at 100 %: 640 / 8 = 80 %, ratio
    //   1.14 > 1 — the scale-down would become a scale-up, so the count is kept.
    @Test("missing pods count as 100 % on a scale-down and 0 % on a scale-up; a flipped direction keeps the count")
    func missingPods() {
        let pods = HPAPodCounts(current: 6, ready: 4, missing: 2)
        #expect(HPAReplicaCalculator.replicas(for: cpu(35)[0], pods: pods, tolerance: 0.1) == 5)
        #expect(HPAReplicaCalculator.replicas(for: cpu(140)[0], pods: pods, tolerance: 0.1) == 8)
        let flip = HPAPodCounts(current: 8, ready: 4, missing: 4)
        #expect(HPAReplicaCalculator.replicas(for: cpu(60)[0], pods: flip, tolerance: 0.1) == 8)
        // A target above 100 % is the fallback on a scale-down: 4 ready at 60 of target 150
        // (ratio 0.4), 2 missing at 150 → (240 + 300) / 6 = 90, ratio 0.6 → ⌈3.6⌉ = 4.
        let high = HPAMetricObservation(name: "cpu", currentAverage: 60, targetAverage: 150)
        #expect(HPAReplicaCalculator.replicas(for: high, pods: pods, tolerance: 0.1) == 4)
    }

    // [HPA]: unready pods are set aside, and on a scale-up count as 0 %; with both kinds present
    // they add up: 4 ready at 140 %, 1 unready, 1 missing → 560 / 6 → 8, as above.
    @Test("unready and missing pods together on a scale-up")
    func unreadyAndMissing() {
        let pods = HPAPodCounts(current: 6, ready: 4, unready: 1, missing: 1)
        #expect(HPAReplicaCalculator.replicas(for: cpu(140)[0], pods: pods, tolerance: 0.1) == 8)
        // On a scale-down the unready pod is ignored and the missing one counts 100 %:
        // (4 × 35 + 100) / 5 = 48 %, ratio 0.686 → ⌈3.43⌉ = 4.
        #expect(HPAReplicaCalculator.replicas(for: cpu(35)[0], pods: pods, tolerance: 0.1) == 4)
    }
}
