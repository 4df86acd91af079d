// ProgressLine.swift — the one live line a long run shows on a terminal.

// MARK: - The line

/// What a run's live progress line says: replications done, simulated time reached, events
/// per second of wall time, and the time left. Pure: ``text`` depends on these values only.
public struct ProgressLine: Sendable, Equatable {
    public var name: String
    public var replicationsDone: Int
    public var replications: Int
    /// Simulated seconds reached by the replications still running (their mean), and the
    /// run's simulated duration.
    public var simulatedSeconds: Double
    public var durationSeconds: Double
    /// Events handled per second of wall time, all replications together.
    public var eventsPerSecond: Double
    /// Wall seconds left, or `nil` while too little has run to say.
    public var secondsLeft: Double?

    public init(name: String, replicationsDone: Int, replications: Int, simulatedSeconds: Double,
                durationSeconds: Double, eventsPerSecond: Double, secondsLeft: Double?) {
        self.name = name
        self.replicationsDone = replicationsDone
        self.replications = replications
        self.simulatedSeconds = simulatedSeconds
        self.durationSeconds = durationSeconds
        self.eventsPerSecond = eventsPerSecond
        self.secondsLeft = secondsLeft
    }

    /// `growth: 1/3 replications done · simulated 1:02:00 of 4:00:00 · 1.23 M events/s · about 2:41 left`.
    public var text: String {
        "\(name): \(replicationsDone)/\(replications) replications done"
            + " · simulated \(Self.clock(simulatedSeconds)) of \(Self.clock(durationSeconds))"
            + " · \(Self.rate(eventsPerSecond)) events/s"
            + " · " + (secondsLeft.map { "about \(Self.clock($0)) left" } ?? "estimating time left")
    }

    /// `h:mm:ss` from an hour on, else `m:ss` (whole seconds, rounded down).
    public static func clock(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(max(0, min(seconds, 1e9))) : 0
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
    }

    /// `950`, `12.3 k`, `1.23 M`: three significant figures from a thousand on.
    public static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond >= 0 else { return "0" }
        if perSecond < 1000 { return "\(Int(perSecond))" }
        let (value, suffix) = perSecond < 1e6 ? (perSecond / 1e3, "k") : perSecond < 1e9 ? (perSecond / 1e6, "M")
            : (perSecond / 1e9, "G")
        let decimals = value < 10 ? 2 : value < 100 ? 1 : 0
        let scale = [1.0, 10, 100][decimals]
        let rounded = (value * scale).rounded(.down) / scale
        var digits = decimals == 0 ? "\(Int(rounded))" : "\(rounded)"
        if decimals > 0, let dot = digits.firstIndex(of: ".") {
            let have = digits.distance(from: dot, to: digits.endIndex) - 1
            digits += String(repeating: "0", count: max(0, decimals - have))
        }
        return "\(digits) \(suffix)"
    }
}
