import Sim

// MARK: - Recording every window

/// The series of one replication under construction: at every window boundary it measures each
/// declaration that has a per-window measurement (``MetricDeclaration/windowMeasure``) from the
/// counters at the window's two ends and the recorders' ``SeriesRecorder``. Confined, like the world, to the
/// replication's runtime (hence `@unchecked Sendable`).
final class SeriesCollector: @unchecked Sendable {
    private let declarations: [MetricDeclaration]
    private(set) var series: [MetricSeries]
    private var previous: MeasurementSnapshot
    private var windowStart: SimTime

    init(_ world: TaskSystemWorld) {
        declarations = TaskSystemMetrics.declarations.filter { $0.windowMeasure != nil && $0.seriesCondition?(SeriesScope(world)) != false }
        series = declarations.map { MetricSeries(name: $0.name, statistics: MetricSeries.statistics(for: $0.kind),
                                                 windows: []) }
        previous = MeasurementSnapshot(world)
        windowStart = world.runtime.now
    }

    /// Closes the window ending now (nothing when no time passed since the last one) and starts
    /// the next.
    func closeWindow(of world: TaskSystemWorld) {
        let now = world.runtime.now
        guard now > windowStart else { return }
        let current = MeasurementSnapshot(world)
        let seconds = SimClock.seconds(now)
        world.recorders.series.users.update(to: world.recorders.series.users.level, at: seconds)
        let context = WindowContext(previous: previous, current: current, seconds: SimClock.seconds(now - windowStart),
                                    recorder: world.recorders.series,
                                    gauges: world.recorders.gauges.closeWindow(of: world, from: windowStart, to: now))
        for index in declarations.indices {
            let values = declarations[index].windowMeasure!(context)
            precondition(values.count == series[index].statistics.count, "\(declarations[index].name): one value per statistic")
            series[index].windows.append(values)
        }
        world.recorders.series.startWindow(at: seconds)
        previous = current
        windowStart = now
    }
}

extension TaskSystemWorld {
    /// Closes a window every `recorders.series.width` from now (the start of the run) on; the run's
    /// last, possibly partial, window is closed by the caller after the run.
    func startSeries() -> SeriesCollector {
        let collector = SeriesCollector(self)
        startGaugeSampling()
        let width = recorders.series.width
        runtime.spawn { [self] in
            while true {
                do {
                    try await runtime.sleep(for: width)
                } catch {
                    return
                }
                collector.closeWindow(of: self)
            }
        }
        return collector
    }
}
