// YAMLStructureCheck.swift — bounds a document's shape before Yams composes it: alias
// expansion, nesting depth, keys that are not plain strings, duplicate keys.

// The libyaml that Yams itself links (its `CYaml` module, visible to every module that depends
// on Yams): the same parser, so that positions and events are exactly the ones Yams composes
// from, and no second copy of libyaml is linked. Only the event API is used.
internal import CYaml

// MARK: - YAMLStructureCheck

/// A pass over libyaml's event stream, before `Yams.compose`, refusing what would make
/// composing or reading the document blow up or mislead:
///
/// - **alias expansion**: the nodes of the document with every alias replaced by what it
///   names are counted without materialising them (an anchor's expanded size is computed once,
///   an alias adds it); past ``maximumExpandedNodes`` the alias (or node) that crosses the limit
///   is reported. An "alias bomb" of a kilobyte is refused after reading that kilobyte.
/// - **nesting depth**: past ``maximumDepth`` levels, with our own message (libyaml's own limit,
///   at 1,000 levels, names a C function).
/// - **keys**: a mapping key must be a plain string (a scalar, or an alias of one). Yams hashes
///   every key to find duplicates, and hashing a key that is an alias of a large collection
///   walks its whole expansion: this is what made `{? *l9 : 1}` run for tens of minutes.
/// - **duplicate keys**: reported at the duplicate (not the first occurrence), with its path.
///
/// Every problem found goes to `diagnostics`; the caller composes only when there is none.
struct YAMLStructureCheck {
    /// Nodes of the fully expanded document (aliases replaced by their anchors' nodes).
    static let maximumExpandedNodes = 100_000
    /// Collections nested inside one another (the root mapping is level 1).
    static let maximumDepth = 64

    let diagnostics: Diagnostics

    /// Checks `text`; returns true when it may be composed (no problem was reported).
    func check(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes.append(0) }  // a valid pointer; the length passed stays 0
        let length = text.utf8.count
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                diagnostics.report("cannot read YAML: out of memory", line: 0, column: 0, path: .root)
                return false
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, length)
            var walk = Walk(diagnostics: diagnostics, text: text)
            return walk.run(&parser)
        }
    }
}

// MARK: - The walk

extension YAMLStructureCheck {
    /// A collection being read.
    private struct Frame {
        enum Kind { case mapping, sequence }
        let kind: Kind
        let path: YAMLPath
        let anchor: String?
        /// Nodes of this collection's expansion so far, itself included.
        var size = 1
        /// Sequences: the next item's index.
        var index = 0
        /// Mappings: true when the next node is a key.
        var expectingKey = true
        /// Mappings: the last key read (nil when it was not a plain string).
        var key: String?
        /// Mappings: the keys seen so far (membership only; never iterated).
        var keys: Set<String> = []
    }

    /// A node as the walk sees it: where it is and what its expansion weighs.
    private struct NodeEvent {
        enum Kind { case scalar(String), alias(String), start(Frame.Kind), end }
        let kind: Kind
        let anchor: String?
        let line: Int
        let column: Int
    }

    /// The state of one pass; stops at the first problem that makes going on pointless.
    private struct Walk {
        let diagnostics: Diagnostics
        /// The document (reader errors give a byte offset into it).
        let text: String
        var stack: [Frame] = []
        /// Expanded size and (for scalars) text of every anchor defined so far.
        var anchors: [String: (size: Int, scalar: String?)] = [:]
        var expanded = 0
        var foundProblem = false

        init(diagnostics: Diagnostics, text: String) {
            self.diagnostics = diagnostics
            self.text = text
        }

