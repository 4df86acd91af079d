// MemoryLimitTests.swift — `simrun run` refuses, before running, a scenario estimated to need
// more memory than the limit, naming the keys that drive the estimate.

import Foundation
import Testing
@testable import Reports
import Scenarios

// MARK: - The memory limit

@Suite struct MemoryLimitTests {
    /// Writes `yaml` to a fresh temporary file.
    static func write(_ yaml: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("simrun-memory-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let large = """
        kind: task-system
        name: large
        duration: 10m
        users: {registered: 1000000, concurrent: 100000000}
        """

    @Test func aScenarioOverTheLimitIsRefusedBeforeRunningNamingItsKeys() throws {
        let path = try Self.write(Self.large)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = ScenarioRun(path: path, outputFolder: "/nonexistent/never-written", threads: 1,
                              maxMemory: 4 << 30)
        #expect {
            _ = try run.load()
        } throws: { error in
            let text = (error as? ScenarioRun.UsageError)?.description ?? ""
            return text.hasPrefix("\(path): the run would need about 1.41 TiB: users.concurrent / load 100 %")
                && text.contains("exceeds --max-memory (4.00 GiB)")
        }
    }

    @Test func theDefaultLimitIsPhysicalMemory() throws {
        let path = try Self.write(Self.large)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try ScenarioRun(path: path, threads: 1).load()
        } throws: { error in
            (error as? ScenarioRun.UsageError)?.description.contains("this machine's physical memory") == true
        }
    }

    @Test func aShippedScenarioFitsUnderItsLimit() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scenarios/growth-1k-to-100k.yaml").standardizedFileURL.path
        _ = try ScenarioRun(path: path, threads: 2, maxMemory: 8 << 30).load()
    }
}
