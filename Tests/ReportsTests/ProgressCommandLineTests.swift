// ProgressCommandLineTests.swift — the built simrun's live line, --quiet and --verbose, end to
// end: no line through a pipe, a line on a terminal (a pseudo-terminal from util-linux `script`).

import Foundation
import Testing

/// The short scenario with KPIs it meets (exit 0).
let passingShortScenario = twoMinuteTaskSystemScenario.replacingOccurrences(of: ">= 0.99", with: ">= 0.01")

@Suite struct ProgressCommandLineTests {
    let cli = CommandLineTests()

    @Test func aPipeGetsNoProgressLine() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("short.yaml", passingShortScenario)
        let plain = try cli.simrun(["run", file, "--out", scratch.url.appendingPathComponent("plain").path])
        #expect(plain.status == 0, "\(plain.error)")
        #expect(plain.output.hasPrefix("short-task-system: seed=5"))
        #expect(!plain.error.contains("replications done") && !plain.error.contains("\r") && !plain.output.contains("\r"))

        let verbose = try cli.simrun(["run", file, "--verbose", "--out", scratch.url.appendingPathComponent("verbose").path])
        #expect(verbose.status == 0)
        #expect(verbose.error.contains("replication 1/2 finished") && verbose.error.contains("replication 2/2 finished"))
        #expect(!verbose.error.contains("\r"))

        let quiet = try cli.simrun(["run", file, "--quiet", "--out", scratch.url.appendingPathComponent("quiet").path])
        #expect(quiet.status == 0 && quiet.output.isEmpty && quiet.error.isEmpty)
        let failing = try scratch.write("failing.yaml", passingShortScenario.replacingOccurrences(of: "< 500ms", with: "< 1ms"))
        let quietFailure = try cli.simrun(["check", failing, "--quiet", "--out", scratch.url.appendingPathComponent("checks").path])
        #expect(quietFailure.status == 1 && quietFailure.output.isEmpty)
        #expect(quietFailure.error.contains("p95(api.latency) < 1ms"), "a failed KPI still reaches standard error")

        let both = try cli.simrun(["run", file, "--quiet", "--verbose"])
        #expect(both.status == 2 && both.error.contains("--quiet and --verbose exclude each other"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aTerminalGetsOneLiveLineErasedBeforeTheResults() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("short.yaml", passingShortScenario)
        let folder = scratch.url.appendingPathComponent("tty").path
        let command = [CommandLineTests.executable.path, "run", file, "--out", folder].joined(separator: " ")
        let result = try cli.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\rshort-task-system: ") && result.output.contains("replications done"))
        // Erased before the results: the summary line starts on a clean line.
        #expect(result.output.contains("\r\u{1B}[Kshort-task-system: seed=5"))
    }
}
