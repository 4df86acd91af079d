// TimeUnit.swift — the time units scenario files accept, shared by durations and KPI thresholds.

// MARK: - TimeUnit

/// A time unit written after a number: `ns`, `us`, `ms`, `s`, `m` (minutes) or `h`.
public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
    case nanoseconds = "ns"
    case microseconds = "us"
    case milliseconds = "ms"
    case seconds = "s"
    case minutes = "m"
    case hours = "h"

    /// `amount` of this unit, in seconds. Sub-second units divide, so that e.g. 250 ms is
    /// exactly the double nearest 0.25.
    public func seconds(_ amount: Double) -> Double {
        switch self {
        case .nanoseconds: amount / 1e9
        case .microseconds: amount / 1e6
        case .milliseconds: amount / 1e3
        case .seconds: amount
        case .minutes: amount * 60
        case .hours: amount * 3600
        }
    }

    /// `ns, us, ms, s, m, h`, for messages.
    static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
