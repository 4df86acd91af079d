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

    func run() async throws {
        #if DEBUG
        printError(BenchmarkError.notReleaseBuild.description)
        throw ExitCode(2)
        #else
        let program = try ReferenceProgram.compile(source: URL(fileURLWithPath: reference),
                                                   output: URL(fileURLWithPath: ".build/des_ref"))
        let suite = BenchmarkSuite(rounds: rounds, reference: program)
        var rows: [BenchmarkSuite.Row] = []
        if !pipelineOnly { rows += try suite.kernelRows() }
        if !kernelOnly { rows.append(try await suite.pipelineRow(scratch: URL(fileURLWithPath: ".build/bench-pipeline"))) }
        print(BenchmarkSuite.table(rows))
        #endif
    }
}
