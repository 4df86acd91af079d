import Sim

// MARK: - What the API measured

/// Counts and latencies of the requests of one run, per endpoint and overall.
public struct RequestMetrics: Sendable {
    /// One endpoint's figures.
    public struct PerEndpoint: Sendable {
        public var completed = 0
        public var clientErrors = 0
        public var serverErrors = 0
        public var rateLimited = 0
        public var latency = LatencyHistogram()
    }

    public private(set) var endpoints: [PerEndpoint] = Array(repeating: PerEndpoint(), count: Endpoint.allCases.count)
    public private(set) var overall = LatencyHistogram()
    /// Requests sent (conservation: generated = answered + in flight, the in-flight count taken
    /// from the instances, independently of these counters).
    public private(set) var generated = 0
    /// Requests answered before the last ``resetMeasurements()`` (kept for conservation).
    public private(set) var answeredBeforeReset = 0
    /// Requests answered outside the endpoint figures, over the whole run: by the CDN edge
    /// itself, and static assets an instance served (kept for conservation).
    public private(set) var answeredOutsideEndpoints = 0
    /// Latencies of the requests the CDN edge answered itself (the client ↔ edge round trip),
    /// kept apart from the API's (`cdn.latency`).
    public private(set) var edgeLatency = LatencyHistogram()

    /// Starts the measurements afresh (end of the warm-up); conservation still spans the run.
    mutating func resetMeasurements() {
        answeredBeforeReset += answered
        endpoints = Array(repeating: PerEndpoint(), count: Endpoint.allCases.count)
        overall = LatencyHistogram()
        edgeLatency = LatencyHistogram()
    }

    mutating func started() {
        generated += 1
    }

    /// A request finished after `latency`, with `error` if it failed.
    mutating func finished(_ endpoint: Endpoint, latency: SimTime, error: APIError?) {
        let index = Endpoint.allCases.firstIndex(of: endpoint)!
        switch error {
        case nil: endpoints[index].completed += 1
        case .rateLimited?:
            endpoints[index].rateLimited += 1
            endpoints[index].clientErrors += 1
        case let error? where error.isServerError: endpoints[index].serverErrors += 1
        case _?: endpoints[index].clientErrors += 1
        }
        endpoints[index].latency.record(nanoseconds: UInt64(max(0, latency)))
        overall.record(nanoseconds: UInt64(max(0, latency)))
    }

    /// A request the CDN edge answered itself after `latency`.
    mutating func recordEdgeAnswer(latency: SimTime) {
        answeredOutsideEndpoints += 1
        edgeLatency.record(nanoseconds: UInt64(max(0, latency)))
    }

    /// A request answered outside the endpoint figures (a static asset, a 502 from the edge).
    mutating func recordAnswerOutsideEndpoints() {
        answeredOutsideEndpoints += 1
    }

    /// The figures of `endpoint`.
    public func of(_ endpoint: Endpoint) -> PerEndpoint {
        endpoints[Endpoint.allCases.firstIndex(of: endpoint)!]
    }

    /// Requests answered (successfully or not).
    public var answered: Int { endpoints.reduce(0) { $0 + $1.completed + $1.clientErrors + $1.serverErrors } }
    public var serverErrors: Int { endpoints.reduce(0) { $0 + $1.serverErrors } }
    public var rateLimited: Int { endpoints.reduce(0) { $0 + $1.rateLimited } }

    /// Requests conserved: generated = answered + in flight, where `inFlight` is counted
    /// independently (the requests the instances and the CDN edge hold). A violation message, or nil.
    public func conservationViolation(inFlight: Int) -> String? {
        let answeredInAll = answeredBeforeReset + answered + answeredOutsideEndpoints
        return generated == answeredInAll + inFlight ? nil
            : "requests not conserved: \(generated) generated, \(answeredInAll) answered, \(inFlight) in flight"
    }
}
