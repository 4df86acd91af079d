import ArgumentParser
import Foundation
import Reports
import Scenarios

// MARK: - simrun sweep

struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of parameter values; write sweep.json, sweep.md and sweep.sqlite.",
        discussion: """
            Each --param KEYPATH=V1,V2,… replaces a value of the file (as `simrun run --param` \
            does) with each of its values in turn; the grid is every combination, numbered with \
            the first --param varying slowest. --shard i/n runs the points whose number is i \
            modulo n (0-based), so n machines can share a sweep; `simrun merge` combines their \
            folders into the whole sweep's result, byte for byte. Every point is loaded and \
            checked before anything runs. Exit codes: 0 every point passed its KPIs, 1 a point \
            failed one, 2 bad input (nothing run or written), 3 an invariant broke.
            """)

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(name: .customLong("param"), parsing: .unconditionalSingleValue,
            help: "A swept key and its values: KEYPATH=V1,V2,…, e.g. database.replicas=0,2,4 (repeatable).",
            transform: { try CommandLineValues.sweepParameter($0) })
    var parameters: [SweepParameter] = []

    @Option(parsing: .unconditional, help: "Run only shard i of n (0-based), e.g. 0/4.",
            transform: { try CommandLineValues.shard($0) })
    var shard: Shard = .all

    @Option(help: "A price catalogue in catalog/aws.yaml's format, replacing the built-in one.")
    var catalog: String?

    @Option(help: "Output folder (default: reports/<scenario name>-sweep/).")
    var out: String?

    @Option(parsing: .unconditional, help: "Root seed for every point, overriding the scenario's.",
            transform: { try CommandLineValues.seed($0) })
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Replications of every point, overriding the scenario's.",
            transform: { try CommandLineValues.count($0, option: "--replications") })
    var replications: Int?

    @Option(parsing: .unconditional, help: "Points run at once (default: the number of cores). Results do not depend on it.",
            transform: { try CommandLineValues.count($0, option: "--threads") })
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        let sweep: SweepRun
        let prepared: (scenario: Scenario, points: [SweepRun.Point], folder: OutputFolder)
        do {
            let grid = try SweepGrid(parameters)
            sweep = SweepRun(path: file, grid: grid, shard: shard,
                             overrides: .init(seed: seed, replications: replications, catalogPath: catalog),
                             outputFolder: out, threads: threads)
            prepared = try sweep.prepare()
        } catch {
            throw inputErrorExit(error, command: "sweep") ?? error
        }
        let total = prepared.points.count
        print("sweep of \(file): \(total) of \(sweep.grid.count) point(s)\(shard.count > 1 ? " (shard \(shard))" : ""), \(threads) at once")
        let result: SweepResult
        do {
            result = try await sweep.execute(prepared.scenario, prepared.points, into: prepared.folder) { index, report in
                let state = !report.brokenInvariants.isEmpty ? "invariant broken" : report.passed ? "pass" : "FAIL"
                let values = sweep.grid.settings(of: index).map(\.description).joined(separator: " ")
                printProgress("  point \(index) (\(values)): \(state)")
            }
        } catch let unresolved as TaskSystemReport.UnresolvedKPI {
            printError("simrun sweep: internal error in \(file): \(unresolved.description)")
            throw ExitCode(3)
        }
        print("sweep: \(result.points.count) point(s), \(result.failedPoints) failed; sweep.json, sweep.md and sweep.sqlite in \(prepared.folder.url.path)/")
        throw ExitCode(result.exitCode)
    }
}

// MARK: - simrun merge

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the folders of a sweep's shards into the whole sweep's sweep.json, sweep.md and sweep.sqlite.",
        discussion: "Exit codes: 0 merged, 2 the folders are not every shard of one sweep (nothing written).")

    @Argument(help: "The shards' sweep folders.")
    var folders: [String]

    @Option(help: "Output folder for the merged sweep.json and sweep.md.")
    var out: String

    func run() throws {
        do {
            var shards: [(folder: String, result: SweepResult)] = []
            for folder in folders { shards.append((folder, try SweepResult(folder: folder))) }
            let merged = try SweepResult.merging(shards)
            let folder = try OutputFolder(userPath: out)
            try folder.preflight()
            try folder.write(files: merged.outputFiles)
            print("merged \(folders.count) folder(s): \(merged.points.count) point(s) into \(folder.url.path)/")
        } catch {
            throw inputErrorExit(error, command: "merge") ?? error
        }
    }
}