        /// Reads every event; false once a problem was reported.
        mutating func run(_ parser: inout yaml_parser_t) -> Bool {
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    reportParserError(parser)
                    return false
                }
                defer { yaml_event_delete(&event) }
                let type = event.type
                if type == YAML_STREAM_END_EVENT { return !foundProblem }
                guard let node = Self.nodeEvent(event) else { continue }  // stream/document events
                guard visit(node) else { return false }
            }
        }

        /// Handles one node event; false when the walk must stop.
        private mutating func visit(_ event: NodeEvent) -> Bool {
            let (path, isKey) = placeNext()
            var size = 1
            var keyText: String?
            switch event.kind {
            case .end:
                return close()
            case .scalar(let text):
                keyText = text
                if let anchor = event.anchor { anchors[anchor] = (1, text) }
            case .alias(let name):
                let anchor = anchors[name]  // undefined: Yams reports it when composing
                size = anchor?.size ?? 1
                keyText = anchor == nil ? name : anchor?.scalar
                if isKey, let anchor, anchor.scalar == nil {
                    reportKeyNotString(line: event.line, column: event.column, path: path)
                }
            case .start:
                if isKey { reportKeyNotString(line: event.line, column: event.column, path: path) }
            }
            guard add(size, at: event, path: path) else { return false }
            if isKey { recordKey(keyText, line: event.line, column: event.column) }
            guard case .start(let kind) = event.kind else {
                addToParent(size)
                return true
            }
            guard stack.count < YAMLStructureCheck.maximumDepth else {
                diagnostics.report("nesting deeper than \(YAMLStructureCheck.maximumDepth) levels; "
                                   + "a scenario nests a few levels at most",
                                   line: event.line, column: event.column, path: path)
                return false
            }
            stack.append(Frame(kind: kind, path: path, anchor: event.anchor))
            return true
        }

        /// Counts `size` more expanded nodes; false (after a report) past the limit.
        private mutating func add(_ size: Int, at event: NodeEvent, path: YAMLPath) -> Bool {
            expanded += size
            guard expanded > YAMLStructureCheck.maximumExpandedNodes else { return true }
            let limit = YAMLStructureCheck.maximumExpandedNodes
            if case .alias(let name) = event.kind {
                diagnostics.report("alias '*\(name)' repeats \(size) node(s) and takes the document past "
                                   + "\(limit) nodes once aliases are expanded; write fewer aliases",
                                   line: event.line, column: event.column, path: path)
            } else {
                diagnostics.report("the document has more than \(limit) nodes; a scenario has far fewer",
                                   line: event.line, column: event.column, path: path)
            }
            return false
        }

        /// The path of the next node, and whether it is a mapping key.
        private mutating func placeNext() -> (YAMLPath, Bool) {
            guard let top = stack.last else { return (.root, false) }
            switch top.kind {
            case .sequence:
                return (top.path.appending(index: top.index), false)
            case .mapping:
                if top.expectingKey { return (top.path, true) }
                return (top.key.map { top.path.appending(key: $0) } ?? top.path, false)
            }
        }

        /// A key was read: remembers it, reporting a duplicate at its own position.
        private mutating func recordKey(_ key: String?, line: Int, column: Int) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].key = key
            guard let key else { return }
            let frame = stack[stack.count - 1]
            if frame.keys.contains(key) {
                diagnostics.report("duplicate key '\(key)'; each key may appear once in a mapping",
                                   line: line, column: column, path: frame.path.appending(key: key))
                foundProblem = true
            } else {
                stack[stack.count - 1].keys.insert(key)
            }
        }

        /// A finished node of `size` expanded nodes: added to its collection, which moves on.
        private mutating func addToParent(_ size: Int) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].size += size
            switch stack[stack.count - 1].kind {
            case .sequence: stack[stack.count - 1].index += 1
            case .mapping: stack[stack.count - 1].expectingKey.toggle()
            }
        }

        /// The end of the innermost collection: its anchor (if any) learns its size.
        private mutating func close() -> Bool {
            guard let frame = stack.popLast() else { return true }
            if let anchor = frame.anchor { anchors[anchor] = (frame.size, nil) }
            addToParent(frame.size)
            return true
        }

        private mutating func reportKeyNotString(line: Int, column: Int, path: YAMLPath) {
            diagnostics.report("mapping keys must be plain strings", line: line, column: column, path: path)
            foundProblem = true
        }

        /// libyaml's error, in our words (its nesting limit names a C function).
        private mutating func reportParserError(_ parser: yaml_parser_t) {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            let path = stack.last?.path ?? .root
            if parser.error == YAML_READER_ERROR {
                let position = YAMLDocument.mark(atUTF8Offset: parser.problem_offset, in: text)
                diagnostics.report("cannot read YAML: \(problem)", line: position.line, column: position.column,
                                   path: .root)
                return
            }
            let line = parser.problem_mark.line + 1, column = parser.problem_mark.column + 1
            if problem.contains("nesting level") || problem.contains("yaml_") {
                diagnostics.report("nesting deeper than \(YAMLStructureCheck.maximumDepth) levels; "
                                   + "a scenario nests a few levels at most",
                                   line: line, column: column, path: path)
                return
            }
            var message = "YAML syntax error: \(problem)"
            if let context = parser.context {
                message += " (\(String(cString: context)) at line \(parser.context_mark.line + 1), "
                    + "column \(parser.context_mark.column + 1))"
            }
            diagnostics.report(message, line: line, column: column, path: path)
        }

        /// The node event of a libyaml event; nil for stream and document events.
        private static func nodeEvent(_ event: yaml_event_t) -> NodeEvent? {
            let line = event.start_mark.line + 1, column = event.start_mark.column + 1
            func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: $0) }
            }
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length),
                                   as: UTF8.self)
                return NodeEvent(kind: .scalar(value), anchor: text(scalar.anchor), line: line, column: column)
            case YAML_ALIAS_EVENT:
                return NodeEvent(kind: .alias(text(event.data.alias.anchor) ?? ""), anchor: nil,
                                 line: line, column: column)
            case YAML_SEQUENCE_START_EVENT:
                return NodeEvent(kind: .start(.sequence), anchor: text(event.data.sequence_start.anchor),
                                 line: line, column: column)
            case YAML_MAPPING_START_EVENT:
                return NodeEvent(kind: .start(.mapping), anchor: text(event.data.mapping_start.anchor),
                                 line: line, column: column)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                return NodeEvent(kind: .end, anchor: nil, line: line, column: column)
            default:
                return nil
            }
        }
    }
}
