import ArgumentParser
import Foundation
import Scenarios

// MARK: - simrun validate

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them; exit 2 on the first file with errors.")

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let scenario = try ScenarioLoader.load(path: file)
                print("ok: \(file) (\(scenario.kpis.count) KPI(s))")
                // A warning, not an error: the file is valid, and whether it fits depends on the
                // machine that runs it; `simrun run` refuses it there (exit 2) if it does not.
                let estimate = MemoryEstimate.of(scenario, threads: ProcessInfo.processInfo.activeProcessorCount)
                if let refusal = estimate.refusal(limit: Int(clamping: ProcessInfo.processInfo.physicalMemory),
                                                  limitSource: "this machine's physical memory") {
                    printError("warning: \(file): \(refusal)")
                }
            } catch {
                printError(error.description)
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }
}
