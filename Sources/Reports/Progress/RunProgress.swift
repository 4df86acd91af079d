// RunProgress.swift — gathers the replications' progress into the live line and the
// --verbose log, from the threads that run them.

import Logging
import Synchronization
import TaskSystem
import Sim

// MARK: - A run's progress

/// Follows a run's replications (``observer`` is handed to the simulation) and keeps one live
/// line up to date (``ProgressLine``, at most every `interval` wall seconds, erased by
/// ``finish()``) and, with a logger, logs each replication's end at `info`. It only watches:
/// the replications' results do not depend on it.
public final class RunProgress: Sendable {
    private struct State {
        var name = ""
        var duration: SimTime = 0
        var reached: [SimTime] = []
        var events: [Int] = []
        var started = 0.0
        var lastDrawn: Double?
        var showing = false
    }

    private let state = Mutex(State())
    private let showsLine: Bool
    private let logger: Logger?
    private let interval: Double
    private let write: @Sendable (String) -> Void
    private let wallClock: @Sendable () -> Double

    /// - Parameters:
    ///   - showsLine: draw the live line (on a terminal only).
    ///   - logger: where each replication's end is logged (`info`).
    ///   - write: the terminal's stream (standard error).
    ///   - wallClock: wall seconds from any fixed origin.
    public init(showsLine: Bool, logger: Logger? = nil, interval: Double = 0.25,
                write: @escaping @Sendable (String) -> Void, wallClock: @escaping @Sendable () -> Double) {
        self.showsLine = showsLine
        self.logger = logger
        self.interval = interval
        self.write = write
        self.wallClock = wallClock
    }

    /// A run of `replications` replications of `duration` starts now.
    public func begin(name: String, replications: Int, duration: SimTime) {
        let now = wallClock()
        state.withLock {
            $0 = State(name: name, duration: duration, reached: Array(repeating: 0, count: replications),
                       events: Array(repeating: 0, count: replications), started: now)
        }
    }

    /// What the simulation calls with each replication's progress.
    public var observer: ProgressObserver { { [self] in observe($0) } }

    /// Records `progress`; redraws the line when `interval` has passed or a replication ended.
    public func observe(_ progress: ReplicationProgress) {
        let now = wallClock()
        let (output, ended) = state.withLock { state -> (String?, String?) in
            guard state.reached.indices.contains(progress.replication) else { return (nil, nil) }
            state.reached[progress.replication] = progress.simulated
            state.events[progress.replication] = progress.events
            var ended: String?
            if progress.finished {
                ended = "\(state.name): replication \(progress.replication + 1)/\(state.reached.count) finished, "
                    + "\(progress.events) events, \(ProgressLine.clock(now - state.started)) of wall time since the start"
            }
            guard showsLine, progress.finished || state.lastDrawn.map({ now - $0 >= interval }) ?? true else {
                return (nil, ended)
            }
            state.lastDrawn = now
            state.showing = true
            return ("\r" + Self.line(state, now: now).text + "\u{1B}[K", ended)
        }
        if let ended, let logger {
            if showsLine { write("\r\u{1B}[K") }
            logger.info("\(ended)")
        }
        if let output { write(output) }
    }

    /// Erases the line (if one was drawn): what the run prints next starts on a clean line.
    public func finish() {
        let showing = state.withLock { state in
            defer { state.showing = false }
            return state.showing
        }
        if showing { write("\r\u{1B}[K") }
    }

    /// The line for `state` at wall time `now`.
    private static func line(_ state: State, now: Double) -> ProgressLine {
        let duration = SimClock.seconds(state.duration)
        let done = state.reached.filter { $0 >= state.duration }.count
        let running = state.reached.filter { $0 > 0 && $0 < state.duration }
        let simulated = running.isEmpty ? (done == state.reached.count ? duration : 0)
            : running.reduce(0) { $0 + SimClock.seconds($1) } / Double(running.count)
        let elapsed = max(1e-9, now - state.started)
        let total = Double(state.reached.count) * duration
        let fraction = total > 0 ? state.reached.reduce(0) { $0 + SimClock.seconds($1) } / total : 1
        return ProgressLine(name: state.name, replicationsDone: done, replications: state.reached.count,
                            simulatedSeconds: simulated, durationSeconds: duration,
                            eventsPerSecond: Double(state.events.reduce(0, +)) / elapsed,
                            secondsLeft: fraction >= 0.01 ? elapsed * (1 - fraction) / fraction : nil)
    }
}
