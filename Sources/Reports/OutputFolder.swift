import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - A run's output folder

/// The folder a run's files go into, and the rules that keep a user's files safe.
///
/// simrun deletes or replaces only what it wrote itself. Every folder it writes carries a
/// marker file, ``markerName``, naming the format and the files simrun put there; a folder may
/// be replaced only when it holds that marker and nothing but the files the marker lists. So:
/// - a path that is an existing file is refused;
/// - an existing folder without the marker is refused unless it is empty;
/// - a marked folder holding anything simrun did not write is refused, naming it;
/// - the current folder and the folders containing it are refused.
///
/// ``preflight()`` checks all of this, and that the location is writable, before a run starts,
/// so a bad `--out` costs no simulation time. ``write(_:)`` checks again, writes every file into
/// a fresh hidden sibling folder and swaps it in by rename: a reader never sees a half-written
/// report, and any failure (or Ctrl-C, SIGTERM) leaves the earlier folder as it was.
public struct OutputFolder: Sendable {
    /// The marker file's name.
    public static let markerName = ".simrun-run"
    /// The marker's format version.
    public static let formatVersion = 1

    /// Where the files go.
    public let url: URL
    /// How messages name the folder: `--out 'x'`, or `the report folder 'reports/x'`.
    public let label: String

    /// A folder given by the user (`--out PATH`); `option` is the flag's name for messages.
    public init(userPath path: String, option: String = "--out") throws(OutputFolderError) {
        guard !path.isEmpty else {
            throw OutputFolderError("\(option) must name a folder, got an empty path")
        }
        self.url = URL(fileURLWithPath: path).standardizedFileURL
        self.label = "\(option) '\(path)'"
    }

    /// The default folder of a scenario, `reports/<name>/` under the current folder.
    public init(defaultFor name: String) {
        self.url = URL(fileURLWithPath: "reports").appendingPathComponent(name).standardizedFileURL
        self.label = "the report folder 'reports/\(name)'"
    }

    // MARK: Checks before a run

    /// Refuses, before anything runs or is written, a location simrun must not or cannot write.
    /// Touches nothing but a probe folder it creates and removes in the nearest existing parent.
    public func preflight() throws(OutputFolderError) {
        let target = try inspectTarget()
        if case .absent = target {
            try probeWritable()
        } else {
            try probeWritable(in: url.deletingLastPathComponent())
        }
    }

    /// What stands at the target path now, refused when simrun may not replace it.
    private func inspectTarget() throws(OutputFolderError) -> TargetState {
        let path = url.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        if current == path || current.hasPrefix(path.hasSuffix("/") ? path : path + "/") {
            throw OutputFolderError("\(label) is the current folder or contains it; name a folder for the report, such as reports/<name>")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .absent }
            if errno == ENOTDIR { throw OutputFolderError("\(label): a part of the path is a file, not a folder") }
            throw OutputFolderError("\(label) cannot be examined: \(Self.describe(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputFolderError("\(label) is an existing file, not a folder; simrun never replaces a file it did not write. Choose a new folder")
        }
        let entries = try Self.entries(of: path, label: label)
        if entries.isEmpty { return .emptyFolder }
        guard entries.contains(Self.markerName), let listed = Self.markedFiles(in: path) else {
            throw OutputFolderError("\(label) is a folder simrun did not write (it has no \(Self.markerName) marker) and is not empty; simrun never deletes files it did not write. Choose a new or empty folder")
        }
        for entry in entries where entry != Self.markerName {
            var entryInfo = stat()
            let isRegularFile = lstat(path + "/" + entry, &entryInfo) == 0 && (entryInfo.st_mode & S_IFMT) == S_IFREG
            if !listed.contains(entry) || !isRegularFile {
                throw OutputFolderError("\(label) holds '\(entry)', which simrun did not write; simrun replaces a report folder only when it holds nothing but its own files. Move '\(entry)' out, or choose another folder")
            }
        }
        return .simrunFolder(listed)
    }

