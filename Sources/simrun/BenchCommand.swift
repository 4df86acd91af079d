import ArgumentParser
import Foundation
import SimBenchmarks

// MARK: - simrun bench

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine against the C reference (release builds only).")

    @Option(help: "Rounds per benchmark; medians are reported.")
    var rounds: Int = 3

    @Option(help: "The C reference model.")
    var reference: String = "bench/des_ref.c"

    @Flag(help: "Only the kernel benchmarks.")
    var kernelOnly = false

    @Flag(help: "Only the whole-run (pipeline) benchmark.")
    var pipelineOnly = false

    @Flag(help: "Only the process benchmark: the closed model as events, processes and state machines.")
    var processesOnly = false

    func run() async throws {
        #if DEBUG
        printError(BenchmarkError.notReleaseBuild.description)
        throw ExitCode(2)
        #else
        let program = try ReferenceProgram.compile(source: URL(fileURLWithPath: reference),
                                                   output: URL(fileURLWithPath: ".build/des_ref"))
        let suite = BenchmarkSuite(rounds: rounds, reference: program)
        let everything = !kernelOnly && !pipelineOnly && !processesOnly
        var rows: [BenchmarkSuite.Row] = []
        var waitCosts: BenchmarkSuite.WaitCosts?
        if everything || kernelOnly { rows += try suite.kernelRows() }
        if everything || pipelineOnly {
            rows.append(try await suite.pipelineRow(scratch: URL(fileURLWithPath: ".build/bench-pipeline")))
        }
        if everything || processesOnly {
            let measured = try suite.processRows()
            rows += measured.rows
            waitCosts = measured.costs
        }
        print(BenchmarkSuite.table(rows))
        if let waitCosts {
            print(String(format: "One wait, in C-reference M/M/1 events (the unit of make bench-system): "
                             + "a process's suspension %.1f, a state machine's step %.1f.",
                         waitCosts.processSuspension, waitCosts.stateMachineStep))
        }
        #endif
    }
}
