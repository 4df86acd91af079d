// SweepTests.swift — `simrun sweep` and `simrun merge` through the library: shards merged equal
// the whole sweep byte for byte, a point replays exactly, merge refuses what is not one sweep.

import Foundation
import Testing
@testable import Reports
import Scenarios

/// A task system small enough to run a grid of it in a test (about a second a point in debug).
let sweepScenario = """
    # Question: which of these small configurations is the cheapest that holds its KPI?
    kind: task-system
    name: sweep-small
    seed: 3
    duration: 1m
    warmup: 10s
    replications: 1
    users: {registered: 100, concurrent: 15, think: {distribution: exponential, mean: 2s}}
    api: {instances: 2, vcpus: 1, autoscaling: {min: 2, max: 4}}
    database: {primary: db.r5.large}
    kpis:
      - "p95(api.latency) < 500ms"
    """

@Suite(.serialized) struct SweepTests {
    let parameters = ["database.replicas=0,1", "api.vcpus=1,2"]

    func grid() throws -> SweepGrid {
        try SweepGrid(parameters.map { try SweepParameter(parsing: $0) })
    }

    /// Runs the sweep (or one shard) of `file` into `folder`.
    func sweep(_ file: String, into folder: String, shard: Shard = .all, threads: Int = 2) async throws -> SweepResult {
        let run = SweepRun(path: file, grid: try grid(), shard: shard, outputFolder: folder, threads: threads)
        let prepared = try run.prepare()
        return try await run.execute(prepared.scenario, prepared.points, into: prepared.folder)
    }

    func contents(_ folder: String, _ name: String) throws -> String {
        try String(contentsOfFile: URL(fileURLWithPath: folder).appendingPathComponent(name).path, encoding: .utf8)
    }

