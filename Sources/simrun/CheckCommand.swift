import ArgumentParser
import Foundation
import Logging
import Reports

// MARK: - simrun check

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run scenarios as a CI gate: judge their KPIs, write reports and JUnit XML.",
        discussion: """
            Every scenario and every --kpi is validated before anything runs. A --kpi replaces \
            a scenario's KPI on the same metric and aggregate, or is added. Exit codes: 0 every \
            KPI passed, 1 a KPI failed, 2 bad input (nothing run or written), 3 an invariant broke.
            """)

    @Argument(help: "Scenario files (YAML).")
    var scenarios: [String]

    @Option(name: .customLong("kpi"), help: "A KPI expression for every scenario, e.g. \"p95(api.latency) < 400ms\" (repeatable).")
    var kpis: [String] = []

    @Option(help: "A price catalogue in catalog/aws.yaml's format, replacing the built-in one.")
    var catalog: String?

    @Option(help: "Write JUnit XML here (never over a file simrun did not write).")
    var junit: String?

    @Option(help: "Folder for the report folders (<out>/<scenario name>/; default reports/<scenario name>/).")
    var out: String?

    @Option(parsing: .unconditional, help: "Root seed, overriding each scenario's (0 … 2⁶⁴ − 1).",
            transform: { try CommandLineValues.seed($0) })
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Independent replications, overriding each scenario's.",
            transform: { try CommandLineValues.count($0, option: "--replications") })
    var replications: Int?

    @Option(parsing: .unconditional, help: "Replications run at once (default: the number of cores). Results do not depend on it.",
            transform: { try CommandLineValues.count($0, option: "--threads") })
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Log to standard error: each scenario, each replication's end, the wall time.")
    var verbose = false

    @Flag(help: "Print nothing on standard output and show no progress line; errors, failed KPIs and replay commands still go to standard error.")
    var quiet = false

    func validate() throws {
        do { _ = try Verbosity(quiet: quiet, verbose: verbose) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let verbosity = try Verbosity(quiet: quiet, verbose: verbose)
        let logger = verbosity.logger(label: "simrun.check")
        let check = ScenarioCheck(paths: scenarios, kpiExpressions: kpis,
                                  overrides: .init(seed: seed, replications: replications, catalogPath: catalog),
                                  outputFolder: out, junitPath: junit, threads: threads)
        let prepared: [ScenarioCheck.Prepared]
        do {
            prepared = try check.prepare()
        } catch let errors as ScenarioCheck.InputErrors {
            printError(errors.description)
            throw ExitCode(2)
        }
        let results = try await check.execute(prepared, runProgress: verbosity.runProgress(logger: logger)) { result in
            let report = result.report
            logger.info("\(result.path): finished in \(ProgressLine.clock(result.wallSeconds)) of wall time")
            let failed = report.verdicts.filter { !$0.passed }.count
            let state = !report.brokenInvariants.isEmpty ? "invariant broken"
                : report.verdicts.isEmpty ? "no KPIs" : failed == 0 ? "all \(report.verdicts.count) KPIs pass"
                : "\(failed) of \(report.verdicts.count) KPIs failed"
            if verbosity.printsResults {
                print("\(report.name) (\(result.path), seed \(report.seed), \(report.replications) replication(s)): \(state); report in \(result.folder.path)/")
                for text in report.verdictTexts { print("  " + text.line) }
            } else {
                for text in report.verdictTexts where !text.verdict.passed { printError("\(result.path): " + text.line) }
            }
            for violation in report.brokenInvariants { printError("invariant broken in \(result.path): \(violation)") }
            if failed > 0 || !report.brokenInvariants.isEmpty { printError("replay: \(report.replayCommand)") }
        }
        let code = ScenarioCheck.exitCode(results)
        let kpiCount = results.reduce(0) { $0 + $1.report.verdicts.count }
        let failedCount = results.reduce(0) { $0 + $1.report.verdicts.filter { !$0.passed }.count }
        if verbosity.printsResults {
            print("check: \(results.count) scenario(s), \(kpiCount) KPI(s), \(failedCount) failed\(junit.map { "; JUnit in \($0)" } ?? "") — exit \(code)")
        }
        throw ExitCode(code)
    }
}
