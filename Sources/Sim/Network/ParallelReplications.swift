// MARK: - Replications in parallel, results in order

/// Runs independent replications on at most `threads` concurrent tasks and returns their
/// results in replication order, whatever order they finish in: the output is the same for any
/// number of threads, as long as each replication depends only on its index.
public enum ParallelReplications {
    public static func run<Result: Sendable>(
        count: Int, threads: Int, _ replication: @escaping @Sendable (Int) -> Result
    ) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            var collected: [(Int, Result)] = []
            collected.reserveCapacity(count)
            func addTask() {
                let index = next
                group.addTask { (index, replication(index)) }
                next += 1
            }
            while next < min(max(threads, 1), count) { addTask() }
            for await result in group {
                collected.append(result)
                if next < count { addTask() }
            }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
