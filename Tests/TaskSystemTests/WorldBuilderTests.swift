// WorldBuilderTests.swift — the one builder of a replication's world: the optional components
// (CDN edge, autoscaler) exist exactly when configured, clients go through the edge when there
// is one, and the starting instances serve at once and are on the timeline.

import Sim
import Testing
@testable import TaskSystem

@Suite struct WorldBuilderTests {
    /// Three instances, no users; a CDN and an autoscaler only when given.
    static func configuration(cdn: CDNConfiguration? = nil, autoscaling: AutoscalingPolicy? = nil)
        -> TaskSystemConfiguration
    {
        var api = APIConfiguration(instances: 3)
        api.autoscaling = autoscaling
        return TaskSystemConfiguration(
            seed: 5, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 50), load: .constant(users: 0)),
            api: api, warmCache: false, cdn: cdn)
    }

    @Test func optionalComponentsExistExactlyWhenConfigured() {
        let plain = TaskSystemWorld.build(Self.configuration(), replication: 0)
        #expect(plain.edge == nil && plain.autoscaler == nil)
        #expect(plain.frontDoor === plain.api)

        let ecs = AutoscalingPolicy.ecs(AutoScalingPolicyConfiguration(minCapacity: 2, maxCapacity: 8,
                                                                      targetTracking: [.cpu70]))
        let full = TaskSystemWorld.build(Self.configuration(cdn: CDNConfiguration(), autoscaling: ecs), replication: 0)
        #expect(full.edge != nil && full.autoscaler?.policy == ecs)
        #expect(full.edge.map { full.frontDoor === $0 } == true)
        plain.runtime.shutdown()
        full.runtime.shutdown()
    }

    @Test func theStartingInstancesServeAtOnceAndAreOnTheTimeline() {
        let world = TaskSystemWorld.build(Self.configuration(), replication: 0)
        #expect(world.api.instances.map(\.id) == [0, 1, 2])
        #expect(world.api.inService == 3 && world.api.desired == 3 && world.maxInService == 3)
        #expect(world.recorders.timeline.events.map(\.kind) == Array(repeating: "instance-launched", count: 3))
        world.runtime.shutdown()
    }

    /// A request sent through the front door of a world with a CDN reaches the edge first
    /// (counted there), and one the edge cannot cache is forwarded to the API tier.
    @Test func clientsGoThroughTheEdgeWhenThereIsOne() {
        let world = TaskSystemWorld.build(Self.configuration(cdn: CDNConfiguration(staticAssets: .init(perPage: 0))),
                                          replication: 0)
        let user = world.workload.activeUsers[0]
        world.runtime.spawn {
            var stream = RandomStream(seed: 9)
            _ = await world.request(.login, by: user, &stream)
        }
        world.runtime.run(until: SimClock.time(seconds: 60))
        let edge = world.edge
        #expect(edge?.counters.requests == 1 && edge?.counters.originRequests == 1)
        #expect(world.metrics.generated == 1 && world.metrics.answered == 1)
        #expect(world.metrics.conservationViolation(inFlight: world.requestsInFlight) == nil)
        world.runtime.shutdown()
    }
}
