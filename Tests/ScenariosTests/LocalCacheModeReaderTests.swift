import Testing
@testable import Scenarios
import TaskSystem

// MARK: - `cache.l1.mode` and `users.permission_revocations_per_hour`

@Suite struct LocalCacheModeReaderTests {
    @Test func theSeedsPermissionCacheAndTenRevocationsAnHourAreTheDefaults() throws {
        let scenario = try Fixture.taskSystem("kind: task-system\nname: x")
        #expect(scenario.configuration.api.localCacheMode == .seedPermissions)
        #expect(scenario.configuration.workload.permissionRevocationsPerHour == 10)
    }

    @Test func bothKeysAreRead() throws {
        let scenario = try Fixture.taskSystem("""
            kind: task-system
            name: x
            users: {permission_revocations_per_hour: 0}
            cache: {l1: {mode: entities-ttl}}
            """)
        #expect(scenario.configuration.api.localCacheMode == .entitiesTTL)
        #expect(scenario.configuration.workload.permissionRevocationsPerHour == 0)
    }

    @Test func badValuesNameTheKeyPathAndPosition() throws {
        let errors = try Fixture.errors("""
            kind: task-system
            name: x
            users: {permission_revocations_per_hour: -1}
            cache: {l1: {mode: seed, size: 3}}
            """)
        #expect(errors == [
            "3:42: users.permission_revocations_per_hour: must not be negative, got -1.0",
            "4:20: cache.l1.mode: unknown L1 mode 'seed'; allowed: seed-permissions, entities-ttl",
            "4:26: cache.l1.size: unknown key 'size'; allowed keys: mode",
        ])
    }
}
