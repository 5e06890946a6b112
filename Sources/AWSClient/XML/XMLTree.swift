/// An XML element with everything under it, as read by ``parse(_:)``: just enough XML for AWS
/// query-protocol responses (elements, attributes, text, CDATA, the five named entities and
/// numeric character references). Namespaces are not interpreted: names are kept as written.
///
/// This small reader exists so that the client needs neither FoundationXML nor the libxml2
/// it loads at run time on Linux.
struct XMLTree: Sendable, Equatable {
    /// The element name as written, e.g. `instanceId`.
    var name: String
    /// The attributes, values with entities decoded.
    var attributes: [String: String]
    /// The child elements in document order.
    var children: [XMLTree]
    /// The character data directly inside this element (not inside its children), joined, with
    /// entities decoded. Whitespace is kept as it is.
    var text: String

    init(name: String, attributes: [String: String] = [:], children: [XMLTree] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child called `name`, or `nil`.
    func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    /// Every child called `name`, in order.
    func children(named name: String) -> [XMLTree] {
        children.filter { $0.name == name }
    }

    /// The element reached by following `path` one child at a time from here, or `nil` when a
    /// step is missing. An empty path is this element.
    func descendant(_ path: [String]) -> XMLTree? {
        var node = self
        for step in path {
            guard let next = node.child(step) else { return nil }
            node = next
        }
        return node
    }

    /// The text of the element at `path` (see ``descendant(_:)``) with surrounding whitespace
    /// removed, or `nil` when the element is missing or its text is empty.
    func string(_ path: String...) -> String? {
        guard let text = descendant(path)?.text.trimmingXMLWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The first element called `name` in a depth-first walk from here (this element included),
    /// or `nil`.
    func firstDescendant(named name: String) -> XMLTree? {
        if self.name == name { return self }
        for child in children {
            if let found = child.firstDescendant(named: name) { return found }
        }
        return nil
    }
}
