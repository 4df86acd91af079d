// ChartSVG.swift — a Chart drawn as inline SVG: axes with nice ticks, lines, bands, regions,
// thresholds, markers and a legend. No script; styled by the page's CSS classes.

// MARK: - Drawing a chart

/// The SVG of one ``Chart``, laid out on a fixed 760 × 320 view box that the page scales to its
/// width. Classes (`series c0`, `band c0`, `region fault`, …) take their colours from
/// ``ChartPalette`` through the page's style sheet; the legend's samples carry `swatch` too.
struct ChartSVG {
    let chart: Chart

    static let width = 760.0
    static let height = 320.0
    /// The approximate width of a legend character at 12 px (for wrapping the legend).
    static let characterWidth = 6.4

    // MARK: Layout

    /// The plot area inside the view box.
    struct Plot {
        var left: Double, right: Double, top: Double, bottom: Double
    }

    /// One value axis, fitted to its data: unit, ticks and scale.
    struct FittedAxis {
        var axis: ChartAxis
        var unit: AxisUnit
        var ticks: NiceTicks
        var scale: LinearScale

        /// Fits `axis` to `values` (base units) over the plot's height.
        init(_ axis: ChartAxis, values: [Double], plot: Plot) {
            let finite = values.filter(\.isFinite)
            let largest = finite.map(abs).max() ?? 0
            let unit = AxisUnit(axis.unit, largest: largest)
            var low = (finite.min() ?? 0) / unit.factor
            let high = (finite.max() ?? 1) / unit.factor
            if axis.fromZero { low = min(low, 0) }
            let ticks = NiceTicks(low: low, high: high, count: 5)
            self.axis = axis
            self.unit = unit
            self.ticks = ticks
            self.scale = LinearScale(domain: ticks.domain, range: (plot.bottom, plot.top))
        }

        /// The y position of `value` in base units.
        func y(_ value: Double) -> Double { scale(value / unit.factor) }
    }

    // MARK: The SVG

    /// The whole `<svg>` element.
    var svg: String {
        let legend = legendItems
        let legendRows = Self.legendRows(legend)
        let top = 14 + 18 * Double(legendRows.count) + 8
        let plot = Plot(left: 70, right: Self.width - (chart.right == nil ? 24 : 70), top: top, bottom: Self.height - 46)
        let left = FittedAxis(chart.left, values: axisValues(.left), plot: plot)
        let right = chart.right.map { FittedAxis($0, values: axisValues(.right), plot: plot) }
        let ticks = NiceTicks(seconds: chart.duration)
        let x = LinearScale(domain: 0...max(chart.duration, 1e-9), range: (plot.left, plot.right))

        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" "
        out += "aria-label=\"\(HTMLText.escape(chart.title))\">\n"
        out += "<title>\(HTMLText.escape(chart.title))</title>\n"
        out += regions(x: x, plot: plot)
        out += grid(left: left, x: x, ticks: ticks, plot: plot)
        for (index, line) in chart.lines.enumerated() where line.hasBand {
            let axis = line.side == .left ? left : (right ?? left)
            out += "<path class=\"band c\(line.color)\" data-line=\"\(index)\" d=\"\(Self.bandPath(line, x: x, axis: axis))\"/>\n"
        }
        for threshold in chart.thresholds {
            let axis = threshold.side == .left ? left : (right ?? left)
            let y = HTMLText.coordinate(axis.y(threshold.value))
            out += "<line class=\"threshold\" x1=\"\(HTMLText.coordinate(plot.left))\" x2=\"\(HTMLText.coordinate(plot.right))\" y1=\"\(y)\" y2=\"\(y)\"/>\n"
            out += "<text class=\"threshold-label\" x=\"\(HTMLText.coordinate(plot.right - 4))\" y=\"\(HTMLText.coordinate(axis.y(threshold.value) - 4))\" text-anchor=\"end\">\(HTMLText.escape(threshold.label))</text>\n"
        }
        for (index, line) in chart.lines.enumerated() where line.hasData {
            let axis = line.side == .left ? left : (right ?? left)
            out += "<path class=\"series c\(line.color)\(line.dashed ? " dashed" : "")\" data-line=\"\(index)\" "
            out += "d=\"\(Self.linePath(line, x: x, axis: axis))\"><title>\(HTMLText.escape(line.label))</title></path>\n"
        }
        out += markers(x: x, plot: plot)
        out += axes(left: left, right: right, x: x, ticks: ticks, plot: plot)
        out += Self.legend(legendRows)
        return out + "</svg>"
    }

