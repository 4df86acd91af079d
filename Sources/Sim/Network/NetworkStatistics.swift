// MARK: - Statistics of one replication

/// Response-time statistics of one station or class since the last reset.
struct ResponseStatistics: Sendable {
    var response = Tally()
    var wait = Tally()
    var histogram = LatencyHistogram()

    @inline(__always)
    mutating func record(response time: SimTime) {
        response.record(SimClock.seconds(time))
        histogram.record(nanoseconds: UInt64(time))
    }
}

/// Mean response of all station departures per fixed-width window: the series MSER-5 reads.
struct PilotSeries: Sendable {
    let width: SimTime
    var windowEnd: SimTime
    var sum = 0.0
    var count = 0
    var means: [Double] = []

    init(width: SimTime) {
        self.width = width
        windowEnd = width
    }

    mutating func record(response: SimTime, at now: SimTime) {
        while now >= windowEnd { closeWindow() }
        sum += SimClock.seconds(response)
        count += 1
    }

    mutating func closeWindow() {
        means.append(count > 0 ? sum / Double(count) : (means.last ?? 0))
        sum = 0
        count = 0
        windowEnd += width
    }
}
