// ShellWord.swift — one argument of a command line a user can paste into a POSIX shell.

import Foundation

// MARK: - ShellWord

/// Quoting of command-line arguments in replay commands.
enum ShellWord {
    /// `word` as is when it holds only characters no shell treats specially, else in single
    /// quotes (a single quote inside written `'\''`).
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "-_./=:,+@%".unicodeScalars.contains(scalar))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
