// NetworkValidationTests.swift — the network engine checked against queueing theory.
//
// Every comparison follows one rule: run R independent replications (fixed seeds, so the tests
// are deterministic), form the Student-t confidence interval of the R per-replication values at
// 99.9 % (`ConfidenceInterval(values, confidenceLevel: 0.999)`), and require
//   1. the analytic value to lie inside the interval (accuracy), and
//   2. the half-width to be at most a stated fraction of the analytic value (power: a wide
//      interval cannot pass a test by containing everything).
// The analytic values come from the small formula helpers at the bottom of the file.

import Testing
@testable import Sim

@Suite struct NetworkValidationTests {
    // MARK: 1. M/M/1

    /// M/M/1 with λ = 0.7, μ = 1 (ρ = 0.7): Wq = ρ/(μ−λ), W = Wq + 1/μ, ρ, Lq = λWq, X = λ.
    @Test func mm1MatchesTheory() async {
        let lambda = 0.7, mu = 1.0
        let spec = openSingleStation(name: "mm1", seed: 11, servers: 1, lambda: lambda,
                                     service: .exponential(mean: 1 / mu), duration: 100_000, warmup: .fixed(seconds(1_000)))
        let result = await NetworkRunner.run(spec, threads: 2)
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        let station = result.replications.map { $0.stations[0] }
        let rho = lambda / mu
        let wq = rho / (mu - lambda)
        // Delay measures of an M/M/1 at ρ = 0.7 are strongly autocorrelated (relaxation time
        // ≈ 1/(μ(1−√ρ)²) ≈ 37 s), so 10 × 100 000 s (70 000 customers each) gives a 99.9 %
        // half-width of ≈ 4 % on Wq and Lq, ≈ 3 % on W: bounds 8 % and 6 % (the half-width of
        // 10 values itself varies by up to ~1.7× between seeds). ρ and X are count-like: 2 %.
        checkInterval("M/M/1 Wq", station.map(\.wait), analytic: wq, maxRelativeHalfWidth: 0.08)
        checkInterval("M/M/1 W", station.map(\.response), analytic: wq + 1 / mu, maxRelativeHalfWidth: 0.06)
        checkInterval("M/M/1 ρ", station.map(\.utilization), analytic: rho, maxRelativeHalfWidth: 0.02)
        checkInterval("M/M/1 Lq", station.map(\.queueLength), analytic: lambda * wq, maxRelativeHalfWidth: 0.08)
        checkInterval("M/M/1 X", station.map(\.throughput), analytic: lambda, maxRelativeHalfWidth: 0.02)
        // The class is the station here: its end-to-end response is the station response.
        checkInterval("M/M/1 class W", result.replications.map { $0.classes[0].response },
                      analytic: wq + 1 / mu, maxRelativeHalfWidth: 0.06)
    }

    // MARK: 2. M/M/c

    /// M/M/4 with λ = 3.2, μ = 1 (a = 3.2, ρ = 0.8) against Erlang C: Wq = C(c, a)/(cμ − λ).
    @Test func mmcMatchesErlangC() async {
        let lambda = 3.2, mu = 1.0, c = 4
        let spec = openSingleStation(name: "mm4", seed: 22, servers: c, lambda: lambda,
                                     service: .exponential(mean: 1 / mu), duration: 80_000, warmup: .fixed(seconds(1_000)))
        let result = await NetworkRunner.run(spec, threads: 2)
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        let station = result.replications.map { $0.stations[0] }
        let wq = erlangC(servers: c, offeredLoad: lambda / mu) / (Double(c) * mu - lambda)
        // ρ = 0.8 has long busy periods; 10 × 80 000 s (≈ 2.6 M customers) brings the Wq and Lq
        // half-widths to ≈ 3.5 %: bound 7 %. W (service-dominated), ρ and X: 3 %, 1.5 %, 1.5 %.
        checkInterval("M/M/4 Wq", station.map(\.wait), analytic: wq, maxRelativeHalfWidth: 0.07)
        checkInterval("M/M/4 W", station.map(\.response), analytic: wq + 1 / mu, maxRelativeHalfWidth: 0.03)
        checkInterval("M/M/4 ρ", station.map(\.utilization), analytic: lambda / (Double(c) * mu), maxRelativeHalfWidth: 0.015)
        checkInterval("M/M/4 Lq", station.map(\.queueLength), analytic: lambda * wq, maxRelativeHalfWidth: 0.07)
        checkInterval("M/M/4 X", station.map(\.throughput), analytic: lambda, maxRelativeHalfWidth: 0.015)
    }

