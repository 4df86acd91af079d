import Testing
@testable import Scenarios
import TaskSystem

// MARK: - `users.turnover`

@Suite struct TurnoverReaderTests {
    @Test func offByDefaultAndRead() throws {
        let plain = try Fixture.taskSystem("kind: task-system\nname: x")
        #expect(plain.configuration.workload.turnover == false)
        let turning = try Fixture.taskSystem("kind: task-system\nname: x\nusers: {turnover: true}")
        #expect(turning.configuration.workload.turnover == true)
    }

    @Test func aBadValueNamesTheKeyPathAndPosition() throws {
        let errors = try Fixture.errors("kind: task-system\nname: x\nusers: {turnover: 30}")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("3:19: users.turnover: ") == true, "\(errors)")
    }
}