    /// Creates and removes a probe folder in the nearest existing parent of the target, so an
    /// unwritable location (`/proc/x`, a read-only disk, a file in the path) fails now.
    private func probeWritable(in start: URL? = nil) throws(OutputFolderError) {
        var folder = start ?? url.deletingLastPathComponent()
        while true {
            var info = stat()
            if lstat(folder.path, &info) == 0 || folder.path == "/" { break }
            folder.deleteLastPathComponent()
        }
        var info = stat()
        guard stat(folder.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputFolderError("\(label) cannot be written: '\(folder.path)' is not a folder")
        }
        let probe = folder.appendingPathComponent(".simrun-probe-\(getpid())").path
        guard mkdir(probe, 0o700) == 0 || errno == EEXIST else {
            throw OutputFolderError("\(label) cannot be written: cannot create a folder in '\(folder.path)' (\(Self.describe(errno)))")
        }
        _ = rmdir(probe)
    }

    // MARK: Writing

    /// Writes exactly `files` (name → text) and the marker into the folder, replacing an
    /// earlier simrun folder there whole.
    public func write(_ files: [(name: String, contents: String)]) throws(OutputFolderError) {
        try write(files: files.map { OutputFile.text($0.name, $0.contents) })
    }

    /// Writes exactly `files` and the marker into the folder, replacing an earlier simrun
    /// folder there whole.
    public func write(files: [OutputFile]) throws(OutputFolderError) {
        for file in files where file.name.contains("/") || file.name.hasPrefix(".") || file.name.isEmpty {
            throw OutputFolderError("internal error: '\(file.name)' is not a plain file name")
        }
        let target = try inspectTarget()
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw OutputFolderError("\(label) cannot be written: cannot create '\(parent.path)'")
        }
        let name = url.lastPathComponent
        let pid = getpid()
        let staging = parent.appendingPathComponent(".\(name).partial-\(pid)").path
        let retired = parent.appendingPathComponent(".\(name).old-\(pid)").path
        Self.removeLeftovers(of: name, in: parent.path)
        guard mkdir(staging, 0o755) == 0 else {
            throw OutputFolderError("\(label) cannot be written: \(Self.describe(errno)) in '\(parent.path)'")
        }
        do throws(OutputFolderError) {
            // The marker first: an interrupted staging folder is recognisably simrun's.
            try Self.writeFile(staging + "/" + Self.markerName, Self.marker(listing: files.map(\.name)), label: label)
            for file in files {
                let path = staging + "/" + file.name
                switch file.contents {
                case .text(let text):
                    try Self.writeFile(path, text, label: label)
                case .generated(let produce):
                    do {
                        try produce(path)
                    } catch {
                        throw OutputFolderError("\(label) cannot be written: \(file.name): \(error)")
                    }
                }
            }
            try swapIn(staging: staging, retired: retired, target: target)
        } catch {
            Self.removeSimrunFolder(at: staging)
            throw error
        }
    }

    /// Puts the staging folder at the target: by one rename when nothing (or an empty folder) is
    /// there; else the old folder moves aside, the new one in, and the old one is removed file
    /// by file (only the files its marker lists; never recursively).
    private func swapIn(staging: String, retired: String, target: TargetState) throws(OutputFolderError) {
        let path = url.path
        switch target {
        case .absent, .emptyFolder:
            // rename(2) replaces an empty folder atomically.
            guard rename(staging, path) == 0 else {
                throw OutputFolderError("\(label) cannot be written: \(Self.describe(errno))")
            }
        case .simrunFolder:
            Self.removeSimrunFolder(at: retired)
            guard rename(path, retired) == 0 else {
                throw OutputFolderError("\(label) cannot be replaced: \(Self.describe(errno))")
            }
            guard rename(staging, path) == 0 else {
                let reason = Self.describe(errno)
                _ = rename(retired, path)
                throw OutputFolderError("\(label) cannot be replaced: \(reason)")
            }
            Self.removeSimrunFolder(at: retired)
        }
    }

    // MARK: Marker

    /// The marker's text: a comment, the format version, then one file name a line.
    static func marker(listing names: [String]) -> String {
        "# Written by simrun: one run's files. simrun replaces this folder only while it holds\n"
            + "# nothing but the files listed here.\nformat \(formatVersion)\n"
            + names.map { $0 + "\n" }.joined()
    }

    /// The files a folder's marker lists, or `nil` when the marker is missing or not simrun's.
    static func markedFiles(in folder: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + markerName),
              data.count < 65_536, let text = String(data: data, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).filter { !$0.hasPrefix("#") }
        guard let first = lines.first, first.hasPrefix("format "), Int(first.dropFirst(7)) != nil else { return nil }
        return Set(lines.dropFirst().map(String.init))
    }

    /// Removes a folder simrun wrote: the files its marker lists, the marker, then the folder
    /// itself with rmdir, which fails, leaving everything, if anything else is inside.
    static func removeSimrunFolder(at path: String) {
        guard let listed = markedFiles(in: path) else {
            _ = rmdir(path)  // an empty leftover; a non-empty unmarked folder stays.
            return
        }
        for name in listed.sorted() where !name.contains("/") && name != ".." && name != "." {
            _ = unlink(path + "/" + name)
        }
        _ = unlink(path + "/" + markerName)
        _ = rmdir(path)
    }

    /// Removes the hidden staging and retired folders an earlier write of `name` left behind
    /// when it was killed mid-write: each is removed only as far as its own marker lists.
    static func removeLeftovers(of name: String, in parent: String) {
        guard let siblings = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for sibling in siblings.sorted() where sibling.hasPrefix(".\(name).partial-") || sibling.hasPrefix(".\(name).old-") {
            removeSimrunFolder(at: parent + "/" + sibling)
        }
    }

    // MARK: Files

    private static func writeFile(_ path: String, _ contents: String, label: String) throws(OutputFolderError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw OutputFolderError("\(label) cannot be written: \(describe(errno))")
        }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFolderError("\(label) cannot be written: \(describe(errno))")
            }
            offset += written
        }
    }

    private static func entries(of path: String, label: String) throws(OutputFolderError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw OutputFolderError("\(label) cannot be read as a folder")
        }
    }

    /// `strerror` of an errno value, e.g. "Permission denied".
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private enum TargetState {
        case absent
        case emptyFolder
        case simrunFolder(Set<String>)
    }
}