    // MARK: 3. M/D/1

    /// M/D/1 with λ = 0.7, S = 1 (constant) against Pollaczek–Khinchine: Wq = ρS/(2(1−ρ)).
    @Test func md1MatchesPollaczekKhinchine() async {
        let lambda = 0.7, s = 1.0
        let spec = openSingleStation(name: "md1", seed: 33, servers: 1, lambda: lambda,
                                     service: .constant(s), duration: 60_000, warmup: .fixed(seconds(1_000)))
        let result = await NetworkRunner.run(spec, threads: 2)
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        let station = result.replications.map { $0.stations[0] }
        let wq = pollaczekKhinchineWait(lambda: lambda, meanService: s, secondMomentService: s * s)
        // Deterministic service halves Wq relative to M/M/1 and lowers its variance; 10 × 60 000 s
        // gives ≈ 3.3 % on Wq and ≈ 1.8 % on W (its constant part S is exact): bounds 6 % and 3 %.
        checkInterval("M/D/1 Wq", station.map(\.wait), analytic: wq, maxRelativeHalfWidth: 0.06)
        checkInterval("M/D/1 W", station.map(\.response), analytic: wq + s, maxRelativeHalfWidth: 0.03)
        checkInterval("M/D/1 ρ", station.map(\.utilization), analytic: lambda * s, maxRelativeHalfWidth: 0.015)
    }

    // MARK: 4. Open Jackson network

    /// Three M/M/c stations with feedback; per-station response from M/M/c at the traffic-equation
    /// rates, and the class's end-to-end response by Little: Σ λ_i W_i / γ.
    @Test func jacksonNetworkMatchesProductForm() {
        let spec = jacksonSpec
        let result = jacksonResult
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        let lambdas = trafficRates(external: spec.stations.indices.map { $0 == 0 ? jacksonGamma : 0 },
                                   routing: routingMatrix(spec))
        var endToEnd = 0.0
        for (index, station) in spec.stations.enumerated() {
            let meanService = mean(of: station.service)
            let wq = erlangC(servers: station.servers, offeredLoad: lambdas[index] * meanService)
                / (Double(station.servers) / meanService - lambdas[index])
            let response = wq + meanService
            endToEnd += lambdas[index] * response
            let values = result.replications.map { $0.stations[index] }
            // Each station is at ρ ≈ 0.64–0.73 and sees 0.6–1.8 M visits over 10 × 20 000 s;
            // response half-widths come out at 2–3.2 %: bound 6 %. Rates: 1.5 %.
            checkInterval("Jackson \(station.name) W", values.map(\.response), analytic: response, maxRelativeHalfWidth: 0.06)
            checkInterval("Jackson \(station.name) X", values.map(\.throughput), analytic: lambdas[index], maxRelativeHalfWidth: 0.015)
            checkInterval("Jackson \(station.name) ρ", values.map(\.utilization),
                          analytic: lambdas[index] * meanService / Double(station.servers), maxRelativeHalfWidth: 0.015)
        }
        // End-to-end: a sum over visits whose errors partly average out (≈ 1.5 %): bound 5 %.
        checkInterval("Jackson class W", result.replications.map { $0.classes[0].response },
                      analytic: endToEnd / jacksonGamma, maxRelativeHalfWidth: 0.05)
        checkInterval("Jackson class X", result.replications.map { $0.classes[0].throughput },
                      analytic: jacksonGamma, maxRelativeHalfWidth: 0.015)
    }

    // MARK: 5. Closed network against MVA

