// Suggestions.swift — "did you mean …?" for misspelt keys, names and metrics.

// MARK: - Edit distance

enum Suggestions {
    /// The largest edit distance at which a candidate is suggested.
    static let maximumDistance = 2

    /// The candidate closest to `word` (optimal string alignment distance, so a swap of two
    /// neighbouring letters counts 1), if within ``maximumDistance``; ties go to the earlier
    /// candidate.
    static func closest(to word: String, in candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(word, candidate)
            if distance <= maximumDistance, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Optimal string alignment distance between `a` and `b`: insertions, deletions,
    /// substitutions and transpositions of adjacent characters each cost 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }

    /// `"; did you mean 'x'?"` when a close candidate exists, else `"; <fallbackLabel>: a, b, c"`.
    static func hint(for word: String, in candidates: [String], fallbackLabel: String) -> String {
        if let suggestion = closest(to: word, in: candidates) {
            return "; did you mean '\(suggestion)'?"
        }
        if candidates.isEmpty { return "" }
        return "; \(fallbackLabel): \(candidates.joined(separator: ", "))"
    }
}