// MARK: - Files

/// One file of a run folder: text, or a file a writer produces at a given path (a database).
public struct OutputFile {
    enum Contents {
        case text(String)
        case generated((_ path: String) throws -> Void)
    }

    /// The file's name inside the folder (plain, not hidden).
    public let name: String
    let contents: Contents

    /// A text file, written as UTF-8.
    public static func text(_ name: String, _ text: String) -> OutputFile {
        OutputFile(name: name, contents: .text(text))
    }

    /// A file `produce` writes at the path it is given (inside the staging folder; the path does
    /// not exist yet).
    public static func generated(_ name: String, by produce: @escaping (_ path: String) throws -> Void) -> OutputFile {
        OutputFile(name: name, contents: .generated(produce))
    }
}

// MARK: - Compatibility

extension OutputFolder {
    /// Writes `files` into `folder` under the rules above (the label names the path as given).
    public static func write(_ files: [(name: String, contents: String)], to folder: URL) throws(OutputFolderError) {
        try OutputFolder(userPath: folder.path, option: "the output folder").write(files)
    }
}

/// write(2), outside the type (whose `write` methods would shadow it).
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

// MARK: - Errors

/// A location simrun must not or cannot write (exit code 2). The message names the option or
/// folder as the user gave it; never an internal path or a Foundation error domain.
public struct OutputFolderError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