    /// 20 users, exponential think time Z = 5 s, a CPU (S = 0.12 s) and a disk (S = 0.2 s), both
    /// single-server FCFS with exponential service; after the CPU a user goes to the disk with
    /// probability 0.5 (then back to the CPU) or returns to thinking. Exact MVA gives X and the
    /// per-visit response of each station.
    @Test func closedNetworkMatchesMVA() {
        let spec = closedSpec
        let result = closedResult
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        let visits = trafficRates(external: spec.stations.indices.map { $0 == spec.closedClasses[0].station ? 1 : 0 },
                                  routing: routingMatrix(spec))
        let solution = meanValueAnalysis(population: spec.closedClasses[0].population,
                                         thinkTime: mean(of: spec.closedClasses[0].think),
                                         visits: visits, serviceTimes: spec.stations.map { mean(of: $0.service) })
        // A closed network has no unbounded queue: variance is bounded by the population, and
        // 10 × 20 000 s (≈ 64 000 cycles each) brings response half-widths to ≤ 1.8 % and
        // throughput/utilisation to ≤ 0.9 %: bounds 3 % and 1.5 %.
        checkInterval("MVA class X", result.replications.map { $0.classes[0].throughput },
                      analytic: solution.throughput, maxRelativeHalfWidth: 0.015)
        checkInterval("MVA class R", result.replications.map { $0.classes[0].response },
                      analytic: zip(visits, solution.responses).map(*).reduce(0, +), maxRelativeHalfWidth: 0.03)
        for (index, station) in spec.stations.enumerated() {
            let values = result.replications.map { $0.stations[index] }
            checkInterval("MVA \(station.name) R", values.map(\.response), analytic: solution.responses[index],
                          maxRelativeHalfWidth: 0.03)
            checkInterval("MVA \(station.name) X", values.map(\.throughput), analytic: solution.throughput * visits[index],
                          maxRelativeHalfWidth: 0.015)
            checkInterval("MVA \(station.name) ρ", values.map(\.utilization),
                          analytic: solution.throughput * visits[index] * mean(of: station.service), maxRelativeHalfWidth: 0.015)
        }
    }

    // MARK: 6. Little's law

    /// L = λW at every station of the Jackson and the closed network, and Lq = λWq, in the same
    /// run: the per-replication difference L − λW is only an edge effect (customers present at
    /// the start and end of the measured window), so its 99.9 % interval must contain 0 and be
    /// tight: half-width ≤ 0.5 % of L. The class-level law (Σ L_i = γ · class response) is
    /// checked on the open network the same way.
    @Test(arguments: ["jackson", "closed"])
    func littlesLawHoldsAtEveryStation(network: String) {
        let spec = network == "jackson" ? jacksonSpec : closedSpec
        let result = network == "jackson" ? jacksonResult : closedResult
        for (index, station) in spec.stations.enumerated() {
            let values = result.replications.map { $0.stations[index] }
            let l = values.map { $0.queueLength + $0.utilization * Double(station.servers) }
            let lq = values.map(\.queueLength)
            checkLittle("\(network) \(station.name) L=λW", l: l,
                        lambdaW: values.map { $0.throughput * $0.response }, maxRelativeHalfWidth: 0.005)
            checkLittle("\(network) \(station.name) Lq=λWq", l: lq,
                        lambdaW: values.map { $0.throughput * $0.wait }, maxRelativeHalfWidth: 0.005)
        }
        if network == "jackson" {
            let total = result.replications.map { replication in
                zip(replication.stations, spec.stations).map { $0.queueLength + $0.utilization * Double($1.servers) }.reduce(0, +)
            }
            checkLittle("jackson class L=γW", l: total,
                        lambdaW: result.replications.map { $0.classes[0].throughput * $0.classes[0].response },
                        maxRelativeHalfWidth: 0.005)
        }
    }

    // MARK: 7. Non-preemptive priority

