// ErrorReportingTests.swift — every kind of problem, with exact line, column, key path and message.

import Testing
@testable import Scenarios
import Sim

@Suite("Error reporting")
struct ErrorReportingTests {
    // MARK: Format

    @Test func descriptionNamesFileLineColumnAndKeyPath() {
        let error = ScenarioError(file: "scenarios/x.yaml", line: 12, column: 7,
                                  keyPath: "stations[1].servers", message: "too small (min 1), got 0")
        #expect(error.description == "scenarios/x.yaml:12:7: stations[1].servers: too small (min 1), got 0")
        let root = ScenarioError(file: "x.yaml", line: 1, column: 1, keyPath: "", message: "m")
        #expect(root.description == "x.yaml:1:1: m")
        let unpositioned = ScenarioError(file: "x.yaml", line: 0, column: 0, keyPath: "", message: "m")
        #expect(unpositioned.description == "x.yaml: m")
    }

    @Test func collectionSortsByLineThenColumn() {
        func error(_ line: Int, _ column: Int, _ message: String) -> ScenarioError {
            ScenarioError(file: "f", line: line, column: column, keyPath: "", message: message)
        }
        let errors = ScenarioErrors([error(9, 1, "a"), error(2, 8, "b"), error(2, 3, "c"), error(9, 1, "d")])
        #expect(errors.errors.map(\.message) == ["c", "b", "a", "d"])
        #expect(errors.description == "f:2:3: c\nf:2:8: b\nf:9:1: a\nf:9:1: d")
    }

