// ReportStyle.swift — the style sheet of report.html: screen and print, no web font, no image.

// MARK: - Style sheet

/// The inline CSS of `report.html`: the system's fonts, a readable column on a laptop, two
/// charts side by side on wide screens, and print rules (no page break inside a chart, every
/// colour printed).
enum ReportStyle {
    static var css: String {
        var css = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #5a6270; --rule: #d9dde3; --pass: #1e7b3a; --fail: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; color: var(--ink); background: #fff;
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
        .subtitle { color: var(--muted); margin: 0 0 18px; }
        .verdict { font-size: 20px; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
        .verdict.pass { background: #e6f4ea; color: var(--pass); }
        .verdict.fail { background: #fce8e6; color: var(--fail); }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 14px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
        th { background: #f3f5f7; font-weight: 600; }
        table.configuration, table.figures { width: auto; min-width: 50%; }
        
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.pass { color: var(--pass); font-weight: 600; }
        td.fail { color: var(--fail); font-weight: 700; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: 13px; }
        pre { background: #f6f8fa; padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
        blockquote.question { margin: 8px 0; padding: 2px 14px; border-left: 4px solid #1f5fa8; background: #f3f7fc; }
        blockquote.question p { margin: 8px 0; max-width: 95ch; }
        .note, .omitted { color: var(--muted); font-size: 14px; }
        .charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
        @media (min-width: 1500px) { body { max-width: 1600px; } .charts { grid-template-columns: 1fr 1fr; } }
        figure.chart { margin: 0; padding: 8px 8px 4px; border: 1px solid var(--rule); border-radius: 6px; break-inside: avoid; }
        figure.chart figcaption { font-weight: 600; margin: 0 0 2px 6px; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 12px; }
        svg.chart text { fill: #333; }
        svg.chart .axis line { stroke: #555; stroke-width: 1; }
        svg.chart .axis-title { font-size: 12px; fill: #333; }
        svg.chart .grid line { stroke: #eceef1; stroke-width: 1; }
        svg.chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        svg.chart .series.dashed { stroke-dasharray: 6 3; }
        svg.chart .band { stroke: none; opacity: 0.18; }
        svg.chart .threshold { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 8 4; }
        svg.chart .threshold-label { fill: #b3261e; font-size: 11px; }
        svg.chart .region.warmup { fill: #9aa3ad; opacity: 0.16; }
        svg.chart .region.breach { fill: #e8453c; opacity: 0.16; }
        svg.chart .region.fault { fill: #f2a900; opacity: 0.30; }
        svg.chart .marker line, svg.chart .marker-swatch { stroke: #6a3d9a; stroke-width: 1; stroke-dasharray: 2 2; }
        svg.chart .marker text { fill: #6a3d9a; font-size: 9.5px; }
        footer { margin-top: 36px; color: var(--muted); font-size: 13px; }
        @media print {
          @page { margin: 14mm; }
          body { max-width: none; padding: 0; font-size: 11pt; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .charts { grid-template-columns: 1fr; }
          h2 { break-after: avoid; }
          tr, figure.chart, .verdict { break-inside: avoid; }
          pre { white-space: pre-wrap; }
        }

        """
        for (index, color) in ChartPalette.colors.enumerated() {
            css += "svg.chart .c\(index) { stroke: \(color); fill: \(color); }\nsvg.chart .series.c\(index) { fill: none; }\n"
        }
        return css
    }
}
