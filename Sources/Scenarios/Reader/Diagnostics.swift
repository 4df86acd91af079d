// Diagnostics.swift — the error collector shared by every cursor reading one file.

import Yams

// MARK: - Diagnostics

/// Collects every problem found while reading one file, so that all are reported at once.
///
/// A reference type so that cursors (small values copied freely) all report into one list.
/// One instance lives for one load; it is never shared between threads.
final class Diagnostics {
    /// The file name used in messages.
    let file: String
    /// The problems so far, in the order found (at most ``maximumKept``).
    private(set) var errors: [ScenarioError] = []
    /// Problems found beyond ``maximumKept``: counted, not kept, so that a hostile file of a
    /// million bad list items yields a short report rather than a million lines.
    private(set) var droppedCount = 0

    /// The most problems kept for one file.
    static let maximumKept = 100

    init(file: String) {
        self.file = file
    }

    /// True once any problem has been reported.
    var hasErrors: Bool { !errors.isEmpty }

    /// Records `message` at `mark` (no position when `nil`) for `path`.
    func report(_ message: String, at mark: Mark?, path: YAMLPath) {
        report(message, line: mark?.line ?? 0, column: mark?.column ?? 0, path: path)
    }

    /// Records `message` at `line`:`column` (0 when unknown) for `path`.
    func report(_ message: String, line: Int, column: Int, path: YAMLPath) {
        guard errors.count < Self.maximumKept else {
            droppedCount += 1
            return
        }
        errors.append(ScenarioError(file: file, line: line, column: column,
                                    keyPath: path.description, message: message))
    }

    /// All problems, sorted by position; when some were dropped, a last line says how many.
    var collected: ScenarioErrors {
        var all = ScenarioErrors(errors).errors
        if droppedCount > 0 {
            all.append(ScenarioError(file: file, line: 0, column: 0, keyPath: "",
                                     message: "\(droppedCount) more problem(s) not shown; fix these first"))
        }
        return ScenarioErrors(sorted: all)
    }
}