    /// Two open classes at one M/M/1 `priority` station, λ_high = 0.3, λ_low = 0.4, μ = 1 (ρ = 0.7),
    /// against Cobham: Wq_k = W0/((1−σ_{k−1})(1−σ_k)), W0 = Σ λ_i E[S_i²]/2.
    @Test func priorityMatchesCobham() async {
        let mu = 1.0, lambdas = [0.3, 0.4]
        let spec = NetworkSpec(
            name: "priority", seed: 77, duration: seconds(100_000), warmup: .fixed(seconds(1_000)), replications: 10,
            stations: [.init(name: "server", servers: 1, discipline: .priority, service: .exponential(mean: 1 / mu))],
            routes: [[]],
            openClasses: [
                .init(name: "high", station: 0, interarrival: .exponential(mean: 1 / lambdas[0]), priority: 0),
                .init(name: "low", station: 0, interarrival: .exponential(mean: 1 / lambdas[1]), priority: 1),
            ],
            closedClasses: [])
        let result = await NetworkRunner.run(spec, threads: 2)
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        let waits = cobhamWaits(lambdas: lambdas, meanServices: [1 / mu, 1 / mu], secondMoments: [2 / (mu * mu), 2 / (mu * mu)])
        let high = result.replications.map { $0.classes[0].response }
        let low = result.replications.map { $0.classes[1].response }
        // The high class sees short waits (bound 4 %); the low class absorbs the busy periods and
        // has the widest interval of the file (bound 8 %).
        checkInterval("Priority high W", high, analytic: waits[0] + 1 / mu, maxRelativeHalfWidth: 0.04)
        checkInterval("Priority low W", low, analytic: waits[1] + 1 / mu, maxRelativeHalfWidth: 0.08)
        // The high class waits less in every replication, not only on average.
        #expect(zip(high, low).allSatisfy { $0 < $1 })
        // Work conservation: the aggregate station wait is the FIFO M/M/1 wait.
        let rho = lambdas.reduce(0, +) / mu
        checkInterval("Priority station Wq", result.replications.map { $0.stations[0].wait },
                      analytic: rho / (mu - lambdas.reduce(0, +)), maxRelativeHalfWidth: 0.06)
    }

    // MARK: 8. Determinism

    /// The same spec gives the same result on 1 or 4 threads and on a second run; another seed differs.
    @Test func runsAreDeterministic() async {
        var spec = jacksonSpec
        spec.duration = seconds(2_000)
        spec.warmup = .fixed(seconds(100))
        spec.replications = 4
        let single = await NetworkRunner.run(spec, threads: 1)
        let parallel = await NetworkRunner.run(spec, threads: 4)
        let again = await NetworkRunner.run(spec, threads: 1)
        #expect(single == parallel)
        #expect(single == again)
        #expect(single.replications[2] == NetworkRunner.runReplication(spec, replication: 2))
        // Replications are independent, not copies of one another.
        #expect(single.replications[0] != single.replications[1])
        var reseeded = spec
        reseeded.seed += 1
        let other = await NetworkRunner.run(reseeded, threads: 4)
        #expect(other != single)
        #expect(other.replications[0].stations[0].response != single.replications[0].stations[0].response)
    }

    /// A station (or class) with no completions in the measured window reports NaN means and
    /// percentiles; results compare bitwise, so a deterministic run still equals itself.
    @Test func resultWithAnIdleStationEqualsItself() {
        let spec = NetworkSpec(
            name: "idle", seed: 1, duration: seconds(100), warmup: .fixed(0), replications: 1,
            stations: [.init(name: "used", servers: 1, discipline: .fifo, service: .exponential(mean: 0.5)),
                       .init(name: "idle", servers: 1, discipline: .fifo, service: .exponential(mean: 0.5))],
            routes: [[], []],
            openClasses: [.init(name: "jobs", station: 0, interarrival: .exponential(mean: 1))],
            closedClasses: [])
        let first = NetworkRunner.runReplication(spec, replication: 0)
        let second = NetworkRunner.runReplication(spec, replication: 0)
        #expect(first.stations[1].response.isNaN)
        #expect(first == second)
    }

    // MARK: 9. MSER-5 warm-up

