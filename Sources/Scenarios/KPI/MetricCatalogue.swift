// MetricCatalogue.swift — the metrics a scenario kind offers to KPIs, and the summary key of each.

// MARK: - MetricCatalogue

/// The metrics KPIs may name for one scenario, each with the aggregates it supports and the
/// summary key each aggregate reads. Scenario kinds build their own (see
/// ``MetricCatalogue/network(stations:classes:)``).
public struct MetricCatalogue: Sendable, Hashable {
    /// What a metric measures; decides which threshold units make sense.
    public enum Quantity: Sendable, Hashable {
        /// A time in seconds: time units or a plain number of seconds.
        case time
        /// A fraction in [0, 1]: `%` or a plain number.
        case fraction
        /// Events per second: a plain number.
        case rate
        /// A count or average count: a plain number.
        case count
    }

    /// One metric.
    public struct Metric: Sendable, Hashable {
        /// The name KPIs use, e.g. `api.response`.
        public let name: String
        /// What it measures.
        public let quantity: Quantity
        /// The aggregate used when a KPI names none.
        public let defaultAggregate: KPI.Aggregate
        /// The summary key read for each supported aggregate.
        public let keys: [KPI.Aggregate: String]

        /// Creates a metric; `keys` must include `defaultAggregate`.
        public init(name: String, quantity: Quantity, defaultAggregate: KPI.Aggregate,
                    keys: [KPI.Aggregate: String]) {
            precondition(keys[defaultAggregate] != nil, "the default aggregate needs a key")
            self.name = name
            self.quantity = quantity
            self.defaultAggregate = defaultAggregate
            self.keys = keys
        }

        /// The supported aggregates, in ``KPI/Aggregate`` declaration order.
        public var aggregates: [KPI.Aggregate] { KPI.Aggregate.allCases.filter { keys[$0] != nil } }
    }

    /// The metrics, in the order given (used in messages).
    public let metrics: [Metric]
    private let indexByName: [String: Int]

    /// A catalogue of `metrics`; for a repeated name the first wins.
    public init(_ metrics: [Metric]) {
        self.metrics = metrics
        var index: [String: Int] = [:]
        for (position, metric) in metrics.enumerated() where index[metric.name] == nil {
            index[metric.name] = position
        }
        indexByName = index
    }

    /// The metric called `name`.
    public func metric(named name: String) -> Metric? {
        indexByName[name].map { metrics[$0] }
    }

    /// The summary key `kpi` reads, or `nil` when it does not fit this catalogue.
    public func key(for kpi: KPI) -> String? {
        try? resolve(kpi)
    }

    /// The summary key `kpi` reads; throws when the metric is unknown (naming the near metric
    /// or listing the valid ones), the aggregate unsupported, or the unit wrong for the metric.
    public func resolve(_ kpi: KPI) throws(KPIError) -> String {
        guard let metric = metric(named: kpi.metric) else {
            throw KPIError(message: unknownMetricMessage(kpi.metric))
        }
        let aggregate = kpi.aggregate ?? metric.defaultAggregate
        guard let key = metric.keys[aggregate] else {
            let allowed = metric.aggregates.map(\.rawValue).joined(separator: ", ")
            throw KPIError(message: "aggregate '\(aggregate.rawValue)' is not available for '\(metric.name)'; use \(allowed)")
        }
        try checkUnit(kpi.unit, for: metric)
        return key
    }

    // MARK: Messages

    private func unknownMetricMessage(_ name: String) -> String {
        let names = metrics.map(\.name)
        if let suggestion = Suggestions.closest(to: name, in: names) {
            return "unknown metric '\(name)'; did you mean '\(suggestion)'?"
        }
        // Same object (the part before the last '.'): list its statistics only.
        if let dot = name.lastIndex(of: ".") {
            let prefix = name[...dot]
            let siblings = names.filter { $0.hasPrefix(prefix) }
            if !siblings.isEmpty {
                return "unknown metric '\(name)'; valid metrics for '\(name[..<dot])': "
                    + siblings.joined(separator: ", ")
            }
        }
        return "unknown metric '\(name)'; valid metrics: " + names.joined(separator: ", ")
    }

    private func checkUnit(_ unit: KPI.Unit, for metric: Metric) throws(KPIError) {
        switch (unit, metric.quantity) {
        case (.none, _), (.time, .time), (.percent, .fraction):
            return
        case (.time(let timeUnit), _):
            throw KPIError(message: "'\(metric.name)' is not a time, so the threshold cannot be in '\(timeUnit.rawValue)'"
                           + (metric.quantity == .fraction ? "; write a fraction or a percentage" : "; write a plain number"))
        case (.percent, _):
            throw KPIError(message: "'\(metric.name)' is not a fraction, so the threshold cannot be a percentage"
                           + (metric.quantity == .time ? "; write a time such as 2s or 50ms" : "; write a plain number"))
        }
    }
}
