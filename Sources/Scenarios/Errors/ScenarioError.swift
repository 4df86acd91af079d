// ScenarioError.swift — what the loader reports: a position in a file, a key path and a message.

// MARK: - ScenarioError

/// One problem in a scenario file, e.g.
/// `scenarios/x.yaml:12:7: stations[1].servers: too small (min 1), got 0`.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the caller named it.
    public var file: String
    /// 1-based line, or 0 when the problem has no position (e.g. an unreadable file).
    public var line: Int
    /// 1-based column (in Unicode scalars, as libyaml counts), or 0 when unknown.
    public var column: Int
    /// Where in the document, e.g. `stations[1].service.mean`; empty for the document itself.
    public var keyPath: String
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    /// Creates an error at `line`:`column` of `file`.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column: keyPath: message`; the position and key path are left out when unknown.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        return text + message
    }
}

// MARK: - ScenarioErrors

/// Every problem found in one scenario file, sorted by line then column.
public struct ScenarioErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by position (stable for equal positions).
    public let errors: [ScenarioError]

    /// Wraps `errors`, sorting them by line then column; errors at the same position keep
    /// their order.
    public init(_ errors: [ScenarioError]) {
        self.errors = errors.enumerated()
            .sorted { lhs, rhs in
                (lhs.element.line, lhs.element.column, lhs.offset)
                    < (rhs.element.line, rhs.element.column, rhs.offset)
            }
            .map(\.element)
    }

    /// Wraps `errors` in the order given (already sorted, perhaps with a closing note).
    init(sorted errors: [ScenarioError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
