// FormatTests.swift — figures with units and a sensible precision, the same in every locale.

import Testing
@testable import Reports
import Scenarios

@Suite struct FormatTests {
    // MARK: Units

    @Test("durations", arguments: [
        (0.3139, "314 ms"), (1.2, "1.2 s"), (1.204, "1.2 s"), (0.01982, "19.8 ms"),
        (0.00085, "850 µs"), (4.2e-8, "42 ns"), (0.9996, "1 s"), (0.0009996, "1 ms"),
        (59.96, "1 min"), (90, "1.5 min"), (2280, "38 min"), (7200, "2 h"), (0, "0 s"),
        (-0.012, "-12 ms"), (360_000_000, "100,000 h"),
    ])
    func duration(seconds: Double, text: String) {
        #expect(Format.value(seconds, .duration) == text)
    }

    @Test("fractions as percentages", arguments: [
        (0.9347387619087724, "93.5 %"), (0.95, "95 %"), (1, "100 %"), (0, "0 %"),
        (0.001473, "0.147 %"), (0.0147, "1.47 %"), (0.99996, "99.996 %"), (0.9995, "99.95 %"),
        (-0.0153, "-1.53 %"), (1e-9, "1.00e-07 %"),
    ])
    func fraction(value: Double, text: String) {
        #expect(Format.value(value, .fraction) == text)
    }

    @Test("rates, counts, dollars, plain numbers", arguments: [
        (5523.4, DisplayUnit.rate("req/s"), "5,523 req/s"), (12.34, .rate("req/s"), "12.3 req/s"),
        (2.5, .rate("/s"), "2.5/s"), (12000, .rate("IOPS"), "12,000 IOPS"),
        (5_548_521, .count, "5,548,521"), (118_812.5, .count, "118,813"), (64.79, .count, "64.8"),
        (0.5, .count, "0.5"), (-1234, .count, "-1,234"),
        (2.691, .dollars, "$2.69"), (1234.5, .dollars, "$1,234.50"), (0.004, .dollars, "$0.004"),
        (-2.691, .dollars, "-$2.69"), (0, .dollars, "$0.00"),
        (0.12345, .number, "0.1235"), (12345.6, .number, "12,346"), (2.5e-6, .number, "2.500e-06"),
        (1e20, .number, "1.000e+20"),
    ])
    func other(value: Double, unit: DisplayUnit, text: String) {
        #expect(Format.value(value, unit) == text)
    }

    @Test func nonFiniteValuesAreMarked() {
        for unit in [DisplayUnit.duration, .fraction, .rate("req/s"), .count, .dollars, .number] {
            #expect(Format.value(.nan, unit) == "–")
            #expect(Format.value(.infinity, unit) == "∞")
            #expect(Format.value(-.infinity, unit) == "-∞")
            #expect(Format.estimate(.nan, halfWidth: 1, unit) == "–")
        }
        #expect(Format.difference(.nan, .duration) == "–")
        #expect(Format.difference(.infinity, .duration) == "+∞")
    }

    // MARK: Estimates and differences

    @Test func halfWidthsShareTheMeansUnit() {
        #expect(Format.estimate(0.3139, halfWidth: 0.2615, .duration) == "314 ± 262 ms")
        #expect(Format.estimate(1.702, halfWidth: 0.1732, .duration) == "1.7 ± 0.17 s")
        #expect(Format.estimate(0.01982, halfWidth: 0, .duration) == "19.8 ± 0 ms")
        #expect(Format.estimate(0.9347, halfWidth: 0.0008699, .fraction) == "93.5 ± 0.087 %")
        #expect(Format.estimate(5_548_521, halfWidth: 33_540, .count) == "5,548,521 ± 33,540")
        #expect(Format.estimate(2.691, halfWidth: 0.0123, .dollars) == "$2.69 ± $0.01")
        #expect(Format.estimate(5523, halfWidth: 53.79, .rate("req/s")) == "5,523 ± 54 req/s")
        #expect(Format.estimate(0, halfWidth: 0.002, .duration) == "0 ± 2 ms")
        #expect(Format.estimate(0.3139, halfWidth: nil, .duration) == "314 ms")
        #expect(Format.estimate(0.001473, halfWidth: 2.543e-6, .fraction) == "0.147 ± 0.00025 %")
        #expect(Format.estimate(-0.5, halfWidth: 0.1, .duration) == "-500 ± 100 ms")
    }