    /// Every value `side`'s axis must show: the lines' values and bands and the thresholds.
    private func axisValues(_ side: ChartAxis.Side) -> [Double] {
        var values: [Double] = []
        for line in chart.lines(on: side) {
            for point in line.points {
                if let value = point.value { values.append(value) }
                if let band = point.band { values += [band.lowerBound, band.upperBound] }
            }
        }
        return values + chart.thresholds.filter { $0.side == side }.map(\.value)
    }

    // MARK: Parts

    private func regions(x: LinearScale, plot: Plot) -> String {
        var out = ""
        for region in chart.regions {
            let start = min(max(x(region.start), plot.left), plot.right)
            let end = min(max(x(region.end), plot.left), plot.right)
            guard end > start else { continue }
            out += "<rect class=\"region \(region.kind.rawValue)\" x=\"\(HTMLText.coordinate(start))\" y=\"\(HTMLText.coordinate(plot.top))\" "
            out += "width=\"\(HTMLText.coordinate(end - start))\" height=\"\(HTMLText.coordinate(plot.bottom - plot.top))\">"
            out += "<title>\(HTMLText.escape(region.label))</title></rect>\n"
        }
        return out
    }

    private func grid(left: FittedAxis, x: LinearScale, ticks: NiceTicks, plot: Plot) -> String {
        var out = "<g class=\"grid\">"
        for value in left.ticks.values {
            let y = HTMLText.coordinate(left.scale(value))
            out += "<line x1=\"\(HTMLText.coordinate(plot.left))\" x2=\"\(HTMLText.coordinate(plot.right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
        }
        for value in ticks.values {
            let position = HTMLText.coordinate(x(value))
            out += "<line x1=\"\(position)\" x2=\"\(position)\" y1=\"\(HTMLText.coordinate(plot.top))\" y2=\"\(HTMLText.coordinate(plot.bottom))\"/>"
        }
        return out + "</g>\n"
    }

    private func markers(x: LinearScale, plot: Plot) -> String {
        var out = ""
        for marker in chart.markers {
            let position = x(marker.time)
            guard position >= plot.left - 0.5, position <= plot.right + 0.5 else { continue }
            let p = HTMLText.coordinate(position)
            out += "<g class=\"marker\"><line x1=\"\(p)\" x2=\"\(p)\" y1=\"\(HTMLText.coordinate(plot.top))\" y2=\"\(HTMLText.coordinate(plot.bottom))\"/>"
            out += "<text transform=\"translate(\(HTMLText.coordinate(position + 2.5)),\(HTMLText.coordinate(plot.top + 3))) rotate(90)\">"
            out += "\(HTMLText.escape(marker.label))</text></g>\n"
        }
        return out
    }

