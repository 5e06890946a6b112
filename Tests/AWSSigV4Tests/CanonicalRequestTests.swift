import AWSSigV4
import Testing

/// Table tests of the canonicalisation rules, one rule per table, beyond what the published
/// suite covers (S3 path handling, encoded input, query edge cases, unsigned headers).
@Suite("Canonical request rules")
struct CanonicalRequestTests {
    /// A request that differs from a bare `GET /` only where a case says so.
    private static func request(
        path: String = "/",
        query: SignableRequest.Query = .items([]),
        headers: [SignableRequest.Header] = [.init(name: "Host", value: "example.amazonaws.com")]
    ) -> SignableRequest {
        SignableRequest(method: "GET", path: path, query: query, headers: headers)
    }

    struct PathCase: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let options: SigningOptions
        let expected: String
        var testDescription: String { name }
    }

    static let nonS3 = SigningOptions(service: "ecs")
    static let s3 = SigningOptions(service: "s3")

    static let pathCases: [PathCase] = [
        .init(name: "root", path: "/", options: nonS3, expected: "/"),
        .init(name: "empty path signs as root", path: "", options: nonS3, expected: "/"),
        .init(name: "dot segments removed", path: "/a/b/../c/./d", options: nonS3, expected: "/a/c/d"),
        .init(name: "trailing .. leaves a trailing slash", path: "/a/b/..", options: nonS3, expected: "/a/"),
        .init(name: ".. never climbs above the root", path: "/../../a", options: nonS3, expected: "/a"),
        .init(name: "duplicate slashes collapsed", path: "//a///b//", options: nonS3, expected: "/a/b/"),
        .init(name: "space and UTF-8 encoded", path: "/a b/ሴ", options: nonS3, expected: "/a%20b/%E1%88%B4"),
        .init(name: "already-encoded path encoded again", path: "/a%20b", options: nonS3, expected: "/a%2520b"),
        .init(name: "reserved characters encoded", path: "/a+b=c:d", options: nonS3, expected: "/a%2Bb%3Dc%3Ad"),
        .init(name: "S3 keeps dot segments and slashes", path: "/b/./k//x/..", options: s3, expected: "/b/./k//x/.."),
        .init(name: "S3 encodes once", path: "/a%20b", options: s3, expected: "/a%20b"),
        .init(name: "S3 encodes raw characters", path: "/a b+c", options: s3, expected: "/a%20b%2Bc"),
        .init(name: "S3 keeps an encoded slash inside a key", path: "/a%2Fb", options: s3, expected: "/a%2Fb"),
        .init(name: "S3 upper-cases escapes", path: "/a%2fb", options: s3, expected: "/a%2Fb"),
    ]

    @Test("Canonical URI", arguments: pathCases)
    func canonicalURI(_ testCase: PathCase) {
        let canonical = CanonicalRequest(request: Self.request(path: testCase.path), options: testCase.options)
        #expect(canonical.canonicalURI == testCase.expected)
    }

    struct QueryCase: CustomTestStringConvertible, Sendable {
        let name: String
        let query: SignableRequest.Query
        let expected: String
        var testDescription: String { name }
    }

    static let queryCases: [QueryCase] = [
        .init(name: "no query", query: .items([]), expected: ""),
        .init(name: "empty raw query", query: .raw(""), expected: ""),
        .init(name: "sorted by name", query: .items([.init(name: "b", value: "2"), .init(name: "a", value: "1")]), expected: "a=1&b=2"),
        .init(name: "equal names sorted by value bytes", query: .items([.init(name: "a", value: "2"), .init(name: "a", value: "10")]), expected: "a=10&a=2"),
        .init(name: "upper case sorts before lower case", query: .raw("a=1&Z=1"), expected: "Z=1&a=1"),
        .init(name: "items are encoded", query: .items([.init(name: "q", value: "a b+c/d=e")]), expected: "q=a%20b%2Bc%2Fd%3De"),
        .init(name: "raw escapes decoded and re-encoded", query: .raw("a=%41%2f"), expected: "a=A%2F"),
        .init(name: "raw plus is a literal plus", query: .raw("a=b+c"), expected: "a=b%2Bc"),
        .init(name: "raw name without = gets an empty value", query: .raw("flag&x=1"), expected: "flag=&x=1"),
        .init(name: "raw = inside a value", query: .raw("a=b=c"), expected: "a=b%3Dc"),
        .init(name: "raw empty fields ignored", query: .raw("&&a=1&"), expected: "a=1"),
        .init(name: "raw broken escape kept literally", query: .raw("a=%zz"), expected: "a=%25zz"),
    ]

    @Test("Canonical query string", arguments: queryCases)
    func canonicalQuery(_ testCase: QueryCase) {
        let canonical = CanonicalRequest(request: Self.request(query: testCase.query), options: Self.nonS3)
        #expect(canonical.canonicalQuery == testCase.expected)
    }

    struct HeaderCase: CustomTestStringConvertible, Sendable {
        let name: String
        let headers: [SignableRequest.Header]
        let options: SigningOptions
        let canonicalHeaders: String
        let signedHeaders: String
        var testDescription: String { name }
    }

    static let host = SignableRequest.Header(name: "Host", value: "example.amazonaws.com")

    static let headerCases: [HeaderCase] = [
        .init(
            name: "names lower-cased, duplicates joined in order",
            headers: [host, .init(name: "X-Foo", value: "b"), .init(name: "x-foo", value: "a")],
            options: nonS3,
            canonicalHeaders: "host:example.amazonaws.com\nx-foo:b,a\n",
            signedHeaders: "host;x-foo"
        ),
        .init(
            name: "values trimmed and whitespace runs collapsed",
            headers: [host, .init(name: "X-Foo", value: " \t a \t  b  ")],
            options: nonS3,
            canonicalHeaders: "host:example.amazonaws.com\nx-foo:a b\n",
            signedHeaders: "host;x-foo"
        ),
        .init(
            name: "folded value made one line",
            headers: [host, .init(name: "X-Foo", value: "v1\r\n  v2\n\tv3")],
            options: nonS3,
            canonicalHeaders: "host:example.amazonaws.com\nx-foo:v1 v2 v3\n",
            signedHeaders: "host;x-foo"
        ),
        .init(
            name: "empty value kept",
            headers: [host, .init(name: "X-Empty", value: "")],
            options: nonS3,
            canonicalHeaders: "host:example.amazonaws.com\nx-empty:\n",
            signedHeaders: "host;x-empty"
        ),
        .init(
            name: "default unsigned headers left out",
            headers: [host, .init(name: "User-Agent", value: "gamefleet"), .init(name: "Authorization", value: "old")],
            options: nonS3,
            canonicalHeaders: "host:example.amazonaws.com\n",
            signedHeaders: "host"
        ),
        .init(
            name: "host signed even when listed as unsigned",
            headers: [host, .init(name: "X-Foo", value: "a")],
            options: SigningOptions(unsignedHeaderNames: ["HOST", "x-foo"]),
            canonicalHeaders: "host:example.amazonaws.com\n",
            signedHeaders: "host"
        ),
    ]

    @Test("Canonical headers and signed headers", arguments: headerCases)
    func canonicalHeaders(_ testCase: HeaderCase) {
        let canonical = CanonicalRequest(request: Self.request(headers: testCase.headers), options: testCase.options)
        #expect(canonical.canonicalHeaders == testCase.canonicalHeaders)
        #expect(canonical.signedHeaders == testCase.signedHeaders)
    }

    @Test("Payload hash is the hex SHA-256 of the body")
    func payloadHash() {
        #expect(CanonicalRequest.payloadHash(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // SHA-256("Param1=value1") as given by the suite's post-x-www-form-urlencoded case.
        #expect(
            CanonicalRequest.payloadHash(of: Array("Param1=value1".utf8))
                == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
        )
    }

    @Test("Encoded query on the wire keeps item order")
    func encodedQuery() {
        let request = Self.request(query: .items([.init(name: "b", value: "x y"), .init(name: "a", value: "")]))
        #expect(request.encodedQuery == "b=x%20y&a=")
        #expect(request.target == "/?b=x%20y&a=")
        #expect(Self.request(query: .raw("z=1&a=%41")).target == "/?z=1&a=%41")
    }
}
