// RunComparison.swift — two runs side by side, KPI by KPI and figure by figure, with Welch's
// t-test on the replications saying whether a difference is more than noise.

import Foundation
import Sim

// MARK: - Comparing two runs

/// Run A against run B: for every KPI and every figure both summaries hold, the two means, the
/// difference B − A, and Welch's t-test of it (two-sided, at ``alpha``).
public struct RunComparison: Sendable {
    /// One figure compared.
    public struct Row: Sendable {
        /// The KPI expression, or the summary key of a figure.
        public var label: String
        public var key: String
        public var a: RunSummary.Figure?
        public var b: RunSummary.Figure?
        /// For a KPI: whether it passed in A and in B.
        public var passed: (a: Bool, b: Bool)?
        /// The test, or `nil` when it cannot be made (one replication, a missing value).
        public var test: WelchTest?

        /// B − A (NaN when either is missing).
        public var difference: Double { (b?.mean ?? .nan) - (a?.mean ?? .nan) }

        /// Whether the difference is significant at `alpha`; `nil` when untested.
        public func significant(at alpha: Double) -> Bool? { test.map { $0.isSignificant(at: alpha) } }
    }

    public let a: RunSummary
    public let b: RunSummary
    /// The significance level (0.05).
    public let alpha: Double
    /// One row per KPI expression of either run (A's order, then B's new ones).
    public let kpis: [Row]
    /// One row per figure both runs hold, in A's order.
    public let figures: [Row]
    /// Figures only one of the runs holds.
    public let onlyInA: [String]
    public let onlyInB: [String]

    public init(a: RunSummary, b: RunSummary, alpha: Double = 0.05) {
        self.a = a
        self.b = b
        self.alpha = alpha
        func test(_ x: RunSummary.Figure?, _ y: RunSummary.Figure?) -> WelchTest? {
            guard let x, let y, let sx = x.standardDeviation, let sy = y.standardDeviation else { return nil }
            return WelchTest(mean1: y.mean, standardDeviation1: sy, count1: b.replications,
                             mean2: x.mean, standardDeviation2: sx, count2: a.replications)
        }
        var expressions = a.verdicts.map(\.expression)
        for verdict in b.verdicts where !expressions.contains(verdict.expression) { expressions.append(verdict.expression) }
        kpis = expressions.map { expression in
            let va = a.verdicts.first { $0.expression == expression }
            let vb = b.verdicts.first { $0.expression == expression }
            let key = va?.key ?? vb?.key ?? ""
            let fa = va.map { a.figure($0.key) ?? RunSummary.Figure(key: $0.key, mean: $0.value, ci95: nil, standardDeviation: nil) }
            let fb = vb.map { b.figure($0.key) ?? RunSummary.Figure(key: $0.key, mean: $0.value, ci95: nil, standardDeviation: nil) }
            let passed = va.flatMap { x in vb.map { (a: x.passed, b: $0.passed) } }
            return Row(label: expression, key: key, a: fa, b: fb, passed: passed, test: test(fa, fb))
        }
        let keysB = Set(b.figures.map(\.key))
        let keysA = Set(a.figures.map(\.key))
        figures = a.figures.filter { keysB.contains($0.key) }.map { fa in
            let fb = b.figure(fa.key)
            return Row(label: fa.key, key: fa.key, a: fa, b: fb, passed: nil, test: test(fa, fb))
        }
        onlyInA = a.figures.map(\.key).filter { !keysB.contains($0) }
        onlyInB = b.figures.map(\.key).filter { !keysA.contains($0) }
    }

    /// Figures whose difference is significant.
    public var significantFigures: [Row] { figures.filter { $0.significant(at: alpha) == true } }
}
