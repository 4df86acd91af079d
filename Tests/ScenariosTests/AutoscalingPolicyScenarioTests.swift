// AutoscalingPolicyScenarioTests.swift — `api.autoscaling` policy keys: ECS target tracking
// targets, step scaling policies with their alarms and steps, the cooldown rule; the HPA's rate
// policies and selectPolicy. Defaults, overrides, and errors with positions and key paths.

import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite("Autoscaling policy keys")
struct AutoscalingPolicyScenarioTests {
    private func seconds(_ n: Int) -> SimTime { SimTime(n) * SimClock.nanosecondsPerSecond }

    private func policy(_ yaml: String) throws -> AutoscalingPolicy? {
        try Fixture.taskSystem("kind: task-system\nname: x\n\(yaml)").configuration.api.autoscaling
    }

    // MARK: ECS

    @Test func ecsDefaultsAreTheSeedsPolicies() throws {
        // No policy key: the seed's CPU 70 % / memory 80 % target tracking and its RequestCount
        // (whole load balancer) and p95 step policies, +50 % on 3 of 3 datapoints.
        #expect(try policy("api: {autoscaling: {min: 2}}") == .ecs(.seed))
        let seed = AutoScalingPolicyConfiguration.seed
        #expect(seed.stepScaling[0].alarm.metric == .requestCount)
        #expect(seed.scaleOutCooldownBlocksScaleIn)
    }

