// ParameterSettingTests.swift — `--param` parsing, the sweep grid's numbering and shards, and
// settings applied to a scenario file exactly as if the file held them.

import Foundation
import Testing
@testable import Scenarios

@Suite struct ParameterSettingTests {
    static let file = """
        kind: task-system
        name: params
        duration: 2m
        users: {registered: 200, concurrent: 20}
        api:
          instances: 2
          autoscaling: {min: 2, max: 20}
        database:
          primary: db.r5.large
        kpis:
          - "p95(api.latency) < 500ms"
        """

    func load(_ settings: [String], yaml: String = file) throws -> TaskSystemScenario {
        let parsed = try settings.map { text throws in try ParameterSetting(parsing: text) }
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(yaml: yaml, path: "p.yaml", settings: parsed) else {
            throw Fixture.FixtureError.wrongKind
        }
        return scenario
    }

    func errors(_ settings: [String]) throws -> [String] {
        do {
            _ = try load(settings)
            return []
        } catch let errors as ScenarioErrors {
            return errors.errors.map(\.description)
        }
    }

    // MARK: Parsing

    @Test func keyPathsRoundTripAndRefuseWhatIsNotOne() throws {
        for text in ["api.instances", "jobs.pools.high.workers", "kpis[0]", "a[1][2].b-c_d"] {
            #expect(try ParameterKeyPath(parsing: text).description == text)
        }
        for text in ["", "api..instances", ".api", "api.", "api[x]", "api[-1]", "api.inst ances", "api[0", "ä"] {
            #expect(throws: ParameterError.self) { try ParameterKeyPath(parsing: text) }
        }
    }

    @Test func valuesSplitAtTopLevelCommasOnly() throws {
        let parameter = try SweepParameter(parsing: "api.autoscaling={min: 2, max: 10}, {min: 4, max: 20},'a,b'")
        #expect(parameter.values == ["{min: 2, max: 10}", "{min: 4, max: 20}", "'a,b'"])
        #expect(try SweepParameter(parsing: "database.replicas=0,2,4").values == ["0", "2", "4"])
        #expect(throws: ParameterError.self) { try SweepParameter(parsing: "database.replicas") }
        #expect(throws: ParameterError.self) { try SweepParameter(parsing: "database.replicas=1,,2") }
        #expect(throws: ParameterError.self) { try SweepParameter(parsing: "database.replicas=1,1") }
        #expect(throws: ParameterError.self) { try ParameterSetting(parsing: "database.replicas=1,2") }
    }

    // MARK: The grid and its shards

    @Test func gridNumbersPointsWithTheFirstParameterSlowest() throws {
        let grid = try SweepGrid([SweepParameter(parsing: "a=1,2"), SweepParameter(parsing: "b=x,y,z")])
        #expect(grid.count == 6)
        let points = (0..<6).map { grid.settings(of: $0).map(\.description).joined(separator: " ") }
        #expect(points == ["a=1 b=x", "a=1 b=y", "a=1 b=z", "a=2 b=x", "a=2 b=y", "a=2 b=z"])
    }

    @Test func shardsPartitionTheGrid() throws {
        let grid = try SweepGrid([SweepParameter(parsing: "a=1,2,3,4,5,6,7")])
        let shards = try (0..<3).map { try grid.points(in: Shard(parsing: "\($0)/3")) }
        #expect(shards == [[0, 3, 6], [1, 4], [2, 5]])
        #expect(grid.points(in: .all) == Array(0..<7))
        for text in ["3/3", "-1/3", "0/0", "1", "a/b", "0/3/1"] {
            #expect(throws: ParameterError.self) { try Shard(parsing: text) }
        }
    }

    @Test func gridsAreBounded() throws {
        let many = try SweepParameter(parsing: "a=" + (1...1_000).map(String.init).joined(separator: ","))
        let other = try SweepParameter(parsing: "b=" + (1...1_000).map(String.init).joined(separator: ","))
        #expect(throws: ParameterError.self) { try SweepGrid([many, other]) }
        #expect(throws: ParameterError.self) { try SweepGrid([]) }
        #expect(throws: ParameterError.self) { try SweepGrid([SweepParameter(parsing: "a=1"), SweepParameter(parsing: "a=2")]) }
    }

    // MARK: Applied to the file

    @Test func settingsReplaceAndAddValues() throws {
        let plain = try load([])
        #expect(plain.configuration.api.instances == 2)
        #expect(plain.settings.isEmpty)
        let changed = try load(["api.instances=4", "database.replicas=3", "api.autoscaling.max=30", "kpis[0]=p95(api.latency) < 1s"])
        #expect(changed.configuration.api.instances == 4)
        #expect(changed.configuration.database.replicas == 3)  // the file has no such key: added
        #expect(changed.kpis.map(\.expression) == ["p95(api.latency) < 1s"])
        #expect(changed.settings.map(\.description) == ["api.instances=4", "database.replicas=3", "api.autoscaling.max=30", "kpis[0]=p95(api.latency) < 1s"])
        // A whole flow mapping replaces the file's.
        let flow = try load(["api.autoscaling={min: 4, max: 8}", "api.instances=4"])
        #expect(flow.configuration.api.instances == 4)
    }

    @Test func badValuesAreReportedLikeTheFilesOwnAndNameTheirParam() throws {
        #expect(try errors(["database.replicas=abc"]) == [
            "p.yaml: database.replicas: expected an integer, got the string \"abc\" (the value comes from --param database.replicas=abc)",
        ])
        let typo = try errors(["api.instnces=3"])
        #expect(typo.count == 1)
        #expect(typo[0].contains("unknown key 'instnces'; did you mean 'instances'?"))
        #expect(typo[0].hasSuffix("(the value comes from --param api.instnces=3)"))
        #expect(try errors(["users.concurrent.x=3"]) == [
            "p.yaml: users.concurrent: --param users.concurrent.x=3: 'users.concurrent' is not a mapping, so it has no key 'x'",
        ])
        #expect(try errors(["kpis[5]=x"]) == [
            "p.yaml: kpis: --param kpis[5]=x: 'kpis' has 1 item(s); [5] is not one of them",
        ])
        #expect(try errors(["api.instances=[1"]).first?.contains("the value is not a YAML value") == true)
    }
}
