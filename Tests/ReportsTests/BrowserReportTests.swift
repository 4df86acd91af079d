// BrowserReportTests.swift — report.html opened in a real browser: headless Chromium (Debian's
// `chromium`) renders the page with the network cut off; the rendered DOM must hold every
// chart's SVG with its data drawn and the hostile header comment as text; a screenshot is kept
// as a test artefact.

import Foundation
import Testing
@testable import Reports

/// Headless Chromium, if installed. `.ci/run` installs it and sets `SIMRUN_REQUIRE_BROWSER=1`,
/// so in CI a missing browser fails the test instead of skipping it.
enum HeadlessChromium {
    static let path: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { name in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }.first

    static var required: Bool { ProcessInfo.processInfo.environment["SIMRUN_REQUIRE_BROWSER"] == "1" }

    /// Runs Chromium headless on `file` with every network request refused (a proxy at a
    /// closed port, every host unresolvable; the page's own policy forbids loads anyway);
    /// returns standard output. Killed after `timeout` seconds.
    static func run(_ arguments: [String], file: URL, profile: URL, timeout: TimeInterval = 60) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                             "--disable-extensions", "--disable-background-networking", "--disable-sync",
                             "--disable-component-update", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                             "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(profile.path)"]
            + arguments + [file.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + timeout
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where test artefacts go: `$SIMRUN_TEST_ARTIFACTS`, else `.build/test-artifacts/`.
    static var artefacts: URL {
        if let folder = ProcessInfo.processInfo.environment["SIMRUN_TEST_ARTIFACTS"], !folder.isEmpty {
            return URL(fileURLWithPath: folder)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")
    }
}

@Suite(.serialized) struct BrowserReportTests {
    @Test(.enabled(if: HeadlessChromium.path != nil || HeadlessChromium.required,
                   "chromium is not installed: apt-get install chromium (CI installs it and runs this test)"))
    func chromiumRendersEveryChartWithItsDataAndTheHostileTextAsText() async throws {
        let chromium = try #require(HeadlessChromium.path, "SIMRUN_REQUIRE_BROWSER=1 but no chromium on PATH")
        _ = chromium
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (html, _, _) = try await runTaskSystemReport(hostileTaskSystemScenario, in: scratch)
        let page = scratch.url.appendingPathComponent("out/report.html")
        // The file carries no script (checked on the file: Chromium's switch that turns scripts
        // off also stops --dump-dom from printing anything).
        expectSelfContained(html)
        let figureCount = html.components(separatedBy: "<figure class=\"chart\"").count - 1
        #expect(figureCount >= 5)

        let dom = try HeadlessChromium.run(["--dump-dom"], file: page, profile: scratch.url.appendingPathComponent("profile"))
        try #require(dom.contains("<section id=\"verdict\">"), "Chromium printed no page: \(dom.prefix(300))")
        #expect(!dom.lowercased().contains("<script"), "the rendered page has a script element")
        // The hostile comment is text in the rendered DOM, not an element.
        #expect(dom.contains("does &lt;script&gt;alert(1)&lt;/script&gt; stay text?"))
        #expect(!dom.contains("<img"))
        // Every chart's SVG, each with a drawn line of several points.
        let figures = dom.components(separatedBy: "<figure class=\"chart\" data-chart=\"").dropFirst()
        #expect(figures.count == figureCount)
        for figure in figures {
            let id = String(figure.prefix { $0 != "\"" })
            let body = figure.components(separatedBy: "</figure>")[0]
            #expect(body.contains("<svg class=\"chart\""), "\(id): no SVG in the rendered DOM")
            let paths = body.matches(of: /<path class="series[^"]*"[^>]* d="(M[^"]+)"/).map { String($0.1) }
            #expect(!paths.isEmpty, "\(id): no line drawn")
            #expect(paths.contains { $0.contains(" L") }, "\(id): no line with two points or more")
        }

        // A screenshot of the top of the page, kept as the test's artefact.
        let folder = HeadlessChromium.artefacts
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let screenshot = folder.appendingPathComponent("report-html.png")
        try? FileManager.default.removeItem(at: screenshot)
        _ = try HeadlessChromium.run(["--screenshot=\(screenshot.path)", "--window-size=1280,2000", "--hide-scrollbars"],
                                     file: page, profile: scratch.url.appendingPathComponent("profile"))
        let png = try Data(contentsOf: screenshot)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        #expect(png.count > 20_000, "a nearly empty screenshot (\(png.count) bytes)")
    }
}
