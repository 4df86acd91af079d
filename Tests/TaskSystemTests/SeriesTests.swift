import Testing
import Sim
@testable import TaskSystem

// MARK: - Time series per window

@Suite struct SeriesTests {
    /// 300 s in 30 s windows, the warm-up (30 s) on a window boundary.
    static func configuration(window: Double = 30) -> TaskSystemConfiguration {
        var configuration = TaskSystemSimulationTests.small()
        configuration.seriesWindow = seconds(window)
        return configuration
    }

    static func series(_ result: TaskSystemResult, _ name: String) -> MetricSeries {
        result.series.first { $0.name == name }!
    }

    @Test func everySeriesHasOneRowPerWindowOfTheRun() {
        let result = TaskSystemSimulation.runReplication(Self.configuration(), replication: 0)
        let declared = TaskSystemMetrics.declarations.filter(\.hasSeries)
        #expect(result.series.map(\.name) == declared.map(\.name))
        #expect(result.series.count >= 15)
        for series in result.series {
            #expect(series.windows.count == 10, "\(series.name)")
            #expect(series.windows.allSatisfy { $0.count == series.statistics.count })
        }
        // A 70 s window over 300 s: four whole windows and a last one of 20 s.
        let uneven = TaskSystemSimulation.runReplication(Self.configuration(window: 70), replication: 0)
        #expect(Self.series(uneven, "api.requests").windows.count == 5)
    }

    @Test func windowCountsAddUpToTheWholeRunFigures() {
        let configuration = Self.configuration()
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let firstMeasured = Int(configuration.warmup / configuration.seriesWindow)
        let requests = Self.series(result, "api.requests").windows[firstMeasured...].reduce(0) { $0 + $1[0] }
        #expect(requests == result.metric("api.requests")!)
        #expect(requests > 1000)
        // Query rates × window width add up to the whole run's queries after the warm-up.
        let width = SimClock.seconds(configuration.seriesWindow)
        let measured = SimClock.seconds(configuration.duration - configuration.warmup)
        for name in ["db.qps", "db.primary.qps", "db.replica.qps"] {
            let queries = Self.series(result, name).windows[firstMeasured...].reduce(0) { $0 + $1[0] * width }
            let whole = result.metric(name)! * measured
            #expect(abs(queries - whole) <= 1e-9 * whole, "\(name): \(queries) vs \(whole)")
        }
        // Throughput is requests per second of the window.
        let throughput = Self.series(result, "api.throughput").windows
        for (index, window) in Self.series(result, "api.requests").windows.enumerated() {
            #expect(throughput[index][0] == window[0] / width)
        }
    }

    @Test func latenciesGaugesAndFractionsArePerWindow() {
        let result = TaskSystemSimulation.runReplication(Self.configuration(), replication: 0)
        for window in Self.series(result, "api.latency").windows {
            #expect(window[0] > 0 && window[0] <= window[1] && window[1] <= window[2], "\(window)")
        }
        let users = Self.series(result, "users.concurrent")
        #expect(users.statistics == ["mean", "max"])
        // (the mean of a level held all window may round a hair above it)
        for window in users.windows { #expect(window[0] <= window[1] * (1 + 1e-12) && window[1] <= 60, "\(window)") }
        #expect(users.windows.map { $0[1] }.max() == result.metric("users.concurrent.max"))
        // The load is constant: after the first window the time-weighted mean is near 60 users.
        #expect(users.windows.last![0] > 50)
        for name in ["cache.hit", "cache.l1.hit", "cache.l2.hit", "api.error_rate"] {
            for window in Self.series(result, name).windows where window[0].isFinite {
                #expect(window[0] >= 0 && window[0] <= 1, "\(name) \(window)")
            }
        }
        #expect(Self.series(result, "cache.hit").windows.allSatisfy { $0[0].isFinite })
        // No CDN: its series count nothing and have no rate.
        #expect(Self.series(result, "cdn.requests").windows.allSatisfy { $0[0] == 0 })
        #expect(Self.series(result, "cdn.hit").windows.allSatisfy { $0[0].isNaN })
    }

    @Test func recordingSeriesLeavesTheWholeRunMetricsAlone() {
        let narrow = TaskSystemSimulation.runReplication(Self.configuration(window: 10), replication: 0)
        let wide = TaskSystemSimulation.runReplication(Self.configuration(window: 300), replication: 0)
        #expect(narrow.metrics.map(\.value.bitPattern) == wide.metrics.map(\.value.bitPattern))
        #expect(Self.series(wide, "api.requests").windows.count == 1)
        #expect(Self.series(narrow, "api.requests").windows.count == 30)
    }
}
