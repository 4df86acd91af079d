// ScenarioDefaultsTests.swift — `defaults: FILE`: a defaults file's values beneath a
// scenario's, its problems named in its own file, the shipped scenarios on the seed's present.

import Foundation
import Testing
@testable import Scenarios
import Sim
import TaskSystem

// MARK: - Fixtures

/// A folder holding one scenario file and one defaults file beside it.
private struct DefaultsFixture {
    let folder: URL

    init(defaults: String, scenario: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-defaults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("defaults"),
                                                withIntermediateDirectories: true)
        try defaults.write(to: folder.appendingPathComponent("defaults/shared.yaml"), atomically: true, encoding: .utf8)
        try scenario.write(to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
    }

    var scenarioPath: String { folder.appendingPathComponent("scenario.yaml").path }
    var defaultsPath: String { folder.appendingPathComponent("defaults/shared.yaml").path }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func taskSystem(settings: [ParameterSetting] = []) throws -> TaskSystemScenario {
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: scenarioPath, settings: settings) else {
            throw Fixture.FixtureError.wrongKind
        }
        return scenario
    }

    /// The load's errors as `file:line:column: keyPath: message`, the folder left out.
    func errors() -> [String] {
        do {
            _ = try ScenarioLoader.load(path: scenarioPath)
            return []
        } catch {
            return error.errors.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
        }
    }
}

private let sharedDefaults = """
    kind: defaults
    name: shared
    users:
      tasks_per_project: 40
      think: {distribution: exponential, mean: 3s}
      mix: {get_task: 0.5, list_tasks: 0.5}
    api:
      vcpus: 4
      cpu:
        login: {distribution: constant, value: 7ms}
    database:
      query_plan: n-plus-one
    """

/// The CPU time `configuration` gives `endpoint`.
private func cpu(_ endpoint: Endpoint, _ configuration: TaskSystemConfiguration) -> Distribution {
    configuration.api.cpuCost[Endpoint.allCases.firstIndex(of: endpoint)!]
}

// MARK: - Merging

