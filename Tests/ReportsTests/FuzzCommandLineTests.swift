// FuzzCommandLineTests.swift — `simrun fuzz`'s exit codes and messages, through the binary.

import Foundation
import Testing

extension CommandLineTests {
    @Test func fuzzExitsZeroWhenEveryInvariantHeldAndTwoOnBadInput() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("fuzz-small.yaml", fuzzScenario)
        let clean = try simrun(["fuzz", file, "--runs", "3", "--seed", "11", "--threads", "2"])
        #expect(clean.status == 0, "\(clean.error)")
        #expect(clean.output.contains("3 run(s) from seed 11, 0 broke an invariant"))
        for arguments in [["--runs", "0"], ["--runs", "x"], ["--runs", "2", "--shrink-attempts", "-1"]] {
            let bad = try simrun(["fuzz", file] + arguments)
            #expect(bad.status == 2, "\(arguments)")
        }
        let network = try scratch.write("network.yaml", smallScenario)
        let refused = try simrun(["fuzz", network, "--runs", "2"])
        #expect(refused.status == 2 && refused.error.contains("task-system"))
    }

    /// A real misconfiguration, no planted hook: the ConsistencyManager switched off under a
    /// lagging replica. Runs that keep the file's `consistency_window: 0s` and a replica break
    /// read-your-writes; the fuzzer prints their seeds and replay commands and exits 3.
    @Test func fuzzExitsThreeWithTheFailingSeedsAndTheirReplay() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("off.yaml", fuzzScenario.replacingOccurrences(
            of: "database: {primary: db.r5.large, replicas: 0}",
            with: "database: {primary: db.r5.large, replicas: 1, replication_lag: {distribution: constant, value: 3s}}\napi: {instances: 2, consistency_window: 0s}")
            .replacingOccurrences(of: "api: {instances: 2, vcpus: 1, autoscaling: {min: 2, max: 4}}\n", with: ""))
        let out = scratch.url.appendingPathComponent("out").path
        let found = try simrun(["fuzz", file, "--runs", "4", "--shrink-attempts", "2", "--out", out])
        #expect(found.status == 3, "\(found.output)\(found.error)")
        let seeds = found.output.split(separator: "\n").compactMap { line -> Substring? in
            guard line.hasPrefix("  run "), let range = line.range(of: ", seed ") else { return nil }
            return line[range.upperBound...].prefix { $0.isNumber }
        }
        #expect(!seeds.isEmpty)
        for seed in seeds {
            #expect(found.output.contains("--seed \(seed) --replications 1"))
            #expect(found.error.contains("seed=\(seed): read-your-writes"))
            #expect(FileManager.default.fileExists(atPath: out + "/fuzz-\(seed).yaml"))
            #expect(FileManager.default.fileExists(atPath: out + "/fuzz-\(seed)-smallest.yaml"))
            #expect(FileManager.default.fileExists(atPath: out + "/fuzz-\(seed).summary.json"))
        }
        // The composed file of the first failing run is a scenario simrun runs to the same failure.
        let seed = String(try #require(seeds.first))
        let replay = try simrun(["run", out + "/fuzz-\(seed).yaml", "--seed", seed, "--replications", "1",
                                 "--out", scratch.url.appendingPathComponent("replay").path])
        #expect(replay.status == 3, "\(replay.error)")
        #expect(replay.error.contains("read-your-writes"))
    }
}
