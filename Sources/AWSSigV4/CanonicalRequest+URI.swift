extension CanonicalRequest {
    /// The canonical URI for the wire path `path`.
    ///
    /// With normalisation, empty and `.` segments are dropped and `..` drops the segment before
    /// it (never climbing above the root); a trailing `/`, or a trailing `.` / `..`, leaves
    /// a trailing `/` as RFC 3986 dot-segment removal does, unless nothing is left but the root.
    /// Without it, the segments stay as they are, only encoded.
    static func canonicalURI(path: String, options: SigningOptions) -> String {
        let slash = UInt8(ascii: "/")
        // Split on "/" before any decoding, so an encoded %2F stays inside its segment.
        var segments = path.utf8.split(separator: slash, omittingEmptySubsequences: false).map(Array.init)
        if path.utf8.first == slash {
            segments.removeFirst()
        }

        let kept: [[UInt8]]
        var endsWithSlash = false
        if options.normalizesPath {
            var stack: [[UInt8]] = []
            for (index, segment) in segments.enumerated() {
                let isLast = index == segments.count - 1
                switch segment {
                case [], [UInt8(ascii: ".")]:
                    endsWithSlash = endsWithSlash || isLast
                case [UInt8(ascii: "."), UInt8(ascii: ".")]:
                    _ = stack.popLast()
                    endsWithSlash = endsWithSlash || isLast
                default:
                    stack.append(segment)
                }
            }
            kept = stack
            endsWithSlash = endsWithSlash && !stack.isEmpty
        } else {
            kept = segments
        }

        let encoded = kept.map { segment in
            options.encodesPathTwice
                ? URIEncoding.encode(segment)
                : URIEncoding.encode(URIEncoding.decode(segment))
        }
        return "/" + encoded.joined(separator: "/") + (endsWithSlash ? "/" : "")
    }
}