    private func axes(left: FittedAxis, right: FittedAxis?, x: LinearScale, ticks: NiceTicks, plot: Plot) -> String {
        let (l, r, t, b) = (HTMLText.coordinate(plot.left), HTMLText.coordinate(plot.right),
                            HTMLText.coordinate(plot.top), HTMLText.coordinate(plot.bottom))
        var out = "<g class=\"axis\">"
        out += "<line x1=\"\(l)\" x2=\"\(r)\" y1=\"\(b)\" y2=\"\(b)\"/><line x1=\"\(l)\" x2=\"\(l)\" y1=\"\(t)\" y2=\"\(b)\"/>"
        if right != nil { out += "<line x1=\"\(r)\" x2=\"\(r)\" y1=\"\(t)\" y2=\"\(b)\"/>" }
        for value in ticks.values {
            out += "<text x=\"\(HTMLText.coordinate(x(value)))\" y=\"\(HTMLText.coordinate(plot.bottom + 16))\" text-anchor=\"middle\">\(Format.clock(value))</text>"
        }
        for value in left.ticks.values {
            out += "<text x=\"\(HTMLText.coordinate(plot.left - 6))\" y=\"\(HTMLText.coordinate(left.scale(value) + 4))\" text-anchor=\"end\">\(left.unit.tick(value))</text>"
        }
        if let right {
            for value in right.ticks.values {
                out += "<text x=\"\(HTMLText.coordinate(plot.right + 6))\" y=\"\(HTMLText.coordinate(right.scale(value) + 4))\" text-anchor=\"start\">\(right.unit.tick(value))</text>"
            }
        }
        let middle = HTMLText.coordinate((plot.top + plot.bottom) / 2)
        out += "<text class=\"axis-title\" x=\"\(HTMLText.coordinate((plot.left + plot.right) / 2))\" y=\"\(HTMLText.coordinate(Self.height - 8))\" text-anchor=\"middle\">simulated time (m:ss)</text>"
        out += "<text class=\"axis-title\" transform=\"translate(16,\(middle)) rotate(-90)\" text-anchor=\"middle\">\(HTMLText.escape(left.unit.title(left.axis.label)))</text>"
        if let right {
            out += "<text class=\"axis-title\" transform=\"translate(\(HTMLText.coordinate(Self.width - 12)),\(middle)) rotate(90)\" text-anchor=\"middle\">\(HTMLText.escape(right.unit.title(right.axis.label)))</text>"
        }
        return out + "</g>\n"
    }

    // MARK: Legend

    /// One legend entry: a swatch and its words.
    struct LegendItem: Equatable {
        enum Swatch: Equatable { case line(color: Int, dashed: Bool), band(color: Int), threshold, region(ChartRegion.Kind), marker }
        var swatch: Swatch
        var text: String
        var width: Double { 26 + Double(text.count) * ChartSVG.characterWidth + 14 }
    }

    /// The legend: every line (its axis when there are two), the band, thresholds, the kinds
    /// of region shown and the markers.
    var legendItems: [LegendItem] {
        var items: [LegendItem] = chart.lines.filter(\.hasData).map { line in
            LegendItem(swatch: .line(color: line.color, dashed: line.dashed),
                       text: line.label + (chart.right != nil && line.side == .right ? " (right axis)" : ""))
        }
        if let banded = chart.lines.first(where: \.hasBand) {
            items.append(LegendItem(swatch: .band(color: banded.color), text: "95 % band across replications"))
        }
        if !chart.thresholds.isEmpty { items.append(LegendItem(swatch: .threshold, text: "KPI threshold")) }
        for kind in ChartRegion.Kind.allCases where chart.regions.contains(where: { $0.kind == kind }) {
            items.append(LegendItem(swatch: .region(kind), text: kind.legend))
        }
        if !chart.markers.isEmpty { items.append(LegendItem(swatch: .marker, text: "event (labelled)")) }
        return items
    }

