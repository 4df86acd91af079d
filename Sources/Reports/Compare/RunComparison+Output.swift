// RunComparison+Output.swift — where compare.md goes, and writing it.

import Foundation

// MARK: - Output

extension RunComparison {
    /// `reports/compare-<A>-vs-<B>/`, the default folder of `compare.md`.
    public var defaultFolder: URL {
        OutputFolder(defaultFor: defaultName).url
    }

    /// The default folder's name under `reports/`: `compare-<A>-vs-<B>`.
    public var defaultName: String { "compare-\(a.name)-vs-\(b.name)" }

    /// Why `folder` may not receive `compare.md`, or `nil`: it must not be, or contain, either
    /// run's folder (the write replaces the folder whole).
    public func refusal(of folder: URL) -> String? {
        let target = folder.standardizedFileURL.path
        for run in [a, b] {
            let path = run.folder.standardizedFileURL.path
            if path == target || path.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
                return "--out \(folder.path): would replace the run folder \(run.folder.path); choose a new folder"
            }
        }
        return nil
    }

    /// Writes `compare.md` into `folder` through ``OutputFolder`` (atomically; the folder is
    /// simrun's own).
    public func write(to folder: URL) throws {
        try OutputFolder.write([("compare.md", markdown)], to: folder)
    }

    /// Writes `compare.md` into `folder` (checked by ``OutputFolder``'s rules).
    public func write(to folder: OutputFolder) throws(OutputFolderError) {
        try folder.write([("compare.md", markdown)])
    }
}
