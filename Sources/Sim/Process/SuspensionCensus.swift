#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Counting suspensions by call site (a diagnostic, never in results)

/// Counts the suspensions of simulated processes (every ``ProcessRuntime/park(file:line:_:)``,
/// so every sleep and every wait for a resource) and the explicit steps of state machines
/// (``ProcessRuntime/after(_:file:line:_:)``), by the source line that asked for them.
///
/// A diagnostic for performance work: it is made only when the environment variable
/// `SIMRUN_SUSPENSION_CENSUS` is set, and ``ProcessRuntime/shutdown()`` prints it to standard
/// error; it changes nothing in what a run does or reports.
public final class SuspensionCensus: @unchecked Sendable {
    /// Suspensions (or steps) per `file:line`, and their kind.
    public private(set) var counts: [String: Int] = [:]

    public init() {}

    /// A census when `SIMRUN_SUSPENSION_CENSUS` is set, else nil.
    public static func fromEnvironment() -> SuspensionCensus? {
        getenv("SIMRUN_SUSPENSION_CENSUS") == nil ? nil : SuspensionCensus()
    }

    /// Counts one suspension (or step) at `file:line`.
    func record(_ kind: String, file: StaticString, line: UInt) {
        counts["\(kind) \(file):\(line)", default: 0] += 1
    }

    /// Writes ``report`` to standard error (file descriptor 2).
    public func writeToStandardError() {
        var text = report
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    /// One line per site, most frequent first (ties by name), and the total.
    public var report: String {
        let rows = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let total = rows.reduce(0) { $0 + $1.value }
        return rows.map { "\($0.value)\t\($0.key)" }.joined(separator: "\n") + "\n\(total)\ttotal\n"
    }
}
