// JSONValue+Reading.swift — reading members of a parsed JSON value (report.html reads summary.json back).

// MARK: - Reading JSON values

extension JSONValue {
    /// The member `key` of an object.
    func member(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// An object's members in order.
    var members: [(String, JSONValue)]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    /// An array's elements.
    var array: [JSONValue]? {
        guard case .array(let values) = self else { return nil }
        return values
    }

    /// A number (`int` or `number`), `nil` for anything else (`null` included).
    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// A string's text.
    var text: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// A boolean's value.
    var bool: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }
}
