// SeriesTable.swift — a task-system run's per-window series, replication by replication and
// across replications: what summary.json's `series` and results.sqlite's series tables hold.

import Sim
import TaskSystem

// MARK: - The series of a run

/// Every series of a run, window by window: each replication's values and their estimate
/// across replications (mean and Student-t 95 % half-width). Windows are those every
/// replication has (they all have the same).
struct SeriesTable {
    /// One metric's statistics.
    struct Series {
        let metric: String
        let columns: [Column]
    }

    /// One statistic of a metric (`p95` of `api.latency`).
    struct Column {
        let statistic: String
        /// Per replication, per window (NaN: nothing measured).
        let replications: [[Double]]
        /// Per window, across replications.
        let estimates: [Estimate]
    }

    /// The windows' width and each window's start and end, in seconds from the start of the
    /// run (the last window ends with the run, so it may be shorter).
    let windowSeconds: Double
    let windowStarts: [Double]
    let windowEnds: [Double]
    /// In declaration order, statistics in their order.
    let series: [Series]

    init(results: [TaskSystemResult], window: SimTime, duration: SimTime) {
        windowSeconds = SimClock.seconds(window)
        let windowCount = results.map { $0.series.first?.windows.count ?? 0 }.min() ?? 0
        windowStarts = (0..<windowCount).map { Double($0) * SimClock.seconds(window) }
        windowEnds = (0..<windowCount).map { SimClock.seconds(min(SimTime($0 + 1) * window, duration)) }
        let first = results.first?.series ?? []
        series = first.indices.map { index in
            Series(metric: first[index].name, columns: first[index].statistics.indices.map { column in
                let values = results.map { result in (0..<windowCount).map { result.series[index].windows[$0][column] } }
                return Column(statistic: first[index].statistics[column], replications: values,
                              estimates: (0..<windowCount).map { window in
                                  Estimate(replicationValues: values.map { $0[window] })
                              })
            })
        }
    }
}
