import Foundation
import Testing
@testable import Reports
import Scenarios
import Sim

/// A scratch folder per test, removed at the end.
struct ScratchFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ contents: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(contents.utf8).write(to: file)
        return file.path
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

let smallScenario = """
    kind: network
    name: small
    seed: 11
    duration: 2000
    warmup: 100
    replications: 4
    stations:
      - {name: api, servers: 2, service: {distribution: exponential, mean: 0.5}}
      - {name: db, servers: 1, service: {distribution: constant, value: 0.2}}
    routes:
      api: {db: 0.5}
    arrivals:
      - {class: web, station: api, interarrival: {distribution: exponential, mean: 0.5}}
    populations:
      - {class: users, size: 5, think: {distribution: exponential, mean: 4}, station: api}
    kpis:
      - "p95(api.response) < 30s"
      - "api.utilization < 0.99"
    """

@Suite struct ScenarioRunTests {
    @Test func summaryIsByteIdenticalForAnyNumberOfThreads() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("small.yaml", smallScenario)
        var outputs: [String] = []
        for threads in [1, 2, 4] {
            let folder = scratch.url.appendingPathComponent("out-\(threads)").path
            let outcome = try await ScenarioRun(path: file, outputFolder: folder, threads: threads).execute()
            #expect(outcome.exitCode == 0)
            outputs.append(try String(contentsOfFile: folder + "/summary.json", encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        #expect(outputs[0].contains("\"p95_response\""))
        #expect(!outputs[0].contains("wall"))
    }

    @Test func summaryHasTheDocumentedShape() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("small.yaml", smallScenario)
        let outcome = try await ScenarioRun(path: file, outputFolder: scratch.url.appendingPathComponent("o").path,
                                            threads: 2).execute()
        let json = outcome.report.summaryJSON
        for station in ["api", "db"] {
            for statistic in ["throughput", "utilization", "wait", "response", "queue_length", "p95_response"] {
                #expect(json.value(at: "stations.\(station).\(statistic).mean") != nil, "\(station).\(statistic)")
                #expect(json.value(at: "stations.\(station).\(statistic).ci95") != nil)
            }
        }
        for group in ["web", "users"] {
            #expect(json.value(at: "classes.\(group).throughput.mean") != nil)
            #expect(json.value(at: "classes.\(group).response.mean") != nil)
        }
        #expect(json.value(at: "seed") == .int(11))
        #expect(json.value(at: "replications") == .int(4))
        #expect(json.value(at: "simulated_seconds") == .number(2000))
        guard case .array(let kpis)? = json.value(at: "kpis") else {
            Issue.record("kpis is not an array")
            return
        }
        #expect(kpis.count == 2)
        #expect(kpis[0].value(at: "expr") == .string("p95(api.response) < 30s"))
        #expect(kpis[0].value(at: "passed") == .bool(true))
    }

    @Test func failingKPIGivesExitCodeOneAndStillWritesTheReport() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let strict = smallScenario.replacingOccurrences(of: "p95(api.response) < 30s", with: "p95(api.response) < 1ms")
        let file = try scratch.write("strict.yaml", strict)
        let folder = scratch.url.appendingPathComponent("strict").path
        let outcome = try await ScenarioRun(path: file, outputFolder: folder, threads: 2).execute()
        #expect(outcome.exitCode == 1)
        #expect(outcome.report.verdicts.map(\.passed) == [false, true])
        #expect(FileManager.default.fileExists(atPath: folder + "/report.md"))
    }

    @Test func overridesReplaceSeedAndReplications() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("small.yaml", smallScenario)
        let run = ScenarioRun(path: file, overrides: .init(seed: 99, replications: 2), threads: 1)
        guard case .network(let scenario) = try run.load() else {
            Issue.record("expected a network scenario")
            return
        }
        #expect(scenario.spec.seed == 99 && scenario.spec.replications == 2)
        #expect(throws: ScenarioRun.UsageError.self) {
            try ScenarioRun(path: file, overrides: .init(replications: 0), threads: 1).load()
        }
    }

    @Test func badInputWritesNothing() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("bad.yaml", smallScenario.replacingOccurrences(of: "servers: 2", with: "servers: 0"))
        let folder = scratch.url.appendingPathComponent("never").path
        await #expect(throws: ScenarioErrors.self) {
            try await ScenarioRun(path: file, outputFolder: folder, threads: 1).execute()
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func outputFolderIsReplacedWhole() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let folder = scratch.url.appendingPathComponent("report")
        try OutputFolder.write([("a.txt", "one"), ("stale.txt", "old")], to: folder)
        try OutputFolder.write([("a.txt", "two")], to: folder)
        #expect(try String(contentsOf: folder.appendingPathComponent("a.txt"), encoding: .utf8) == "two")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("stale.txt").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }
}
