// SwarmFuzzTests.swift — `simrun fuzz` end to end through the library: a planted bug (a read
// router ignoring the consistency window) is found, shrunk and replayed byte for byte; a healthy
// scenario fuzzes clean; fuzz.json does not depend on the thread count.

import Foundation
import Testing
@testable import Reports
import Scenarios
import TaskSystem

/// A task system small enough to fuzz in a test: one simulated minute, writers re-reading
/// their tasks every second or so, no replicas (the fuzzer adds them).
let fuzzScenario = """
    # Question: does every invariant hold under random faults and parameters?
    kind: task-system
    name: fuzz-small
    seed: 5
    duration: 1m
    warmup: 10s
    replications: 1
    users: {registered: 100, concurrent: 20, think: {distribution: exponential, mean: 1s}}
    api: {instances: 2, vcpus: 1, autoscaling: {min: 2, max: 4}}
    database: {primary: db.r5.large, replicas: 0}
    kpis:
      - "p95(api.latency) < 500ms"
    """

@Suite(.serialized) struct SwarmFuzzTests {
    static let readYourWrites = "read-your-writes inside the consistency window"

    func fuzz(_ file: String, runs: Int, into folder: String?, threads: Int, shrinkAttempts: Int = 4,
              hooks: TaskSystemTestHooks? = nil) async throws -> FuzzResult {
        var overrides = ScenarioRun.Overrides()
        overrides.taskSystemTestHooks = hooks
        let run = FuzzRun(path: file, runs: runs, outputFolder: folder, threads: threads,
                          shrinkAttempts: shrinkAttempts, overrides: overrides)
        return try await run.execute(try run.prepare())
    }

    @Test func findsThePlantedReadRouterBugAndItsSeedReplaysByteForByte() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("fuzz-small.yaml", fuzzScenario)
        let out = scratch.url.appendingPathComponent("out").path
        let hooks = TaskSystemTestHooks(readRouterIgnoresConsistencyWindow: true)
        let result = try await fuzz(file, runs: 6, into: out, threads: 2, hooks: hooks)

        #expect(result.exitCode == 3)
        let failure = try #require(result.failures.first)
        #expect(failure.original.brokenInvariants == [Self.readYourWrites])
        // Only runs the fuzzer gave replicas can break it: the scenario has none.
        for failure in result.failures {
            let replicas = failure.original.fuzzCase.parameters.first { $0.keyPath == "database.replicas" }
            #expect(replicas != nil && replicas?.value != "0")
        }
        // The replay command's run — the file, --seed, --param…, one replication — gives the same
        // summary.json, byte for byte, as the fuzz run that failed.
        let seed = failure.original.fuzzCase.seed
        #expect(failure.original.report.replayCommand.contains("--seed \(seed) --replications 1"))
        var replay = ScenarioRun(path: file, overrides: .init(seed: seed, replications: 1,
                                                               settings: try failure.original.fuzzCase.settings()),
                                 outputFolder: scratch.url.appendingPathComponent("replay").path, threads: 1)
        replay.overrides.taskSystemTestHooks = hooks
        let replayed = try await replay.execute()
        #expect(replayed.exitCode == 3)
        let written = try String(contentsOfFile: out + "/fuzz-\(seed).summary.json", encoding: .utf8)
        let again = try String(contentsOf: replayed.folder.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(written == again)
        #expect(written == failure.original.report.summaryJSON.serialized())

        // The smallest plan still breaks it, needs no fault at all (the bug is the router's, not
        // a crash's), keeps the replicas the bug needs, and holds no more parameters than the run.
        let smallest = failure.smallest
        #expect(smallest.brokenInvariants == [Self.readYourWrites])
        #expect(!failure.original.fuzzCase.faults.isEmpty && smallest.fuzzCase.faults.isEmpty)
        #expect(smallest.fuzzCase.parameters.count <= failure.original.fuzzCase.parameters.count)
        #expect(smallest.fuzzCase.parameters.contains { $0.keyPath == "database.replicas" && $0.value != "0" })
        #expect(failure.attempts <= 4)

        // fuzz.json names the seed and its replay; the composed scenario file replays the same run.
        let json = try JSONValue(parsing: String(contentsOfFile: out + "/fuzz.json", encoding: .utf8))
        let listed = try #require(json.member("failures")?.array?.first)
        #expect(listed.member("seed") == .string(String(seed)))
        #expect(listed.member("replay") == .string(failure.original.report.replayCommand))
        #expect(json.member("failed_runs") == .int(result.failures.count))
        let composedText = try String(contentsOfFile: out + "/fuzz-\(seed).yaml", encoding: .utf8)
        #expect(composedText.hasPrefix("# Written by simrun fuzz"))
        #expect(composedText.contains("# Question: does every invariant hold under random faults and parameters?\n"))
        var fromFile = ScenarioRun(path: out + "/fuzz-\(seed).yaml", overrides: .init(seed: seed, replications: 1),
                                   outputFolder: scratch.url.appendingPathComponent("from-file").path, threads: 1)
        fromFile.overrides.taskSystemTestHooks = hooks
        let composed = try await fromFile.execute()
        // The same violations; only the replay command inside each description names the file run.
        func withoutReplay(_ descriptions: [String]) -> [String] {
            descriptions.map { $0.components(separatedBy: "; replay: ").first ?? $0 }
        }
        #expect(withoutReplay(composed.report.brokenInvariants) == withoutReplay(failure.original.report.brokenInvariants))
        #expect(composed.report.brokenInvariants.allSatisfy { $0.contains("replay: simrun run \(out)/fuzz-\(seed).yaml --seed \(seed)") })
        #expect(composed.report.summaryJSON.value(at: "metrics") == failure.original.report.summaryJSON.value(at: "metrics"))

        // Without the planted bug the same seed holds every invariant.
        let healthy = ScenarioRun(path: file, overrides: .init(seed: seed, replications: 1,
                                                                settings: try failure.original.fuzzCase.settings()),
                                  outputFolder: scratch.url.appendingPathComponent("healthy").path, threads: 1)
        #expect(try await healthy.execute().exitCode != 3)
    }

