// KPITests.swift — KPI syntax, thresholds, pass/fail, and resolution to summary keys.

import Testing
@testable import Scenarios
import Sim

@Suite("KPI expressions")
struct KPITests {
    // MARK: Parsing

    @Test("every comparison", arguments: [
        ("api.response < 1", KPI.Comparison.lessThan),
        ("api.response <= 1", .lessThanOrEqual),
        ("api.response > 1", .greaterThan),
        ("api.response >= 1", .greaterThanOrEqual),
        ("api.response == 1", .equal),
        ("api.response != 1", .notEqual),
        ("api.response<=1", .lessThanOrEqual),
    ])
    func comparison(text: String, op: KPI.Comparison) throws {
        let kpi = try KPI(parsing: text)
        #expect(kpi.op == op)
        #expect(kpi.metric == "api.response")
        #expect(kpi.aggregate == nil)
        #expect(kpi.threshold == 1)
        #expect(kpi.expression == text)
    }

    @Test("every unit", arguments: [
        ("x.response < 3", 3.0, KPI.Unit.none),
        ("x.response < 10ns", 1e-8, .time(.nanoseconds)),
        ("x.response < 500us", 0.0005, .time(.microseconds)),
        ("x.response < 50ms", 0.05, .time(.milliseconds)),
        ("x.response < 2s", 2, .time(.seconds)),
        ("x.response < 1.5m", 90, .time(.minutes)),
        ("x.response < 1h", 3600, .time(.hours)),
        ("x.utilization < 95%", 0.95, .percent),
        ("x.utilization < 90 %", 0.9, .percent),
        ("x.throughput > -2.5e1", -25, .none),
    ])
    func unit(text: String, threshold: Double, unit: KPI.Unit) throws {
        let kpi = try KPI(parsing: text)
        #expect(kpi.threshold == threshold)
        #expect(kpi.unit == unit)
    }

    @Test("every aggregate", arguments: KPI.Aggregate.allCases)
    func aggregate(_ aggregate: KPI.Aggregate) throws {
        let kpi = try KPI(parsing: "\(aggregate.rawValue)( cache.hit ) >= 0.95")
        #expect(kpi.aggregate == aggregate)
        #expect(kpi.metric == "cache.hit")
        #expect(kpi.op == .greaterThanOrEqual)
        #expect(kpi.threshold == 0.95)
    }

