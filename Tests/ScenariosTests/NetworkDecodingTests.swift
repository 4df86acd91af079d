// NetworkDecodingTests.swift — valid files decode to the expected NetworkSpec.

import Testing
@testable import Scenarios
import Sim

@Suite("Network decoding")
struct NetworkDecodingTests {
    static let example = """
        kind: network
        name: example
        seed: 7
        duration: 400000
        warmup: 4000
        replications: 8
        stations:
          - name: api
            servers: 4
            discipline: fifo
            service: {distribution: exponential, mean: 0.25}
          - name: db
            discipline: priority
            service: {distribution: lognormal, mean: "20ms", cv: 0.5}
        routes:
          api: {db: 0.3}
        arrivals:
          - {class: web, station: api, interarrival: {distribution: exponential, mean: 0.078125}, priority: 0}
        populations:
          - {class: users, size: 50, think: {distribution: exponential, mean: 5}, station: api, priority: 1}
        kpis:
          - "p95(api.response) < 2s"
          - mean(db.wait) <= 50ms
        """

    @Test func fullExampleDecodesToTheExpectedSpec() throws {
        let path = try Fixture.write(Self.example)
        defer { Fixture.remove(path) }
        let scenario = try ScenarioLoader.load(path: path)
        guard case .network(let network) = scenario else {
            Issue.record("expected a network scenario")
            return
        }
        let expected = NetworkSpec(
            name: "example", seed: 7, duration: seconds(400_000), warmup: .fixed(seconds(4_000)),
            replications: 8,
            stations: [
                .init(name: "api", servers: 4, discipline: .fifo, service: .exponential(mean: 0.25)),
                .init(name: "db", servers: 1, discipline: .priority, service: .lognormal(mean: 0.02, cv: 0.5)),
            ],
            routes: [[.init(station: 1, probability: 0.3)], []],
            openClasses: [.init(name: "web", station: 0, interarrival: .exponential(mean: 0.078125), priority: 0)],
            closedClasses: [.init(name: "users", population: 50, think: .exponential(mean: 5), station: 0, priority: 1)])
        #expect(network.spec == expected)
        #expect(network.sourcePath == path)
        #expect(scenario.sourcePath == path)
        #expect(network.kpis == [
            KPI(expression: "p95(api.response) < 2s", aggregate: .p95, metric: "api.response",
                op: .lessThan, threshold: 2, unit: .time(.seconds)),
            KPI(expression: "mean(db.wait) <= 50ms", aggregate: .mean, metric: "db.wait",
                op: .lessThanOrEqual, threshold: 0.05, unit: .time(.milliseconds)),
        ])
        #expect(network.kpis.map { networkMetricKey(for: $0, spec: network.spec) }
                == ["stations.api.p95_response", "stations.db.wait"])
    }

    @Test func defaultsApplyWhenOptionalKeysAreLeftOut() throws {
        let spec = try Fixture.network(Fixture.minimal()).spec
        #expect(spec.seed == 1)
        #expect(spec.warmup == .fixed(0))
        #expect(spec.replications == 1)
        #expect(spec.stations[0].servers == 1)
        #expect(spec.stations[0].discipline == .fifo)
        #expect(spec.routes == [[]])
        #expect(spec.openClasses[0].priority == 0)
        #expect(spec.closedClasses.isEmpty)
    }

    @Test func routesKeepTheOrderWrittenInTheFile() throws {
        let spec = try Fixture.network("""
            kind: network
            name: order
            duration: 10
            stations:
              - {name: api, service: {distribution: exponential, mean: 1}}
              - {name: db, service: {distribution: exponential, mean: 1}}
              - {name: cache, service: {distribution: exponential, mean: 1}}
            routes:
              db: {api: 0.5}
              api: {cache: 0.2, db: 0.3, api: 0.1}
            arrivals:
              - {class: web, station: api, interarrival: {distribution: exponential, mean: 2}}
            """).spec
        #expect(spec.routes == [
            [.init(station: 2, probability: 0.2), .init(station: 1, probability: 0.3), .init(station: 0, probability: 0.1)],
            [.init(station: 0, probability: 0.5)],
            [],
        ])
    }

    @Test("every distribution decodes", arguments: [
        ("{distribution: constant, value: 1.5}", Distribution.constant(1.5)),
        ("{distribution: constant, value: \"1.5s\"}", .constant(1.5)),
        ("{distribution: exponential, mean: \"250ms\"}", .exponential(mean: 0.25)),
        ("{distribution: uniform, low: 1, high: \"2m\"}", .uniform(low: 1, high: 120)),
        ("{distribution: lognormal, mean: 2, cv: 0.5}", .lognormal(mean: 2, cv: 0.5)),
        ("{distribution: gamma, mean: \"100us\", cv: 2}", .gamma(mean: 0.0001, cv: 2)),
        ("{distribution: weibull, shape: 1.5, scale: \"3s\"}", .weibull(shape: 1.5, scale: 3)),
        ("{distribution: pareto, shape: 2.5, scale: 0.5}", .pareto(shape: 2.5, scale: 0.5)),
        ("{distribution: empirical, values: [1, \"500ms\", 2.5]}", .empirical([1, 0.5, 2.5])),
        ("{distribution: poisson, mean: 4}", .poisson(mean: 4)),
    ])
    func distributionDecodes(yaml: String, expected: Distribution) throws {
        let spec = try Fixture.network("""
            kind: network
            name: distributions
            duration: 10
            stations:
              - {name: api, service: \(yaml)}
            arrivals:
              - {class: web, station: api, interarrival: {distribution: exponential, mean: 2}}
            """).spec
        #expect(spec.stations[0].service == expected)
    }

    @Test func mser5Warmup() throws {
        #expect(try Fixture.network(Fixture.minimal(warmup: "mser5")).spec.warmup == .mser5)
        #expect(try Fixture.network(Fixture.minimal(warmup: "\"mser5\"")).spec.warmup == .mser5)
        #expect(try Fixture.errors(Fixture.minimal(warmup: "mser")) == [
            "4:9: warmup: expected a duration (seconds, or a string such as \"5m\") or \"mser5\", got the string \"mser\"; did you mean 'mser5'?",
        ])
    }

    @Test func namesThatYAMLWouldReadAsOtherTypesStayNames() throws {
        let spec = try Fixture.network("""
            kind: network
            name: 2024
            duration: 10
            stations:
              - {name: no, service: {distribution: exponential, mean: 1}}
            arrivals:
              - {class: web, station: no, interarrival: {distribution: exponential, mean: 2}}
            """).spec
        #expect(spec.name == "2024")
        #expect(spec.stations[0].name == "no")
    }
}
