// ProgressTests.swift — the live progress line: its text, when it is drawn and erased, and
// that following a run changes nothing in its results.

import Foundation
import Synchronization
import Testing
@testable import Reports
import Sim
import TaskSystem

/// What a ``RunProgress`` wrote, and a wall clock the test moves.
final class ProgressCapture: Sendable {
    private let written = Mutex<[String]>([])
    private let clock = Mutex(0.0)
    var lines: [String] { written.withLock { $0 } }
    func write(_ text: String) { written.withLock { $0.append(text) } }
    func now() -> Double { clock.withLock { $0 } }
    func advance(to seconds: Double) { clock.withLock { $0 = seconds } }
    func progress(showsLine: Bool) -> RunProgress {
        RunProgress(showsLine: showsLine, write: { self.write($0) }, wallClock: { self.now() })
    }
}

private func seconds(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

@Suite struct ProgressTests {
    @Test func theLineSaysDoneSimulatedRateAndTimeLeft() {
        let line = ProgressLine(name: "growth", replicationsDone: 1, replications: 3, simulatedSeconds: 3720,
                                durationSeconds: 14_400, eventsPerSecond: 1_234_567, secondsLeft: 161)
        #expect(line.text == "growth: 1/3 replications done · simulated 1:02:00 of 4:00:00 · 1.23 M events/s · about 2:41 left")
        var early = line
        early.secondsLeft = nil
        #expect(early.text.hasSuffix(" · estimating time left"))
        #expect(ProgressLine.clock(59.9) == "0:59" && ProgressLine.clock(3723) == "1:02:03" && ProgressLine.clock(.nan) == "0:00")
        #expect(["950", "1.00 k", "12.3 k", "123 k", "1.23 M", "2.00 G"] ==
            [950, 1000, 12_345, 123_456, 1_234_567, 2e9].map(ProgressLine.rate))
    }

    @Test func theLineIsDrawnAtMostEveryIntervalAndErasedAtTheEnd() {
        let capture = ProgressCapture()
        let progress = capture.progress(showsLine: true)
        progress.begin(name: "short", replications: 2, duration: seconds(100))
        capture.advance(to: 1)
        progress.observe(ReplicationProgress(replication: 0, simulated: seconds(50), duration: seconds(100), events: 1000))
        // A quarter of the simulated time in 1 s: 3 s left; 1,000 events in 1 s.
        #expect(capture.lines == ["\rshort: 0/2 replications done · simulated 0:50 of 1:40 · 1.00 k events/s · about 0:03 left\u{1B}[K"])
        capture.advance(to: 1.1)
        progress.observe(ReplicationProgress(replication: 1, simulated: seconds(10), duration: seconds(100), events: 100))
        #expect(capture.lines.count == 1, "within the interval: not redrawn")
        progress.observe(ReplicationProgress(replication: 0, simulated: seconds(100), duration: seconds(100), events: 2000))
        #expect(capture.lines.count == 2 && capture.lines[1].contains("1/2 replications done · simulated 0:10 of 1:40"),
                "a replication's end is always drawn")
        progress.finish()
        #expect(capture.lines.last == "\r\u{1B}[K")
        progress.finish()
        #expect(capture.lines.count == 3, "erased once")
    }

    @Test func withoutATerminalNothingIsWritten() {
        let capture = ProgressCapture()
        let progress = capture.progress(showsLine: false)
        progress.begin(name: "short", replications: 1, duration: seconds(10))
        progress.observe(ReplicationProgress(replication: 0, simulated: seconds(10), duration: seconds(10), events: 5))
        progress.finish()
        #expect(capture.lines.isEmpty)
    }

    @Test func quietAndVerboseChooseWhatShows() throws {
        #expect(throws: ScenarioRun.UsageError.self) { try Verbosity(quiet: true, verbose: true) }
        #expect(try Verbosity(quiet: true, verbose: false) == .quiet)
        #expect(try Verbosity(quiet: false, verbose: true).logLevel == .info)
        let normal = try Verbosity(quiet: false, verbose: false)
        #expect(normal.showsProgress(stdoutIsTerminal: true, stderrIsTerminal: true))
        #expect(!normal.showsProgress(stdoutIsTerminal: false, stderrIsTerminal: true))
        #expect(!normal.showsProgress(stdoutIsTerminal: true, stderrIsTerminal: false))
        #expect(!Verbosity.quiet.showsProgress(stdoutIsTerminal: true, stderrIsTerminal: true))
        #expect(!Verbosity.quiet.printsResults && normal.printsResults)
    }

    /// Followed or not, on one thread or four: the same summary.json to the byte.
    @Test func followingARunChangesNothingInItsResults() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("short.yaml", twoMinuteTaskSystemScenario)
        let scenario = try ScenarioRun(path: file, threads: 1).load()
        let plain = try await RunReport.run(scenario, threads: 1).summaryJSON.serialized()
        let capture = ProgressCapture()
        let followed = try await RunReport.run(scenario, threads: 4, progress: capture.progress(showsLine: true))
        #expect(followed.summaryJSON.serialized() == plain)
        #expect(capture.lines.contains { $0.contains("2/2 replications done") })
        #expect(capture.lines.last == "\r\u{1B}[K")
    }
}
