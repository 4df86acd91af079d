// CheckCommandTests.swift — `simrun check` through the built binary: the exit codes CI relies on.

import Foundation
import Testing

@Suite struct CheckCommandTests {
    let cli = CommandLineTests()

    func scenario(_ scratch: ScratchFolder, _ name: String, extra: String = "", kpis: String) throws -> String {
        try scratch.write("\(name).yaml", """
            kind: task-system
            name: \(name)
            seed: 3
            duration: 2m
            warmup: 30s
            replications: 1
            users: {registered: 200, concurrent: 50}
            \(extra)
            kpis: \(kpis)
            """)
    }

    @Test func exitCodesZeroOneTwoThree() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let out = scratch.url.appendingPathComponent("out").path
        let good = try scenario(scratch, "good", kpis: "[\"p95(api.latency) < 2s\"]")

        let pass = try cli.simrun(["check", good, "--out", out])
        #expect(pass.status == 0, "\(pass.error)")
        #expect(pass.output.contains("pass  p95(api.latency) < 2s  value "))
        #expect(pass.output.contains(" ms, threshold < 2 s, margin +"))

        let fail = try cli.simrun(["check", good, "--kpi", "p95(api.latency) < 1us", "--out", out])
        #expect(fail.status == 1)
        #expect(fail.output.contains("FAIL  p95(api.latency) < 1us"))
        #expect(fail.error.contains("replay: simrun run \(good) --seed 3 --replications 1"))

        let junit = scratch.url.appendingPathComponent("bad.xml").path
        let bad = try cli.simrun(["check", good, "--kpi", "p95(api.latncy) < 1s", "--junit", junit, "--out", out + "-bad"])
        #expect(bad.status == 2)
        #expect(bad.error.contains("did you mean 'api.latency'?"))
        #expect(!FileManager.default.fileExists(atPath: junit) && !FileManager.default.fileExists(atPath: out + "-bad"))

        // No replica reads the writer's own write in time: the read-your-writes invariant breaks.
        let broken = try scenario(scratch, "broken", extra: """
            api: {consistency_window: 0s}
            database: {replicas: 1, replication_lag: {distribution: constant, value: 2}}
            """, kpis: "[]")
        let invariant = try cli.simrun(["check", good, broken, "--out", out])
        #expect(invariant.status == 3)
        #expect(invariant.error.contains("invariant broken in \(broken): read-your-writes"))
    }

    @Test func compareExitCodesAndOutput() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let good = try scenario(scratch, "good", kpis: "[\"p95(api.latency) < 2s\"]")
        let a = scratch.url.appendingPathComponent("a").path, b = scratch.url.appendingPathComponent("b").path
        #expect(try cli.simrun(["run", good, "--replications", "3", "--out", a]).status == 0)
        #expect(try cli.simrun(["run", good, "--replications", "3", "--seed", "4", "--out", b]).status == 0)

        let missing = try cli.simrun(["compare", a, scratch.url.appendingPathComponent("none").path])
        #expect(missing.status == 2 && missing.error.contains("cannot read a run's summary.json"))
        let overRun = try cli.simrun(["compare", a, b, "--out", a])
        #expect(overRun.status == 2 && overRun.error.contains("would replace the run folder"))
        #expect(FileManager.default.fileExists(atPath: a + "/summary.json"))

        let out = scratch.url.appendingPathComponent("cmp").path
        let compared = try cli.simrun(["compare", a, b, "--out", out])
        #expect(compared.status == 0, "\(compared.error)")
        #expect(compared.output.contains("p95(api.latency) < 2s [pass → pass]"))
        #expect(compared.output.contains("figures differ significantly"))
        #expect(FileManager.default.fileExists(atPath: out + "/compare.md"))
    }
}
