import ArgumentParser
import Foundation
import Logging
import Reports
import Scenarios

// MARK: - simrun run

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its report folder (summary.json, report.md).")

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(parsing: .unconditional, help: "Root seed, overriding the scenario's (0 … 2⁶⁴ − 1).",
            transform: { try CommandLineValues.seed($0) })
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Independent replications, overriding the scenario's.",
            transform: { try CommandLineValues.count($0, option: "--replications") })
    var replications: Int?

    @Option(name: .customLong("param"), parsing: .unconditionalSingleValue,
            help: "Replace a value of the file before it is read: KEYPATH=VALUE, e.g. database.replicas=4 (repeatable).",
            transform: { try CommandLineValues.setting($0) })
    var settings: [ParameterSetting] = []

    @Option(help: "A price catalogue in catalog/aws.yaml's format, replacing the built-in one.")
    var catalog: String?

    @Option(help: "Output folder (default: reports/<scenario name>/).")
    var out: String?

    @Option(parsing: .unconditional, help: "Replications run at once (default: the number of cores). Results do not depend on it.",
            transform: { try CommandLineValues.count($0, option: "--threads") })
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Refuse a run estimated to need more memory than this, e.g. 4GiB (default: physical memory).",
            transform: { text in
                switch MemoryEstimate.limit(from: text) {
                case .success(let bytes): return bytes
                case .failure(let error): throw ValidationError(error.message)
                }
            })
    var maxMemory: Int?

    @Flag(help: "Log to standard error: the scenario, each replication's end, the wall time.")
    var verbose = false

    @Flag(help: "Print nothing on standard output and show no progress line; errors and failed KPIs still go to standard error.")
    var quiet = false

    func validate() throws {
        do { _ = try Verbosity(quiet: quiet, verbose: verbose) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let verbosity = try Verbosity(quiet: quiet, verbose: verbose)
        let logger = verbosity.logger(label: "simrun.run")
        let run = ScenarioRun(path: file, overrides: .init(seed: seed, replications: replications, settings: settings, catalogPath: catalog),
                              outputFolder: out, threads: threads, maxMemory: maxMemory,
                              progress: verbosity.runProgress(logger: logger))
        let outcome: ScenarioRun.Outcome
        let clock = ContinuousClock()
        let started = clock.now
        logger.info("running \(file) on \(threads) thread(s)")
        do {
            outcome = try await run.execute()
            logger.info("finished \(file) in \(clock.now - started) of wall time")
        } catch let unresolved as TaskSystemReport.UnresolvedKPI {
            printError("simrun run: internal error in \(file): \(unresolved.description)")
            throw ExitCode(3)
        } catch {
            throw inputErrorExit(error, command: "run") ?? error
        }
        let report = outcome.report
        if verbosity.printsResults {
            print("\(report.name): seed=\(report.seed), \(report.replications) replication(s), report in \(outcome.folder.path)/")
            for text in report.verdictTexts { print("  " + text.line) }
        }
        for violation in report.brokenInvariants {
            printError("invariant broken in \(file) seed=\(report.seed): \(violation)")
        }
        for loss in report.acceptedLosses {
            printError("accepted loss (declared by accept:) in \(file) seed=\(report.seed): \(loss)")
        }
        if outcome.exitCode == 1 {
            printError("\(file) seed=\(report.seed): \(report.verdicts.filter { !$0.passed }.count) KPI(s) failed")
        }
        throw ExitCode(outcome.exitCode)
    }
}
