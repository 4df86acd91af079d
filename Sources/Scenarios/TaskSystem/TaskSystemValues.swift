// TaskSystemValues.swift — small typed readers the task-system sections share: optional keys
// read over defaults, positive durations, probabilities, whole seconds, name-keyed mappings.

import Sim

// MARK: - Reading over defaults

extension YAMLMapping {
    /// When `key` is present, reads it with `read` and stores the result in `target`, which
    /// otherwise keeps its default. Returns `false` when the key is present but invalid (the
    /// problem has been reported).
    @discardableResult
    func read<Value>(_ key: String, into target: inout Value, _ read: (YAMLValue) -> Value?) -> Bool {
        guard let value = optional(key) else { return true }
        guard let result = read(value) else { return false }
        target = result
        return true
    }

    /// The entries whose key is one of `names`, in document order. Every other key is reported
    /// at the key as `unknown <what> '<key>'`, with the near name or the list of names; a key
    /// in `excluded` gets the message given there instead.
    func entries(named names: [String], what: String, excluded: [String: String] = [:]) -> [Entry] {
        entries.filter { entry in
            if names.contains(entry.key) { return true }
            let message = excluded[entry.key]
                ?? "unknown \(what) '\(entry.key)'" + Suggestions.hint(for: entry.key, in: names, fallbackLabel: "\(what)s")
            value.diagnostics.report(message, at: entry.keyMark, path: entry.value.path)
            return false
        }
    }
}

// MARK: - Typed values

extension YAMLValue {
    /// A duration greater than 0.
    func positiveDuration() -> SimTime? {
        guard let duration = duration() else { return nil }
        guard duration > 0 else {
            report("must be greater than 0")
            return nil
        }
        return duration
    }

    /// A whole number of seconds, at least 0 (a number or a duration string such as `"60s"`).
    func wholeSeconds() -> Int? {
        guard let duration = duration() else { return nil }
        guard duration % SimClock.nanosecondsPerSecond == 0 else {
            report("must be a whole number of seconds, got \(SimClock.seconds(duration)) s")
            return nil
        }
        return Int(duration / SimClock.nanosecondsPerSecond)
    }

    /// A time in seconds, at least 0: a number or a duration string such as `"20us"`.
    func nonNegativeSeconds() -> Double? {
        guard let seconds = seconds() else { return nil }
        guard seconds >= 0 else {
            report("must not be negative, got \(seconds)")
            return nil
        }
        guard seconds <= ScenarioDuration.maximumSeconds else {
            report("too large (max \(ScenarioDuration.maximumText)), got \(seconds)")
            return nil
        }
        return seconds
    }

    /// A finite number, at least 0.
    func nonNegativeNumber() -> Double? {
        guard let number = double() else { return nil }
        guard number >= 0 else {
            report("must not be negative, got \(number)")
            return nil
        }
        return number
    }

    /// A probability: a number in [0, 1].
    func probability() -> Double? {
        guard let number = double() else { return nil }
        guard (0...1).contains(number) else {
            report("a probability must be between 0 and 1, got \(number)")
            return nil
        }
        return number
    }

    /// `true`, `false`, or — for anything else — `nil` without reporting.
    var boolIfWritten: Bool? {
        switch plainText {
        case "true": true
        case "false": false
        default: nil
        }
    }
}
