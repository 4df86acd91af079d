import Foundation
import Sim

// MARK: - The benchmark suite behind `simrun bench`

/// Runs the kernel models against the C reference, interleaved round by round so that both
/// see the same machine load, and reports medians and their ratios.
public struct BenchmarkSuite: Sendable {
    /// One measured figure: events (or customers) per second, median over the rounds.
    public struct Row: Sendable {
        public var name: String
        public var reference: Double
        public var measured: Double
        public var unit: String
        public var ratio: Double { measured / reference }
    }

    public var rounds: Int
    public var reference: ReferenceProgram

    public init(rounds: Int, reference: ReferenceProgram) {
        self.rounds = rounds
        self.reference = reference
    }

    /// Kernel events/s with the 4-ary heap and the calendar queue, each against the C loop.
    public func kernelRows() throws -> [Row] {
        var rows: [Row] = []
        for model in KernelBenchmark.Model.allCases {
            var c: [Double] = [], heap: [Double] = [], calendar: [Double] = []
            for _ in 0..<rounds {
                let ref = try reference.measure(model.referenceArguments)
                c.append(Double(ref.events) / ref.seconds)
                let h = KernelBenchmark.run(model, list: QuaternaryHeap.self)
                heap.append(Double(h.events) / h.seconds)
                let q = KernelBenchmark.run(model, list: CalendarQueue.self)
                calendar.append(Double(q.events) / q.seconds)
            }
            rows.append(Row(name: "\(model.rawValue) kernel, 4-ary heap", reference: median(c), measured: median(heap), unit: "events/s"))
            rows.append(Row(name: "\(model.rawValue) kernel, calendar queue", reference: median(c), measured: median(calendar), unit: "events/s"))
        }
        return rows
    }

    /// A whole `simrun run` of the M/M/1 scenario, customers/s against the C reference's.
    public func pipelineRow(scratch: URL) async throws -> Row {
        var c: [Double] = [], pipeline: [Double] = []
        for _ in 0..<rounds {
            let ref = try reference.measure(KernelBenchmark.Model.mm1.referenceArguments)
            c.append(Double(ref.events / 3) / ref.seconds)  // 3 events per customer
            let run = try await PipelineBenchmark.run(in: scratch)
            pipeline.append(Double(run.customers) / run.seconds)
        }
        return Row(name: "mm1 whole run, YAML to summary.json", reference: median(c), measured: median(pipeline),
                   unit: "customers/s")
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The rows as a Markdown table.
    public static func table(_ rows: [Row]) -> String {
        var out = "| benchmark | C reference | simrun | ratio |\n|---|---:|---:|---:|\n"
        for row in rows {
            out += "| \(row.name) | \(format(row.reference)) \(row.unit) | \(format(row.measured)) \(row.unit) | \(String(format: "%.2f", row.ratio))× |\n"
        }
        return out
    }

    static func format(_ rate: Double) -> String {
        rate >= 1e6 ? String(format: "%.1f M", rate / 1e6) : String(format: "%.0f k", rate / 1e3)
    }
}

// MARK: - Processes against plain events

extension BenchmarkSuite {
    /// What a wait costs in each style, in events of the C reference's M/M/1 loop
    /// (`des_ref.c mm1 3000000 1`, the unit of `make bench-system`), medians over the rounds.
    public struct WaitCosts: Sendable {
        /// One suspension of a process (a Swift task), everything it causes included.
        public var processSuspension: Double
        /// One step of an explicit state machine, everything it causes included.
        public var stateMachineStep: Double
    }

    /// The C reference's closed model (``ProcessBenchmark/Configuration/standard``) as plain
    /// events, as processes and as state machines, each against the C loop running the same
    /// model; and what one wait costs in M/M/1 C-reference events (each round also runs the
    /// reference's M/M/1 model, the yardstick of `make bench-system`).
    public func processRows(_ configuration: ProcessBenchmark.Configuration = .standard) throws
        -> (rows: [Row], costs: WaitCosts)
    {
        var c: [Double] = [], kernel: [Double] = [], processes: [Double] = [], steps: [Double] = []
        var suspensionCosts: [Double] = [], stepCosts: [Double] = []
        for _ in 0..<rounds {
            let closed = try reference.measure(configuration.referenceArguments)
            c.append(Double(closed.events) / closed.seconds)
            let k = ProcessBenchmark.runKernel(configuration)
            kernel.append(Double(k.events) / k.seconds)
            let p = ProcessBenchmark.runProcesses(configuration)
            processes.append(Double(p.events) / p.seconds)
            let s = ProcessBenchmark.runSteps(configuration)
            steps.append(Double(s.events) / s.seconds)
            let mm1 = try reference.measure(KernelBenchmark.Model.mm1.referenceArguments)
            let mm1SecondsPerEvent = mm1.seconds / Double(mm1.events)
            suspensionCosts.append(p.seconds / Double(p.waits) / mm1SecondsPerEvent)
            stepCosts.append(s.seconds / Double(s.waits) / mm1SecondsPerEvent)
        }
        let name = "closed \(configuration.users / 1_000)K users, think \(configuration.thinkMean) s"
        let rows = [
            Row(name: "\(name) — kernel, 4-ary heap", reference: median(c), measured: median(kernel), unit: "events/s"),
            Row(name: "\(name) — processes (Swift tasks)", reference: median(c), measured: median(processes), unit: "events/s"),
            Row(name: "\(name) — state machines (steps)", reference: median(c), measured: median(steps), unit: "events/s"),
        ]
        return (rows, WaitCosts(processSuspension: median(suspensionCosts), stateMachineStep: median(stepCosts)))
    }
}