    @Test("bad syntax", arguments: [
        ("", "expected a metric such as 'api.response' or 'p95(api.response)' in \"\"", 0),
        ("(api.response) < 1", "expected a metric such as 'api.response' or 'p95(api.response)' in \"(api.response) < 1\"", 0),
        ("p95(api.response < 2s", "expected ')' after 'p95(api.response'", 17),
        ("p97(api.response) < 1", "unknown aggregate 'p97'; allowed: mean, p50, p90, p95, p99, max, rate", 0),
        ("p95() < 1", "expected a metric name inside 'p95( )'", 4),
        ("api.response 2s", "expected a comparison (<, <=, >, >=, ==, !=) after 'api.response', found '2'", 13),
        ("api.response", "expected a comparison (<, <=, >, >=, ==, !=) after 'api.response', found the end of the expression", 12),
        ("api.response = 2", "'=' is not a comparison; use '==' (or one of <, <=, >, >=, ==, !=)", 13),
        ("api.response < fast", "expected a threshold number after the comparison, found 'fast'", 15),
        ("api.response <", "expected a threshold number after the comparison, found the end of the expression", 14),
        ("api.response < 2parsecs", "unknown unit 'parsecs' after 2; use ns, us, ms, s, m, h, % or none", 16),
    ])
    func badSyntax(text: String, message: String, offset: Int) {
        #expect(throws: KPIError(message: message, offset: offset)) {
            try KPI(parsing: text)
        }
    }

    // MARK: Pass and fail

    @Test func passesComparesAndNaNNeverPasses() throws {
        func passes(_ text: String, _ value: Double) throws -> Bool {
            try KPI(parsing: text).passes(value)
        }
        #expect(try passes("a.b < 2s", 1.999))
        #expect(try !passes("a.b < 2s", 2))
        #expect(try passes("a.b <= 2s", 2))
        #expect(try !passes("a.b <= 2s", 2.001))
        #expect(try passes("a.b > 90%", 0.91))
        #expect(try !passes("a.b > 90%", 0.9))
        #expect(try passes("a.b >= 90%", 0.9))
        #expect(try passes("a.b == 3", 3))
        #expect(try !passes("a.b == 3", 3.5))
        #expect(try passes("a.b != 3", 3.5))
        #expect(try !passes("a.b != 3", 3))
        for op in KPI.Comparison.allCases {
            #expect(try !passes("a.b \(op.rawValue) 1", .nan), "\(op.rawValue) with NaN")
        }
    }

    // MARK: Network metrics

    static let spec = NetworkSpec(
        name: "n", seed: 1, duration: seconds(10), warmup: .fixed(0), replications: 1,
        stations: [.init(name: "api", servers: 1, discipline: .fifo, service: .exponential(mean: 1))],
        routes: [[]],
        openClasses: [.init(name: "web", station: 0, interarrival: .exponential(mean: 2))],
        closedClasses: [.init(name: "users", population: 5, think: .constant(1), station: 0)])

    @Test("network summary keys", arguments: [
        ("api.response < 1s", "stations.api.response"),
        ("mean(api.response) < 1s", "stations.api.response"),
        ("p50(api.response) < 1s", "stations.api.p50_response"),
        ("p90(api.response) < 1s", "stations.api.p90_response"),
        ("p95(api.response) < 1s", "stations.api.p95_response"),
        ("p99(api.response) < 1s", "stations.api.p99_response"),
        ("mean(api.wait) <= 50ms", "stations.api.wait"),
        ("api.utilization < 0.9", "stations.api.utilization"),
        ("api.utilization < 90%", "stations.api.utilization"),
        ("api.throughput > 100", "stations.api.throughput"),
        ("api.queue_length < 4", "stations.api.queue_length"),
        ("web.response < 2s", "classes.web.response"),
        ("p99(users.response) < 2s", "classes.users.p99_response"),
        ("users.throughput > 100", "classes.users.throughput"),
    ])
    func networkKey(text: String, key: String) throws {
        #expect(networkMetricKey(for: try KPI(parsing: text), spec: Self.spec) == key)
    }

    @Test("metrics and aggregates the network does not offer", arguments: [
        ("api.latency < 1", "unknown metric 'api.latency'; valid metrics for 'api': api.response, api.wait, api.utilization, api.throughput, api.queue_length"),
        ("ap.response < 1", "unknown metric 'ap.response'; did you mean 'api.response'?"),
        ("cache.hit < 1", "unknown metric 'cache.hit'; valid metrics: api.response, api.wait, api.utilization, api.throughput, api.queue_length, web.response, web.throughput, users.response, users.throughput"),
        ("max(api.response) < 1", "aggregate 'max' is not available for 'api.response'; use mean, p50, p90, p95, p99"),
        ("p95(api.wait) < 1", "aggregate 'p95' is not available for 'api.wait'; use mean"),
        ("rate(web.throughput) > 1", "aggregate 'rate' is not available for 'web.throughput'; use mean"),
        ("api.utilization < 2s", "'api.utilization' is not a time, so the threshold cannot be in 's'; write a fraction or a percentage"),
        ("api.throughput > 5ms", "'api.throughput' is not a time, so the threshold cannot be in 'ms'; write a plain number"),
        ("api.response < 5%", "'api.response' is not a fraction, so the threshold cannot be a percentage; write a time such as 2s or 50ms"),
    ])
    func rejectedByNetworkCatalogue(text: String, message: String) throws {
        let kpi = try KPI(parsing: text)
        #expect(throws: KPIError(message: message)) {
            try MetricCatalogue.network(Self.spec).resolve(kpi)
        }
        #expect(networkMetricKey(for: kpi, spec: Self.spec) == nil)
    }

    // MARK: In a file

    @Test func kpiErrorsPointAtTheListItem() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: kpis
            duration: 10
            stations:
              - {name: api, service: {distribution: exponential, mean: 1}}
            arrivals:
              - {class: web, station: api, interarrival: {distribution: exponential, mean: 2}}
            kpis:
              - p95(api.respnse) < 2s
              - web.throughput > 0.4
              - "api.response 2s"
              - [p95]
            """)
        #expect(errors == [
            "9:5: kpis[0]: \"p95(api.respnse) < 2s\": unknown metric 'api.respnse'; did you mean 'api.response'?",
            "11:5: kpis[2]: \"api.response 2s\" at character 14: expected a comparison (<, <=, >, >=, ==, !=) after 'api.response', found '2'",
            "12:5: kpis[3]: expected a string, got a list",
        ])
    }
}