    @Test func thrownErrorsCarryTheFilePath() throws {
        let path = try Fixture.write("kind: network\n")
        defer { Fixture.remove(path) }
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.allSatisfy { $0.file == path })
            #expect(error.description.hasPrefix("\(path):1:1: missing required key 'name'"))
        }
    }

    @Test func unreadableFile() {
        #expect {
            _ = try ScenarioLoader.load(path: "/nonexistent/simrun/x.yaml")
        } throws: { error in
            guard let errors = error as? ScenarioErrors, errors.errors.count == 1 else { return false }
            let first = errors.errors[0]
            return first.line == 0 && first.file == "/nonexistent/simrun/x.yaml"
                && first.message.hasPrefix("cannot read the file")
        }
    }

    // MARK: Several errors at once

    @Test func severalErrorsAreReportedTogetherSortedByLine() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: errors
            duration: 100
            replication: 3
            stations:
              - name: api
                servers: 0
                service: {distribution: exponential, mean: 0.25}
              - name: db
                sever: 2
                service: {distribution: exponential, mean: -1}
            arrivals:
              - {class: web, station: apii, interarrival: {distribution: exponential, mean: 1}}
            """)
        #expect(errors == [
            "4:1: replication: unknown key 'replication'; did you mean 'replications'?",
            "7:14: stations[0].servers: too small (min 1), got 0",
            "10:5: stations[1].sever: unknown key 'sever'; did you mean 'servers'?",
            "11:48: stations[1].service.mean: invalid exponential distribution: mean must be > 0, got -1.0",
            "13:27: arrivals[0].station: unknown station 'apii'; did you mean 'api'?",
        ])
    }

    // MARK: Types and enums

    @Test func wrongTypesAndUnknownChoices() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: [a, b]
            seed: -1
            duration: 10
            replications: 0
            stations:
              - name: api
                servers: four
                discipline: random
                service: {distribution: expo, mean: 1}
            populations:
              - {class: users, size: 0, think: {distribution: constant, value: 1}, station: api, priority: -1}
            """)
        #expect(errors == [
            "2:7: name: expected a string, got a list",
            "3:7: seed: too small (min 0), got -1",
            "5:15: replications: too small (min 1), got 0",
            "8:14: stations[0].servers: expected an integer, got the string \"four\"",
            "9:17: stations[0].discipline: unknown discipline 'random'; allowed: fifo, priority",
            "10:29: stations[0].service.distribution: unknown distribution 'expo'; allowed: constant, exponential, uniform, lognormal, gamma, weibull, pareto, empirical, poisson",
            "12:26: populations[0].size: too small (min 1), got 0",
            "12:96: populations[0].priority: too small (min 0), got -1",
        ])
    }

    @Test func nearMissesAreSuggested() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: typos
            duration: 10
            stations:
              - {name: api, sever: 2, discipline: fifoo, service: {distribution: exponentail, mean: 1}}
            arrivals:
              - {class: web, station: api, interarival: {distribution: exponential, mean: 2}}
            """)
        #expect(errors == [
            "5:17: stations[0].sever: unknown key 'sever'; did you mean 'servers'?",
            "5:39: stations[0].discipline: unknown discipline 'fifoo'; did you mean 'fifo'?",
            "5:70: stations[0].service.distribution: unknown distribution 'exponentail'; did you mean 'exponential'?",
            "7:5: arrivals[0]: missing required key 'interarrival'",
            "7:32: arrivals[0].interarival: unknown key 'interarival'; did you mean 'interarrival'?",
        ])
    }

    // MARK: Missing and empty

    @Test func missingRequiredKeysAndNoClasses() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: missing
            stations:
              - name: api
                servers: 2
            arrivals: []
            """)
        #expect(errors == [
            "1:1: missing required key 'duration'",
            "4:5: stations[0]: missing required key 'service'",
            "6:11: arrivals: a network needs at least one class: add 'arrivals' (open classes) or 'populations' (closed classes)",
        ])
    }

    @Test func emptyStationList() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: empty
            duration: 10
            stations: []
            arrivals:
              - {class: web, station: api, interarrival: {distribution: exponential, mean: 2}}
            """)
        #expect(errors == [
            "4:11: stations: at least one station is required",
            "6:27: arrivals[0].station: unknown station 'api'",
        ])
    }

    // MARK: Routes

    @Test func routeProbabilitiesAndNames() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: routes
            duration: 10
            stations:
              - {name: api, service: {distribution: constant, value: 1}}
              - {name: db, service: {distribution: constant, value: "2ms"}}
            routes:
              api: {db: 0.75, api: 0.5}
              db: {api: 1.5}
              cache: {api: 0.1}
              dbx: {ap: 0.1}
            arrivals:
              - {class: web, station: api, interarrival: {distribution: exponential, mean: 1}}
            """)
        #expect(errors == [
            "8:8: routes.api: probabilities sum to 1.25, more than 1; the remainder (1 − sum) is the chance of leaving",
            "9:13: routes.db.api: a probability must be between 0 and 1, got 1.5",
            "10:3: routes.cache: unknown station 'cache'; stations are: api, db",
            "11:3: routes.dbx: unknown station 'dbx'; did you mean 'db'?",
            "11:9: routes.dbx.ap: unknown station 'ap'; did you mean 'api'?",
        ])
    }

    @Test func routesWithNoWayOutAreRejected() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: trap
            duration: 10
            stations:
              - {name: a, service: {distribution: constant, value: 1}}
              - {name: b, service: {distribution: constant, value: 1}}
              - {name: c, service: {distribution: constant, value: 1}}
            routes:
              a: {b: 1}
              b: {a: 0.5, b: 0.5}
              c: {a: 0.5}
            arrivals:
              - {class: jobs, station: c, interarrival: {distribution: exponential, mean: 1}}
            """)
        let message = "can never leave: its routes, and those of every station they lead to, total 1; leave some probability unassigned"
        #expect(errors == [
            "9:6: routes.a: customers at 'a' \(message)",
            "10:6: routes.b: customers at 'b' \(message)",
        ])
    }

    // MARK: Names

    @Test func duplicateInvalidAndClashingNames() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: names
            duration: 10
            stations:
              - {name: api, service: {distribution: exponential, mean: 1}}
              - {name: api, service: {distribution: exponential, mean: 1}}
              - {name: "my db", service: {distribution: exponential, mean: 1}}
            arrivals:
              - {class: web, station: api, interarrival: {distribution: exponential, mean: 1}}
              - {class: api, station: api, interarrival: {distribution: exponential, mean: 1}}
            populations:
              - {class: web, size: 3, think: {distribution: exponential, mean: 1}, station: "my db"}
            """)
        #expect(errors == [
            "6:12: stations[1].name: duplicate station name 'api' (first declared on line 5)",
            "7:12: stations[2].name: invalid station name 'my db': use letters, digits, '_' and '-', starting with a letter or '_' (names appear in metrics such as 'my db.response')",
            "10:13: arrivals[1].class: class name 'api' is also a station name (line 5); metrics such as 'api.response' would be ambiguous",
            "12:13: populations[0].class: duplicate class name 'web' (first declared on line 9)",
        ])
    }

    // MARK: Times and distributions

    @Test func impossibleTimesAndDistributionKeys() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: times
            duration: 1m
            warmup: 90s
            stations:
              - name: api
                service: {distribution: uniform, low: -1, high: 2}
              - name: db
                service: {distribution: uniform, low: 2, high: 1}
              - name: cache
                service: {distribution: exponential, mean: 1, cv: 2}
              - name: disk
                service: {distribution: uniform, low: 1}
              - name: net
                service: {distribution: empirical, values: [1, "5ms", "-2ms"]}
              - name: gpu
                service: {distribution: empirical, values: [1, -3]}
            arrivals:
              - {class: web, station: api, interarrival: {distribution: constant, value: 0}}
            """)
        #expect(errors == [
            "4:9: warmup: must be shorter than duration (60.0 s), got 90.0 s",
            "7:43: stations[0].service.low: invalid uniform distribution: low must be >= 0 for a time, got -1.0",
            "9:52: stations[1].service.high: invalid uniform distribution: high must be > low (2.0), got 1.0",
            "11:51: stations[2].service.cv: unknown key 'cv'; allowed keys: distribution, mean",
            "13:14: stations[3].service: missing required key 'high'",
            "15:59: stations[4].service.values[2]: duration must not be negative, got \"-2ms\"",
            "17:52: stations[5].service.values[1]: invalid empirical distribution: values[1] must be >= 0 for a time, got -3.0",
            "19:46: arrivals[0].interarrival: the mean time between arrivals must be > 0, got 0.0",
        ])
    }

    @Test func distributionMustBeAMapping() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: scalar
            duration: 10
            stations:
              - {name: api, service: 0.25}
            arrivals:
              - {class: web, station: api, interarrival: {mean: 2}}
            """)
        #expect(errors == [
            "5:26: stations[0].service: expected a distribution mapping such as {distribution: exponential, mean: 0.25}, got 0.25",
            "7:46: arrivals[0].interarrival: missing required key 'distribution'",
        ])
    }

    // MARK: Kind

    @Test("kind errors", arguments: [
        ("kind: netwrok\nname: x", "1:7: kind: unknown kind 'netwrok'; did you mean 'network'? supported kinds: network, task-system"),
        ("kind: task-sytem\nname: x", "1:7: kind: unknown kind 'task-sytem'; did you mean 'task-system'? supported kinds: network, task-system"),
        ("kind: batch\nname: x", "1:7: kind: unknown kind 'batch'; supported kinds: network, task-system"),
        ("name: x", "1:1: missing required key 'kind'"),
        ("- kind: network", "1:1: expected a mapping with 'kind', 'name', … at the top level, got a list"),
        ("", "1:1: the file is empty"),
    ])
    func kindErrors(yaml: String, expected: String) throws {
        #expect(try Fixture.errors(yaml) == [expected])
    }

    // MARK: YAML syntax

    @Test func yamlSyntaxErrorKeepsYamsPosition() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: syntax
            duration: 10
            stations: [api, db
            arrivals: []
            """)
        #expect(errors == [
            "5:9: stations: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 11)",
        ])
        let indentation = try Fixture.errors("""
            kind: network
            name: syntax
            duration: 10
            stations:
              - name: a
               servers: 2
            """)
        #expect(indentation == [
            "6:4: stations: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at line 5, column 3)",
        ])
    }

    /// At the duplicate (not the first occurrence), with its key path.
    @Test func duplicateKeysAreReported() throws {
        let errors = try Fixture.errors("""
            kind: network
            name: first
            duration: 10
            name: second
            """)
        #expect(errors == ["4:1: name: duplicate key 'name'; each key may appear once in a mapping"])
    }
}
