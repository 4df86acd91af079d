// YAMLPath.swift — where a node sits in the document, written like `stations[1].service.mean`.

// MARK: - YAMLPath

/// The key path from the document root to a node.
struct YAMLPath: Hashable, Sendable, CustomStringConvertible {
    /// One step: a mapping key or a list index.
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// The steps from the root; empty for the root.
    private(set) var components: [Component] = []

    /// The document root.
    static let root = YAMLPath()

    /// This path followed by the mapping key `key`.
    func appending(key: String) -> YAMLPath {
        var path = self
        path.components.append(.key(key))
        return path
    }

    /// This path followed by the list index `index`.
    func appending(index: Int) -> YAMLPath {
        var path = self
        path.components.append(.index(index))
        return path
    }

    /// E.g. `stations[1].service.mean`; empty for the root.
    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