    @Test func targetsReplaceOrRemoveTheSeedsTargetTracking() throws {
        var expected = AutoScalingPolicyConfiguration.seed
        expected.targetTracking = [TargetTrackingPolicy(name: "cpu-target-60", metric: .cpuUtilization, targetValue: 60),
                                   TargetTrackingPolicy(name: "request-count-per-target-1000",
                                                        metric: .requestCountPerTarget, targetValue: 1000)]
        expected.scaleOutCooldownBlocksScaleIn = false
        expected.metricDelay = seconds(120)
        #expect(try policy("""
            api:
              autoscaling: {cpu_target: 60, memory_target: false, request_count_per_target: 1000,
                            scale_out_cooldown_blocks_scale_in: false, metric_delay: 2m}
            """) == .ecs(expected))
    }

    @Test func stepPoliciesReplaceTheSeeds() throws {
        let decoded = try policy("""
            api:
              autoscaling:
                step_scaling:
                  - name: rpt-high
                    metric: request_count_per_target
                    comparison: greater_than_or_equal
                    threshold: 2000
                    evaluation_periods: 5
                    datapoints_to_alarm: 3
                    missing_data: not_breaching
                    adjustment_type: percent_change_in_capacity
                    min_adjustment_magnitude: 2
                    steps:
                      - {lower: 1000, adjustment: 50}
                      - {lower: 0, upper: 1000, adjustment: 20}
                  - metric: latency_p95
                    threshold: 800ms
                    steps: [{lower: 0, adjustment: 2}]
            """)
        var expected = AutoScalingPolicyConfiguration.seed
        expected.stepScaling = [
            StepScalingPolicy(
                name: "rpt-high",
                alarm: CloudWatchAlarm(metric: .requestCountPerTarget, comparison: .greaterThanOrEqual, threshold: 2000,
                                       datapointsToAlarm: 3, evaluationPeriods: 5, missingData: .notBreaching),
                adjustmentType: .percentChangeInCapacity,
                steps: [StepAdjustment(lowerBound: 0, upperBound: 1000, adjustment: 20),
                        StepAdjustment(lowerBound: 1000, upperBound: nil, adjustment: 50)],
                minAdjustmentMagnitude: 2),
            // Defaults: greater_than, 3 of 3 periods, missing, change_in_capacity.
            StepScalingPolicy(
                name: "step-2",
                alarm: CloudWatchAlarm(metric: .latencyP95, comparison: .greaterThan, threshold: 0.8, evaluationPeriods: 3),
                adjustmentType: .changeInCapacity,
                steps: [StepAdjustment(lowerBound: 0, upperBound: nil, adjustment: 2)]),
        ]
        #expect(decoded == .ecs(expected))
        var none = AutoScalingPolicyConfiguration.seed
        none.stepScaling = []
        #expect(try policy("api: {autoscaling: {step_scaling: []}}") == .ecs(none))
    }

    @Test("ECS policy errors", arguments: [
        ("api: {autoscaling: {cpu_target: 0}}",
         ["3:33: api.autoscaling.cpu_target: must be a percentage greater than 0 and at most 100, or false, got 0.0"]),
        ("api: {autoscaling: {metric_delay: 11m}}",
         ["3:35: api.autoscaling.metric_delay: must be between 0 and 10 minutes, got 660.0 s"]),
        ("api: {autoscaling: {request_count_per_target: -5}}",
         ["3:47: api.autoscaling.request_count_per_target: must be greater than 0, got -5.0"]),
        ("api: {autoscaling: {step_scaling: {metric: cpu}}}",
         ["3:35: api.autoscaling.step_scaling: expected a list, got a mapping"]),
        ("api: {autoscaling: {step_scaling: [{metric: rps, threshold: 1, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:45: api.autoscaling.step_scaling[0].metric: unknown metric 'rps'; did you mean 'cpu'?"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:36: api.autoscaling.step_scaling[0]: missing required key 'threshold'"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, comparison: '>', steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:77: api.autoscaling.step_scaling[0].comparison: unknown comparison '>'; allowed: greater_than, greater_than_or_equal, less_than, less_than_or_equal"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, evaluation_periods: 2, datapoints_to_alarm: 3, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:109: api.autoscaling.step_scaling[0].datapoints_to_alarm: must be at most evaluation_periods (2), got 3"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, evaluation_periods: 61, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:85: api.autoscaling.step_scaling[0].evaluation_periods: must be at most 60 one-minute periods, got 61"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: []}]}}",
         ["3:72: api.autoscaling.step_scaling[0].steps: must list at least one step, such as [{lower: 0, adjustment: 1}]"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{lower: 0, upper: 10, adjustment: 1}, {lower: 20, adjustment: 3}]}]}}",
         ["3:72: api.autoscaling.step_scaling[0].steps: steps must not overlap or leave gaps: a step ends at 10 and the next starts at 20"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{lower: 0, upper: 10, adjustment: 1}, {lower: 10, adjustment: -1}]}]}}",
         ["3:72: api.autoscaling.step_scaling[0].steps: a policy's adjustments must all add or all remove capacity; write two policies"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{adjustment: 1}]}]}}",
         ["3:73: api.autoscaling.step_scaling[0].steps[0]: needs a lower or an upper bound (relative to the threshold); both absent is not allowed"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{lower: 0, adjustment: 1.5}]}]}}",
         ["3:96: api.autoscaling.step_scaling[0].steps[0].adjustment: must be a whole number of instances, got 1.5"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{lower: 0, adjustment: 1e300}]}]}}",
         ["3:96: api.autoscaling.step_scaling[0].steps[0].adjustment: must be between −1000000 and 1000000, got 1e+300"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, adjustment_type: percent_change_in_capacity, min_adjustment_magnitude: 9223372036854775807, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:136: api.autoscaling.step_scaling[0].min_adjustment_magnitude: must be at most 1000000, got 9223372036854775807"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{lower: 5, upper: 5, adjustment: 1}]}]}}",
         ["3:91: api.autoscaling.step_scaling[0].steps[0].upper: must be greater than lower (5.0), got 5.0"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, min_adjustment_magnitude: 2, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:91: api.autoscaling.step_scaling[0].min_adjustment_magnitude: applies only with adjustment_type: percent_change_in_capacity"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, cooldown: 1m, steps: [{lower: 0, adjustment: 1}]}]}}",
         ["3:65: api.autoscaling.step_scaling[0].cooldown: unknown key 'cooldown'; allowed keys: name, metric, comparison, threshold, evaluation_periods, datapoints_to_alarm, missing_data, adjustment_type, min_adjustment_magnitude, steps"]),
        ("api: {autoscaling: {step_scaling: [{metric: cpu, threshold: 80, steps: [{lower: 0, adjust: 1}]}]}}",
         ["3:73: api.autoscaling.step_scaling[0].steps[0]: missing required key 'adjustment'",
          "3:84: api.autoscaling.step_scaling[0].steps[0].adjust: unknown key 'adjust'; allowed keys: lower, upper, adjustment"]),
    ])
    func ecsPolicyErrors(yaml: String, expected: [String]) throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\n\(yaml)") == expected)
    }

    // MARK: Celery workers

    // A worker the WorkerScaler adds serves after `worker_start` (a Fargate task starting: 30–45 s
    // or longer, AWS re:Post); the default is 45 s.
    @Test func workerStart() throws {
        let decoded = try Fixture.taskSystem("kind: task-system\nname: x\njobs: {worker_start: 45s}")
        #expect(decoded.configuration.jobs.workerStartDelay == seconds(45))
        #expect(try Fixture.taskSystem("kind: task-system\nname: x").configuration.jobs.workerStartDelay == seconds(45))
        #expect(try Fixture.errors("kind: task-system\nname: x\njobs: {worker_start: soon}")
                == ["3:22: jobs.worker_start: \"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\""])
    }

    // MARK: HPA

    @Test func hpaRatePoliciesAndSelection() throws {
        var up = HPAScalingRules.defaultScaleUp
        up.policies = [HPAScalingPolicy(kind: .pods, value: 2, period: seconds(60))]
        up.selectPolicy = .min
        var down = HPAScalingRules.defaultScaleDown
        down.policies = [HPAScalingPolicy(kind: .percent, value: 10, period: seconds(60)),
                         HPAScalingPolicy(kind: .pods, value: 1, period: seconds(30))]
        down.selectPolicy = .disabled
        let expected = KubernetesAutoscaling(autoscaler: HorizontalPodAutoscalerConfiguration(scaleUp: up, scaleDown: down))
        #expect(try policy("""
            api:
              autoscaling:
                kind: hpa
                scale_up_policies: [{type: pods, value: 2, period: 1m}]
                scale_up_select_policy: min
                scale_down_policies: [{type: percent, value: 10, period: 60s}, {type: pods, value: 1, period: 30s}]
                scale_down_select_policy: disabled
            """) == .kubernetesHPA(expected))
        // Absent: Kubernetes' defaults.
        #expect(try policy("api: {autoscaling: {kind: hpa}}") == .kubernetesHPA(KubernetesAutoscaling()))
    }

    @Test("HPA behaviour errors", arguments: [
        ("api: {autoscaling: {kind: hpa, scale_up_policies: []}}",
         ["3:51: api.autoscaling.scale_up_policies: must list at least one policy, such as [{type: pods, value: 4, period: 15s}]; write the select_policy as disabled to stop scaling in this direction"]),
        ("api: {autoscaling: {kind: hpa, scale_up_policies: [{type: pod, value: 4, period: 15s}]}}",
         ["3:59: api.autoscaling.scale_up_policies[0].type: unknown policy type 'pod'; did you mean 'pods'?"]),
        ("api: {autoscaling: {kind: hpa, scale_down_policies: [{type: pods, value: 0, period: 15s}]}}",
         ["3:74: api.autoscaling.scale_down_policies[0].value: too small (min 1), got 0"]),
        ("api: {autoscaling: {kind: hpa, scale_down_policies: [{type: pods, value: 1, period: 31m}]}}",
         ["3:85: api.autoscaling.scale_down_policies[0].period: must be at most 1800 s (Kubernetes' periodSeconds bound), got 1860.0 s"]),
        ("api: {autoscaling: {kind: hpa, scale_up_policies: [{type: pods, value: 9223372036854775807, period: 15s}]}}",
         ["3:72: api.autoscaling.scale_up_policies[0].value: must be at most 2147483647 (Kubernetes' int32), got 9223372036854775807"]),
        ("api: {autoscaling: {kind: hpa, scale_up_policies: [{type: pods, value: 1}]}}",
         ["3:52: api.autoscaling.scale_up_policies[0]: missing required key 'period'"]),
        ("api: {autoscaling: {kind: hpa, scale_up_select_policy: maximum}}",
         ["3:56: api.autoscaling.scale_up_select_policy: unknown select policy 'maximum'; allowed: max, min, disabled"]),
    ])
    func hpaBehaviorErrors(yaml: String, expected: [String]) throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\n\(yaml)") == expected)
    }
}
