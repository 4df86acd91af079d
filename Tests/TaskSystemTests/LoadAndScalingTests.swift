import Foundation
import Testing
import Sim
@testable import TaskSystem

@Suite struct LoadProfileTests {
    @Test func everyProfileGivesTheUsersItDescribes() {
        let steps = LoadProfile.steps([.init(at: 0, users: 10), .init(at: seconds(60), users: 50)])
        #expect(steps.users(at: seconds(59)) == 10 && steps.users(at: seconds(60)) == 50 && steps.maxUsers == 50)
        let ramp = LoadProfile.ramp(from: 100, to: 200, start: seconds(10), over: seconds(100))
        #expect(ramp.users(at: 0) == 100 && ramp.users(at: seconds(60)) == 150 && ramp.users(at: seconds(500)) == 200)
        let day = LoadProfile.diurnal(min: 10, max: 110, period: seconds(86_400), peakAt: seconds(50_400))
        #expect(day.users(at: seconds(50_400)) == 110)
        #expect(day.users(at: seconds(50_400 - 43_200)) == 10)
        #expect(day.users(at: seconds(50_400 + 21_600)) == 60)
        let crowd = LoadProfile.flashCrowd(base: 5, peak: 50, at: seconds(100), hold: seconds(30))
        #expect([99.0, 100, 129, 130].map { crowd.users(at: seconds($0)) } == [5, 50, 50, 5])
    }
}

@Suite struct LoadAndScalingTests {
    /// A ramp from 20 to 120 users: sessions follow the profile up.
    @Test func sessionsFollowTheLoadProfile() {
        let configuration = TaskSystemConfiguration(
            duration: seconds(400), warmup: seconds(10),
            workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 300),
                                            load: .ramp(from: 20, to: 120, start: 0, over: seconds(200)),
                                            activationCheck: seconds(5), thinkTime: .exponential(mean: 5)))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        #expect(result.metric("users.concurrent.max") == 120)
        for invariant in result.invariants { #expect(invariant.held, "\(invariant.name)") }
    }

    /// 50 users for 5 minutes, then 200 (think 2 s, responses of a few ms, sessions of a login
    /// and 19 requests, so 20 requests per 19 think times; no re-read after writes): the busiest
    /// whole minute runs at about 200 / 2 × 20 / 19 = 105.3 requests/s, while the whole-run mean
    /// mixes both steps. A minute holds about 6,300 requests (Poisson-like: sd ≈ 1.3 %), the
    /// maximum over five such minutes sits about 2 sd above the mean, and response times take
    /// ≈ 1 % off the rate: the peak must lie within 105.3 ± 6 %, the mean well below it.
    @Test func thePeakMinuteRateFollowsTheBusiestStep() {
        let configuration = TaskSystemConfiguration(
            duration: seconds(660), warmup: seconds(60),
            workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 400),
                                            load: .steps([.init(at: 0, users: 50), .init(at: seconds(300), users: 200)]),
                                            activationCheck: seconds(1), thinkTime: .exponential(mean: 2),
                                            requestsPerSession: .constant(19), refreshAfterWrite: false))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let peak = result.metric("api.throughput.max")!, mean = result.metric("api.throughput")!
        #expect(abs(peak - 105.3) < 6, "peak \(peak)")
        #expect(mean < 0.8 * peak, "mean \(mean), peak \(peak)")
        #expect(result.metric("db.qps.max")! > result.metric("db.qps")!)
    }

    /// One small instance saturated by a crowd: the CPU target-tracking policy scales out, and
    /// the new instances take traffic after their start-up delay.
    @Test func autoscalingAddsInstancesUnderLoad() {
        let configuration = saturatedTier(duration: seconds(900))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        // 300 users / 3 s think ≈ 100 requests/s × 20 ms = 2 CPUs busy: 2 instances at ~100 %.
        #expect(result.metric("api.instances.max")! >= 3)
        #expect(result.metric("api.instances.max")! <= 8)
        for invariant in result.invariants { #expect(invariant.held, "\(invariant.name)") }
    }

    /// The same saturated tier under a Kubernetes HPA: it syncs every 15 s, so 20 s into the
    /// run a third instance already serves, while ECS (one-minute datapoints) has not yet evaluated.
    @Test(arguments: [true, false])
    func hpaScalesOutAtItsFirstSyncPeriod(hpa: Bool) {
        let policy: AutoscalingPolicy = hpa
            ? .kubernetesHPA(KubernetesAutoscaling(autoscaler: .init(minReplicas: 2, maxReplicas: 8), memoryTarget: nil))
            : .ecs(AutoScalingPolicyConfiguration(minCapacity: 2, maxCapacity: 8, targetTracking: [.cpu70]))
        var api = APIConfiguration(instances: 2, vCPUs: 1, autoscaling: policy, startupDelay: seconds(1))
        api.cpuCost = Endpoint.allCases.map { _ in .exponential(mean: 0.02) }
        let configuration = TaskSystemConfiguration(
            duration: seconds(20), warmup: seconds(5),
            workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 400), load: .constant(users: 300),
                                            thinkTime: .exponential(mean: 3)),
            api: api)
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        if hpa {
            #expect(result.metric("api.instances.max")! >= 3)
        } else {
            #expect(result.metric("api.instances.max") == 2)
        }
        for invariant in result.invariants { #expect(invariant.held, "\(invariant.name)") }
    }

    /// A light load under the seed's full policy set (CPU, memory, request count, p95) stays at
    /// the minimum: no policy has reason to scale out.
    @Test func lightLoadStaysAtTheMinimum() {
        let configuration = TaskSystemConfiguration(
            duration: seconds(900), warmup: seconds(10),
            workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 400), load: .constant(users: 50)),
            api: APIConfiguration(instances: 2, autoscaling: .ecs(.seed)))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        #expect(result.metric("api.instances.max") == 2)
    }
}

