import Foundation
import Testing

/// Every relative link in the repository's Markdown (README.md, docs/, examples/) leads somewhere:
/// the file exists, and an anchor names a heading (GitHub's slug of it) or an explicit `id` in the
/// file it points into. Links to the web are not followed (there is no network here).
@Suite("Documentation links")
struct DocLinkTests {
    static let root = CLIRunner.packageRoot

    /// The Markdown files a reader of the repository meets.
    static func markdownFiles() -> [String] {
        var files = ["README.md"]
        for folder in ["docs", "examples"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".md") {
                files.append("\(folder)/\(path)")
            }
        }
        return files.sorted()
    }

    @Test func everyRelativeLinkAndAnchorResolves() throws {
        let files = Self.markdownFiles()
        #expect(files.contains("README.md"))
        var broken: [String] = []
        var checked = 0
        for file in files {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for link in MarkdownLinks.targets(in: text) {
                guard !link.contains("://"), !link.hasPrefix("mailto:") else { continue }
                checked += 1
                let (pathPart, anchor) = MarkdownLinks.split(link)
                let directory = (file as NSString).deletingLastPathComponent
                let target = pathPart.isEmpty ? file : ((directory as NSString).appendingPathComponent(pathPart) as NSString).standardizingPath
                let url = Self.root.appendingPathComponent(target)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                    broken.append("\(file): \(link) (no file \(target))")
                    continue
                }
                guard let anchor, !anchor.isEmpty else { continue }
                guard target.hasSuffix(".md"), !isDirectory.boolValue else {
                    broken.append("\(file): \(link) (an anchor into a file that is not Markdown)")
                    continue
                }
                let targetText = try String(contentsOf: url, encoding: .utf8)
                if !MarkdownLinks.anchors(in: targetText).contains(anchor.lowercased()) {
                    broken.append("\(file): \(link) (no heading or id '\(anchor)' in \(target))")
                }
            }
        }
        #expect(checked > 10, "only \(checked) relative links found: is the scanner reading the files?")
        #expect(broken.isEmpty, "broken links:\n\(broken.joined(separator: "\n"))")
    }

    /// The scanner and the slug rule themselves, on known cases.
    @Test(arguments: [
        ("## fleet.yaml reference", "fleetyaml-reference"),
        ("### Demand-aware scaling (`scaling.policy: demand`)", "demand-aware-scaling-scalingpolicy-demand"),
        ("## High availability: several replicas, one leader", "high-availability-several-replicas-one-leader"),
        ("### The public face (`listen`, default `127.0.0.1:8000`)", "the-public-face-listen-default-1270018000"),
        ("## Sizing a fleet before deploying it: `gamefleet simulate`", "sizing-a-fleet-before-deploying-it-gamefleet-simulate"),
    ])
    func headingSlugs(heading: String, slug: String) {
        #expect(MarkdownLinks.anchors(in: heading + "\n").contains(slug))
    }

    @Test func linksInCodeAreNotLinks() {
        let text = "See [a](docs/a.md) and `[b](nowhere.md)`.\n```\n[c](nowhere.md)\n```\n[d](#x \"title\")\n"
        #expect(MarkdownLinks.targets(in: text) == ["docs/a.md", "#x"])
    }

    @Test func repeatedHeadingsGetNumberedSlugs() {
        let anchors = MarkdownLinks.anchors(in: "## Options\ntext\n## Options\n<a id=\"Custom\"></a>\n")
        #expect(anchors == ["options", "options-1", "custom"])
    }
}

/// Just enough Markdown for checking links: inline links outside code, ATX headings and their
/// GitHub slugs, explicit `id`/`name` anchors.
enum MarkdownLinks {
    /// Link targets of `[text](target)` and `![alt](target)`, outside fenced blocks and code spans;
    /// a title after the target (`(target "title")`) is dropped.
    static func targets(in text: String) -> [String] {
        var found: [String] = []
        for line in proseLines(text) {
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                guard chars[i] == "]", i + 1 < chars.count, chars[i + 1] == "(" else { i += 1; continue }
                var j = i + 2, depth = 1
                while j < chars.count {
                    if chars[j] == "(" { depth += 1 }
                    if chars[j] == ")" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                guard j < chars.count else { break }
                let inside = String(chars[(i + 2)..<j]).trimmingCharacters(in: .whitespaces)
                let target = inside.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
                if !target.isEmpty { found.append(target.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))) }
                i = j + 1
            }
        }
        return found
    }

    /// "path#anchor" → ("path", "anchor"); "#anchor" → ("", "anchor"); "path" → ("path", nil).
    static func split(_ link: String) -> (String, String?) {
        guard let hash = link.firstIndex(of: "#") else { return (link, nil) }
        return (String(link[..<hash]), String(link[link.index(after: hash)...]))
    }

    /// Every anchor a file offers: its headings' slugs (numbered when repeated) and explicit ids.
    static func anchors(in text: String) -> [String] {
        var result: [String] = []
        var seen: [String: Int] = [:]
        for line in proseLines(text, keepCode: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                let level = trimmed.prefix { $0 == "#" }.count
                guard level <= 6, trimmed.dropFirst(level).first == " " else { continue }
                let base = slug(String(trimmed.dropFirst(level)))
                let count = seen[base, default: 0]
                seen[base] = count + 1
                result.append(count == 0 ? base : "\(base)-\(count)")
            }
            for marker in ["id=\"", "name=\""] {
                var rest = Substring(line)
                while let start = rest.range(of: marker) {
                    rest = rest[start.upperBound...]
                    guard let end = rest.firstIndex(of: "\"") else { break }
                    result.append(String(rest[..<end]).lowercased())
                    rest = rest[end...]
                }
            }
        }
        return result
    }

    /// GitHub's heading slug: lower case; letters, digits, spaces, `-` and `_` kept, the rest
    /// dropped; each space a `-`.
    static func slug(_ heading: String) -> String {
        var out = ""
        for ch in heading.trimmingCharacters(in: .whitespaces).lowercased() {
            if ch == " " { out.append("-") } else if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { out.append(ch) }
        }
        return out
    }

    /// Lines outside fenced code blocks, with inline code spans blanked (unless `keepCode`, for
    /// headings, whose code spans count in the slug).
    private static func proseLines(_ text: String, keepCode: Bool = false) -> [String] {
        var lines: [String] = []
        var fenced = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { fenced.toggle(); continue }
            if fenced { continue }
            lines.append(keepCode ? line.replacingOccurrences(of: "`", with: "") : blankCodeSpans(line))
        }
        return lines
    }

    private static func blankCodeSpans(_ line: String) -> String {
        var out = "", inCode = false
        for ch in line {
            if ch == "`" { inCode.toggle(); out.append(" "); continue }
            out.append(inCode ? " " : ch)
        }
        return out
    }
}
