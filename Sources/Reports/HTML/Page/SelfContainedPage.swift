// SelfContainedPage.swift — the frame every simrun HTML page shares: head, policy, style, footer.

// MARK: - A self-contained page

/// The document around a page's sections: `<head>` with a Content-Security-Policy that lets no
/// request leave the page (inline styles only), the inline style sheet (``ReportStyle``), the
/// body, and the footer saying so. Used by `report.html` and `plan.html`.
enum SelfContainedPage {
    /// The page titled `title` (already escaped) around `body` (header and sections).
    static func document(title: String, body: String) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // No request may leave the page: a policy that allows only inline styles and data nothing.
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<title>\(title)</title>\n<style>\n\(ReportStyle.css)</style>\n</head>\n<body>\n"
        out += body
        out += "<footer>Written by simrun. This page is self-contained: inline styles and SVG, no script, nothing loaded from elsewhere.</footer>\n"
        return out + "</body>\n</html>\n"
    }
}
