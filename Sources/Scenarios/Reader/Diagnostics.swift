// Diagnostics.swift — the error collector shared by every cursor reading one scenario (its
// file, and the defaults file it names).

import Yams

// MARK: - Diagnostics

/// Collects every problem found while reading one scenario, so that all are reported at once.
///
/// A reference type so that cursors (small values copied freely) all report into one list.
/// A scenario that names a defaults file (``ScenarioDefaults``) is read from two files: each
/// file's cursors report through their own `Diagnostics` (``forFile(_:)``), which names that
/// file in messages, into one shared list. One instance lives for one load; it is never shared
/// between threads.
final class Diagnostics {
    /// The file name used in messages.
    let file: String
    /// The list shared by every file of one load.
    private let log: Log

    /// The most problems kept for one load.
    static let maximumKept = 100

    init(file: String) {
        self.file = file
        log = Log()
        log.register(file)
    }

    private init(file: String, log: Log) {
        self.file = file
        self.log = log
    }

    /// A collector for another file of the same load: its problems name `file` and join this
    /// one's list; they are listed after those of the files created before it.
    func forFile(_ file: String) -> Diagnostics {
        log.register(file)
        return Diagnostics(file: file, log: log)
    }

    /// True once any problem has been reported, in any file of the load.
    var hasErrors: Bool { !log.errors.isEmpty }

    /// The problems so far, in the order found (at most ``maximumKept``).
    var errors: [ScenarioError] { log.errors }

    /// Records `message` at `mark` (no position when `nil`) for `path`.
    func report(_ message: String, at mark: Mark?, path: YAMLPath) {
        report(message, line: mark?.line ?? 0, column: mark?.column ?? 0, path: path)
    }

    /// Records `message` at `line`:`column` (0 when unknown) for `path`.
    func report(_ message: String, line: Int, column: Int, path: YAMLPath) {
        log.append(ScenarioError(file: file, line: line, column: column,
                                 keyPath: path.description, message: message))
    }

    /// All problems, file by file in the order the files were opened, each file's sorted by
    /// position; when some were dropped, a last line says how many.
    var collected: ScenarioErrors {
        var all: [ScenarioError] = []
        for file in log.files {
            all += ScenarioErrors(log.errors.filter { $0.file == file }).errors
        }
        if log.droppedCount > 0 {
            all.append(ScenarioError(file: file, line: 0, column: 0, keyPath: "",
                                     message: "\(log.droppedCount) more problem(s) not shown; fix these first"))
        }
        return ScenarioErrors(sorted: all)
    }

    // MARK: The shared list

    /// The problems of one load, whichever file they are in.
    private final class Log {
        /// The problems so far, in the order found.
        private(set) var errors: [ScenarioError] = []
        /// The files of the load, in the order they were opened.
        private(set) var files: [String] = []
        /// Problems found beyond ``Diagnostics/maximumKept``: counted, not kept, so that a
        /// hostile file of a million bad list items yields a short report rather than a
        /// million lines.
        private(set) var droppedCount = 0

        /// Adds `error`, unless the same problem is already listed (a defaults file's value
        /// is read once for itself and again beneath each scenario mapping that merges it).
        func append(_ error: ScenarioError) {
            guard !errors.contains(error) else { return }
            guard errors.count < Diagnostics.maximumKept else {
                droppedCount += 1
                return
            }
            errors.append(error)
        }

        func register(_ file: String) {
            if !files.contains(file) { files.append(file) }
        }
    }
}
