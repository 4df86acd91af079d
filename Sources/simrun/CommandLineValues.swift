import ArgumentParser
import Scenarios

// MARK: - Numeric options

/// Parsing of numeric options with simrun's own messages. The options are parsed
/// `.unconditional`ly, so `--seed -1` reaches these checks instead of reading as a missing value.
enum CommandLineValues {
    /// A root seed: a decimal integer from 0 to 2⁶⁴ − 1.
    static func seed(_ text: String) throws -> UInt64 {
        if let value = UInt64(text) { return value }
        if isInteger(text) {
            throw ValidationError(text.hasPrefix("-")
                ? "--seed must be a non-negative integer, got \(text)"
                : "--seed is too large (max \(UInt64.max)), got \(text)")
        }
        throw ValidationError("--seed must be a non-negative integer, got '\(text)'")
    }

    /// A positive count (`--replications`, `--threads`, `--runs`) up to `maximum`.
    static func count(_ text: String, option: String, maximum: Int = maximumCount) throws -> Int {
        if let value = Int(text), value >= 1 {
            guard value <= maximum else {
                throw ValidationError("\(option) is too large (max \(maximum)), got \(text)")
            }
            return value
        }
        if isInteger(text), !text.hasPrefix("-"), text != "0" {
            throw ValidationError("\(option) is too large (max \(maximum)), got \(text)")
        }
        throw ValidationError("\(option) must be a positive integer, got '\(text)'")
    }

    /// A count that may be 0 (`--shrink-attempts`), up to ``maximumCount``.
    static func nonNegativeCount(_ text: String, option: String) throws -> Int {
        text == "0" ? 0 : try count(text, option: option)
    }

    /// The largest `--replications` or `--threads` accepted.
    static let maximumCount = 10_000

    private static func isInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    // MARK: Parameters

    /// `--param KEYPATH=VALUE` of `simrun run` (one value).
    static func setting(_ text: String) throws -> ParameterSetting {
        do {
            return try ParameterSetting(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `--param KEYPATH=V1,V2,…` of `simrun sweep`.
    static func sweepParameter(_ text: String) throws -> SweepParameter {
        do {
            return try SweepParameter(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `--shard i/n`.
    static func shard(_ text: String) throws -> Shard {
        do {
            return try Shard(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
