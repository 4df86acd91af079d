// LoadProfileReader.swift — `load: {profile: ramp, from: 100, to: 10000, over: 1h}` to a
// validated LoadProfile.

import Sim
import TaskSystem

// MARK: - LoadProfileReader

/// Reads the `load` mapping: `profile`, then exactly that profile's keys.
enum LoadProfileReader {
    /// The profiles and their keys, in the order listed in messages.
    static let profiles: [(name: String, keys: [String])] = [
        ("constant", ["users"]),
        ("steps", ["steps"]),
        ("ramp", ["from", "to", "start", "over"]),
        ("diurnal", ["min", "max", "period", "peak_at"]),
        ("flash-crowd", ["base", "peak", "at", "hold"]),
    ]

    /// The default period of a diurnal profile: a day.
    static let defaultPeriod: SimTime = 24 * 3600 * SimClock.nanosecondsPerSecond

    /// The profile, or `nil` once a problem was reported.
    static func read(_ value: YAMLValue) -> LoadProfile? {
        guard var map = value.mapping(expected: "a mapping such as {profile: constant, users: 100}") else {
            return nil
        }
        let names = profiles.map(\.name)
        guard let name = map.required("profile")?.choice(from: names, what: "load profile"),
              let keys = profiles.first(where: { $0.name == name })?.keys else {
            map.rejectKeys(notIn: ["profile"] + profiles.flatMap(\.keys))
            return nil
        }
        reportKeysOfOtherProfiles(map, profile: name, keys: keys)
        map.rejectKeys(notIn: ["profile"] + keys + profiles.flatMap(\.keys).filter { !keys.contains($0) })
        switch name {
        case "constant":
            return map.required("users")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers).map { .constant(users: $0) }
        case "steps":
            return map.required("steps").flatMap(readSteps).map { .steps($0) }
        case "ramp":
            return readRamp(map)
        case "diurnal":
            return readDiurnal(map)
        default:
            return readFlashCrowd(map)
        }
    }

    /// Keys of another profile (`from` under `profile: constant`) get a message naming both.
    private static func reportKeysOfOtherProfiles(_ map: YAMLMapping, profile: String, keys: [String]) {
        for entry in map.entries where entry.key != "profile" && !keys.contains(entry.key) {
            guard let owner = profiles.first(where: { $0.keys.contains(entry.key) })?.name else { continue }
            map.value.diagnostics.report(
                "'\(entry.key)' belongs to profile '\(owner)'; profile '\(profile)' takes \(keys.joined(separator: ", "))",
                at: entry.keyMark, path: entry.value.path)
        }
    }

    // MARK: Profiles

    /// A non-empty list of `{at, users}`, the first at 0, `at` strictly increasing.
    private static func readSteps(_ value: YAMLValue) -> [LoadProfile.Step]? {
        guard let items = value.list() else { return nil }
        guard !items.isEmpty else {
            value.report("at least one step is required, e.g. [{at: 0s, users: 100}]")
            return nil
        }
        var steps: [LoadProfile.Step?] = []
        var previous: SimTime?
        for (index, item) in items.enumerated() {
            guard let map = item.mapping(allowedKeys: ["at", "users"]) else {
                steps.append(nil)
                continue
            }
            let atValue = map.required("at")
            let at = atValue?.duration()
            let users = map.required("users")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
            if let atValue, let at {
                if index == 0, at != 0 {
                    atValue.report("the first step must be at 0, got \(SimClock.seconds(at)) s")
                } else if let previous, at <= previous {
                    atValue.report("steps must be in increasing order of 'at': \(SimClock.seconds(at)) s is not after "
                                   + "the previous step's \(SimClock.seconds(previous)) s")
                }
                previous = at
            }
            steps.append(at.flatMap { at in users.map { LoadProfile.Step(at: at, users: $0) } })
        }
        return steps.allPresent()
    }

    private static func readRamp(_ map: YAMLMapping) -> LoadProfile? {
        let from = map.required("from")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
        let to = map.required("to")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
        var start: SimTime = 0
        let startRead = map.read("start", into: &start) { $0.duration() }
        let over = map.required("over")?.positiveDuration()
        guard let from, let to, startRead, let over else { return nil }
        return .ramp(from: from, to: to, start: start, over: over)
    }

    private static func readDiurnal(_ map: YAMLMapping) -> LoadProfile? {
        let low = map.required("min")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
        let high = map.required("max")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
        var period = defaultPeriod
        let periodRead = map.read("period", into: &period) { $0.positiveDuration() }
        let peakValue = map.required("peak_at")
        let peakAt = peakValue?.duration()
        if let low, let high, low > high {
            map.optional("max")?.report("must be at least min (\(low)), got \(high)")
            return nil
        }
        if periodRead, let peakValue, let peakAt, peakAt >= period {
            peakValue.report("must be within the period (\(SimClock.seconds(period)) s), got \(SimClock.seconds(peakAt)) s")
            return nil
        }
        guard let low, let high, periodRead, let peakAt else { return nil }
        return .diurnal(min: low, max: high, period: period, peakAt: peakAt)
    }

    private static func readFlashCrowd(_ map: YAMLMapping) -> LoadProfile? {
        let base = map.required("base")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
        let peak = map.required("peak")?.int(atLeast: 0, atMost: ScenarioBounds.concurrentUsers)
        let at = map.required("at")?.duration()
        let hold = map.required("hold")?.positiveDuration()
        guard let base, let peak, let at, let hold else { return nil }
        return .flashCrowd(base: base, peak: peak, at: at, hold: hold)
    }
}