    @Test func differencesAreSignedAndFractionsInPercentagePoints() {
        #expect(Format.difference(0.186, .duration) == "+186 ms")
        #expect(Format.difference(-0.0153, .fraction) == "-1.53 pp")
        #expect(Format.difference(0, .duration) == "0 s")
        #expect(Format.difference(-1234, .count) == "-1,234")
        #expect(Format.difference(0.0001, .dollars) == "+$0.0001")
    }

    @Test func clocksAndCounts() {
        #expect(Format.clock(480) == "8:00")
        #expect(Format.clock(479.9) == "7:59")
        #expect(Format.clock(3723) == "1:02:03")
        #expect(Format.clock(.nan) == "–")
        #expect(Format.count(1_000) == "1,000")
        #expect(Format.count(999) == "999")
        #expect(Format.count(-1_234_567) == "-1,234,567")
        #expect(Format.count(0) == "0")
    }

    // MARK: Rounding edges

    @Test func roundingEdges() {
        #expect(DecimalText.fixed(0.5, decimals: 0) == "1")        // half away from zero
        #expect(DecimalText.fixed(-0.5, decimals: 0) == "-1")
        #expect(DecimalText.fixed(-0.0004, decimals: 2) == "0.00")  // no "-0.00"
        #expect(DecimalText.fixed(999.996, decimals: 2) == "1,000.00")  // carry into a new group
        #expect(DecimalText.fixed(999_999.5, decimals: 0) == "1,000,000")
        #expect(DecimalText.significant(9.9996, 3) == "10")
        #expect(DecimalText.scientific(9.9996e3, significant: 3) == "1.00e+04")
        #expect(DecimalText.scientific(-1.5e-7, significant: 2) == "-1.5e-07")
        #expect(DecimalText.grouped("1234567") == "1,234,567")
        #expect(DecimalText.grouped("123") == "123")
    }

    // MARK: Units of summary figures

    @Test func summaryKeysGetTheirUnits() {
        let units = MetricUnits.taskSystem
        #expect(units.unit(forKey: "metrics.api.latency.p95") == .duration)
        #expect(units.unit(forKey: "api.latency.p95") == .duration)
        #expect(units.unit(forKey: "cache.hit_rate") == .fraction)
        #expect(units.unit(forKey: "api.throughput.max") == .rate("req/s"))
        #expect(units.unit(forKey: "db.qps") == .rate("queries/s"))
        #expect(units.unit(forKey: "db.iops.max") == .rate("IOPS"))
        #expect(units.unit(forKey: "cost.total") == .dollars)
        #expect(units.unit(forKey: "api.requests") == .count)
        #expect(units.unit(forKey: "db.replica.lag.max") == .duration)
        let network = MetricUnits(catalogue: .network(stations: ["api"], classes: ["web"]))
        #expect(network.unit(forKey: "stations.api.throughput") == .rate("/s"))
        #expect(network.unit(forKey: "stations.api.utilization") == .fraction)
        #expect(network.unit(forKey: "classes.web.p95_response") == .duration)
    }

    @Test func verdictsShowValueThresholdAndMargin() throws {
        let latency = KPIVerdict(kpi: try KPI(parsing: "p95(api.latency) < 500ms"), key: "metrics.api.latency.p95", value: 0.3139)
        let text = VerdictText(latency, units: .taskSystem)
        #expect(text.line == "pass  p95(api.latency) < 500ms  value 314 ms, threshold < 500 ms, margin +186 ms")
        let hits = KPIVerdict(kpi: try KPI(parsing: "rate(cache.hit) >= 0.95"), key: "metrics.cache.hit_rate", value: 0.9347387619087724)
        #expect(VerdictText(hits, units: .taskSystem).line
                == "FAIL  rate(cache.hit) >= 0.95  value 93.5 %, threshold >= 95 %, margin -1.53 pp")
        let missing = KPIVerdict(kpi: try KPI(parsing: "max(queue.depth) < 1000"), key: "metrics.queue.depth.max", value: .nan)
        #expect(VerdictText(missing, units: .taskSystem).line
                == "FAIL  max(queue.depth) < 1000  value –, threshold < 1,000, margin –")
    }
}
