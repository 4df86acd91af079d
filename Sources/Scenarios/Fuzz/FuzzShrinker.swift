// FuzzShrinker.swift — delta debugging of a failing run: the smallest fault plan (and simplest
// parameters) that still breaks an invariant, within a bounded number of re-runs.

// MARK: - FuzzShrinker

/// Shrinks a failing ``FuzzCase`` greedily, re-running each candidate with the same seed:
/// 1. drop faults — the whole plan at once, then each entry in turn;
/// 2. make each remaining fault milder, key by key (``FuzzFaultKind/shrinking``: fewer crashes per
///    entry, rarer crashes, shorter outages and restarts), as far as it still fails;
/// 3. simplify parameters — all back to the file's values, then each in turn.
/// A candidate is kept when it still fails; each costs one attempt, and shrinking stops after
/// `maximumAttempts`. The sequence depends only on the case and the answers, so it is the
/// same on every machine.
public struct FuzzShrinker: Sendable {
    /// The most candidate runs one shrink may make.
    public var maximumAttempts: Int

    public init(maximumAttempts: Int) {
        self.maximumAttempts = maximumAttempts
    }

    /// The smallest case found that still fails (`failing` itself when nothing smaller does),
    /// and the attempts spent. `stillFails` runs a candidate.
    public func shrink(_ failing: FuzzCase,
                       stillFails: (FuzzCase) async throws -> Bool) async throws -> (smallest: FuzzCase, attempts: Int) {
        var current = failing
        var attempts = 0
        /// Runs `candidate` if attempts remain; keeps it when it fails.
        func attempt(_ candidate: FuzzCase) async throws -> Bool {
            guard attempts < maximumAttempts, candidate != current else { return false }
            attempts += 1
            guard try await stillFails(candidate) else { return false }
            current = candidate
            return true
        }

        // 1. Drop faults.
        if !current.faults.isEmpty {
            var none = current
            none.faults = []
            if try await !attempt(none) {
                var index = 0
                while index < current.faults.count, attempts < maximumAttempts {
                    var candidate = current
                    candidate.faults.remove(at: index)
                    if try await !attempt(candidate) { index += 1 }
                }
            }
        }

        // 2. Milder faults, key by key.
        for index in current.faults.indices {
            guard let kind = FuzzFaultKind.named(current.faults[index].kind) else { continue }
            for (key, step) in kind.shrinking {
                while attempts < maximumAttempts,
                      let position = current.faults[index].keys.firstIndex(where: { $0.name == key }),
                      let milder = step.apply(to: current.faults[index].keys[position].value) {
                    var candidate = current
                    candidate.faults[index].keys[position].value = milder
                    if try await !attempt(candidate) { break }
                }
            }
        }

        // 3. Simpler parameters.
        if !current.parameters.isEmpty {
            var none = current
            none.parameters = []
            if try await !attempt(none) {
                var index = 0
                while index < current.parameters.count, attempts < maximumAttempts {
                    var candidate = current
                    candidate.parameters.remove(at: index)
                    if try await !attempt(candidate) { index += 1 }
                }
            }
        }
        return (current, attempts)
    }
}
