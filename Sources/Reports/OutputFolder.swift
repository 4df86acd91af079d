import Foundation

// MARK: - Atomic output

/// Writes a run's files into a folder all at once: into a fresh sibling folder first, then
/// swapped in by rename, so a reader never sees a half-written report and a failed run leaves
/// the previous report as it was.
public enum OutputFolder {
    /// Replaces `folder` with one holding exactly `files` (name → contents).
    public static func write(_ files: [(name: String, contents: String)], to folder: URL) throws {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(folder.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        if manager.fileExists(atPath: staging.path) { try manager.removeItem(at: staging) }
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            for file in files {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
            }
            let retired = parent.appendingPathComponent(".\(folder.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
            if manager.fileExists(atPath: folder.path) { try manager.moveItem(at: folder, to: retired) }
            try manager.moveItem(at: staging, to: folder)
            if manager.fileExists(atPath: retired.path) { try manager.removeItem(at: retired) }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }
}
