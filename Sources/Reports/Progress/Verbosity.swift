// Verbosity.swift — what `--quiet` and `--verbose` change, and whether the live line shows.

import Foundation
import Logging

// MARK: - How much a command says

/// `simrun run` and `simrun check`'s `--quiet` / `--verbose`.
public enum Verbosity: Sendable, Equatable {
    /// Nothing on standard output, no live line; errors, broken invariants and failed KPIs still
    /// go to standard error (and the exit code says it all).
    case quiet
    /// The results on standard output; the live line on a terminal.
    case normal
    /// As `normal`, plus `info` logs on standard error: the scenario, each replication's end,
    /// the wall time.
    case verbose

    /// From the two flags; both at once is a usage error (exit code 2).
    public init(quiet: Bool, verbose: Bool) throws(ScenarioRun.UsageError) {
        switch (quiet, verbose) {
        case (true, true): throw ScenarioRun.UsageError(description: "--quiet and --verbose exclude each other")
        case (true, false): self = .quiet
        case (false, true): self = .verbose
        case (false, false): self = .normal
        }
    }

    /// The level of the command's logger.
    public var logLevel: Logger.Level {
        switch self {
        case .quiet: .error
        case .normal: .notice
        case .verbose: .info
        }
    }

    /// Whether results go to standard output.
    public var printsResults: Bool { self != .quiet }

    /// Whether the live line shows: not when quiet, and only when standard output and standard
    /// error are both terminals (a pipe, a file or CI's log gets none of it).
    public func showsProgress(stdoutIsTerminal: Bool, stderrIsTerminal: Bool) -> Bool {
        self != .quiet && stdoutIsTerminal && stderrIsTerminal
    }

    /// Whether standard output and standard error of this process are terminals.
    public static var standardStreamsAreTerminals: (stdout: Bool, stderr: Bool) {
        (isatty(STDOUT_FILENO) != 0, isatty(STDERR_FILENO) != 0)
    }

    /// The command's logger (standard error, at ``logLevel``).
    public func logger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }

    /// A ``RunProgress`` for this process's terminal: the live line when
    /// ``showsProgress(stdoutIsTerminal:stderrIsTerminal:)``, replication ends logged when verbose.
    public func runProgress(logger: Logger) -> RunProgress {
        let terminals = Self.standardStreamsAreTerminals
        let clock = ContinuousClock()
        let origin = clock.now
        return RunProgress(showsLine: showsProgress(stdoutIsTerminal: terminals.stdout, stderrIsTerminal: terminals.stderr),
                           logger: self == .verbose ? logger : nil,
                           write: { text in FileHandle.standardError.write(Data(text.utf8)) },
                           wallClock: {
                               let elapsed = clock.now - origin
                               return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                           })
    }
}
