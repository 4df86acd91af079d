// WindowedKPI.swift — `p95(api.latency) < 500ms over 1m windows [at most 2 breaches |
// for at least 99% of windows]`: a KPI judged window by window, catching a sustained breach
// that the whole-run aggregate hides.

// MARK: - Window rule

/// The window clause of a KPI: the window length and how many windows may breach.
public struct WindowRule: Sendable, Hashable {
    /// How many windows may breach the threshold.
    public enum Allowance: Sendable, Hashable {
        /// `over 1m windows`: every window holds.
        case noBreach
        /// `… at most 2 breaches`: at most this many windows breach.
        case atMostBreaches(Int)
        /// `… for at least 99% of windows`: at least this fraction (0…1) of the measured windows hold.
        case atLeastFraction(Double)
    }

    /// The window length in seconds.
    public let seconds: Double
    public let allowance: Allowance

    public init(seconds: Double, allowance: Allowance = .noBreach) {
        self.seconds = seconds
        self.allowance = allowance
    }

    /// Parses `over 1m windows`, `over 1m windows at most 2 breaches`, `over 30s windows,
    /// for at least 99% of windows`; `offset` is where the clause starts in the expression.
    init(parsing clause: String, offset: Int) throws(KPIError) {
        let words = clause.replacingCommas().split(whereSeparator: \.isWhitespace).map(String.init)
        func fail(_ message: String) -> KPIError { KPIError(message: message, offset: offset) }
        let form = "write 'over 1m windows', optionally followed by 'at most 2 breaches' or 'for at least 99% of windows'"
        guard words.count >= 3, words[0] == "over", words[2] == "windows" || words[2] == "window" else {
            throw fail("expected a window clause such as 'over 1m windows' after the threshold; \(form)")
        }
        guard let length = Self.duration(words[1]), length > 0 else {
            throw fail("window length '\(words[1])' is not a positive duration such as 1m, 30s or 5m")
        }
        let rest = Array(words.dropFirst(3))
        let allowance: Allowance
        switch rest.count {
        case 0:
            allowance = .noBreach
        case 4 where rest[0] == "at" && rest[1] == "most" && (rest[3] == "breaches" || rest[3] == "breach"):
            guard let count = Int(rest[2]), count >= 0 else {
                throw fail("'at most \(rest[2]) breaches' needs a whole number ≥ 0")
            }
            allowance = .atMostBreaches(count)
        case 6 where rest[0] == "for" && rest[1] == "at" && rest[2] == "least" && rest[4] == "of" && rest[5] == "windows":
            guard rest[3].hasSuffix("%"), let percent = Double(rest[3].dropLast()), percent > 0, percent <= 100 else {
                throw fail("'for at least \(rest[3]) of windows' needs a percentage in (0, 100], such as 99%")
            }
            allowance = .atLeastFraction(percent / 100)
        default:
            throw fail("unexpected '\(rest.joined(separator: " "))' after 'over \(words[1]) windows'; \(form)")
        }
        self.init(seconds: length, allowance: allowance)
    }

    /// `1m` → 60, `30s` → 30, `1.5h` → 5400; `nil` when not a number with a time unit.
    private static func duration(_ text: String) -> Double? {
        for unit in TimeUnit.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
        where text.hasSuffix(unit.rawValue) {
            guard let amount = Double(text.dropLast(unit.rawValue.count)), amount.isFinite else { return nil }
            return unit.seconds(amount)
        }
        return nil
    }
}

private extension String {
    func replacingCommas() -> String { String(map { $0 == "," ? " " : $0 }) }
}

// MARK: - Judging windows

/// One window's value of the KPI's metric and aggregate (NaN: nothing measured in it).
public struct WindowValue: Sendable, Hashable {
    /// The window's start, in simulated seconds.
    public var start: Double
    public var value: Double

    public init(start: Double, value: Double) {
        self.start = start
        self.value = value
    }
}

/// A windowed KPI judged on per-window values.
public struct WindowedJudgement: Sendable, Hashable {
    /// Windows with a value (windows with nothing measured are left out).
    public let measuredWindows: Int
    /// Measured windows whose value failed the threshold.
    public let breaches: Int
    /// The window furthest on the failing side (the highest for `<`, the lowest for `>`), if any was measured.
    public let worst: WindowValue?
    public let passed: Bool
}

extension KPI {
    /// Judges this windowed KPI on `windows`, the per-window values of its metric and
    /// aggregate, whose length must be the rule's. Windows without a value are not counted;
    /// with no measured window at all the KPI fails (as a whole-run KPI with no value does).
    ///
    /// A task-system report passes the mean across replications of each window of the metric's
    /// series (`series` in `summary.json`).
    public func judge(windows: [WindowValue]) -> WindowedJudgement {
        let rule = window ?? WindowRule(seconds: .infinity)
        let measured = windows.filter { !$0.value.isNaN }
        let breaches = measured.filter { !passes($0.value) }.count
        let worst: WindowValue? = switch op {
        case .lessThan, .lessThanOrEqual: measured.max { $0.value < $1.value }
        case .greaterThan, .greaterThanOrEqual: measured.min { $0.value < $1.value }
        case .equal, .notEqual: measured.first { !passes($0.value) } ?? measured.first
        }
        let passed: Bool
        if measured.isEmpty {
            passed = false
        } else {
            switch rule.allowance {
            case .noBreach: passed = breaches == 0
            case .atMostBreaches(let allowed): passed = breaches <= allowed
            case .atLeastFraction(let fraction):
                passed = Double(measured.count - breaches) >= fraction * Double(measured.count) - 1e-9
            }
        }
        return WindowedJudgement(measuredWindows: measured.count, breaches: breaches, worst: worst, passed: passed)
    }

    /// The message for a windowed KPI in a scenario kind that records no per-window series
    /// (`kind: network`).
    public static let windowedNeedsSeries =
        "windowed KPIs ('over 1m windows') need per-window time series, which only task-system runs record; judge the whole-run value (drop the 'over …' clause)"
}
