// SweepMerge.swift — `simrun merge`: the shards of one sweep, combined into the whole sweep's result.

import Foundation
import Scenarios

// MARK: - Reading a sweep folder back

extension SweepResult {
    /// A sweep folder that cannot be read or merged (exit code 2).
    public struct InputError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Reads `folder/sweep.json`.
    public init(folder: String) throws(InputError) {
        let path = URL(fileURLWithPath: folder).appendingPathComponent("sweep.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(folder): no sweep.json here (a folder written by simrun sweep)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError("\(path): not UTF-8 text") }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw InputError("\(path): \(error.description)")
        }
        try self.init(json: value, path: path)
    }

    /// The result held by a parsed `sweep.json` (`path` names it in errors).
    init(json: JSONValue, path: String) throws(InputError) {
        guard case .object(let members) = json, json.member("kind")?.text == "sweep" else {
            throw InputError("\(path): not a sweep result (\"kind\": \"sweep\" missing)")
        }
        guard let total = json.member("points_total"), case .int(let pointsTotal) = total, pointsTotal >= 1 else {
            throw InputError("\(path): \"points_total\" missing or not a positive integer")
        }
        var shard: Shard?
        if let text = json.member("shard") {
            guard let string = text.text, let parsed = try? Shard(parsing: string) else {
                throw InputError("\(path): \"shard\" is not i/n")
            }
            shard = parsed
        }
        guard let array = json.member("points")?.array else { throw InputError("\(path): \"points\" missing") }
        var points: [(index: Int, json: JSONValue)] = []
        for point in array {
            guard let number = point.member("index"), case .int(let index) = number, (0..<pointsTotal).contains(index) else {
                throw InputError("\(path): a point has no \"index\" in 0..<\(pointsTotal)")
            }
            points.append((index, point))
        }
        self.init(header: .object(members.filter { !["points_total", "shard", "points"].contains($0.0) }),
                  shard: shard, pointsTotal: pointsTotal, points: points.sorted { $0.index < $1.index })
    }

    // MARK: Merging

    /// The whole sweep from its shards (`(folder, result)` pairs): every shard must come from the
    /// same sweep (same header and point count), and together they must hold every point once
    /// (a point found twice must be identical, as a rerun of a deterministic point is).
    public static func merging(_ shards: [(folder: String, result: SweepResult)]) throws(InputError) -> SweepResult {
        guard let first = shards.first else { throw InputError("nothing to merge: give the sweep folders of the shards") }
        let header = first.result.header.serialized()
        var byIndex: [Int: (folder: String, json: JSONValue)] = [:]
        for (folder, result) in shards {
            guard result.header.serialized() == header, result.pointsTotal == first.result.pointsTotal else {
                throw InputError("\(folder) is not a shard of the same sweep as \(first.folder): the scenario, its source, the --param values, --seed, --replications or the point count differ")
            }
            for point in result.points {
                if let earlier = byIndex[point.index] {
                    guard earlier.json.serialized() == point.json.serialized() else {
                        throw InputError("point \(point.index) differs between \(earlier.folder) and \(folder); the shards were not run from the same simrun and scenario")
                    }
                } else {
                    byIndex[point.index] = (folder, point.json)
                }
            }
        }
        let total = first.result.pointsTotal
        let missing = (0..<total).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let listed = missing.prefix(10).map(String.init).joined(separator: ", ")
            throw InputError("\(missing.count) of \(total) point(s) missing (\(listed)\(missing.count > 10 ? ", …" : "")): merge the folders of every shard")
        }
        return SweepResult(header: first.result.header, shard: nil, pointsTotal: total,
                           points: (0..<total).map { ($0, byIndex[$0]!.json) })
    }
}
