import ArgumentParser
import Foundation
import Reports

// MARK: - simrun compare

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two run folders KPI by KPI and figure by figure (Welch's t-test on the replications).",
        discussion: """
            Reads A/summary.json and B/summary.json, prints the KPIs and the figures that differ \
            significantly, and writes compare.md (every figure) into --out (default \
            reports/compare-<A>-vs-<B>/). Exit codes: 0 compared, 2 bad input.
            """)

    @Argument(help: "The first run folder (A).")
    var a: String

    @Argument(help: "The second run folder (B); differences are B − A.")
    var b: String

    @Option(help: "Folder for compare.md (default: reports/compare-<A name>-vs-<B name>/).")
    var out: String?

    func run() throws {
        let comparison: RunComparison
        do {
            comparison = RunComparison(a: try RunSummary(folder: URL(fileURLWithPath: a)),
                                       b: try RunSummary(folder: URL(fileURLWithPath: b)))
        } catch {
            printError("simrun compare: \(error)")
            throw ExitCode(2)
        }
        let folder: OutputFolder
        do {
            folder = try out.map { try OutputFolder(userPath: $0) } ?? OutputFolder(defaultFor: comparison.defaultName)
            if let refusal = comparison.refusal(of: folder.url) {
                printError("simrun compare: \(refusal)")
                throw ExitCode(2)
            }
            try folder.preflight()
            try comparison.write(to: folder)
        } catch let error as OutputFolderError {
            printError("simrun compare: \(error.description)")
            throw ExitCode(2)
        }
        print(comparison.terminal, terminator: "")
        print("compare.md in \(folder.url.path)/")
    }
}
