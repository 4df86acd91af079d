// CloudWatchAlarm.swift — a metric alarm evaluated over M-of-N one-minute datapoints.
//
// Semantics (Amazon CloudWatch, "Using Amazon CloudWatch alarms" and "Configuring how CloudWatch
// alarms treat missing data"): an alarm looks at its most recent N evaluation periods and goes to
// ALARM when at least M ("datapoints to alarm") of them breach the threshold. Missing datapoints
// are handled by the alarm's TreatMissingData setting; the default, `missing`, ignores them and
// reports INSUFFICIENT_DATA when every datapoint in the range is missing.

import Sim

// MARK: - Alarm state

/// The state of a CloudWatch alarm.
public enum AlarmState: Sendable, Equatable {
    /// The metric is within the threshold.
    case ok
    /// At least M of the last N datapoints breach the threshold.
    case alarm
    /// Not enough data to decide (every datapoint in the evaluation range is missing).
    case insufficientData
}

// MARK: - Comparison

/// How an alarm compares a datapoint with its threshold; a datapoint that satisfies the
/// comparison is *breaching*.
public enum AlarmComparison: Sendable, Equatable {
    case greaterThan
    case greaterThanOrEqual
    case lessThan
    case lessThanOrEqual

    /// Whether `value` breaches `threshold` under this comparison.
    @inlinable
    public func breaches(_ value: Double, threshold: Double) -> Bool {
        switch self {
        case .greaterThan: value > threshold
        case .greaterThanOrEqual: value >= threshold
        case .lessThan: value < threshold
        case .lessThanOrEqual: value <= threshold
        }
    }
}

// MARK: - Missing data

/// How an alarm treats a period with no datapoint (CloudWatch's `TreatMissingData`).
public enum MissingDataTreatment: Sendable, Equatable {
    /// Missing datapoints are not considered; all missing → INSUFFICIENT_DATA (the default).
    case missing
    /// Missing datapoints leave the alarm in its current state when all are missing.
    case ignore
    /// Missing datapoints count as breaching.
    case breaching
    /// Missing datapoints count as within the threshold.
    case notBreaching
}

// MARK: - Alarm

/// A CloudWatch metric alarm: `metric <comparison> threshold` for M of the last N periods.
///
/// The alarm is a pure configuration; ``evaluate(_:previous:)`` computes its state from a
/// datapoint series, so callers keep the state themselves.
public struct CloudWatchAlarm: Sendable, Equatable {
    /// The metric the alarm watches.
    public var metric: ScalingMetric
    /// How a datapoint is compared with ``threshold``.
    public var comparison: AlarmComparison
    /// The threshold, in the metric's unit.
    public var threshold: Double
    /// M: how many breaching datapoints in the range put the alarm in ALARM.
    public var datapointsToAlarm: Int
    /// N: how many of the most recent periods are evaluated.
    public var evaluationPeriods: Int
    /// How periods without a datapoint are treated.
    public var missingData: MissingDataTreatment

    /// Creates an alarm. With `datapointsToAlarm` omitted, every evaluated period must breach
    /// (CloudWatch's default M = N).
    ///
    /// - Precondition: `1 ≤ datapointsToAlarm ≤ evaluationPeriods`.
    public init(
        metric: ScalingMetric,
        comparison: AlarmComparison,
        threshold: Double,
        datapointsToAlarm: Int? = nil,
        evaluationPeriods: Int,
        missingData: MissingDataTreatment = .missing
    ) {
        let m = datapointsToAlarm ?? evaluationPeriods
        precondition(evaluationPeriods >= 1 && m >= 1 && m <= evaluationPeriods,
                     "CloudWatchAlarm: need 1 ≤ datapointsToAlarm ≤ evaluationPeriods")
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.datapointsToAlarm = m
        self.evaluationPeriods = evaluationPeriods
        self.missingData = missingData
    }

    /// The alarm's state after evaluating the most recent ``evaluationPeriods`` datapoints of
    /// `series` (oldest first; one datapoint per period).
    ///
    /// A series shorter than N counts the absent periods as missing, as at the start of a run.
    /// `previous` matters only for ``MissingDataTreatment/ignore``.
    public func evaluate<Series: BidirectionalCollection>(
        _ series: Series,
        previous: AlarmState = .insufficientData
    ) -> AlarmState where Series.Element == MetricDatapoint {
        let window = series.suffix(evaluationPeriods)
        var breaching = 0
        var present = 0
        for datapoint in window {
            guard let value = datapoint[metric] else { continue }
            present += 1
            if comparison.breaches(value, threshold: threshold) { breaching += 1 }
        }
        let missing = evaluationPeriods - present
        switch missingData {
        case .breaching:
            breaching += missing
        case .notBreaching:
            break
        case .missing:
            if present == 0 { return .insufficientData }
        case .ignore:
            if present == 0 { return previous }
        }
        return breaching >= datapointsToAlarm ? .alarm : .ok
    }
}
