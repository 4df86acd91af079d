import Foundation

// MARK: - The C reference, compiled and run in the same session

/// `bench/des_ref.c` (the C reference loop, kept in the repository), compiled with `cc -O2` and run as a subprocess, so that every
/// figure simrun reports is a ratio against a reference measured on the same machine, now.
public struct ReferenceProgram: Sendable {
    /// The compiled binary.
    public let executable: URL

    /// Compiles `source` into `output` with `cc -O2 … -lm`.
    public static func compile(source: URL, output: URL) throws -> ReferenceProgram {
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        let status = try run("/usr/bin/env", ["cc", "-O2", "-o", output.path, source.path, "-lm"]).status
        guard status == 0 else { throw BenchmarkError.referenceFailed("cc exited with \(status) compiling \(source.path)") }
        return ReferenceProgram(executable: output)
    }

    /// One run: the events it counted and its own wall time of the event loop (seconds).
    public func measure(_ arguments: [String]) throws -> (events: Int, seconds: Double) {
        let result = try Self.run(executable.path, arguments)
        guard result.status == 0,
              let line = result.output.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }),
              let data = line.dropFirst("RESULT ".count).data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let events = object["events"] as? Int else {
            throw BenchmarkError.referenceFailed("\(executable.path) \(arguments.joined(separator: " ")) gave no RESULT line")
        }
        // The closed model reports its loop time apart from the set-up; use the whole run, as
        // simrun's figure includes its own set-up too.
        guard let seconds = object["wall_s"] as? Double else {
            throw BenchmarkError.referenceFailed("no wall_s in the reference's RESULT line")
        }
        return (events, seconds)
    }

    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Why a benchmark could not run.
public enum BenchmarkError: Error, CustomStringConvertible {
    case referenceFailed(String)
    case notReleaseBuild

    public var description: String {
        switch self {
        case .referenceFailed(let message): "benchmark reference failed: \(message)"
        case .notReleaseBuild: "benchmarks need a release build: swift run -c release simrun bench"
        }
    }
}
