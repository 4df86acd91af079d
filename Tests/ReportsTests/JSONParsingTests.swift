// JSONParsingTests.swift — JSON read back with its members in file order.

import Testing
@testable import Reports

@Suite struct JSONParsingTests {
    @Test func roundTripKeepsOrderAndValues() throws {
        let value = JSONValue.object([
            ("zeta", .int(1)), ("alpha", .number(0.9347387619087724)), ("nested", .object([("b", .null), ("a", .bool(true))])),
            ("list", .array([.string("tab\there \"quoted\" \\ é 𝄞 \u{1}"), .int(-3), .number(-2.5e-12), .array([])])),
            ("empty", .object([])),
        ])
        let text = value.serialized()
        let parsed = try JSONValue(parsing: text)
        #expect(parsed.serialized() == text)
        guard case .object(let members) = parsed else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["zeta", "alpha", "nested", "list", "empty"])
        #expect(parsed.value(at: "alpha") == .number(0.9347387619087724))
    }

    @Test func escapesAndSurrogatePairs() throws {
        #expect(try JSONValue(parsing: #""\u00e9\ud834\udd1e\n\/""#) == .string("é𝄞\n/"))
        #expect(try JSONValue(parsing: " [1, 2.0, -0.5e1, true, false, null] ")
                == .array([.int(1), .number(2), .number(-5), .bool(true), .bool(false), .null]))
    }

    @Test("malformed JSON", arguments: [
        ("", "unexpected end of the JSON text"), ("{", "expected a member name"), ("[1,]", "unexpected character"),
        ("{\"a\" 1}", "expected ':'"), ("\"abc", "unterminated string"), ("\"a\u{1}\"", "control character in a string"),
        ("nul", "expected 'null'"), ("1 2", "unexpected text after the JSON value"), ("\"\\x\"", "invalid escape"),
        ("-", "invalid number '-'"), (String(repeating: "[", count: 600), "JSON nested deeper than 512 levels"),
    ])
    func malformed(text: String, message: String) {
        #expect { try JSONValue(parsing: text) } throws: { ($0 as? JSONValue.ParseError)?.message == message }
    }
}
