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

    @Option(help: "Root seed, overriding the scenario's.")
    var seed: UInt64?

    @Option(help: "Independent replications, overriding the scenario's.")
    var replications: Int?

    @Option(help: "Output folder (default: reports/<scenario name>/).")
    var out: String?

    @Option(help: "Replications run at once (default: the number of cores). Results do not depend on it.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Log progress to standard error (the scenario, the replications, the wall time).")
    var verbose = false

    func run() async throws {
        var logger = Logger(label: "simrun.run") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        let run = ScenarioRun(path: file, overrides: .init(seed: seed, replications: replications),
                              outputFolder: out, threads: threads)
        let outcome: ScenarioRun.Outcome
        let clock = ContinuousClock()
        let started = clock.now
        logger.info("running \(file) on \(threads) thread(s)")
        do {
            outcome = try await run.execute()
            logger.info("finished \(file) in \(clock.now - started) of wall time")
        } catch let errors as ScenarioErrors {
            printError(errors.description)
            throw ExitCode(2)
        } catch let usage as ScenarioRun.UsageError {
            printError("simrun run: \(usage.description)")
            throw ExitCode(2)
        } catch let unresolved as TaskSystemReport.UnresolvedKPI {
            printError("simrun run: internal error in \(file): \(unresolved.description)")
            throw ExitCode(3)
        }
        let report = outcome.report
        print("\(report.name): seed=\(report.seed), \(report.replications) replication(s), report in \(outcome.folder.path)/")
        for verdict in report.verdicts {
            print("  \(verdict.passed ? "pass" : "FAIL")  \(verdict.kpi.expression)  (value \(verdict.value))")
        }
        for violation in report.brokenInvariants {
            printError("invariant broken in \(file) seed=\(report.seed): \(violation)")
        }
        if outcome.exitCode == 1 {
            printError("\(file) seed=\(report.seed): \(report.verdicts.filter { !$0.passed }.count) KPI(s) failed")
        }
        throw ExitCode(outcome.exitCode)
    }
}
