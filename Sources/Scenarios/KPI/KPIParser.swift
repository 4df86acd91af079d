// KPIParser.swift — the grammar `[aggregate(]metric[)] op number[unit]`.

// MARK: - Parsing

extension KPI {
    /// Parses `expression`, e.g. `p95(api.response) < 2s`, `rate(cache.hit) >= 95%`.
    ///
    /// Aggregates: `mean`, `p50`, `p90`, `p95`, `p99`, `max`, `rate`. Comparisons: `<`, `<=`,
    /// `>`, `>=`, `==`, `!=`. Units: `ns`, `us`, `ms`, `s`, `m`, `h` (converted to seconds),
    /// `%` (divided by 100), or none. Spaces are allowed between the parts.
    public init(parsing expression: String) throws(KPIError) {
        var scanner = KPIScanner(expression)
        scanner.skipSpaces()
        let firstStart = scanner.offset
        let first = scanner.word()
        guard !first.isEmpty else {
            throw KPIError(message: "expected a metric such as 'api.response' or 'p95(api.response)' in \"\(expression)\"",
                           offset: firstStart)
        }
        scanner.skipSpaces()
        var aggregate: Aggregate?
        var metric = first
        if scanner.consume("(") {
            guard let known = Aggregate(rawValue: first) else {
                let names = Aggregate.allCases.map(\.rawValue).joined(separator: ", ")
                throw KPIError(message: "unknown aggregate '\(first)'; allowed: \(names)", offset: firstStart)
            }
            aggregate = known
            scanner.skipSpaces()
            let metricStart = scanner.offset
            metric = scanner.word()
            guard !metric.isEmpty else {
                throw KPIError(message: "expected a metric name inside '\(first)( )'", offset: metricStart)
            }
            scanner.skipSpaces()
            guard scanner.consume(")") else {
                throw KPIError(message: "expected ')' after '\(first)(\(metric)'", offset: scanner.offset)
            }
            scanner.skipSpaces()
        }
        let op = try scanner.comparison(after: metric)
        scanner.skipSpaces()
        let (number, numberStart) = try scanner.number()
        scanner.skipSpaces()
        let unitStart = scanner.offset
        var unitText = Substring(scanner.unitWord())
        var window: WindowRule?
        if unitText == "over" {  // no unit, then the window clause
            scanner.rewind(to: unitStart)
            unitText = ""
        }
        scanner.skipSpaces()
        if !scanner.atEnd {
            let clauseStart = scanner.offset
            let clause = scanner.rest().trimmingWhitespace()
            guard clause.hasPrefix("over") else {
                throw KPIError(message: "unknown unit '\(unitText)\(unitText.isEmpty ? "" : " ")\(clause)' after \(numberStart.text); "
                               + "use \(TimeUnit.list), % or none (a windowed KPI continues with 'over 1m windows')",
                               offset: unitText.isEmpty ? clauseStart : unitStart)
            }
            window = try WindowRule(parsing: String(clause), offset: clauseStart)
        }
        let unit: Unit
        var threshold = number
        if unitText.isEmpty {
            unit = .none
        } else if unitText == "%" {
            unit = .percent
            threshold = number / 100
        } else if let timeUnit = TimeUnit(rawValue: String(unitText)) {
            unit = .time(timeUnit)
            threshold = timeUnit.seconds(number)
        } else {
            throw KPIError(message: "unknown unit '\(unitText)' after \(numberStart.text); use \(TimeUnit.list), % or none",
                           offset: unitStart)
        }
        self.init(expression: expression, aggregate: aggregate, metric: metric, op: op,
                  threshold: threshold, unit: unit, window: window)
    }
}

// MARK: - KPIScanner

/// A cursor over the characters of a KPI expression.
struct KPIScanner {
    private let characters: [Character]
    /// The 0-based position of the next character.
    private(set) var offset = 0

    init(_ text: String) {
        characters = Array(text)
    }

    private var current: Character? { offset < characters.count ? characters[offset] : nil }

    mutating func skipSpaces() {
        while let character = current, character.isWhitespace { offset += 1 }
    }

    /// Consumes `character` if it comes next.
    mutating func consume(_ character: Character) -> Bool {
        guard current == character else { return false }
        offset += 1
        return true
    }

    /// A name: letters, digits, `_`, `-` and `.`.
    mutating func word() -> String {
        let start = offset
        while let character = current,
              character.isLetter || character.isNumber || "_-.".contains(character) {
            offset += 1
        }
        return String(characters[start..<offset])
    }

    /// The comparison operator, longest match first.
    mutating func comparison(after metric: String) throws(KPIError) -> KPI.Comparison {
        let start = offset
        let two = String(characters[offset..<min(offset + 2, characters.count)])
        for op in [KPI.Comparison.lessThanOrEqual, .greaterThanOrEqual, .equal, .notEqual]
        where two == op.rawValue {
            offset += 2
            return op
        }
        if let character = current, character == "<" || character == ">" {
            offset += 1
            return character == "<" ? .lessThan : .greaterThan
        }
        let allowed = KPI.Comparison.allCases.map(\.rawValue).joined(separator: ", ")
        if current == "=" {
            throw KPIError(message: "'=' is not a comparison; use '==' (or one of \(allowed))", offset: start)
        }
        let found = current.map { "'\($0)'" } ?? "the end of the expression"
        throw KPIError(message: "expected a comparison (\(allowed)) after '\(metric)', found \(found)",
                       offset: start)
    }

    /// A finite decimal number with optional sign, fraction and exponent.
    mutating func number() throws(KPIError) -> (Double, (offset: Int, text: String)) {
        let start = offset
        if current == "+" || current == "-" { offset += 1 }
        while let character = current, character.isASCII, character.isNumber || character == "." {
            offset += 1
        }
        if current == "e" || current == "E" {
            var lookahead = offset + 1
            if lookahead < characters.count, "+-".contains(characters[lookahead]) { lookahead += 1 }
            if lookahead < characters.count, characters[lookahead].isASCII, characters[lookahead].isNumber {
                offset = lookahead
                while let character = current, character.isASCII, character.isNumber { offset += 1 }
            }
        }
        let text = String(characters[start..<offset])
        guard let value = Double(text), value.isFinite else {
            let rest = String(characters[start...]).trimmingWhitespace()
            let found = rest.isEmpty ? "the end of the expression" : "'\(rest)'"
            throw KPIError(message: "expected a threshold number after the comparison, found \(found)",
                           offset: start)
        }
        return (value, (start, text))
    }

    /// A unit: `%`, or letters (`ms`, `parsecs`); empty when neither comes next.
    mutating func unitWord() -> String {
        if consume("%") { return "%" }
        let start = offset
        while let character = current, character.isLetter { offset += 1 }
        return String(characters[start..<offset])
    }

    /// Whether every character was consumed.
    var atEnd: Bool { offset >= characters.count }

    /// Moves back to `position` (an offset returned earlier).
    mutating func rewind(to position: Int) { offset = position }

    /// Everything not consumed yet.
    mutating func rest() -> String {
        defer { offset = characters.count }
        return String(characters[offset...])
    }
}
