// PlanCostChart.swift — plan.html's chart: the cost per hour of each tier, the plan's choice
// beside the seed's topology, as inline SVG bars.

// MARK: - Cost per tier

/// Horizontal bars, two per tier (the plan's cheapest passing configuration and the seed's
/// Scaling Strategy row), on one dollar scale; a missing bar (none found, or not run) is
/// labelled instead of drawn. Inline SVG with a `<title>` per bar: nothing loaded, no script.
struct PlanCostChart {
    struct Bar {
        var label: String
        var value: Double?
        /// Palette index: 0 the plan, 1 the seed.
        var color: Int
        /// Drawn hatched: the configuration did not hold its KPIs.
        var failed: Bool
    }

    var groups: [(title: String, bars: [Bar])]

    static let width = 760.0
    static let labelWidth = 170.0
    static let barHeight = 18.0
    static let gap = 6.0
    static let groupGap = 16.0

    init(comparisons: [PlanTierComparison]) {
        groups = comparisons.map { tier in
            ("\(Format.count(tier.users)) users", [
                Bar(label: "plan", value: tier.chosenCostPerHour, color: 0, failed: false),
                Bar(label: "seed", value: tier.seedCostPerHour, color: 1, failed: tier.seedHolds == false),
            ])
        }
    }

    /// The SVG element.
    var svg: String {
        let values = groups.flatMap { $0.bars.compactMap(\.value) }.filter(\.isFinite)
        let top = max(values.max() ?? 1, 1e-9) * 1.15
        let plotWidth = Self.width - Self.labelWidth - 20
        let groupHeight = 2 * Self.barHeight + Self.gap
        let height = Double(groups.count) * (groupHeight + Self.groupGap) + 40
        var out = "<svg class=\"chart\" role=\"img\" data-chart=\"plan-cost\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" "
        out += "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n"
        out += "<title>Cost per hour by tier: the plan's cheapest passing configuration and the seed's topology</title>\n"
        out += "<defs><pattern id=\"failed\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        out += "<rect width=\"6\" height=\"6\" fill=\"\(ChartPalette.colors[1])\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"3\"/></pattern></defs>\n"
        var y = 10.0
        for group in groups {
            out += "<text x=\"0\" y=\"\(HTMLText.coordinate(y + groupHeight / 2 + 4))\" font-weight=\"600\">\(HTMLText.escape(group.title))</text>\n"
            for bar in group.bars {
                let x = Self.labelWidth - 50
                out += "<text x=\"\(HTMLText.coordinate(x))\" y=\"\(HTMLText.coordinate(y + 13))\" fill=\"#5a6270\">\(bar.label)</text>\n"
                if let value = bar.value, value.isFinite {
                    let width = max(1, value / top * plotWidth)
                    let fill = bar.failed ? "url(#failed)" : ChartPalette.colors[bar.color]
                    let text = Format.value(value, .dollars) + "/h" + (bar.failed ? " (fails its KPIs)" : "")
                    out += "<rect x=\"\(HTMLText.coordinate(Self.labelWidth))\" y=\"\(HTMLText.coordinate(y))\" width=\"\(HTMLText.coordinate(width))\" "
                    out += "height=\"\(Int(Self.barHeight))\" fill=\"\(fill)\"><title>\(HTMLText.escape(bar.label)): \(HTMLText.escape(text))</title></rect>\n"
                    out += "<text x=\"\(HTMLText.coordinate(Self.labelWidth + width + 6))\" y=\"\(HTMLText.coordinate(y + 13))\">\(HTMLText.escape(text))</text>\n"
                } else {
                    let text = bar.color == 0 ? "none found" : "not run"
                    out += "<text x=\"\(HTMLText.coordinate(Self.labelWidth))\" y=\"\(HTMLText.coordinate(y + 13))\" fill=\"#5a6270\">\(text)</text>\n"
                }
                y += Self.barHeight + Self.gap
            }
            y += Self.groupGap - Self.gap
        }
        return out + "</svg>\n"
    }
}