    /// An M/M/1 (ρ = 0.7) that starts empty with `.mser5`: every replication's warm-up lies in
    /// [0, duration/2] and the results still match M/M/1 theory.
    @Test func mser5WarmupKeepsTheory() async {
        let lambda = 0.7, mu = 1.0
        let spec = openSingleStation(name: "mser", seed: 99, servers: 1, lambda: lambda,
                                     service: .exponential(mean: 1 / mu), duration: 60_000, warmup: .mser5)
        let result = await NetworkRunner.run(spec, threads: 2)
        #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
        print("VALIDATION MSER-5 warm-ups (s): \(result.replications.map { format(SimClock.seconds($0.warmup), digits: 0) })")
        for replication in result.replications {
            #expect(replication.warmup >= 0 && replication.warmup <= spec.duration / 2, "warm-up \(replication.warmup)")
        }
        let station = result.replications.map { $0.stations[0] }
        let wq = lambda / mu / (mu - lambda)
        // Shorter than the M/M/1 test (the MSER-5 pilot pass doubles the cost) and the measured
        // window varies per replication: bound 8 % on Wq and 6 % on W.
        checkInterval("MSER-5 Wq", station.map(\.wait), analytic: wq, maxRelativeHalfWidth: 0.08)
        checkInterval("MSER-5 W", station.map(\.response), analytic: wq + 1 / mu, maxRelativeHalfWidth: 0.06)
        checkInterval("MSER-5 ρ", station.map(\.utilization), analytic: lambda / mu, maxRelativeHalfWidth: 0.02)
    }
}

// MARK: - Shared networks (run once, used by the analytic and the Little's-law tests)

/// External arrival rate of the Jackson network (per second, into `api`).
private let jacksonGamma = 8.0

/// Open Jackson network: api (2 servers, S = 0.16 s), db (1, 0.2 s), cache (1, 0.14 s);
/// api → db 0.3, api → cache 0.5 (else out); db → api 0.2 (else out); cache → api 0.1,
/// cache → db 0.1 (else out). Traffic equations give λ = (9.09, 3.18, 4.55), ρ = (0.73, 0.64, 0.64).
private let jacksonSpec = NetworkSpec(
    name: "jackson", seed: 44, duration: seconds(20_000), warmup: .fixed(seconds(500)), replications: 10,
    stations: [
        .init(name: "api", servers: 2, discipline: .fifo, service: .exponential(mean: 0.16)),
        .init(name: "db", servers: 1, discipline: .fifo, service: .exponential(mean: 0.2)),
        .init(name: "cache", servers: 1, discipline: .fifo, service: .exponential(mean: 0.14)),
    ],
    routes: [
        [.init(station: 1, probability: 0.3), .init(station: 2, probability: 0.5)],
        [.init(station: 0, probability: 0.2)],
        [.init(station: 0, probability: 0.1), .init(station: 1, probability: 0.1)],
    ],
    openClasses: [.init(name: "requests", station: 0, interarrival: .exponential(mean: 1 / jacksonGamma))],
    closedClasses: [])

/// Closed network: 20 users, think Z = 5 s (exponential), cpu (S = 0.12 s) and disk (S = 0.2 s),
/// single-server FCFS; cpu → disk 0.5 (else back to thinking), disk → cpu 1.
private let closedSpec = NetworkSpec(
    name: "closed", seed: 55, duration: seconds(20_000), warmup: .fixed(seconds(500)), replications: 10,
    stations: [
        .init(name: "cpu", servers: 1, discipline: .fifo, service: .exponential(mean: 0.12)),
        .init(name: "disk", servers: 1, discipline: .fifo, service: .exponential(mean: 0.2)),
    ],
    routes: [[.init(station: 1, probability: 0.5)], [.init(station: 0, probability: 1)]],
    openClasses: [],
    closedClasses: [.init(name: "users", population: 20, think: .exponential(mean: 5), station: 0)])

/// The replications of ``jacksonSpec``, computed once (lazily, thread-safely) for two tests.
private let jacksonResult = runSequentially(jacksonSpec)
/// The replications of ``closedSpec``, computed once for two tests.
private let closedResult = runSequentially(closedSpec)

/// All replications of `spec` via `runReplication` (synchronous, so a global can hold it).
private func runSequentially(_ spec: NetworkSpec) -> NetworkRunResult {
    NetworkRunResult(spec: spec, replications: (0..<spec.replications).map {
        NetworkRunner.runReplication(spec, replication: $0)
    })
}

// MARK: - Spec helpers

