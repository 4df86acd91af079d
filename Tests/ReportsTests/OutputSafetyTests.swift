import Foundation
@testable import Reports
import Testing

/// simrun deletes or replaces only what it wrote: every `--out` case of issue 7, through the
/// built binary, with the victim files checked byte for byte afterwards.
@Suite struct OutputSafetyTests {
    // MARK: Helpers

    /// Runs the built `simrun` in `folder`; returns its exit status and standard error.
    func simrun(_ arguments: [String], in folder: URL) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let bytes = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }

    /// Every file under `folder` (relative path → bytes), hidden ones included.
    func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: folder.path) else { return files }
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            if manager.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                files[relative] = manager.contents(atPath: path)
            } else {
                files[relative + "/"] = Data()
            }
        }
        return files
    }

    /// A scratch folder holding a quick scenario and a user's files that must survive.
    func workspace() throws -> (ScratchFolder, String) {
        let scratch = try ScratchFolder()
        let scenario = try scratch.write("small.yaml", smallScenario.replacingOccurrences(of: "replications: 4", with: "replications: 1"))
        _ = try scratch.write("notes.txt", "my notes\n")
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("mine/sub"), withIntermediateDirectories: true)
        _ = try scratch.write("mine/a.txt", "a\n")
        _ = try scratch.write("mine/sub/b.bin", "\u{0}\u{1}binary")
        return (scratch, scenario)
    }

    // MARK: Refusals: nothing touched, exit 2, a message naming --out

    @Test(arguments: [
        ("notes.txt", "--out 'notes.txt' is an existing file, not a folder"),
        ("mine", "--out 'mine' is a folder simrun did not write (it has no .simrun-run marker) and is not empty"),
        ("mine/sub", "--out 'mine/sub' is a folder simrun did not write"),
        (".", "--out '.' is the current folder or contains it"),
        ("..", "--out '..' is the current folder or contains it"),
        ("", "--out must name a folder, got an empty path"),
        ("notes.txt/x", "--out 'notes.txt/x': a part of the path is a file, not a folder"),
        ("/proc/x", "--out '/proc/x' cannot be written: cannot create a folder in '/proc'"),
    ])
    func refusedOutLeavesEverythingAsItWas(out: String, message: String) throws {
        let (scratch, scenario) = try workspace()
        defer { scratch.remove() }
        let before = try snapshot(scratch.url)
        let result = try simrun(["run", scenario, "--out", out], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(!result.error.contains("NSCocoaErrorDomain") && !result.error.contains(".partial"))
        #expect(try snapshot(scratch.url) == before)
    }

    @Test func unwritableOutFailsBeforeTheRun() throws {
        // A scenario that would take minutes: the refusal must come at once.
        let (scratch, _) = try workspace()
        defer { scratch.remove() }
        let slow = try scratch.write("slow.yaml", smallScenario.replacingOccurrences(of: "duration: 2000", with: "duration: 20000000"))
        let started = Date()
        let result = try simrun(["run", slow, "--out", "/proc/x"], in: scratch.url)
        #expect(result.status == 2)
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test(arguments: ["../scenarios", "", ".hidden", "a/b", "x y"])
    func scenarioNameCannotNameAnotherFolder(name: String) throws {
        let (scratch, _) = try workspace()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("reports/kept"), withIntermediateDirectories: true)
        _ = try scratch.write("reports/kept/summary.json", "{}\n")
        let file = try scratch.write("named.yaml", smallScenario.replacingOccurrences(of: "name: small", with: "name: \"\(name)\""))
        let before = try snapshot(scratch.url)
        let result = try simrun(["run", file], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.error.contains("named.yaml:2:") && result.error.contains("name"), "\(result.error)")
        #expect(try snapshot(scratch.url) == before)
    }

    // MARK: What simrun may replace

    @Test func aFolderSimrunWroteIsReplacedWholeAndAnEmptyFolderIsUsed() throws {
        let (scratch, scenario) = try workspace()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect(try simrun(["run", scenario, "--out", "empty"], in: scratch.url).status == 0)
        let marker = try String(contentsOf: scratch.url.appendingPathComponent("empty/.simrun-run"), encoding: .utf8)
        #expect(marker.contains("format 1\nsummary.json\nreport.md\n"))
        let first = try snapshot(scratch.url.appendingPathComponent("empty"))
        #expect(try simrun(["run", scenario, "--out", "empty", "--seed", "5"], in: scratch.url).status == 0)
        let second = try snapshot(scratch.url.appendingPathComponent("empty"))
        #expect(Set(second.keys) == ["summary.json", "report.md", "results.sqlite", ".simrun-run"])
        #expect(second["summary.json"] != first["summary.json"])
        let hidden = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "leftovers: \(hidden)")
    }

    @Test func aFolderSimrunWroteIsRefusedOnceItHoldsAUsersFile() throws {
        let (scratch, scenario) = try workspace()
        defer { scratch.remove() }
        #expect(try simrun(["run", scenario, "--out", "run"], in: scratch.url).status == 0)
        _ = try scratch.write("run/analysis.txt", "mine\n")
        let before = try snapshot(scratch.url)
        let result = try simrun(["run", scenario, "--out", "run"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.error.contains("--out 'run' holds 'analysis.txt', which simrun did not write"), "\(result.error)")
        #expect(try snapshot(scratch.url) == before)
    }

    @Test func sigtermDuringARunLeavesTheEarlierReportIntact() throws {
        let (scratch, scenario) = try workspace()
        defer { scratch.remove() }
        #expect(try simrun(["run", scenario, "--out", "run"], in: scratch.url).status == 0)
        let before = try snapshot(scratch.url)
        let slow = try scratch.write("slow.yaml", smallScenario.replacingOccurrences(of: "duration: 2000", with: "duration: 20000000"))
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["run", slow, "--out", "run"]
        process.currentDirectoryURL = scratch.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        var after = try snapshot(scratch.url)
        after["slow.yaml"] = nil
        #expect(after == before)
    }

    // MARK: The library's own checks

    @Test func writeRefusesWhatPreflightRefuses() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        _ = try scratch.write("file", "x")
        let folder = try OutputFolder(userPath: scratch.url.appendingPathComponent("file").path)
        #expect(throws: OutputFolderError.self) { try folder.preflight() }
        #expect(throws: OutputFolderError.self) { try folder.write([("summary.json", "{}")]) }
        #expect(try String(contentsOf: scratch.url.appendingPathComponent("file"), encoding: .utf8) == "x")
    }

    @Test func leftoversOfAKilledWriteAreRemovedOnlyAsFarAsTheirMarkerLists() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let manager = FileManager.default
        for leftover in [".out.partial-1", ".out.old-2", ".out.partial-3"] {
            try manager.createDirectory(at: scratch.url.appendingPathComponent(leftover), withIntermediateDirectories: true)
            _ = try scratch.write("\(leftover)/.simrun-run", OutputFolder.marker(listing: ["summary.json"]))
            _ = try scratch.write("\(leftover)/summary.json", "{}")
        }
        _ = try scratch.write(".out.partial-3/mine.txt", "not simrun's")
        try OutputFolder(userPath: scratch.url.appendingPathComponent("out").path).write([("summary.json", "{}")])
        let hidden = try manager.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix(".") }.sorted()
        #expect(hidden == [".out.partial-3"])
        #expect(try manager.contentsOfDirectory(atPath: scratch.url.appendingPathComponent(".out.partial-3").path) == ["mine.txt"])
    }

    @Test func aMarkerThatIsNotSimrunsDoesNotCount() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("out"), withIntermediateDirectories: true)
        _ = try scratch.write("out/.simrun-run", "anything\n")
        _ = try scratch.write("out/summary.json", "mine")
        let folder = try OutputFolder(userPath: scratch.url.appendingPathComponent("out").path)
        #expect(throws: OutputFolderError.self) { try folder.write([("summary.json", "{}")]) }
        #expect(try String(contentsOf: scratch.url.appendingPathComponent("out/summary.json"), encoding: .utf8) == "mine")
    }
}
