import Sim

// MARK: - How far a replication has got

/// One replication's progress, reported while it runs (``TaskSystemSimulation/run(_:threads:progress:)``):
/// the simulated time it has reached and the events its engine handled so far.
public struct ReplicationProgress: Sendable, Equatable {
    /// 0-based.
    public let replication: Int
    /// Simulated time reached, and the run's duration.
    public let simulated: SimTime
    public let duration: SimTime
    /// Events the replication's engine has handled so far.
    public let events: Int

    public init(replication: Int, simulated: SimTime, duration: SimTime, events: Int) {
        self.replication = replication
        self.simulated = simulated
        self.duration = duration
        self.events = events
    }

    /// Whether the replication has reached its end.
    public var finished: Bool { simulated >= duration }
}

/// Receives the progress of the replications of a run, from the threads that run them.
public typealias ProgressObserver = @Sendable (ReplicationProgress) -> Void

extension ProcessRuntime {
    /// ``run(until:)``, reporting to `observer` at every 1/200 of `duration` (at least every
    /// simulated second) and at `end`. The same events run in the same order as in one call:
    /// each step leaves the clock at its end, where no process runs, and the next handles the
    /// events from there on. Without an observer, one call.
    func run(until end: SimTime, replication: Int, duration: SimTime, observer: ProgressObserver?) {
        guard let observer else { return run(until: end) }
        let step = max(SimClock.nanosecondsPerSecond, duration / 200)
        var reached = now
        repeat {
            reached = min(end, (reached / step + 1) * step)
            run(until: reached)
            observer(ReplicationProgress(replication: replication, simulated: reached, duration: duration,
                                         events: scheduler.eventsHandled))
        } while reached < end
    }
}
