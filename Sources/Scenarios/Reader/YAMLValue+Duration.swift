// YAMLValue+Duration.swift — reading times: a number of seconds or a string with a unit.

import Sim

// MARK: - Durations

extension YAMLValue {
    /// A non-negative simulated time: a number of seconds (`30`, `0.5`) or a string with a unit
    /// (`"500ms"`, `"30s"`, `"5m"`, `"1h"`), rounded to the nanosecond.
    func duration() -> SimTime? {
        do {
            if let text = plainText, let seconds = Self.parseDouble(text) {
                return try ScenarioDuration.time(seconds: seconds, written: text)
            }
            guard let scalar, !isNull else {
                reportType("a duration (seconds, or a string such as \"500ms\")")
                return nil
            }
            return try ScenarioDuration.time(from: scalar.string)
        } catch {
            report(error.message)
            return nil
        }
    }

    /// A time parameter in seconds: any finite number (range checks are left to the caller)
    /// or a non-negative duration string such as `"250ms"`.
    func seconds() -> Double? {
        if let text = plainText, Self.parseDouble(text) != nil {
            return double()
        }
        guard let scalar, !isNull else {
            reportType("a number of seconds or a duration such as \"250ms\"")
            return nil
        }
        do {
            return try ScenarioDuration.seconds(from: scalar.string)
        } catch {
            report(error.message)
            return nil
        }
    }
}
