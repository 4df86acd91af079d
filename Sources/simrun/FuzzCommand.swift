import ArgumentParser
import Foundation
import Reports
import Scenarios

// MARK: - simrun fuzz

struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Swarm-test a task-system scenario: many seeds with random parameters and fault plans; every invariant checked.",
        discussion: """
            Run i's seed is derived from the root seed (--seed, else the scenario's) by name; \
            it alone draws the run's parameters and fault plan within the bounds documented in \
            docs/fuzzing.md, and the run is the scenario with them, that seed and one \
            replication. Each failing run is shrunk to the smallest fault plan and simplest \
            parameters that still break one of its invariants (at most --shrink-attempts re-runs). \
            With --out, writes fuzz.json (the same bytes whatever --threads) and, per failing run, \
            its summary.json and scenario files. Exit codes: 0 every invariant held in every run, \
            2 bad input (nothing run or written), 3 a run broke an invariant (its seed and replay \
            command are printed).
            """)

    @Argument(help: "The task-system scenario file (YAML).")
    var file: String

    @Option(parsing: .unconditional, help: "Number of runs.",
            transform: { try CommandLineValues.count($0, option: "--runs", maximum: FuzzRun.maximumRuns) })
    var runs: Int

    @Option(parsing: .unconditional, help: "Root seed the runs' seeds derive from, overriding the scenario's.",
            transform: { try CommandLineValues.seed($0) })
    var seed: UInt64?

    @Option(help: "Output folder for fuzz.json and the failing runs' files (default: nothing written).")
    var out: String?

    @Option(parsing: .unconditional, help: "Runs at once (default: the number of cores). Results do not depend on it.",
            transform: { try CommandLineValues.count($0, option: "--threads") })
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "The most re-runs shrinking one failing run may make (default \(FuzzRun.defaultShrinkAttempts); 0: no shrinking).",
            transform: { try CommandLineValues.nonNegativeCount($0, option: "--shrink-attempts") })
    var shrinkAttempts: Int = FuzzRun.defaultShrinkAttempts

    @Option(help: "A price catalogue in catalog/aws.yaml's format, replacing the built-in one.")
    var catalog: String?

    func run() async throws {
        let fuzz = FuzzRun(path: file, runs: runs, seed: seed, outputFolder: out, threads: threads,
                           shrinkAttempts: shrinkAttempts, overrides: .init(catalogPath: catalog))
        let prepared: FuzzRun.Prepared
        do {
            prepared = try fuzz.prepare()
        } catch {
            throw inputErrorExit(error, command: "fuzz") ?? error
        }
        print("fuzz of \(file): \(runs) run(s) from seed \(prepared.baseSeed), \(threads) at once")
        let result: FuzzResult
        do {
            result = try await fuzz.execute(prepared) { fuzzCase, report in
                guard !report.brokenInvariants.isEmpty else { return }
                printProgress("  run \(fuzzCase.index) (seed \(fuzzCase.seed)): invariant broken, shrinking after the last run")
            }
        } catch let unresolved as TaskSystemReport.UnresolvedKPI {
            printError("simrun fuzz: internal error in \(file): \(unresolved.description)")
            throw ExitCode(3)
        } catch {
            throw inputErrorExit(error, command: "fuzz") ?? error
        }
        for line in result.summaryLines { print(line) }
        if let folder = prepared.folder { print("fuzz.json in \(folder.url.path)/") }
        for failure in result.failures {
            printError("invariant broken in \(file) seed=\(failure.original.fuzzCase.seed): \(failure.original.report.brokenInvariants.joined(separator: "; "))")
        }
        throw ExitCode(result.exitCode)
    }
}