private func seconds(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

/// One station fed by one Poisson class: the M/G/c building block of tests 1–3 and 9.
private func openSingleStation(name: String, seed: UInt64, servers: Int, lambda: Double, service: Distribution,
                               duration: Double, warmup: NetworkSpec.Warmup) -> NetworkSpec {
    NetworkSpec(
        name: name, seed: seed, duration: seconds(duration), warmup: warmup, replications: 10,
        stations: [.init(name: "server", servers: servers, discipline: .fifo, service: service)],
        routes: [[]],
        openClasses: [.init(name: "jobs", station: 0, interarrival: .exponential(mean: 1 / lambda))],
        closedClasses: [])
}

/// Mean of the two distributions these tests use.
private func mean(of distribution: Distribution) -> Double {
    switch distribution {
    case .exponential(let mean): mean
    case .constant(let value): value
    default: preconditionFailure("unused in these tests")
    }
}

/// `P[i][j]`: the probability of going from station i to station j after service.
private func routingMatrix(_ spec: NetworkSpec) -> [[Double]] {
    var matrix = Array(repeating: Array(repeating: 0.0, count: spec.stations.count), count: spec.stations.count)
    for (from, routes) in spec.routes.enumerated() {
        for route in routes { matrix[from][route.station] += route.probability }
    }
    return matrix
}

// MARK: - Checks

private let confidenceLevel = 0.999

/// Expects the 99.9 % Student-t interval of the replication `values` to contain `analytic`
/// and its half-width to be at most `maxRelativeHalfWidth × |analytic|`; prints the comparison.
private func checkInterval(_ label: String, _ values: [Double], analytic: Double, maxRelativeHalfWidth: Double,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let interval = ConfidenceInterval(values, confidenceLevel: confidenceLevel)
    let halfWidth = interval.halfWidth ?? .infinity
    print("VALIDATION \(label): analytic \(format(analytic)), simulated \(format(interval.mean)) ± \(format(halfWidth)) "
          + "(\(format(100 * halfWidth / abs(analytic), digits: 2)) %, bound \(format(100 * maxRelativeHalfWidth, digits: 1)) %)")
    #expect(interval.contains(analytic),
            "\(label): analytic \(analytic) outside \(interval.mean) ± \(halfWidth)", sourceLocation: sourceLocation)
    #expect(halfWidth <= maxRelativeHalfWidth * abs(analytic),
            "\(label): half-width \(halfWidth) above \(maxRelativeHalfWidth) × \(analytic)", sourceLocation: sourceLocation)
}

/// Little's law in one run: the 99.9 % interval of the per-replication differences `l − lambdaW`
/// must contain 0 and have a half-width at most `maxRelativeHalfWidth` × mean `l`.
private func checkLittle(_ label: String, l: [Double], lambdaW: [Double], maxRelativeHalfWidth: Double,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let meanL = l.reduce(0, +) / Double(l.count)
    let interval = ConfidenceInterval(zip(l, lambdaW).map(-), confidenceLevel: confidenceLevel)
    let halfWidth = interval.halfWidth ?? .infinity
    print("VALIDATION \(label): L \(format(meanL)), L − λW \(format(interval.mean, digits: 6)) ± \(format(halfWidth, digits: 6)) "
          + "(\(format(100 * halfWidth / meanL, digits: 3)) % of L, bound \(format(100 * maxRelativeHalfWidth, digits: 1)) %)")
    #expect(interval.contains(0), "\(label): 0 outside \(interval.mean) ± \(halfWidth)", sourceLocation: sourceLocation)
    #expect(halfWidth <= maxRelativeHalfWidth * meanL,
            "\(label): half-width \(halfWidth) above \(maxRelativeHalfWidth) × L = \(meanL)", sourceLocation: sourceLocation)
}

private func format(_ value: Double, digits: Int = 4) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return "\((value * scale).rounded() / scale)"
}

// MARK: - Queueing formulas

/// Erlang C: the probability that an arrival waits in an M/M/c queue with `servers` = c servers
/// and offered load a = λ/μ < c:
/// C(c, a) = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)).
private func erlangC(servers c: Int, offeredLoad a: Double) -> Double {
    precondition(a < Double(c), "Erlang C needs a < c")
    var term = 1.0  // a^k/k!
    var sum = 0.0
    for k in 0..<c {
        sum += term
        term *= a / Double(k + 1)
    }
    let waiting = term * Double(c) / (Double(c) - a)  // term is now a^c/c!
    return waiting / (sum + waiting)
}

