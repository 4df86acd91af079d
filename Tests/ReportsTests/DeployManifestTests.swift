// DeployManifestTests.swift — the manifests under deploy/ are valid and wired: each shard's
// command, run as its own process with the scheduler's environment variable set, writes a shard
// that `simrun merge` combines into exactly the unsharded sweep.

import Foundation
import Testing
import Yams

@Suite(.serialized) struct DeployManifestTests {
    /// The repository's root (this file is Tests/ReportsTests/DeployManifestTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Runs `executable` with `arguments` and `environment` added to this process's.
    func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The environment a test sweep runs with: the built simrun, a small scenario, two parameters
    /// of two values (four points), results in `scratch`.
    func sweepEnvironment(_ scratch: ScratchFolder) throws -> [String: String] {
        ["SIMRUN": CommandLineTests.executable.path,
         "SCENARIO": try scratch.write("sweep.yaml", sweepScenario),
         "SWEEP_PARAMS": "--param database.replicas=0,1 --param api.vcpus=1,2",
         "RESULTS": scratch.url.path]
    }

    /// The unsharded sweep's sweep.json, and the merge of `shards` folders' (both via the CLI).
    func wholeAndMerged(_ scratch: ScratchFolder, shards: Int, environment: [String: String]) throws -> (String, String) {
        let whole = scratch.url.appendingPathComponent("whole").path
        let (status, output) = try run(CommandLineTests.executable.path,
                                       ["sweep", environment["SCENARIO"]!, "--param", "database.replicas=0,1",
                                        "--param", "api.vcpus=1,2", "--out", whole], environment: [:])
        #expect(status == 0, "\(output)")
        let merged = scratch.url.appendingPathComponent("merged").path
        let folders = (0..<shards).map { scratch.url.appendingPathComponent("shard-\($0)").path }
        let merge = try run(CommandLineTests.executable.path, ["merge"] + folders + ["--out", merged], environment: [:])
        #expect(merge.0 == 0, "\(merge.1)")
        let read = { (folder: String) in
            try String(contentsOfFile: URL(fileURLWithPath: folder).appendingPathComponent("sweep.json").path, encoding: .utf8)
        }
        return (try read(whole), try read(merged))
    }

    @Test func kubernetesIndexedJobShardsMergeIntoTheWholeSweep() throws {
        let manifest = try #require(try Yams.load(yaml: Self.text("deploy/kubernetes/sweep-job.yaml")) as? [String: Any])
        #expect(manifest["kind"] as? String == "Job")
        let spec = try #require(manifest["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((template["containers"] as? [[String: Any]])?.first)
        let env = (container["env"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["name"] as? String ?? ""] = $1["value"] as? String
        }
        #expect(env["SHARD_COUNT"] == String(completions), "SHARD_COUNT must equal spec.completions")
        #expect(container["command"] as? [String] == ["/bin/sh", "-c"])
        let script = try #require((container["args"] as? [String])?.first)
        #expect(script.contains("${JOB_COMPLETION_INDEX}/${SHARD_COUNT}"))

        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        var environment = try sweepEnvironment(scratch)
        environment["SHARD_COUNT"] = env["SHARD_COUNT"]
        for index in 0..<completions {  // each pod: the manifest's own command, its index set
            environment["JOB_COMPLETION_INDEX"] = String(index)
            let (status, output) = try run("/bin/sh", ["-c", script], environment: environment)
            #expect(status == 0, "pod \(index): \(output)")
        }
        let (whole, merged) = try wholeAndMerged(scratch, shards: completions, environment: environment)
        #expect(merged == whole)
    }

    @Test func slurmArrayTasksMergeIntoTheWholeSweep() throws {
        let script = try Self.text("deploy/slurm/sweep.sbatch")
        let array = try #require(script.split(separator: "\n").first { $0.hasPrefix("#SBATCH --array=") })
        let range = array.dropFirst("#SBATCH --array=".count).split(separator: "-").compactMap { Int($0) }
        #expect(range.count == 2 && range[0] == 0)
        let tasks = range[1] + 1
        #expect(script.contains("${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}"))

        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        var environment = try sweepEnvironment(scratch)
        environment["SLURM_ARRAY_TASK_COUNT"] = String(tasks)
        for index in 0..<tasks {  // each array task: the batch script itself, its task id set
            environment["SLURM_ARRAY_TASK_ID"] = String(index)
            let (status, output) = try run("/bin/bash", [Self.root.appendingPathComponent("deploy/slurm/sweep.sbatch").path],
                                           environment: environment)
            #expect(status == 0, "task \(index): \(output)")
        }
        let (whole, merged) = try wholeAndMerged(scratch, shards: tasks, environment: environment)
        #expect(merged == whole)
    }

    @Test func dockerfileBuildsSimrunWithGSLAndSQLite() throws {
        let dockerfile = try Self.text("deploy/Dockerfile")
        // The build stage installs the libraries the package links; the runtime stage their
        // shared objects; the image runs simrun.
        #expect(dockerfile.contains("libgsl-dev") && dockerfile.contains("libsqlite3-dev"))
        #expect(dockerfile.contains("libgsl27") && dockerfile.contains("libsqlite3-0"))
        #expect(dockerfile.contains("swift build -c release --product simrun"))
        #expect(dockerfile.contains("ENTRYPOINT [\"simrun\"]"))
    }
}
