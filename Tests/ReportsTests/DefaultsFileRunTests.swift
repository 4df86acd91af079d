// DefaultsFileRunTests.swift — a scenario reading a defaults file, end to end: the run is the
// run of the same values written inline (byte-identical summary.json), and report.html names
// and reproduces the defaults file.

import Foundation
import Testing
@testable import Reports
import Scenarios

@Suite struct DefaultsFileRunTests {
    /// Values a defaults file shares (a small present: N+1 lists, its own mix and think time).
    static let defaults = """
        # a small present <for tests>
        kind: defaults
        name: small-present
        users:
          tasks_per_project: 30
          think: {distribution: exponential, mean: 1.5s}
          mix: {get_task: 0.6, list_tasks: 0.3, update_task: 0.1}
        api:
          cpu:
            get_task: {distribution: exponential, mean: 6ms}
            list_tasks: {distribution: exponential, mean: 12ms}
        database:
          query_plan: n-plus-one
        """

    /// The scenario's own keys; `users` merges key by key with the defaults file's.
    static let scenarioHead = """
        kind: task-system
        name: defaults-run
        seed: 9
        duration: 2m
        warmup: 30s
        replications: 2
        """

    static let withDefaults = scenarioHead + """

        defaults: shared/present.yaml
        users: {registered: 300, concurrent: 30}
        api: {instances: 2}
        """

    /// The same scenario with the defaults file's values written out.
    static let inline = scenarioHead + """

        users:
          registered: 300
          concurrent: 30
          tasks_per_project: 30
          think: {distribution: exponential, mean: 1.5s}
          mix: {get_task: 0.6, list_tasks: 0.3, update_task: 0.1}
        api:
          instances: 2
          cpu:
            get_task: {distribution: exponential, mean: 6ms}
            list_tasks: {distribution: exponential, mean: 12ms}
        database:
          query_plan: n-plus-one
        """

    @Test func aScenarioWithDefaultsRunsAsTheSameValuesWrittenInline() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("shared"), withIntermediateDirectories: true)
        _ = try scratch.write("shared/present.yaml", Self.defaults)
        let merged = try await ScenarioRun(path: scratch.write("merged.yaml", Self.withDefaults),
                                           outputFolder: scratch.url.appendingPathComponent("merged-out").path, threads: 2).execute()
        let written = try await ScenarioRun(path: scratch.write("inline.yaml", Self.inline),
                                            outputFolder: scratch.url.appendingPathComponent("inline-out").path, threads: 1).execute()
        let summary = { (outcome: ScenarioRun.Outcome) throws -> Data in
            try Data(contentsOf: outcome.folder.appendingPathComponent("summary.json"))
        }
        // The same configuration, so the same run, byte for byte (and with another thread count).
        #expect(try summary(merged) == summary(written))

        let html = try String(contentsOf: merged.folder.appendingPathComponent("report.html"), encoding: .utf8)
        let path = scratch.url.appendingPathComponent("shared/present.yaml").path
        #expect(html.contains("<tr><th>defaults file</th><td>\(path) (small-present)</td></tr>"))
        #expect(html.contains("The scenario file and the defaults file it names are reproduced at the end of this page."))
        #expect(html.contains("<pre class=\"scenario\"># a small present &lt;for tests&gt;\nkind: defaults\n"))
        expectSelfContained(html)
        let plain = try String(contentsOf: written.folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!plain.contains("defaults file"))
        let markdown = try String(contentsOf: merged.folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("Scenario `\(scratch.url.appendingPathComponent("merged.yaml").path)` (with the defaults file `\(path)`), seed 9,"))
    }
}
