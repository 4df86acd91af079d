// ShippedScenarioConsistencyTests.swift — laws that hold whatever the model, checked on every
// shipped task-system scenario (shortened through `--param`): Little's law for the closed user
// population, request conservation across the client and the API tier, and the job balance.

import Foundation
import Testing
import Scenarios
import Sim
@testable import TaskSystem

@Suite(.serialized) struct ShippedScenarioConsistencyTests {
    // MARK: The scenarios

    /// The repository's `scenarios/` folder.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")

    /// Every shipped scenario file of `kind: task-system`, by file name.
    static let taskSystemFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().filter { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return text.contains(/(?m)^kind:\s*task-system\s*$/)
        }
    }()

    /// The shortened run of each file: warm-up and measured stretch. The stretch is long enough
    /// that a few thousand requests are answered (the edge allowance below shrinks with it) and
    /// short enough that the suite takes about a minute and a half of CPU in a debug build; the large
    /// scenarios keep their warm-up so the load profile is where the file has it.
    static func shortening(of file: String) -> (warmup: String, duration: String) {
        switch file {
        case "baseline-1k.yaml", "cdn-offload.yaml": ("1m", "4m")  // the present's 50 requests/s: 9,000 in the 3 measured minutes
        case "cache-cold-start.yaml", "cache-warm-start.yaml", "n-plus-one.yaml", "n-plus-one-join.yaml":
            ("20s", "40s")  // 2,000 users of the present, about 1,000 requests/s: 20,000 in 20 s
        case "current-100.yaml": ("1m", "4m")
        case "instance-failure.yaml": ("1m", "11m")  // keeps the crash at 615 s
        case "growth-1k-to-100k.yaml": ("4m", "6m")  // 100 users, then the ramp's first minute
        case "db-vertical-upgrade.yaml": ("1m", "3m")  // the step to 900 users at 2 min
        case "steady-100k.yaml": ("10s", "30s")
        case "az-loss.yaml": ("7m", "10m")  // keeps the zone loss at 8 min inside the run
        case "redis-outage.yaml": ("9m", "13m")  // keeps the outage, 10–12 min, and Redis's return
        case "failover.yaml": ("4m", "6m")  // keeps the failover, 5 min to 5 min 30 s, and the minute after
        // Past the cold start: at t = 0 every one of its 1,000 projects' N+1 task lists misses at
        // once (≈ 150 list reads/s × 151 queries against the two replicas' ≈ 8,000 queries/s), and
        // the backlog lasts 20–30 s (seed 5: mean response 0.147 s over 20–60 s, 0.048 s over
        // 30–70 s). A stretch opening inside it has cut cycles far longer than a think plus a
        // response, which the edge allowance below assumes.
        case "replica-lag.yaml": ("1m", "2m")
        default: ("20s", "60s")
        }
    }

    /// Runs `file` shortened, one replication, and returns its configuration and result.
    static func run(_ file: String) throws -> (TaskSystemConfiguration, TaskSystemResult) {
        let (warmup, duration) = shortening(of: file)
        let settings = try [ParameterSetting(parsing: "warmup=\(warmup)"), ParameterSetting(parsing: "duration=\(duration)"),
                            ParameterSetting(parsing: "replications=1")]
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: folder.appendingPathComponent(file).path,
                                                                       settings: settings) else {
            throw ConsistencyTestError.notTaskSystem(file)
        }
        return (scenario.configuration, TaskSystemSimulation.runReplication(scenario.configuration, replication: 0))
    }

    @Test func everyShippedTaskSystemScenarioIsCovered() {
        // The glob found the scenarios this suite must cover (a rename would otherwise drop one silently).
        #expect(Self.taskSystemFiles.count >= 14)
        #expect(Self.taskSystemFiles.contains("growth-1k-to-100k.yaml"))
        #expect(!Self.taskSystemFiles.contains("api-and-database.yaml"))  // kind: network
    }

    // MARK: The laws

    @Test(arguments: taskSystemFiles) func lawsHold(_ file: String) throws {
        let (configuration, result) = try Self.run(file)
        let value = { (name: String) throws -> Double in try #require(result.metric(name), "\(file): \(name)") }
        let seconds = SimClock.seconds(configuration.duration - configuration.warmup)
        let usersAtStart = Double(configuration.workload.load.users(at: configuration.warmup))
        let usersAtEnd = Double(configuration.workload.load.users(at: configuration.duration))

        // Little's law for the closed population. Every user in a session is either waiting for
        // an answer or thinking, so ∫ users-in-session dt = Σ response times + Σ think times
        // over the measured stretch. The response times are measured (`users.response_time` ×
        // `users.requests`); the think times are NOT: they are the configured means times the
        // number of thinks the counts imply — one think before every request except logins
        // (a session opens at once) and re-reads (a refresh delay instead), plus the thinks
        // that ended a session (`users.departures`). So N = X (R + Z) holds up to
        //  - the sampling error of the think total: n draws of variance σ²_Z each, σ√n — the
        //    95 % confidence interval of the think total is ±1.96 σ√n; we accept ±4 σ√n
        //    (the 99.994 % interval, summed in quadrature over thinks and refresh delays);
        //  - the two ends of the stretch: every user in session at an end has one cycle cut
        //    there, whose elapsed part counts on one side only. Its mean is about one think time
        //    plus a response; its spread one think time, per user. The signed part is
        //    (N_end − N_start)(Z + R) (a ramp's end holds more cut cycles than its start), the
        //    random part ±4 Z √(N_start + N_end).
        // Both are divided by the measured seconds to compare with the time-average N.
        let workload = configuration.workload
        let think = workload.thinkTime, refresh = workload.refreshDelay
        let answered = try value("users.requests"), logins = try value("users.logins")
        let refreshes = try value("users.refresh_reads"), departures = try value("users.departures")
        let responseTime = try value("users.response_time")
        let thinks = answered - logins - refreshes + departures
        let inSession = try value("users.in_session")
        let littles = (answered * responseTime + thinks * think.mean + refreshes * refresh.mean) / seconds
        let samplingSigma = (thinks * think.variance + refreshes * refresh.variance).squareRoot()
        let edgeSigma = think.variance.squareRoot() * (usersAtStart + usersAtEnd).squareRoot()
        let edgeDrift = abs(usersAtEnd - usersAtStart) * (think.mean + responseTime)
        let tolerance = (4 * (samplingSigma * samplingSigma + edgeSigma * edgeSigma).squareRoot() + edgeDrift) / seconds
        #expect(answered > 1_000, "\(file): too few requests for the law to say anything")
        #expect(abs(inSession - littles) <= tolerance,
                "\(file): users in session \(inSession), X(R + Z) = \(littles), tolerance \(tolerance)")
        // The tolerance is a small part of the population, so the check can fail (with 100
        // users thinking 10 s the think total's own 4σ is about 5 % of 10 measured minutes).
        #expect(tolerance < 0.1 * inSession, "\(file): tolerance \(tolerance) of \(inSession) users")

        // Request conservation inside the model (generated = answered + in flight, the in-flight
        // count taken from the instances and the edge) and, across layers, the answers the
        // users counted against the API tier's: without a CDN every user request is an API
        // request, so the two counts differ only by requests in flight at the two ends of the
        // stretch — at most one per user in session there.
        // (Matched by a word of their name: "requests conserved", "every job done, …" — or the
        // identifiers `requests-conserved`, `jobs-conserved`.)
        let requestsConserved = try #require(result.invariants.first { $0.name.hasPrefix("requests") })
        #expect(requestsConserved.held, "\(file): \(requestsConserved.violations) violations")
        if configuration.cdn == nil {
            let apiRequests = try value("api.requests")
            #expect(abs(answered - apiRequests) <= usersAtStart + usersAtEnd,
                    "\(file): users counted \(answered) answers, the API \(apiRequests)")
        }

        // The job balance: every job that reached the broker is completed, dead-lettered,
        // waiting (queue, retry countdown, unacknowledged) or running at the end — exactly.
        let jobsConserved = try #require(result.invariants.first { $0.name.contains("job") })
        #expect(jobsConserved.held && jobsConserved.checks > 0, "\(file): \(jobsConserved.violations) violations")
        let enqueued = try value("jobs.enqueued")
        let accounted = try value("jobs.completed") + value("jobs.dead") + value("jobs.waiting_at_end") + value("jobs.running_at_end")
        #expect(enqueued == accounted, "\(file): \(enqueued) enqueued, \(accounted) accounted for")
        #expect(enqueued > 0, "\(file): no job ran, the balance says nothing")
    }
}

enum ConsistencyTestError: Error { case notTaskSystem(String) }