/// The seed's stateful controller behind round robin: instance-local users never see another
/// instance's profile update, so logins return outdated profiles more often than with the
/// stateless design (whose L1 copies are outdated too, but only until their 5-minute TTL).
@Suite struct StatefulControllerTests {
    static func profiles(stateful: Bool) -> TaskSystemConfiguration {
        TaskSystemConfiguration(
            duration: seconds(900), warmup: seconds(30),
            workload: WorkloadConfiguration(
                data: SeedPlan.scaled(users: 300), load: .constant(users: 150), thinkTime: .exponential(mean: 2),
                mix: EndpointMix([(.getTask, 0.95), (.updateProfile, 0.05)]),
                requestsPerSession: .exponential(mean: 3)),
            api: APIConfiguration(instances: 4, statefulController: stateful))
    }

    @Test func statefulControllerServesOutdatedProfiles() {
        let stateful = TaskSystemSimulation.runReplication(Self.profiles(stateful: true), replication: 0)
        let stateless = TaskSystemSimulation.runReplication(Self.profiles(stateful: false), replication: 0)
        // The stateful controller fills each instance's dictionary on the user's first request
        // there and never refreshes it; `update_profile` writes the primary and the shared cache
        // only. So a login returns an outdated profile exactly when its user updated the profile
        // after that instance loaded it. Each user updates at rate a = 0.05 (the mix) × 1 / (2 s
        // think + ≈ 10 ms response) = 0.0249/s. Round robin over 4 instances reaches each with
        // probability ¼ per request, so an instance has loaded a user by t₀ ≲ 30 s for all but
        // about 1 % of the pairs (0.75^15). A login at t is fresh only if no update fell in
        // (t₀, t]: probability e^−a(t − t₀). Averaged over the measured 30…900 s, the fresh
        // fraction is between (t₀ = 0) e^−30a (1 − e^−870a) / 870a = 0.022 and (t₀ = 60 s,
        // the late pairs) (30 + (1 − e^−840a) / a) / 870 = 0.080: outdated logins are 92 … 98 %
        // of logins. Spread: each of the 150 users contributes its fresh logins (rate ≈ 0.16/s
        // over an exponential 40 s): σ ≈ √150 × 6.5 ≈ 80 of about 21,000 logins, 4σ ≈ 1.5 %.
        let outdated = stateful.metric("api.stale_profiles")!, logins = stateful.metric("users.logins")!
        let a = 0.05 / 2.01
        let freshLow = exp(-30 * a) * (1 - exp(-870 * a)) / (870 * a)
        let freshHigh = (30 + (1 - exp(-840 * a)) / a) / 870
        let spread = 4 * 150.0.squareRoot() * (0.16 / a) / logins
        #expect(outdated / logins >= 1 - freshHigh - spread && outdated / logins <= 1 - freshLow + spread,
                "\(outdated) outdated of \(logins) logins, expected \(1 - freshHigh) … \(1 - freshLow) ± \(spread)")
        // Stateless: the profile comes from the shared cache, which `update_profile` invalidates
        // and writes through before it answers, and a user's own login never overlaps its own
        // update; a stale copy could only come back from a lagging replica after the shared
        // cache's entry expired within the lag (≈ 50 ms) of the user's own update: at most a
        // handful in the run (4σ of a Poisson count whose mean is far below 1).
        #expect(stateless.metric("api.stale_profiles")! <= 4)
        for invariant in stateful.invariants { #expect(invariant.held, "\(invariant.name)") }
    }
}
