// SweepGrid.swift — the configurations of a sweep, in a fixed order, and a shard's share of them.

// MARK: - SweepGrid

/// Every combination of the swept parameters' values, numbered in a fixed order: the first
/// parameter varies slowest, the last fastest (`a=1,2 b=x,y` → `1x`, `1y`, `2x`, `2y`).
/// The numbering depends only on the parameters as written, so every shard of a sweep, on any
/// machine, agrees on what point `i` is.
public struct SweepGrid: Sendable, Equatable {
    /// The parameters, in the order given.
    public let parameters: [SweepParameter]
    /// The number of points (the product of the value counts).
    public let count: Int

    /// The most points a sweep may have.
    public static let maximumPoints = 100_000

    public init(_ parameters: [SweepParameter]) throws(ParameterError) {
        guard !parameters.isEmpty else { throw ParameterError("a sweep needs at least one --param KEYPATH=V1,V2,…") }
        for (index, parameter) in parameters.enumerated()
        where parameters[..<index].contains(where: { $0.keyPath == parameter.keyPath }) {
            throw ParameterError("--param \(parameter.keyPath) is given twice; list all its values in one --param")
        }
        var count = 1
        for parameter in parameters {
            let (product, overflow) = count.multipliedReportingOverflow(by: parameter.values.count)
            guard !overflow, product <= Self.maximumPoints else {
                throw ParameterError("the sweep has more than \(Self.maximumPoints) points; sweep fewer values or split it into several sweeps")
            }
            count = product
        }
        self.parameters = parameters
        self.count = count
    }

    /// The settings of point `index` (0 ..< ``count``), one per parameter in order.
    public func settings(of index: Int) -> [ParameterSetting] {
        precondition((0..<count).contains(index), "point \(index) outside 0..<\(count)")
        var remainder = index
        var settings: [ParameterSetting] = []
        for parameter in parameters.reversed() {
            settings.append(parameter.settings[remainder % parameter.values.count])
            remainder /= parameter.values.count
        }
        return settings.reversed()
    }

    /// The points shard `shard` runs, in increasing order.
    public func points(in shard: Shard) -> [Int] {
        Array(stride(from: shard.index, to: count, by: shard.count))
    }
}

// MARK: - Shard

/// A deterministic share of a sweep's points: shard `i` of `n` runs the points whose number is
/// `i` modulo `n` (0-based, as Kubernetes' `JOB_COMPLETION_INDEX`), so neighbouring (similar
/// cost) points spread over the shards.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// The whole sweep.
    public static let all = Shard(uncheckedIndex: 0, count: 1)

    /// The most shards a sweep may be split into.
    public static let maximumCount = 100_000

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `i/n` with `0 ≤ i < n`.
    public init(parsing text: String) throws(ParameterError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ParameterError("--shard '\(text)': write i/n, e.g. 0/4 for the first of four shards")
        }
        guard count >= 1, count <= Self.maximumCount else {
            throw ParameterError("--shard '\(text)': the shard count must be 1 … \(Self.maximumCount)")
        }
        guard index >= 0, index < count else {
            throw ParameterError("--shard '\(text)': the index counts from 0 and must be below \(count) (0/\(count) … \(count - 1)/\(count))")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }
}
