// CatalogTests.swift — the price catalogue: catalog/aws.yaml is the built-in text, the built-in
// prices are the ones simrun used before it existed, a bad catalogue is refused with positions,
// and a catalogue's prices flow into a run's cost exactly.

import Foundation
import Testing
@testable import Reports
import Scenarios
import TaskSystem

@Suite(.serialized) struct CatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `catalog/aws.yaml` is the built-in catalogue's text; `SIMRUN_WRITE_DOCS=1` rewrites it.
    @Test func catalogFileIsTheBuiltInText() throws {
        let url = Self.root.appendingPathComponent("catalog/aws.yaml")
        let expected = PriceCatalog.builtInText + "\n"
        if ProcessInfo.processInfo.environment["SIMRUN_WRITE_DOCS"] == "1" {
            try Data(expected.utf8).write(to: url)
        }
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(file == expected, "catalog/aws.yaml is stale: run `SIMRUN_WRITE_DOCS=1 swift test --filter CatalogTests`")
        #expect(try PriceCatalog(path: url.path) == PriceCatalog.builtIn)
    }

    /// The seed's classes keep the prices and sizes simrun's defaults have always had, and a
    /// 1-vCPU, 2-GiB Fargate task costs the default `api.hourly_price`: adding the catalogue moves
    /// no figure of a scenario that names only those.
    @Test func builtInPricesMatchTheDefaults() throws {
        let catalog = PriceCatalog.builtIn
        for known in DatabaseInstanceClass.catalog {
            #expect(catalog.databaseClass(named: known.name) == known, "\(known.name)")
        }
        #expect(abs(catalog.taskHourlyPrice(vCPUs: 1, memoryGiB: 2) - APIConfiguration().hourlyPrice) < 1e-12)
        #expect(abs(catalog.taskHourlyPrice(vCPUs: 2, memoryGiB: 4) - 2 * 0.04937) < 1e-12)
        #expect(catalog.family(of: catalog.databaseClass(named: "db.r6g.xlarge")!).map(\.name)
            == ["db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge"])
        #expect(catalog.databaseClass(named: "db.m5.large")?.maxConnections == 8 * 1_073_741_824 / 12_582_880)
    }

    @Test func badCataloguesAreRefusedWithPositions() throws {
        let bad = """
            provider: aws
            region: us-east-1
            prices_as_of: 2026-12
            sources: {database: x}
            database:
              - {class: db.x.large, vcpus: 2, memory: 1.5GiB, network: n, hourly_price: 0.1}
              - {class: db.y.large, vcpus: 0, memory: 2GiB, network: n, hourly_price: 0.1}
              - {class: db.z.large, vcpus: 2, memory: 2GiB, network: n, hourly_price: -1}
              - {class: db.w.large, vcpus: 2, memory: 2GiB, network: n, hourly_price: 1}
              - {class: db.w.large, vcpus: 4, memory: 4GiB, network: n, hourly_price: 2}
            api: {vcpu_hour: 0.04, gib_hour: 0.004, memroy_per_vcpu: 2GiB}
            """
        do {
            _ = try PriceCatalog(yaml: bad, path: "c.yaml")
            Issue.record("a bad catalogue loaded")
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.contains { $0.hasPrefix("c.yaml:6:") && $0.contains("whole number of GiB") })
            #expect(lines.contains { $0.hasPrefix("c.yaml:7:") && $0.contains("vcpus") })
            #expect(lines.contains { $0.hasPrefix("c.yaml:8:") && $0.contains("must not be negative") })
            #expect(lines.contains { $0.hasPrefix("c.yaml:10:") && $0.contains("class 'db.w.large' is listed twice") })
            #expect(lines.contains { $0.hasPrefix("c.yaml:11:") && $0.contains("did you mean 'memory_per_vcpu'") })
        }
    }

    /// A run priced by another catalogue costs exactly what its prices say: a fixed topology of
    /// 3 API tasks (2 vCPU, 3 GiB), a primary with one replica, a cache.m6g.large node and the
    /// seed's 16 Celery workers (fixed: no worker scaling) of 2 vCPU and 4 GiB, for 2 simulated minutes.
    @Test func cataloguePricesFlowIntoTheCost() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let scenario = try scratch.write("priced.yaml", """
            kind: task-system
            name: priced
            seed: 2
            duration: 2m
            warmup: 10s
            replications: 1
            users: {registered: 100, concurrent: 10}
            api: {instances: 3, vcpus: 2, memory: 3GiB}
            database: {primary: db.r5.large, replica: db.m5.large, replicas: 1}
            cache: {node: cache.m6g.large}
            jobs: {autoscale: false, worker_vcpus: 2, worker_memory: 4GiB}
            """)
        let catalogue = PriceCatalog.builtInText
            .replacingOccurrences(of: "hourly_price: 0.25}", with: "hourly_price: 0.75}")
            .replacingOccurrences(of: "hourly_price: 0.149}", with: "hourly_price: 0.5}")
            .replacingOccurrences(of: "vcpu_hour: 0.04048", with: "vcpu_hour: 0.1")
            .replacingOccurrences(of: "gib_hour: 0.004445", with: "gib_hour: 0.01")
        let catalogPath = try scratch.write("prices.yaml", catalogue)
        let run = ScenarioRun(path: scenario, overrides: .init(catalogPath: catalogPath),
                              outputFolder: scratch.url.appendingPathComponent("out").path, threads: 1)
        let report = try await run.execute().report
        func metric(_ name: String) -> Double? { report.summaryJSON.value(at: "metrics")?.member(name)?.member("mean")?.number }
        let hours = 2.0 / 60
        // The replica is provisioned at the start, like the primary: both for the whole run.
        let database = hours * (0.75 + 0.171)
        let api = 3 * hours * (2 * 0.1 + 3 * 0.01)
        #expect(abs(try #require(metric("cost.database")) - database) < 1e-12)
        let cache = hours * 0.5
        let workers = 16 * hours * (2 * 0.1 + 4 * 0.01)
        #expect(abs(try #require(metric("cost.api")) - api) < 1e-12)
        #expect(abs(try #require(metric("cost.cache")) - cache) < 1e-12)
        #expect(abs(try #require(metric("cost.workers")) - workers) < 1e-12)
        #expect(abs(try #require(metric("cost.total")) - (api + database + cache + workers)) < 1e-12)
    }

    /// `jobs.worker_hourly_price` overrides the catalogue's Fargate price of a worker, and a cache
    /// without a node (`node: none`) costs nothing.
    @Test func writtenWorkerPriceAndNoNode() throws {
        let scenario = try ScenarioLoader.load(yaml: """
            kind: task-system
            name: override
            cache: {node: none}
            jobs: {worker_vcpus: 4, worker_hourly_price: 0.3}
            """, path: "o.yaml")
        guard case .taskSystem(let loaded) = scenario else { throw CancellationError() }
        #expect(loaded.configuration.jobs.workerHourlyPrice == 0.3)
        #expect(loaded.configuration.cache.node == nil)
        guard case .taskSystem(let sized) = try ScenarioLoader.load(yaml: "kind: task-system\nname: s\njobs: {worker_vcpus: 4}\n",
                                                                     path: "s.yaml") else { throw CancellationError() }
        // 4 vCPUs and the default 2 GiB per vCPU: 4 × 0.04048 + 8 × 0.004445.
        #expect(sized.configuration.jobs.workerHourlyPrice == 0.19748)
        #expect(sized.configuration.cache.node?.hourlyPrice == 0.206)
    }

    @Test func unknownClassesNameTheCatalogue() throws {
        let scenario = """
            kind: task-system
            name: unknown-class
            database: {primary: db.r5.larg}
            """
        do {
            _ = try ScenarioLoader.load(yaml: scenario, path: "u.yaml")
            Issue.record("an unknown class loaded")
        } catch {
            #expect(error.errors.map(\.description) == [
                "u.yaml:3:21: database.primary: unknown instance class 'db.r5.larg'; did you mean 'db.r5.large'?; the catalogue: "
                    + PriceCatalog.builtIn.databaseClasses.map(\.instanceClass.name).joined(separator: ", "),
            ])
        }
    }
}
