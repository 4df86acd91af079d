import Testing
@testable import Scenarios
import Sim

// MARK: - series.window

@Suite struct SeriesScenarioTests {
    @Test func windowDefaultsToAMinuteAndIsRead() throws {
        let plain = try Fixture.taskSystem("kind: task-system\nname: x\n")
        #expect(plain.configuration.seriesWindow == 60 * SimClock.nanosecondsPerSecond)
        let set = try Fixture.taskSystem("kind: task-system\nname: x\nseries: {window: 15s}\n")
        #expect(set.configuration.seriesWindow == 15 * SimClock.nanosecondsPerSecond)
    }

    @Test("series errors", arguments: [
        ("series: {window: 0s}", ["3:18: series.window: must be greater than 0"]),
        ("series: {window: 500ms}", ["3:18: series.window: must be at least 1s, got 0.5 s"]),
        ("duration: 30h\nseries: {window: 10s}",
         ["4:18: series.window: gives more than 10000 windows over the duration (108000.0 s); use at least 11.0 s"]),
        ("series: {windwo: 10s}", ["3:10: series.windwo: unknown key 'windwo'; did you mean 'window'?"]),
    ])
    func errors(yaml: String, expected: [String]) throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\n\(yaml)") == expected)
    }
}
