import Foundation
import Testing

/// Runs the built `simrun` binary (it sits beside the test bundle in the build folder) and
/// checks exit codes and messages: the contract CI scripts rely on.
@Suite struct CommandLineTests {
    static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("simrun").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("simrun")
    }

    func simrun(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try run(Self.executable, arguments)
    }

    /// Runs `executable` with its standard output and error on pipes.
    func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func runPassesAndFailsByKPI() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let good = try scratch.write("good.yaml", smallScenario)
        let pass = try simrun(["run", good, "--out", scratch.url.appendingPathComponent("good").path, "--replications", "2"])
        #expect(pass.status == 0, "\(pass.error)")
        let bad = try scratch.write("fail.yaml", smallScenario.replacingOccurrences(of: "< 30s", with: "< 1ms"))
        let fail = try simrun(["run", bad, "--out", scratch.url.appendingPathComponent("fail").path, "--replications", "2"])
        #expect(fail.status == 1)
        #expect(fail.error.contains("seed=11"))
    }

    @Test func badScenarioExitsTwoNamingFileLineAndKeyAndWritesNothing() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("typo.yaml", smallScenario.replacingOccurrences(of: "servers: 2", with: "sever: 2"))
        let folder = scratch.url.appendingPathComponent("typo").path
        let result = try simrun(["run", file, "--out", folder])
        #expect(result.status == 2)
        #expect(result.error.contains("typo.yaml:8:"))
        #expect(result.error.contains("stations[0]"))
        #expect(result.error.contains("servers"))
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try simrun(["run"]).status == 2)
        #expect(try simrun(["run", "x.yaml", "--no-such-option"]).status == 2)
        #expect(try simrun(["frobnicate"]).status == 2)
        let missing = try simrun(["run", "/nonexistent/scenario.yaml"])
        #expect(missing.status == 2)
        #expect(missing.error.contains("/nonexistent/scenario.yaml"))
    }

    @Test func verboseLogsProgressToStandardError() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("good.yaml", smallScenario)
        let quiet = try simrun(["run", file, "--out", scratch.url.appendingPathComponent("q").path])
        let verbose = try simrun(["run", file, "--out", scratch.url.appendingPathComponent("v").path, "--verbose"])
        #expect(!quiet.error.contains("running"))
        #expect(verbose.error.contains("running \(file)") && verbose.error.contains("finished"))
        #expect(quiet.output == verbose.output.replacingOccurrences(of: "/v/", with: "/q/"))
    }

    @Test func helpExitsZero() throws {
        let help = try simrun(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("run"))
    }

    @Test func validateChecksEveryFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let good = try scratch.write("good.yaml", smallScenario)
        let bad = try scratch.write("bad.yaml", smallScenario + "\nsurprise: 1\n")
        #expect(try simrun(["validate", good]).status == 0)
        let result = try simrun(["validate", good, bad])
        #expect(result.status == 2)
        #expect(result.error.contains("surprise"))
    }
}
