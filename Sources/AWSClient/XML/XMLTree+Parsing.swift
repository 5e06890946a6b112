extension XMLTree {
    /// Why a document could not be read, with the byte offset where reading stopped.
    struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The byte offset into the document.
        var offset: Int
        /// What was wrong there.
        var reason: String

        var description: String { "XML error at byte \(offset): \(reason)" }
    }

    /// The deepest nesting accepted; AWS responses stay far below it, and the cap keeps a
    /// hostile document from growing the element stack without end.
    static let maximumDepth = 128

    /// Reads the document in `bytes` (UTF-8) and returns its root element.
    ///
    /// The prolog (`<?xml …?>`), comments, processing instructions and a `<!DOCTYPE …>` without
    /// an internal subset are skipped. Anything other than whitespace, comments and processing
    /// instructions after the root element is an error, as is a mismatched end tag.
    static func parse(_ bytes: [UInt8]) throws -> XMLTree {
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }

    /// Reads `text` as an XML document.
    static func parse(_ text: String) throws -> XMLTree {
        try parse(Array(text.utf8))
    }
}

/// A cursor over the document bytes. Everything here is ASCII-driven: names and markup are
/// ASCII in AWS responses, and text between markup is copied through as UTF-8.
private struct Reader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is allowed before the prolog.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    func error(_ reason: String) -> XMLTree.ParseError {
        XMLTree.ParseError(offset: index, reason: reason)
    }

    var atEnd: Bool { index >= bytes.count }

    /// True when the bytes at the cursor spell `text`. Compared in place: this runs once per byte
    /// while skipping comments and text, so it must not allocate.
    func peek(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        return text.withUTF8Buffer { wanted in
            var i = 0
            while i < count {
                if bytes[index + i] != wanted[i] { return false }
                i += 1
            }
            return true
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
            UInt8(ascii: "."), UInt8(ascii: ":"):
            return true
        default:
            return byte >= 0x80
        }
    }

    mutating func skipSpace() {
        while !atEnd, Self.isSpace(bytes[index]) { index += 1 }
    }

    /// Moves past the next occurrence of `terminator`, or fails naming `what` was left open.
    mutating func skip(past terminator: StaticString, what: String) throws {
        while !atEnd {
            if peek(terminator) {
                index += terminator.utf8CodeUnitCount
                return
            }
            index += 1
        }
        throw error("unterminated \(what)")
    }

    /// Skips comments, processing instructions and a DOCTYPE, with whitespace around them.
    mutating func skipMisc(allowDoctype: Bool) throws {
        while true {
            skipSpace()
            if peek("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if peek("<!--") {
                try skip(past: "-->", what: "comment")
            } else if allowDoctype, peek("<!DOCTYPE") || peek("<!doctype") {
                let start = index
                try skip(past: ">", what: "DOCTYPE")
                if bytes[start..<index].contains(UInt8(ascii: "[")) {
                    index = start
                    throw error("DOCTYPE internal subsets are not supported")
                }
            } else {
                return
            }
        }
    }

    mutating func name() throws -> String {
        let start = index
        while !atEnd, Self.isNameByte(bytes[index]) { index += 1 }
        guard index > start else { throw error("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func document() throws -> XMLTree {
        try skipMisc(allowDoctype: true)
        guard peek("<"), !peek("</") else { throw error("expected the root element") }
        let root = try element()
        try skipMisc(allowDoctype: false)
        guard atEnd else { throw error("content after the root element") }
        return root
    }

    /// Reads one element, start tag to end tag, keeping open elements on an explicit stack
    /// rather than recursing.
    mutating func element() throws -> XMLTree {
        var stack: [XMLTree] = []
        while true {
            if peek("</") {
                index += 2
                let closing = try name()
                skipSpace()
                guard !atEnd, bytes[index] == UInt8(ascii: ">") else { throw error("expected '>' after end tag name") }
                index += 1
                guard let open = stack.popLast() else { throw error("unexpected end tag </\(closing)>") }
                guard open.name == closing else { throw error("end tag </\(closing)> does not match <\(open.name)>") }
                if stack.isEmpty { return open }
                stack[stack.count - 1].children.append(open)
            } else if peek("<!--") {
                try skip(past: "-->", what: "comment")
            } else if peek("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if peek("<![CDATA[") {
                guard !stack.isEmpty else { throw error("CDATA outside an element") }
                index += 9
                let start = index
                try skip(past: "]]>", what: "CDATA section")
                stack[stack.count - 1].text += String(decoding: bytes[start..<index - 3], as: UTF8.self)
            } else if peek("<") {
                index += 1
                let (tag, selfClosing) = try startTag()
                if selfClosing {
                    if stack.isEmpty { return tag }
                    stack[stack.count - 1].children.append(tag)
                } else {
                    guard stack.count < XMLTree.maximumDepth else { throw error("elements nested deeper than \(XMLTree.maximumDepth)") }
                    stack.append(tag)
                }
            } else if atEnd {
                throw error("unterminated element <\(stack.last?.name ?? "")>")
            } else {
                guard !stack.isEmpty else { throw error("text outside the root element") }
                let text = try characterData(until: UInt8(ascii: "<"))
                stack[stack.count - 1].text += text
            }
        }
    }

    /// Reads a start tag after its `<`: the name, attributes and `>` or `/>`.
    mutating func startTag() throws -> (XMLTree, selfClosing: Bool) {
        var tag = XMLTree(name: try name())
        while true {
            let hadSpace = !atEnd && Self.isSpace(bytes[index])
            skipSpace()
            if peek("/>") {
                index += 2
                return (tag, true)
            }
            if peek(">") {
                index += 1
                return (tag, false)
            }
            guard !atEnd else { throw error("unterminated start tag <\(tag.name)>") }
            guard hadSpace else { throw error("expected whitespace before an attribute in <\(tag.name)>") }
            let attribute = try name()
            skipSpace()
            guard peek("=") else { throw error("expected '=' after attribute \(attribute)") }
            index += 1
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw error("expected a quoted value for attribute \(attribute)")
            }
            let quote = bytes[index]
            index += 1
            let value = try characterData(until: quote)
            guard !atEnd else { throw error("unterminated value of attribute \(attribute)") }
            index += 1
            tag.attributes[attribute] = value
        }
    }

    /// Text up to (not including) `terminator` or the end, with entity and character
    /// references decoded. A `<` inside an attribute value is an error, as XML says.
    mutating func characterData(until terminator: UInt8) throws -> String {
        var decoded: [UInt8] = []
        while !atEnd, bytes[index] != terminator {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                throw error("'<' in an attribute value")
            }
            if byte == UInt8(ascii: "&") {
                decoded.append(contentsOf: try reference())
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Reads `&…;` and returns the UTF-8 bytes it stands for.
    mutating func reference() throws -> [UInt8] {
        let start = index
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw error("'&' without a reference (write &amp;)")
        }
        let body = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        index = end + 1
        switch body {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            var scalarValue: UInt32?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                scalarValue = UInt32(body.dropFirst(2), radix: 16)
            } else if body.hasPrefix("#") {
                scalarValue = UInt32(body.dropFirst(), radix: 10)
            }
            guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else {
                index = start
                throw error("unknown reference &\(body);")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }
}
