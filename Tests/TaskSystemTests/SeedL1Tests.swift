import Testing
import Sim
@testable import TaskSystem

// MARK: - The seed's L1: `@lru_cache(maxsize=1000)` on `get_user_permissions`

/// The seed (scalability-patterns.md, "Layer 1: Application Cache") decorates
/// `ApplicationCache.get_user_permissions(user_id)` with `functools.lru_cache(maxsize=1000)` and
/// calls it from HTTP middleware on every request. What CPython does with that decorator
/// (https://docs.python.org/3/library/functools.html#functools.lru_cache, and
/// `_lru_cache_wrapper` in CPython's Lib/functools.py):
/// - a hit moves the entry to the most-recent end of a circular doubly linked list;
/// - a miss when `len(cache) >= maxsize` reuses the oldest link (`root[NEXT]`): the least
///   recently *used* entry is evicted, not the least recently inserted;
/// - there is no time-based expiry at all: entries leave by eviction or `cache_clear()` only,
///   so a permission revoked in the database is still granted by a process that holds it.
@Suite struct SeedL1Tests {
    // MARK: The LRU as CPython's `lru_cache` behaves

    @Test func evictsTheLeastRecentlyUsedEntryAtMaxsize1000AndNeverExpires() {
        var cache = LRUCache<Int, Int>(capacity: 1_000)  // no TTL, as the seed's L1
        for key in 0..<1_000 { cache.set(key, key * 10, now: 0) }
        // Using key 0 makes key 1 the least recently used (CPython: the hit relinks key 0 last).
        #expect(cache.get(0, now: 1) == 0)
        let evicted = cache.set(1_000, 10_000, now: 2)
        #expect(evicted?.key == 1)
        #expect(cache.count == 1_000 && !cache.contains(1, now: 2) && cache.contains(0, now: 2))
        // Most to least recent: 1000, 0, then 999 … 2 (insertion order reversed).
        let expected = [1_000, 0] + Array((2..<1_000).reversed())
        #expect(cache.keysByRecency == expected)
        // The next miss evicts 2, the oldest untouched entry.
        #expect(cache.set(1_001, 0, now: 3)?.key == 2)
        // Ten years later every remaining entry still answers: nothing expires.
        let tenYears = SimClock.time(seconds: 10 * 365 * 86_400)
        #expect(cache.get(3, now: tenYears) == 30 && cache.get(999, now: tenYears) == 9_990)
        #expect(cache.counters.expirations == 0 && cache.counters.evictions == 2)
    }

    // MARK: On the service path

    /// Two instances behind the load balancer, no users, no random revocations: the test drives
    /// each instance's service code itself.
    static func twoInstances(mode: LocalCacheMode) -> TaskSystemWorld {
        var workload = WorkloadConfiguration(data: SeedPlan.scaled(users: 100), load: .constant(users: 0))
        workload.permissionRevocationsPerHour = 0
        var api = APIConfiguration(instances: 2)
        api.localCacheMode = mode
        return TaskSystemWorld.build(TaskSystemConfiguration(duration: seconds(100_000), workload: workload, api: api,
                                                             warmCache: false),
                                     replication: 0)
    }

    /// A project's owner and a member who is neither owner nor system admin (so the removal
    /// takes every right away).
    static func ownerAndMember(in world: TaskSystemWorld) -> (project: ProjectID, owner: UserID, member: UserID) {
        let primary = world.database.store.primary
        for index in 1...primary.highestProjectID.rawValue {
            let project = primary.project(ProjectID(index))!
            if let member = project.memberIDs.first(where: { $0 != project.owner && primary.user($0)!.role != .admin }) {
                return (project.id, project.owner, member)
            }
        }
        preconditionFailure("the seeded data has a project with an ordinary member")
    }

    /// Whether `user` may list `project`'s tasks through `instance`, asked at `time`.
    final class Answers: @unchecked Sendable {
        var granted: [Bool] = []
    }

