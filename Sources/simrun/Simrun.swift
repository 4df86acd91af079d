import ArgumentParser
import Foundation

// MARK: - The command-line tool

/// `simrun`: parses arguments and calls the libraries; the exit code says what happened.
///
/// Exit codes: 0 every KPI passed, 1 a KPI failed, 2 bad input or usage (nothing written),
/// 3 an internal invariant broke.
@main
struct Simrun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simrun",
        abstract: "A capacity-planning simulator for the task system's scaling design.",
        subcommands: [RunCommand.self, CheckCommand.self, CompareCommand.self, SweepCommand.self, MergeCommand.self, FuzzCommand.self, PlanCommand.self,
                      ValidateCommand.self, BenchCommand.self])

    /// Runs the command and maps every failure to simrun's exit codes (ArgumentParser's own
    /// usage errors would exit 64; simrun promises 2).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {  // --help, --version
                Self.exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Writes `message` and a newline to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints a progress line and flushes it: into a file or a pipe standard output is
/// block-buffered, and a long plan or sweep would show its progress only at exit.
func printProgress(_ line: String) {
    print(line)
    fflush(nil)
}
