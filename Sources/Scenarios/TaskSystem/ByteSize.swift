// ByteSize.swift — memory sizes written as bytes or as a number with a unit ("512MB", "1GiB").

// MARK: - ByteSize

/// Parsing of memory sizes: a number followed by a decimal (`KB`, `MB`, `GB`, `TB`: powers of
/// 1000) or binary (`KiB`, `MiB`, `GiB`, `TiB`: powers of 1024) unit, or `B`. Spaces are
/// allowed between the number and the unit; the result must be a whole number of bytes.
enum ByteSize {
    /// The units and their sizes in bytes, in the order listed in messages.
    static let units: [(name: String, bytes: Double)] = [
        ("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
    ]

    /// `B, KB, MB, …`, for messages.
    static var list: String { units.map(\.name).joined(separator: ", ") }

    /// A size that cannot be read, with a message meant for the user.
    struct ParseError: Error {
        let message: String
    }

    /// The bytes `text` denotes, e.g. `"512MB"` → 512,000,000, `"1 GiB"` → 1,073,741,824.
    static func bytes(from text: String) throws(ParseError) -> Int {
        let trimmed = text.trimmingWhitespace()
        let (number, rest) = ScenarioDuration.splitNumber(trimmed)
        let unitText = String(rest.trimmingWhitespace())
        let example = "expected a number of bytes or a number with a unit (\(list)), e.g. \"512MB\" or \"1GiB\""
        guard !number.isEmpty, let amount = Double(number.replacing("_", with: "")), amount.isFinite else {
            throw ParseError(message: "\"\(text)\" is not a memory size; \(example)")
        }
        guard !unitText.isEmpty else {
            throw ParseError(message: "memory size \"\(text)\" has no unit; \(example)")
        }
        guard let unit = units.first(where: { $0.name == unitText }) else {
            // Case matters (`MB` is 10⁶ bytes, `MiB` 2²⁰); a unit in the wrong case is suggested first.
            let names = units.map(\.name)
            let hint = names.first { $0.lowercased() == unitText.lowercased() }.map { "; did you mean '\($0)'?" }
                ?? Suggestions.hint(for: unitText, in: names, fallbackLabel: "units")
            throw ParseError(message: "unknown unit '\(unitText)' in \"\(text)\"" + hint)
        }
        let bytes = amount * unit.bytes
        guard bytes < 9.2e18 else {
            throw ParseError(message: "memory size \"\(text)\" is too large")
        }
        guard bytes == bytes.rounded() else {
            throw ParseError(message: "memory size \"\(text)\" is not a whole number of bytes (\(bytes))")
        }
        return Int(bytes)
    }
}

// MARK: - Reading

extension YAMLValue {
    /// A memory size in bytes, at least 1: an unquoted integer, or a string with a unit such as
    /// `"512MB"` or `"1GiB"` (see ``ByteSize``).
    func memorySize() -> Int? {
        if let text = plainText, let number = Self.parseDouble(text) {
            guard let bytes = Int(text.replacing("_", with: "")) ?? Int(exactly: number) else {
                report("must be a whole number of bytes, got \(text)")
                return nil
            }
            return checkPositive(bytes, written: text)
        }
        guard let scalar, !isNull else {
            reportType("a memory size (bytes, or a string such as \"512MB\")")
            return nil
        }
        do {
            return checkPositive(try ByteSize.bytes(from: scalar.string), written: "\"\(scalar.string)\"")
        } catch {
            report(error.message)
            return nil
        }
    }

    private func checkPositive(_ bytes: Int, written: String) -> Int? {
        guard bytes > 0 else {
            report("must be greater than 0 bytes, got \(written); leave max_memory out for no limit")
            return nil
        }
        return bytes
    }
}
