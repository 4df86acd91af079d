// FaultAndCrowdScenariosPresentTests.swift — the shipped fault and flash-crowd scenarios start
// from the seed's calibrated present (scenarios/defaults/seed-present.yaml, which current-100 is
// fitted with): the same think time, project size, API CPU per request and task-list plan, and
// the same mix unless the scenario's own question is a different one (email-burst's
// reorganisation), which its file says beside the key.

import Foundation
import Testing
import Scenarios
@testable import TaskSystem

@Suite struct FaultAndCrowdScenariosPresentTests {
    /// The scenarios this suite covers, and whether each keeps the present's mix.
    static let files: [(file: String, keepsThePresentsMix: Bool)] = [
        ("failover.yaml", true), ("instance-failure.yaml", true), ("az-loss.yaml", true),
        ("redis-outage.yaml", true), ("replica-lag.yaml", true), ("flash-crowd.yaml", true),
        ("hpa-flash-crowd.yaml", true),
        ("email-burst.yaml", false),  // a third of the requests assign tasks: the question
    ]

    static func configuration(_ file: String) throws -> TaskSystemConfiguration {
        let path = ShippedScenarioConsistencyTests.folder.appendingPathComponent(file).path
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: path) else {
            throw ConsistencyTestError.notTaskSystem(file)
        }
        return scenario.configuration
    }

    @Test(arguments: files.map(\.file)) func startsFromTheCalibratedPresent(_ file: String) throws {
        let present = try Self.configuration("current-100.yaml")
        let scenario = try Self.configuration(file)
        #expect(scenario.workload.thinkTime == present.workload.thinkTime, "\(file): think time")
        #expect(scenario.workload.data.tasksPerProject == present.workload.data.tasksPerProject, "\(file): tasks per project")
        #expect(scenario.api.cpuCost == present.api.cpuCost, "\(file): API CPU per request")
        #expect(scenario.database.taskListPlan == present.database.taskListPlan, "\(file): task-list plan")
        let keepsMix = try #require(Self.files.first { $0.file == file }).keepsThePresentsMix
        #expect((scenario.workload.mix == present.workload.mix) == keepsMix, "\(file): mix")
    }
}