    @Test func aHealthyScenarioFuzzesCleanWithTheSameBytesOnAnyThreadCount() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("fuzz-small.yaml", fuzzScenario)
        let one = scratch.url.appendingPathComponent("one").path
        let three = scratch.url.appendingPathComponent("three").path
        let result = try await fuzz(file, runs: 6, into: one, threads: 1)
        #expect(result.exitCode == 0)
        #expect(result.failures.isEmpty)
        // The runs were not all alike: faults and replicas were drawn, and invariants checked.
        let cases = result.outcomes.map(\.fuzzCase)
        #expect(cases.contains { $0.faults.contains { $0.kind == "instance-crash" } })
        #expect(cases.contains { $0.parameters.contains { $0.keyPath == "database.replicas" && $0.value != "0" } })
        #expect(Set(cases.map(\.seed)).count == 6)
        for outcome in result.outcomes {
            guard case .taskSystem(let report) = outcome.report else { Issue.record("not a task-system run"); continue }
            #expect(report.invariants.contains { $0.name == Self.readYourWrites && $0.checks > 0 })
        }
        _ = try await fuzz(file, runs: 6, into: three, threads: 3)
        let bytesOne = try Data(contentsOf: URL(fileURLWithPath: one + "/fuzz.json"))
        let bytesThree = try Data(contentsOf: URL(fileURLWithPath: three + "/fuzz.json"))
        #expect(bytesOne == bytesThree)
        #expect(try FileManager.default.contentsOfDirectory(atPath: one).sorted() == [".simrun-run", "fuzz.json"])
    }

    @Test func refusesAFolderItDidNotWriteBeforeRunningAnything() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("fuzz-small.yaml", fuzzScenario)
        _ = try scratch.write("notes.txt", "mine")
        let run = FuzzRun(path: file, runs: 2, outputFolder: scratch.url.path, threads: 1)
        #expect(throws: OutputFolderError.self) { try run.prepare() }
        #expect(throws: ScenarioRun.UsageError.self) { try FuzzRun(path: file, runs: 0, threads: 1).prepare() }
    }
}