    static func listTasks(_ world: TaskSystemWorld, on instance: Int, _ project: ProjectID, as user: UserID,
                          into answers: Answers) async {
        do {
            _ = try await world.api.instances[instance].api.listTasks(inProject: project, as: user)
            answers.granted.append(true)
        } catch .refused(.forbidden) {
            answers.granted.append(false)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aRevocationFollowedByARequestOnAnInstanceHoldingTheGrantCountsOneStaleGrant() {
        let world = Self.twoInstances(mode: .seedPermissions)
        let (project, owner, member) = Self.ownerAndMember(in: world)
        let answers = Answers()
        let runtime = world.runtime
        runtime.spawn {
            await Self.listTasks(world, on: 0, project, as: member, into: answers)  // fills instance 0's L1
            try? await runtime.sleep(for: seconds(10))
            _ = try? await world.api.instances[1].api.removeMember(member, from: project, as: owner)
            try? await runtime.sleep(for: seconds(10))
            await Self.listTasks(world, on: 0, project, as: member, into: answers)  // stale: L1 still grants
            await Self.listTasks(world, on: 1, project, as: member, into: answers)  // L1 miss, L2 deleted: refused
        }
        runtime.run(until: seconds(60))
        #expect(world.database.store.primary.project(project)!.isMember(member) == false)
        #expect(answers.granted == [true, true, false])
        #expect(world.workload.stalePermissionGrants == 1)
        // Instance 0: one miss (the first request), one hit (the stale grant).
        let counters = world.api.instances[0].api.localCounters(for: .permissions)
        #expect(counters.misses == 1 && counters.hits == 1)
    }

    @Test func theSeedsL1GrantsARevokedPermissionForeverButEntitiesTTLOnlyForFiveMinutes() {
        // The same script in both modes; the member asks through instance 0 at 20 s, 299 s after
        // its first request (inside the 5-minute TTL), and one day later.
        func staleGrants(_ mode: LocalCacheMode) -> (Int, [Bool]) {
            let world = Self.twoInstances(mode: mode)
            let (project, owner, member) = Self.ownerAndMember(in: world)
            let answers = Answers()
            let runtime = world.runtime
            runtime.spawn {
                await Self.listTasks(world, on: 0, project, as: member, into: answers)
                try? await runtime.sleep(for: seconds(10))
                _ = try? await world.api.instances[1].api.removeMember(member, from: project, as: owner)
                try? await runtime.sleep(for: seconds(10))
                await Self.listTasks(world, on: 0, project, as: member, into: answers)
                try? await runtime.sleep(for: seconds(279))
                await Self.listTasks(world, on: 0, project, as: member, into: answers)
                try? await runtime.sleep(for: seconds(86_400))
                await Self.listTasks(world, on: 0, project, as: member, into: answers)
            }
            runtime.run(until: seconds(90_000))
            return (world.workload.stalePermissionGrants, answers.granted)
        }
        // seed-permissions: the `lru_cache` entry has no expiry and nothing evicts it (one user).
        let seed = staleGrants(.seedPermissions)
        #expect(seed.1 == [true, true, true, true] && seed.0 == 3)
        // entities-ttl: the project (with its member list) was cached in L1 at 0 s for 5 minutes;
        // it still grants at 20 s and 299 s, and after expiry L1 and L2 reload the changed project.
        let ttl = staleGrants(.entitiesTTL)
        #expect(ttl.1 == [true, true, true, false] && ttl.0 == 2)
    }

    @Test func everyRequestGoesThroughThePermissionCacheAndAMissTakesL2ThenTheDatabase() {
        let world = Self.twoInstances(mode: .seedPermissions)
        let (project, _, member) = Self.ownerAndMember(in: world)
        let answers = Answers()
        let runtime = world.runtime
        @Sendable func queries() -> Int { world.database.metrics.primaryQueries + world.database.metrics.replicaQueries.reduce(0, +) }
        let queriesBefore = queries()
        let counts = Outbox<Int>()
        runtime.spawn {
            _ = try? await world.api.instances[0].api.login(member)  // login passes the middleware too
            counts.add(queries())
            await Self.listTasks(world, on: 1, project, as: member, into: answers)
            counts.add(queries())
        }
        runtime.run(until: seconds(60))
        let (afterFirst, afterSecond) = (counts.values[0], counts.values[1])
        // Instance 0: L1 miss, L2 miss, one permission query and one user query (L2 cold).
        #expect(world.api.instances[0].api.localCounters(for: .permissions).misses == 1)
        #expect(afterFirst - queriesBefore == 2)
        // Instance 1: L1 miss, L2 hit (instance 0 filled it): no permission query; the user
        // comes from L2 too; the project and its task list from the database (2 queries).
        #expect(world.api.instances[1].api.localCounters(for: .permissions).misses == 1)
        #expect(world.cache.counters(for: .permissions).hits == 1)
        #expect(afterSecond - afterFirst == 2)
        // L1 holds permissions only: no user or project lookups in L1.
        for family in [CacheKey.Family.user, .project] {
            let counters = world.api.instances[1].api.localCounters(for: family)
            #expect(counters.hits + counters.misses == 0)
        }
    }

    @Test func revocationsArriveAtTheConfiguredRate() {
        // 120 an hour for one hour (after no warm-up): Poisson with mean 120 and σ ≈ 11; 4σ
        // either side is 76…164. Each one removes a member on the primary.
        var workload = WorkloadConfiguration(data: SeedPlan.scaled(users: 200), load: .constant(users: 0))
        workload.permissionRevocationsPerHour = 120
        let world = TaskSystemWorld.build(
            TaskSystemConfiguration(duration: seconds(3_600), workload: workload, api: APIConfiguration(instances: 1)),
            replication: 0)
        let primary = world.database.store.primary
        let membershipsBefore = (1...primary.highestProjectID.rawValue).reduce(0) {
            $0 + primary.project(ProjectID($1))!.memberIDs.count
        }
        _ = world.start()
        world.runtime.run(until: seconds(3_600))
        let performed = world.revocations!.performed
        #expect(performed >= 76 && performed <= 164, "\(performed)")
        let after = world.database.store.primary
        let membershipsAfter = (1...after.highestProjectID.rawValue).reduce(0) {
            $0 + after.project(ProjectID($1))!.memberIDs.count
        }
        #expect(membershipsBefore - membershipsAfter == performed)
    }
}
