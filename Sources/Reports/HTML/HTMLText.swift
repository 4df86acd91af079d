// HTMLText.swift — text made safe for an HTML page and its inline SVG.

// MARK: - Escaping

/// Escapes text for HTML and SVG: every string that comes from a scenario (its comment, names,
/// a timeline reason) goes through here, so `<script>` in a comment renders as text.
enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references: safe in element content
    /// and in quoted attribute values alike.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"  // NUL is not allowed in HTML text
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A number as an SVG coordinate: at most one decimal, no grouping (`123.4`, `-2`).
    static func coordinate(_ value: Double) -> String {
        DecimalText.fixed(value.isFinite ? value : 0, decimals: 1, grouping: false, trimZeros: true)
    }
}
