// SQLiteConnection.swift — a small, owned connection to the system SQLite: statements with
// bound values, nothing else.

import CSQLite
import Foundation

// MARK: - SQLite

/// One open SQLite database file. Closed when released; not shared across threads.
final class SQLiteConnection {
    /// A failed SQLite call, with SQLite's own message.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A value to bind or read: SQLite's storage classes.
    enum Value: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)

        /// A real, or NULL when not finite (SQLite has no NaN).
        static func finite(_ value: Double?) -> Value {
            guard let value, value.isFinite else { return .null }
            return .real(value)
        }
    }

    private var handle: OpaquePointer?

    /// Opens (creating if needed) the database at `path`.
    init(path: String) throws(Failure) {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw Failure(description: "\(path): \(message)")
        }
    }

    deinit { sqlite3_close(handle) }

    /// Runs `sql` (one or more statements without parameters).
    func execute(_ sql: String) throws(Failure) {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw Failure(description: message)
        }
    }

    /// Runs `sql` once per row of `rows`, binding each row's values to `?1`, `?2`, ….
    func insert(_ sql: String, rows: [[Value]]) throws(Failure) {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        for row in rows {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (index, value) in row.enumerated() { try bind(value, at: Int32(index + 1), in: statement) }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw failure() }
        }
    }

    /// The rows `sql` returns, each as its column values.
    func query(_ sql: String, _ parameters: [Value] = []) throws(Failure) -> [[Value]] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        for (index, value) in parameters.enumerated() { try bind(value, at: Int32(index + 1), in: statement) }
        var rows: [[Value]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { throw failure() }
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
                case SQLITE_TEXT: .text(String(cString: sqlite3_column_text(statement, column)))
                default: .null
                }
            })
        }
    }

    // MARK: Helpers

    private func prepare(_ sql: String) throws(Failure) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure() }
        return statement
    }

    private func bind(_ value: Value, at index: Int32, in statement: OpaquePointer?) throws(Failure) {
        let status: Int32 = switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let value): sqlite3_bind_int64(statement, index, value)
        case .real(let value): sqlite3_bind_double(statement, index, value)
        case .text(let value): sqlite3_bind_text(statement, index, value, -1, Self.transient)
        }
        guard status == SQLITE_OK else { throw failure() }
    }

    private func failure() -> Failure { Failure(description: String(cString: sqlite3_errmsg(handle))) }

    /// SQLITE_TRANSIENT: SQLite copies bound text before the call returns.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