/// Pollaczek–Khinchine mean wait of an M/G/1 queue: Wq = λE[S²]/(2(1−ρ)), ρ = λE[S]
/// (with constant service S this is ρS/(2(1−ρ))).
private func pollaczekKhinchineWait(lambda: Double, meanService: Double, secondMomentService: Double) -> Double {
    let rho = lambda * meanService
    return lambda * secondMomentService / (2 * (1 - rho))
}

/// Solves the traffic equations λ_i = γ_i + Σ_j λ_j p_ji, i.e. (I − Pᵀ)λ = γ, by Gaussian
/// elimination with partial pivoting. With γ = the entry indicator of a closed class it gives
/// the visit ratios V_i.
private func trafficRates(external gamma: [Double], routing p: [[Double]]) -> [Double] {
    let n = gamma.count
    var a = (0..<n).map { i in (0..<n).map { j in (i == j ? 1 : 0) - p[j][i] } + [gamma[i]] }
    for column in 0..<n {
        let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
        a.swapAt(column, pivot)
        for row in 0..<n where row != column {
            let factor = a[row][column] / a[column][column]
            for k in column...n { a[row][k] -= factor * a[column][k] }
        }
    }
    return (0..<n).map { a[$0][n] / a[$0][$0] }
}

/// Exact single-class Mean Value Analysis of a closed network of single-server FCFS stations
/// with exponential service and a delay (think) station Z:
/// for n = 1…N: R_k = S_k(1 + Q_k(n−1)), X = n/(Z + Σ V_k R_k), Q_k = X V_k R_k.
/// Returns the class throughput X (cycles per second) and each station's per-visit response R_k.
private func meanValueAnalysis(population: Int, thinkTime z: Double, visits v: [Double],
                               serviceTimes s: [Double]) -> (throughput: Double, responses: [Double]) {
    var queue = Array(repeating: 0.0, count: v.count)
    var responses = s
    var throughput = 0.0
    for n in 1...population {
        responses = s.indices.map { s[$0] * (1 + queue[$0]) }
        throughput = Double(n) / (z + v.indices.map { v[$0] * responses[$0] }.reduce(0, +))
        queue = v.indices.map { throughput * v[$0] * responses[$0] }
    }
    return (throughput, responses)
}

/// Cobham's mean waits in queue of a non-preemptive priority M/G/1 (class 0 most urgent):
/// Wq_k = W0/((1−σ_{k−1})(1−σ_k)), σ_k = Σ_{i≤k} λ_i E[S_i], W0 = Σ_i λ_i E[S_i²]/2.
private func cobhamWaits(lambdas: [Double], meanServices: [Double], secondMoments: [Double]) -> [Double] {
    let w0 = lambdas.indices.map { lambdas[$0] * secondMoments[$0] / 2 }.reduce(0, +)
    var sigma = 0.0
    return lambdas.indices.map { k in
        let previous = sigma
        sigma += lambdas[k] * meanServices[k]
        return w0 / ((1 - previous) * (1 - sigma))
    }
}

@Suite struct NetworkSpecProblemsTests {
    @Test func soundSpecificationHasNoProblems() {
        let spec = NetworkSpec(
            name: "ok", seed: 1, duration: 1_000_000_000, warmup: .fixed(0), replications: 1,
            stations: [.init(name: "a", servers: 1, discipline: .fifo, service: .exponential(mean: 1))],
            routes: [[]], openClasses: [.init(name: "c", station: 0, interarrival: .exponential(mean: 2))],
            closedClasses: [])
        #expect(spec.problems.isEmpty)
    }

    @Test func reportsEachImpossibleValue() {
        let spec = NetworkSpec(
            name: "bad", seed: 1, duration: 10, warmup: .fixed(10), replications: 0,
            stations: [.init(name: "a", servers: 0, discipline: .fifo, service: .exponential(mean: -1))],
            routes: [[.init(station: 3, probability: 0.5)]],
            openClasses: [.init(name: "a", station: 0, interarrival: .exponential(mean: 2))],
            closedClasses: [])
        let problems = spec.problems
        #expect(problems.contains { $0.contains("replications") })
        #expect(problems.contains { $0.contains("warm-up") })
        #expect(problems.contains { $0.contains("servers") })
        #expect(problems.contains { $0.contains("mean") })
        #expect(problems.contains { $0.contains("routes") })
        #expect(problems.contains { $0.contains("unique") })
    }
}