    /// The items in rows that fit the view box's width.
    static func legendRows(_ items: [LegendItem]) -> [[LegendItem]] {
        var rows: [[LegendItem]] = []
        var row: [LegendItem] = []
        var used = 0.0
        for item in items {
            if !row.isEmpty, 70 + used + item.width > width - 10 {
                rows.append(row)
                row = []
                used = 0
            }
            row.append(item)
            used += item.width
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    private static func legend(_ rows: [[LegendItem]]) -> String {
        var out = "<g class=\"legend\">"
        for (rowIndex, row) in rows.enumerated() {
            var x = 70.0
            let y = 14 + 18 * Double(rowIndex)
            for item in row {
                let (sx, sy) = (HTMLText.coordinate(x), HTMLText.coordinate(y))
                switch item.swatch {
                case .line(let color, let dashed):
                    out += "<line class=\"swatch series c\(color)\(dashed ? " dashed" : "")\" x1=\"\(sx)\" x2=\"\(HTMLText.coordinate(x + 20))\" y1=\"\(sy)\" y2=\"\(sy)\"/>"
                case .band(let color):
                    out += "<rect class=\"swatch band c\(color)\" x=\"\(sx)\" y=\"\(HTMLText.coordinate(y - 6))\" width=\"20\" height=\"12\"/>"
                case .threshold:
                    out += "<line class=\"swatch threshold\" x1=\"\(sx)\" x2=\"\(HTMLText.coordinate(x + 20))\" y1=\"\(sy)\" y2=\"\(sy)\"/>"
                case .region(let kind):
                    out += "<rect class=\"swatch region \(kind.rawValue)\" x=\"\(sx)\" y=\"\(HTMLText.coordinate(y - 6))\" width=\"20\" height=\"12\"/>"
                case .marker:
                    out += "<line class=\"swatch marker-swatch\" x1=\"\(HTMLText.coordinate(x + 10))\" x2=\"\(HTMLText.coordinate(x + 10))\" y1=\"\(HTMLText.coordinate(y - 7))\" y2=\"\(HTMLText.coordinate(y + 7))\"/>"
                }
                out += "<text x=\"\(HTMLText.coordinate(x + 26))\" y=\"\(HTMLText.coordinate(y + 4))\">\(HTMLText.escape(item.text))</text>"
                x += item.width
            }
        }
        return out + "</g>\n"
    }

    // MARK: Paths

    /// The line through `line`'s points: a new subpath after each gap; a point standing alone
    /// is a zero-length subpath, drawn as a dot by the round line cap.
    static func linePath(_ line: ChartLine, x: LinearScale, axis: FittedAxis) -> String {
        var out = ""
        var drawing = false
        for (index, point) in line.points.enumerated() {
            guard let value = point.value, value.isFinite else {
                drawing = false
                continue
            }
            let coordinates = "\(HTMLText.coordinate(x(point.time))) \(HTMLText.coordinate(axis.y(value)))"
            if drawing {
                out += " L" + coordinates
            } else {
                out += (out.isEmpty ? "M" : " M") + coordinates
                let next = index + 1 < line.points.count ? line.points[index + 1].value : nil
                if next == nil { out += " l0 0" }
            }
            drawing = true
        }
        return out
    }

    /// The band's area: per run of banded points, the upper edge forward and the lower back.
    static func bandPath(_ line: ChartLine, x: LinearScale, axis: FittedAxis) -> String {
        var runs: [[ChartPoint]] = [[]]
        for point in line.points {
            if let band = point.band, band.lowerBound.isFinite, band.upperBound.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }.map { run in
            let upper = run.map { "\(HTMLText.coordinate(x($0.time))) \(HTMLText.coordinate(axis.y($0.band!.upperBound)))" }
            let lower = run.reversed().map { "\(HTMLText.coordinate(x($0.time))) \(HTMLText.coordinate(axis.y($0.band!.lowerBound)))" }
            return "M" + (upper + lower).joined(separator: " L") + " Z"
        }.joined(separator: " ")
    }
}

// MARK: - Palette

/// The line colours (`c0`…`c7`): distinguishable, and readable in greyscale print with the
/// dashes the right axis adds.
enum ChartPalette {
    /// Red comes last: the threshold lines and breach shading are red.
    static let colors = ["#1f5fa8", "#e08a00", "#2a9d5c", "#7a4fb0", "#138a99", "#6b4f3a", "#c2408f", "#d1495b"]
}