    @Test func shardsMergedEqualTheWholeSweepByteForByte() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("sweep.yaml", sweepScenario)
        let whole = scratch.url.appendingPathComponent("whole").path
        let result = try await sweep(file, into: whole, threads: 2)
        #expect(result.points.map(\.index) == [0, 1, 2, 3])
        #expect(result.shard == nil)
        // Shards of three over four points: 0 and 3, 1, 2; run with one thread each.
        var shards: [(folder: String, result: SweepResult)] = []
        for index in [2, 0, 1] {
            let folder = scratch.url.appendingPathComponent("shard-\(index)").path
            let shard = try Shard(parsing: "\(index)/3")
            _ = try await sweep(file, into: folder, shard: shard, threads: 1)
            #expect(try contents(folder, "sweep.json").contains("\"shard\": \"\(index)/3\""))
            shards.append((folder, try SweepResult(folder: folder)))
        }
        let merged = try SweepResult.merging(shards)
        #expect(merged.json.serialized() == (try contents(whole, "sweep.json")))
        #expect(merged.markdown == (try contents(whole, "sweep.md")))
        // sweep.sqlite of the merge, written as `simrun merge` writes it, is the whole sweep's file.
        let mergedFolder = scratch.url.appendingPathComponent("merged").path
        let folder = try OutputFolder(userPath: mergedFolder)
        try folder.preflight()
        try folder.write(files: merged.outputFiles)
        let database = { (folder: String) in try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent("sweep.sqlite")) }
        #expect(try database(mergedFolder) == (try database(whole)))
        // Its rows are sweep.json's: four points, two parameters each, the KPI and key metrics.
        let connection = try SQLiteConnection(path: URL(fileURLWithPath: whole).appendingPathComponent("sweep.sqlite").path)
        #expect(try connection.query("SELECT count(*) FROM point") == [[.integer(4)]])
        #expect(try connection.query("SELECT value FROM point_parameter WHERE point = 3 ORDER BY key")
                == [[.text("2")], [.text("1")]])  // api.vcpus, database.replicas
        #expect(try connection.query("SELECT points_total, shard FROM sweep") == [[.integer(4), .null]])
        for point in result.points {
            let p95 = point.json.member("metrics")?.member("api.latency.p95")?.member("mean")?.number
            #expect(try connection.query("SELECT mean FROM point_metric WHERE point = ?1 AND key = 'api.latency.p95'",
                                         [.integer(Int64(point.index))]) == [[.finite(p95)]])
            let passed: Int64 = point.json.member("passed")?.bool == true ? 1 : 0
            #expect(try connection.query("SELECT passed FROM point_kpi WHERE point = ?1", [.integer(Int64(point.index))])
                    == [[.integer(passed)]])
        }
    }

    @Test func everyPointReplaysWithItsCommand() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("sweep.yaml", sweepScenario)
        let result = try await sweep(file, into: scratch.url.appendingPathComponent("whole").path)
        let point = try #require(result.points.first { $0.index == 3 })
        let replay = try #require(point.json.member("replay")?.text)
        #expect(replay == "simrun run \(file) --param database.replicas=1 --param api.vcpus=2 --seed 3 --replications 1")
        // The replay's settings give the same run: the same figures as the point's.
        let settings = try [ParameterSetting(parsing: "database.replicas=1"), ParameterSetting(parsing: "api.vcpus=2")]
        let run = ScenarioRun(path: file, overrides: .init(settings: settings),
                              outputFolder: scratch.url.appendingPathComponent("replay").path, threads: 1)
        let outcome = try await run.execute()
        let metrics = try #require(point.json.member("metrics"))
        guard case .object(let figures) = metrics else { Issue.record("no metrics"); return }
        #expect(figures.count >= 5)
        for (key, figure) in figures {
            #expect(outcome.report.summaryJSON.value(at: "metrics")?.member(key) == figure, "\(key)")
        }
        #expect(point.json.member("passed")?.bool == outcome.report.passed)
    }

    @Test func theCheapestPassingPointIsNamed() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("sweep.yaml", sweepScenario)
        let result = try await sweep(file, into: scratch.url.appendingPathComponent("whole").path)
        // Replicas and vCPUs both cost money; at this load every point passes, so the cheapest is
        // point 0 (no replica, one vCPU), and its cost is the smallest of the four.
        let costs = result.points.map { $0.json.member("metrics")?.member("cost.total")?.member("mean")?.number ?? .nan }
        #expect(!costs.contains { !$0.isFinite })
        #expect(costs[0] == costs.min())
        #expect(result.failedPoints == 0)
        #expect(result.exitCode == 0)
        #expect(result.markdown.contains("Cheapest passing: point 0 (`database.replicas` = 0, `api.vcpus` = 1)"))
    }

    @Test func mergeRefusesWhatIsNotEveryShardOfOneSweep() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("sweep.yaml", sweepScenario)
        let first = scratch.url.appendingPathComponent("s0").path
        _ = try await sweep(file, into: first, shard: try Shard(parsing: "0/2"), threads: 1)
        let shard0 = try SweepResult(folder: first)
        // One shard of two: points 1 and 3 missing.
        #expect(throws: SweepResult.InputError.self) { try SweepResult.merging([(first, shard0)]) }
        do {
            _ = try SweepResult.merging([(first, shard0)])
        } catch {
            #expect(error.description == "2 of 4 point(s) missing (1, 3): merge the folders of every shard")
        }
        // Another sweep (other values) is not a shard of this one.
        let other = scratch.url.appendingPathComponent("other").path
        let otherRun = SweepRun(path: file, grid: try SweepGrid([SweepParameter(parsing: "database.replicas=0,2"),
                                                                  SweepParameter(parsing: "api.vcpus=1,2")]),
                                shard: try Shard(parsing: "1/2"), outputFolder: other, threads: 1)
        let prepared = try otherRun.prepare()
        _ = try await otherRun.execute(prepared.scenario, prepared.points, into: prepared.folder)
        #expect(throws: SweepResult.InputError.self) { try SweepResult.merging([(first, shard0), (other, try SweepResult(folder: other))]) }
        // A point that differs between two copies of it.
        var tampered = shard0
        tampered.points[0].json = .object([("index", .int(0)), ("passed", .bool(false))])
        #expect(throws: SweepResult.InputError.self) { try SweepResult.merging([(first, shard0), ("tampered", tampered)]) }
        // Not a sweep folder at all.
        #expect(throws: SweepResult.InputError.self) { try SweepResult(folder: scratch.url.path) }
    }
}
