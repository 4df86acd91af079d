// ScenarioDuration.swift — durations written as seconds or as a number with a unit ("500ms").

import Sim

// MARK: - ScenarioDuration

/// Parsing of duration strings such as `"500ms"`, `"30s"`, `"5m"`, `"1h"` or `"1.5s"`.
///
/// A bare number in YAML is read as seconds by the scenario reader; this type handles the
/// string form, which needs a unit (see ``TimeUnit``).
public enum ScenarioDuration {
    /// The longest duration any key accepts, in seconds: ten 365-day years (3.2 × 10¹⁷ ns).
    /// A ``SimTime`` (Int64 nanoseconds) holds about 292 years, so a run's horizon plus any
    /// handful of such durations (a timeout, a cooldown, a startup delay) stays far inside it.
    /// Time parameters of distributions (means, scales, bounds) share the bound; a sampled time
    /// beyond the horizon saturates (``SimClock/time(seconds:)``) and never fires.
    public static let maximumSeconds: Double = 315_360_000

    /// A duration that cannot be read, with a message meant for the user.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, e.g. `unknown unit 'sec' in "5sec"; use one of ns, us, ms, s, m, h`.
        public let message: String
        /// The message.
        public var description: String { message }
    }

    /// The seconds `text` denotes: a number followed by a unit, spaces allowed in between.
    /// Negative and non-finite amounts are rejected.
    public static func seconds(from text: String) throws(ParseError) -> Double {
        let trimmed = text.trimmingWhitespace()
        let (number, rest) = splitNumber(trimmed)
        let unitText = rest.trimmingWhitespace()
        let example = "expected a number with a unit (\(TimeUnit.list)), e.g. \"500ms\" or \"30s\""
        guard !number.isEmpty, let amount = Double(number.replacing("_", with: "")) else {
            throw ParseError(message: "\"\(text)\" is not a duration; \(example)")
        }
        guard amount.isFinite else {
            throw ParseError(message: "duration \"\(text)\" must be finite")
        }
        guard !unitText.isEmpty else {
            throw ParseError(message: "duration \"\(text)\" has no unit; \(example)")
        }
        guard let unit = TimeUnit(rawValue: String(unitText)) else {
            throw ParseError(message: "unknown unit '\(unitText)' in \"\(text)\"; use one of \(TimeUnit.list)")
        }
        guard amount >= 0 else {
            throw ParseError(message: "duration must not be negative, got \"\(text)\"")
        }
        return unit.seconds(amount)
    }

    /// The simulated time `text` denotes, rounded to the nanosecond with `SimClock.time(seconds:)`.
    public static func time(from text: String) throws(ParseError) -> SimTime {
        try time(seconds: seconds(from: text), written: "\"\(text)\"")
    }

    /// `seconds` as a ``SimTime``, rejecting negative, non-finite and too long values.
    /// `written` is how the value appears in messages.
    public static func time(seconds: Double, written: String) throws(ParseError) -> SimTime {
        guard seconds.isFinite else {
            throw ParseError(message: "duration must be finite, got \(written)")
        }
        guard seconds >= 0 else {
            throw ParseError(message: "duration must not be negative, got \(written)")
        }
        guard seconds <= maximumSeconds else {
            throw ParseError(message: "too large (max \(maximumText)), got \(written)")
        }
        return SimClock.time(seconds: seconds)
    }

    /// `315360000 s (10 years)`, for messages.
    public static let maximumText = "315360000 s, 10 years"

    // MARK: Helpers

    /// Splits a leading decimal number (sign, digits, `.`, `_`, exponent) from the rest.
    static func splitNumber(_ text: Substring) -> (number: Substring, rest: Substring) {
        var index = text.startIndex
        var previous: Character?
        while index < text.endIndex {
            let character = text[index]
            let isSign = character == "+" || character == "-"
            let signAllowed = previous == nil || previous == "e" || previous == "E"
            let isExponent = (character == "e" || character == "E") && previous?.isNumber == true
            guard character.isASCII && (character.isNumber || character == "." || character == "_"
                                        || (isSign && signAllowed) || isExponent) else { break }
            previous = character
            index = text.index(after: index)
        }
        return (text[..<index], text[index...])
    }
}

// MARK: - String trimming

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> Substring {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}
