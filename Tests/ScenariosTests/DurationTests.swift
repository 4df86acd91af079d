// DurationTests.swift — durations in every unit, as numbers and strings, and their errors.

import Testing
@testable import Scenarios
import Sim

@Suite("Durations")
struct DurationTests {
    @Test("YAML durations in every unit", arguments: [
        ("400000", seconds(400_000)),
        ("0.25", 250_000_000),
        ("\"7ns\"", 7),
        ("\"250us\"", 250_000),
        ("500ms", 500_000_000),
        ("\"30s\"", seconds(30)),
        ("1.5s", 1_500_000_000),
        ("5m", seconds(300)),
        ("1h", seconds(3_600)),
        ("\"2 ms\"", 2_000_000),
        ("1e3s", seconds(1_000)),
    ] as [(String, SimTime)])
    func durationInEveryUnit(text: String, expected: SimTime) throws {
        #expect(try Fixture.network(Fixture.minimal(duration: text)).spec.duration == expected)
    }

    @Test func warmupAcceptsDurationStrings() throws {
        let spec = try Fixture.network(Fixture.minimal(duration: "1h", warmup: "\"5m\"")).spec
        #expect(spec.warmup == .fixed(seconds(300)))
    }

    @Test("bad durations", arguments: [
        ("-5", "duration must not be negative, got -5"),
        ("\"-5s\"", "duration must not be negative, got \"-5s\""),
        ("5sec", "unknown unit 'sec' in \"5sec\"; use one of ns, us, ms, s, m, h"),
        ("soon", "\"soon\" is not a duration; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\""),
        ("\"30\"", "duration \"30\" has no unit; expected a number with a unit (ns, us, ms, s, m, h), e.g. \"500ms\" or \"30s\""),
        (".inf", "duration must be finite, got .inf"),
        ("1e12", "too large (max 315360000 s, 10 years), got 1e12"),
        ("0", "must be greater than 0"),
        ("[1]", "expected a duration (seconds, or a string such as \"500ms\"), got a list"),
    ])
    func badDuration(text: String, message: String) throws {
        #expect(try Fixture.errors(Fixture.minimal(duration: text)) == ["3:11: duration: \(message)"])
    }

    @Test func parsedSecondsAreExact() throws {
        #expect(try ScenarioDuration.seconds(from: "250ms") == 0.25)
        #expect(try ScenarioDuration.seconds(from: "20ms") == 0.02)
        #expect(try ScenarioDuration.seconds(from: "1.5h") == 5_400)
        #expect(try ScenarioDuration.time(from: "1ns") == 1)
        #expect(throws: ScenarioDuration.ParseError.self) { try ScenarioDuration.seconds(from: "ms") }
        #expect(throws: ScenarioDuration.ParseError.self) { try ScenarioDuration.seconds(from: "1.2.3s") }
    }
}
