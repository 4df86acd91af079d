import Foundation
import Sim

// MARK: - How many users are active over time

/// The number of concurrent users as a function of simulated time.
public enum LoadProfile: Sendable, Equatable {
    /// One level of a ``steps`` profile: from `at` on, `users` are active.
    public struct Step: Sendable, Equatable {
        public var at: SimTime
        public var users: Int
        public init(at: SimTime, users: Int) {
            self.at = at
            self.users = users
        }
    }

    /// The same number of users throughout.
    case constant(users: Int)
    /// Levels that hold from their time to the next (the first applies from time 0).
    case steps([Step])
    /// A linear ramp from `from` to `to` users between `start` and `start + over`.
    case ramp(from: Int, to: Int, start: SimTime, over: SimTime)
    /// A daily curve: `min` users at the trough, `max` at `peakAt` (mod `period`), cosine-shaped.
    case diurnal(min: Int, max: Int, period: SimTime, peakAt: SimTime)
    /// `base` users, jumping to `peak` at `at` for `hold`, then back to `base`.
    case flashCrowd(base: Int, peak: Int, at: SimTime, hold: SimTime)

    /// Users active at `time`.
    public func users(at time: SimTime) -> Int {
        switch self {
        case .constant(let users):
            return users
        case .steps(let steps):
            return steps.last { $0.at <= time }?.users ?? steps.first?.users ?? 0
        case .ramp(let from, let to, let start, let over):
            if time <= start { return from }
            if over <= 0 || time >= start + over { return to }
            let fraction = Double(time - start) / Double(over)
            return from + Int((Double(to - from) * fraction).rounded())
        case .diurnal(let low, let high, let period, let peakAt):
            let phase = Double((time - peakAt) % period) / Double(period)
            let level = (1 + cos(2 * Double.pi * phase)) / 2
            return low + Int((Double(high - low) * level).rounded())
        case .flashCrowd(let base, let peak, let at, let hold):
            return time >= at && time < at + hold ? peak : base
        }
    }

    /// The most users ever active (the processes the run starts).
    public var maxUsers: Int {
        switch self {
        case .constant(let users): users
        case .steps(let steps): steps.map(\.users).max() ?? 0
        case .ramp(let from, let to, _, _): Swift.max(from, to)
        case .diurnal(_, let high, _, _): high
        case .flashCrowd(let base, let peak, _, _): Swift.max(base, peak)
        }
    }
}