@Suite struct ScenarioDefaultsTests {
    @Test func theScenarioReadsTheKeysItLeavesOutFromTheDefaultsFile() throws {
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: """
            kind: task-system
            name: merged
            defaults: defaults/shared.yaml
            users: {concurrent: 10, think: {distribution: constant, value: 1s}}
            api: {instances: 3}
            """)
        defer { fixture.remove() }
        let scenario = try fixture.taskSystem()
        let configuration = scenario.configuration
        // Sections merge key by key: the scenario's own keys win…
        #expect(configuration.workload.thinkTime == .constant(1))
        #expect(configuration.api.instances == 3)
        // …and the keys it leaves out come from the defaults file.
        #expect(configuration.workload.data.tasksPerProject == 40)
        #expect(configuration.workload.mix == EndpointMix([(.getTask, 0.5), (.listTasks, 0.5)]))
        #expect(configuration.api.vCPUs == 4)
        #expect(cpu(.login, configuration) == .constant(0.007))
        #expect(configuration.database.taskListPlan == .nPlusOne)
        // A whole section the scenario leaves out comes from the defaults file too.
        #expect(scenario.defaults?.name == "shared")
        #expect(scenario.defaults?.path == fixture.defaultsPath)
        #expect(scenario.defaults?.text == sharedDefaults)
    }

    @Test func aValueInsideASectionIsReplacedWhole() throws {
        // The scenario's mix names two endpoints; the defaults file's weights do not leak in.
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: """
            kind: task-system
            name: replaced
            defaults: defaults/shared.yaml
            users: {mix: {get_task: 0.25, comment: 0.75}}
            api: {cpu: {get_task: {distribution: constant, value: 2ms}}}
            """)
        defer { fixture.remove() }
        let configuration = try fixture.taskSystem().configuration
        #expect(configuration.workload.mix == EndpointMix([(.getTask, 0.25), (.comment, 0.75)]))
        // `api.cpu` is one value: the defaults file's login CPU is not merged into it.
        #expect(cpu(.getTask, configuration) == .constant(0.002))
        #expect(cpu(.login, configuration) == cpu(.login, TaskSystemConfiguration()))
    }

    @Test func aNullKeyReadsTheDefaultsFilesValue() throws {
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: """
            kind: task-system
            name: nulls
            defaults: defaults/shared.yaml
            users:
              think:
            database:
            """)
        defer { fixture.remove() }
        let configuration = try fixture.taskSystem().configuration
        #expect(configuration.workload.thinkTime == .exponential(mean: 3))
        #expect(configuration.database.taskListPlan == .nPlusOne)
    }

    @Test func aParamReplacesTheDefaultsFilesValue() throws {
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: """
            kind: task-system
            name: param
            defaults: defaults/shared.yaml
            """)
        defer { fixture.remove() }
        let setting = try ParameterSetting(parsing: "users.tasks_per_project=12")
        let configuration = try fixture.taskSystem(settings: [setting]).configuration
        #expect(configuration.workload.data.tasksPerProject == 12)
        #expect(configuration.workload.thinkTime == .exponential(mean: 3))
    }

    @Test func aScenarioWithoutDefaultsIsReadAsBefore() throws {
        let scenario = try Fixture.taskSystem("kind: task-system\nname: alone\n")
        #expect(scenario.defaults == nil)
        #expect(scenario.configuration.workload.thinkTime == TaskSystemConfiguration().workload.thinkTime)
    }

    // MARK: Problems, in the file that has them

    @Test func aProblemInTheDefaultsFileNamesThatFileLineAndKey() throws {
        let fixture = try DefaultsFixture(defaults: """
            kind: defaults
            name: broken
            users:
              tasks_per_projekt: 40
              think: {distribution: exponential, mean: -3s}
            """, scenario: """
            kind: task-system
            name: victim
            defaults: defaults/shared.yaml
            api: {instances: 0}
            """)
        defer { fixture.remove() }
        let errors = fixture.errors()
        // The scenario's own problem first, then the defaults file's, each at its line.
        #expect(errors.count == 3)
        #expect(errors.first?.hasPrefix("scenario.yaml:4:") == true && errors.first?.contains("api.instances") == true)
        #expect(errors.dropFirst().allSatisfy { $0.hasPrefix("defaults/shared.yaml:") })
        #expect(errors.contains { $0.hasPrefix("defaults/shared.yaml:4:3: users.tasks_per_projekt: unknown key 'tasks_per_projekt'; did you mean 'tasks_per_project'") })
        #expect(errors.contains { $0.hasPrefix("defaults/shared.yaml:5:") && $0.contains("users.think") })
    }

    @Test func aMissingDefaultsFileIsReportedAtTheKeyThatNamesIt() throws {
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: """
            kind: task-system
            name: missing
            defaults: defaults/elsewhere.yaml
            """)
        defer { fixture.remove() }
        // (The folder is left out of the rendered errors, so the path reads as resolved.)
        #expect(fixture.errors() == [
            "scenario.yaml:3:11: defaults: cannot use the defaults file 'defaults/elsewhere.yaml': cannot read the file: no such file",
        ])
    }

    @Test func aDefaultsFileMustBeARegularFile() throws {
        // A device (or a FIFO) could block the load or never end: refused before it is opened.
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: """
            kind: task-system
            name: device
            defaults: /dev/zero
            """)
        defer { fixture.remove() }
        #expect(fixture.errors() == [
            "scenario.yaml:3:11: defaults: cannot use the defaults file '/dev/zero': it is not a regular file",
        ])
    }

    @Test func aDefaultsFileMustSayItsKindAndNameNoOtherDefaults() throws {
        let fixture = try DefaultsFixture(defaults: """
            kind: task-system
            defaults: other.yaml
            """, scenario: """
            kind: task-system
            name: wrong-kind
            defaults: defaults/shared.yaml
            """)
        defer { fixture.remove() }
        #expect(fixture.errors() == [
            "defaults/shared.yaml:1:1: missing required key 'name'",
            "defaults/shared.yaml:1:7: kind: a scenario's defaults file says 'kind: defaults', got 'task-system'",
            "defaults/shared.yaml:2:1: defaults: a defaults file cannot name another defaults file; write its values here",
        ])
    }

    @Test func aValueTheScenarioOverridesIsStillCheckedInTheDefaultsFile() throws {
        // A defaults file is valid on its own, whichever scenario reads it.
        let fixture = try DefaultsFixture(defaults: """
            kind: defaults
            name: checked
            users: {tasks_per_project: zero}
            """, scenario: """
            kind: task-system
            name: overrides
            defaults: defaults/shared.yaml
            users: {tasks_per_project: 5}
            """)
        defer { fixture.remove() }
        let errors = fixture.errors()
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("defaults/shared.yaml:3:28: users.tasks_per_project:") == true)
    }

    @Test func aDefaultsFileIsNotAScenarioToRun() throws {
        let errors = try Fixture.errors(sharedDefaults)
        #expect(errors == ["1:7: kind: this is a defaults file, read beneath the task-system scenarios that name it "
            + "('defaults: <this file>'); validate or run one of those scenarios"])
    }

    @Test func aNetworkScenarioCannotNameDefaults() throws {
        let errors = try Fixture.errors(Fixture.minimal() + "\ndefaults: x.yaml\n")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("unknown key 'defaults'") == true)
    }

    // MARK: The composed, standalone file

    @Test func theComposedScenarioStandsAloneWithTheDefaultsMergedIn() throws {
        let scenario = """
            kind: task-system
            name: composed
            defaults: defaults/shared.yaml
            users: {concurrent: 10}
            """
        let fixture = try DefaultsFixture(defaults: sharedDefaults, scenario: scenario)
        defer { fixture.remove() }
        let composed = try ComposedScenario.yaml(of: scenario, path: fixture.scenarioPath, settings: [], header: [])
        #expect(!composed.contains("defaults"))
        // Written anywhere (no defaults file beside it), it reads as the original did.
        let alone = try Fixture.taskSystem(composed)
        #expect(alone.configuration == (try fixture.taskSystem()).configuration)
    }

    @Test func aNullDefaultsKeyNamesNoFileForTheLoaderAndTheComposerAlike() throws {
        let scenario = "kind: task-system\nname: none\ndefaults:\nusers: {concurrent: 10}\n"
        let loaded = try Fixture.taskSystem(scenario)
        #expect(loaded.defaults == nil)
        let composed = try ComposedScenario.yaml(of: scenario, path: "none.yaml", settings: [], header: [])
        #expect(try Fixture.taskSystem(composed).configuration == loaded.configuration)
    }
}
