// ChartTests.swift — the chart model of report.html: ticks, scales, axis units, paths, SVG.

import Testing
@testable import Reports

@Suite struct ChartTests {
    // MARK: Ticks and scales

    @Test func niceTicksCoverTheDataWithRoundSteps() {
        let ticks = NiceTicks(low: 0, high: 0.87, count: 5)
        #expect(ticks.step == 0.2)
        #expect(ticks.values.count == 6 && ticks.values.first == 0 && abs(ticks.values.last! - 1) < 1e-12)
        #expect(ticks.domain.lowerBound == 0 && abs(ticks.domain.upperBound - 1) < 1e-12)
        let wide = NiceTicks(low: 3, high: 5_523, count: 5)
        #expect(wide.step == 2_000 && wide.values == [0, 2_000, 4_000, 6_000])
        #expect(NiceTicks(low: 0, high: 23, count: 5).step == 5)
        #expect(NiceTicks.niceStep(0.24) == 0.25 && NiceTicks.niceStep(7) == 10 && NiceTicks.niceStep(1) == 1)
    }

    @Test func aFlatOrEmptyRangeStillGetsAnAxis() {
        let flat = NiceTicks(low: 4, high: 4)
        #expect(flat.domain.lowerBound < 4 && flat.domain.upperBound > 4 && flat.values.count >= 2)
        let zero = NiceTicks(low: 0, high: 0)
        #expect(zero.domain == 0...1)
        let broken = NiceTicks(low: .nan, high: .infinity)
        #expect(broken.values.allSatisfy(\.isFinite) && broken.values.count >= 2)
    }

    @Test func timeTicksAreClockFriendly() {
        let flagship = NiceTicks(seconds: 2_280)  // 38 minutes
        #expect(flagship.step == 300 && flagship.values.first == 0 && flagship.values.last == 2_100)
        #expect(flagship.domain == 0...2_280)
        #expect(NiceTicks(seconds: 120).step == 15)
        #expect(NiceTicks(seconds: 3_600).step == 600)
    }

    @Test func linearScaleMapsAndReverses() {
        let y = LinearScale(domain: 0...10, range: (200, 0))
        #expect(y(0) == 200 && y(10) == 0 && y(2.5) == 150)
        #expect(LinearScale(domain: 5...5, range: (0, 100))(5) == 50)
    }

    @Test func axisUnitFollowsTheLargestValue() {
        #expect(AxisUnit(.duration, largest: 0.8).name == "ms")
        #expect(AxisUnit(.duration, largest: 3).name == "s")
        #expect(AxisUnit(.duration, largest: 0.0004).name == "µs")
        #expect(AxisUnit(.duration, largest: 900).name == "min")
        #expect(AxisUnit(.fraction, largest: 0.95).factor == 0.01)
        #expect(AxisUnit(.rate("req/s"), largest: 10).title("API requests") == "API requests (req/s)")
        #expect(AxisUnit(.count, largest: 10).title("instances") == "instances")
        #expect(AxisUnit(.count, largest: 1).tick(12_000) == "12,000" && AxisUnit(.count, largest: 1).tick(0.30000000000000004) == "0.3")
    }

    // MARK: Paths

    static let axis = ChartSVG.FittedAxis(ChartAxis(label: "v", unit: .count), values: [0, 10],
                                          plot: ChartSVG.Plot(left: 0, right: 100, top: 0, bottom: 100))
    static let x = LinearScale(domain: 0...100, range: (0, 100))

    @Test func aLineBreaksAtMissingWindowsAndDotsALonePoint() {
        let line = ChartLine(label: "l", color: 0, points: [
            ChartPoint(time: 10, value: 1), ChartPoint(time: 20, value: nil),
            ChartPoint(time: 30, value: 2), ChartPoint(time: 40, value: 5),
        ])
        #expect(ChartSVG.linePath(line, x: Self.x, axis: Self.axis) == "M10 90 l0 0 M30 80 L40 50")
    }

    @Test func aBandGoesUpAlongTheTopAndBackAlongTheBottom() {
        let line = ChartLine(label: "l", color: 0, points: [
            ChartPoint(time: 10, value: 5, band: 4...6), ChartPoint(time: 20, value: 5, band: 3...7),
            ChartPoint(time: 30, value: nil), ChartPoint(time: 40, value: 1, band: 0...2),
        ])
        #expect(ChartSVG.bandPath(line, x: Self.x, axis: Self.axis)
                == "M10 40 L20 30 L20 70 L10 60 Z M40 80 L40 100 Z")
    }

    // MARK: SVG

    @Test func theSVGDrawsEveryPartAndEscapesItsText() {
        let chart = Chart(
            id: "t", title: "Latency <p95>", duration: 600, left: ChartAxis(label: "latency", unit: .duration),
            right: ChartAxis(label: "requests", unit: .rate("req/s")),
            lines: [
                ChartLine(label: "p95 & more", color: 0, points: [ChartPoint(time: 30, value: 0.2, band: 0.1...0.3),
                                                                   ChartPoint(time: 90, value: 0.6, band: 0.5...0.7)]),
                ChartLine(label: "rate", side: .right, color: 1, dashed: true,
                          points: [ChartPoint(time: 30, value: 100), ChartPoint(time: 90, value: 120)]),
            ],
            thresholds: [ChartThreshold(value: 0.5, label: "p95(api.latency) < 500ms")],
            regions: [ChartRegion(kind: .breach, start: 60, end: 120, label: "breach"),
                      ChartRegion(kind: .fault, start: 500, end: 900, label: "crash")],
            markers: [ChartMarker(time: 60, label: "cpu-target-70 2→3")])
        let svg = ChartSVG(chart: chart).svg
        #expect(svg.hasPrefix("<svg class=\"chart\" viewBox=\"0 0 760 320\""))
        #expect(!svg.contains("<p95>") && svg.contains("Latency &lt;p95&gt;") && svg.contains("p95 &amp; more"))
        #expect(svg.components(separatedBy: "<path class=\"series").count - 1 == 2)
        #expect(svg.contains("<path class=\"series c1 dashed\""))
        #expect(svg.contains("<path class=\"band c0\""))
        #expect(svg.contains("class=\"threshold\"") && svg.contains("p95(api.latency) &lt; 500ms"))
        #expect(svg.contains("<rect class=\"region breach\"") && svg.contains("<rect class=\"region fault\""))
        #expect(svg.contains("cpu-target-70 2→3"))
        #expect(svg.contains("latency (ms)") && svg.contains("requests (req/s)") && svg.contains("simulated time (m:ss)"))
        #expect(svg.contains(">10:00</text>"))  // the last time tick
        for legend in ["p95 &amp; more", "rate (right axis)", "95 % band across replications", "KPI threshold",
                       "KPI breached", "fault", "event (labelled)"] {
            #expect(svg.contains(">\(legend)</text>"), "legend lacks \(legend)")
        }
        // The fault region is clipped to the plot: it starts at 500 s and ends at the axis end.
        let fault = try! #require(svg.firstMatch(of: /<rect class="region fault" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"/))
        #expect(abs(Double(fault.1)! + Double(fault.2)! - (760 - 70)) < 0.2)
    }

    @Test func htmlEscapingCoversMarkupAndQuotes() {
        #expect(HTMLText.escape("<script>alert('x' & \"y\")</script>")
                == "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;")
        #expect(HTMLText.coordinate(12.345) == "12.3" && HTMLText.coordinate(-2) == "-2" && HTMLText.coordinate(.nan) == "0")
    }
}
