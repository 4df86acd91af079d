// KPI.swift — a pass/fail objective on one metric, k6-threshold style: `p95(api.response) < 2s`.

// MARK: - KPI

/// A key performance indicator: `[aggregate(]metric[)] op number[unit]`, e.g.
/// `p95(api.response) < 2s`, `mean(db.wait) <= 50ms`, `api.utilization < 90%`.
///
/// Parsing (``init(parsing:)``) checks only the syntax; whether the metric exists for a
/// scenario and which summary value it reads is decided by a ``MetricCatalogue``.
public struct KPI: Sendable, Hashable, CustomStringConvertible {
    /// How a metric's samples are reduced to one number.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        case mean, p50, p90, p95, p99, max, rate
    }

    /// The comparison between the measured value (left) and the threshold (right).
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case lessThan = "<"
        case lessThanOrEqual = "<="
        case greaterThan = ">"
        case greaterThanOrEqual = ">="
        case equal = "=="
        case notEqual = "!="
    }

    /// The unit written after the threshold number.
    public enum Unit: Sendable, Hashable {
        /// A plain number.
        case none
        /// `%`: the number was divided by 100.
        case percent
        /// A time unit: the number was converted to seconds.
        case time(TimeUnit)
    }

    /// The text as written.
    public let expression: String
    /// The aggregate written around the metric, or `nil` (the catalogue's default then applies).
    public let aggregate: Aggregate?
    /// The metric name, e.g. `api.response`.
    public let metric: String
    /// The comparison.
    public let op: Comparison
    /// The threshold in base units: seconds for times, a fraction for `%`.
    public let threshold: Double
    /// The unit the threshold was written in.
    public let unit: Unit
    /// For a windowed KPI (`… over 1m windows`), the windows and how many may breach; `nil`
    /// for a KPI on the whole-run value.
    public let window: WindowRule?

    /// Creates a KPI from parts; `expression` is the text shown in reports.
    public init(expression: String, aggregate: Aggregate?, metric: String, op: Comparison,
                threshold: Double, unit: Unit = .none, window: WindowRule? = nil) {
        self.expression = expression
        self.aggregate = aggregate
        self.metric = metric
        self.op = op
        self.threshold = threshold
        self.unit = unit
        self.window = window
    }

    /// Whether `value` meets the objective. A NaN value (nothing measured) never passes.
    public func passes(_ value: Double) -> Bool {
        guard !value.isNaN else { return false }
        switch op {
        case .lessThan: return value < threshold
        case .lessThanOrEqual: return value <= threshold
        case .greaterThan: return value > threshold
        case .greaterThanOrEqual: return value >= threshold
        case .equal: return value == threshold
        case .notEqual: return value != threshold
        }
    }

    /// The expression as written.
    public var description: String { expression }
}

// MARK: - KPIError

/// A KPI that cannot be parsed or does not fit the scenario's metrics.
public struct KPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `unknown metric 'api.respnse'; did you mean 'api.response'?`.
    public let message: String
    /// The 0-based character offset in the expression where the problem starts, if known.
    public let offset: Int?

    /// Creates an error; `offset` is the 0-based character position in the expression.
    public init(message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    /// The message.
    public var description: String { message }
}
