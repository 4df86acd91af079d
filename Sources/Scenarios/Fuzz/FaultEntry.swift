// FaultEntry.swift — one entry of a fault plan, in the `faults:` schema: a kind and its keys.

// MARK: - FaultEntry

/// One fault of a plan, as an entry of the scenario's `faults:` list would write it:
/// `{kind: instance-crash, at: 1200s, count: 2}`. Keys keep the order they were drawn in, so
/// its YAML text and its JSON are the same for the same draw.
public struct FaultEntry: Sendable, Equatable, CustomStringConvertible {
    /// A key's value: a duration in whole seconds or milliseconds, a count, or a name (`b`,
    /// `api-database`).
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case seconds(Int)
        case milliseconds(Int)
        case count(Int)
        case name(String)

        /// As YAML writes it: `1200s`, `2`, `b`.
        public var description: String {
            switch self {
            case .seconds(let seconds): "\(seconds)s"
            case .milliseconds(let milliseconds): "\(milliseconds)ms"
            case .count(let count): String(count)
            case .name(let name): name
            }
        }
    }

    /// One key and its value.
    public struct Key: Sendable, Equatable {
        public let name: String
        public var value: Value
    }

    /// The fault kind (`instance-crash`, `worker-crash`, …): a name of ``FuzzFaultKind/all``.
    public let kind: String
    /// The kind's keys, in the order drawn.
    public var keys: [Key]

    public init(kind: String, keys: [(String, Value)]) {
        self.kind = kind
        self.keys = keys.map { Key(name: $0.0, value: $0.1) }
    }

    /// The value of `key`, if the entry has it.
    public subscript(key: String) -> Value? {
        keys.first { $0.name == key }?.value
    }

    /// The entry as a YAML flow mapping: `{kind: instance-crash, at: 1200s}`.
    public var description: String {
        "{" + (["kind: \(kind)"] + keys.map { "\($0.name): \($0.value)" }).joined(separator: ", ") + "}"
    }
}
