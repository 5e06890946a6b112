import Foundation

/// What the body of a failed (non-2xx) response says, read without knowing in advance which
/// protocol the service speaks: JSON (`{"__type": …}`) and XML (`<Code>`) errors are both
/// recognised, and anything else is kept as a short excerpt for the error message.
enum AWSErrorBody: Sendable, Equatable {
    /// An error in an AWS format.
    case aws(code: String, message: String, requestID: String?)
    /// A body in no AWS error format (an HTML page, plain text, empty…).
    case other(contentType: String?, excerpt: String)

    /// The longest excerpt kept of a non-AWS body, in characters.
    static let excerptLength = 200

    /// Reads the error in `response`.
    ///
    /// The code comes from the `X-Amzn-ErrorType` header when present, else from the JSON
    /// `__type` (or `code`) field, else from the XML `<Code>` element; anything up to a `#`
    /// (a namespace like `com.amazonaws.ecs#`) and from a `:` on (a URL some services append)
    /// is dropped. The request id comes from the `x-amzn-RequestId` (or `x-amz-request-id`)
    /// header, else the XML `<RequestID>`/`<RequestId>`.
    init(_ response: TransportResponse) {
        let headerID = response.headers.value(for: "x-amzn-RequestId") ?? response.headers.value(for: "x-amz-request-id")
        let headerCode = response.headers.value(for: "X-Amzn-ErrorType").map(Self.bareCode)
        let contentType = response.headers.value(for: "Content-Type")

        if let json = Self.jsonError(response.body) {
            if let code = headerCode ?? json.code {
                self = .aws(code: code, message: json.message, requestID: headerID)
                return
            }
        } else if let xml = try? XMLTree.parse(response.body), let code = xml.firstDescendant(named: "Code")?.text.trimmingXMLWhitespace(), !code.isEmpty {
            let message = xml.firstDescendant(named: "Message")?.text.trimmingXMLWhitespace() ?? ""
            let xmlID = (xml.firstDescendant(named: "RequestID") ?? xml.firstDescendant(named: "RequestId"))?.text.trimmingXMLWhitespace()
            self = .aws(code: Self.bareCode(code), message: message, requestID: headerID ?? xmlID)
            return
        }
        if let headerCode, !headerCode.isEmpty {
            // Some JSON services send only the header (e.g. with an empty body on HEAD-like errors).
            self = .aws(code: headerCode, message: "", requestID: headerID)
            return
        }
        self = .other(contentType: contentType, excerpt: Self.excerpt(of: response.body))
    }

    /// `code` without a `namespace#` prefix or a `:…` suffix.
    static func bareCode(_ code: String) -> String {
        var bare = Substring(code)
        if let hash = bare.lastIndex(of: "#") {
            bare = bare[bare.index(after: hash)...]
        }
        if let colon = bare.firstIndex(of: ":") {
            bare = bare[..<colon]
        }
        return bare.trimmingCharacters(in: .whitespaces)
    }

    /// The code and message of a JSON error object, or `nil` when `body` is not a JSON object.
    /// The code is `nil` when the object has none.
    private static func jsonError(_ body: [UInt8]) -> (code: String?, message: String)? {
        guard body.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { return nil }
        let rawCode = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
        let message = (object["message"] as? String) ?? (object["Message"] as? String) ?? (object["errorMessage"] as? String) ?? ""
        return (rawCode.map(bareCode).flatMap { $0.isEmpty ? nil : $0 }, message)
    }

    /// The start of `body` as text: markup removed, whitespace runs collapsed to one space,
    /// cut to ``excerptLength`` characters (with `…` when cut).
    static func excerpt(of body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(8 * 1024), as: UTF8.self)
        var plain = ""
        var inTag = false
        var lastWasSpace = true
        for character in text {
            if character == "<" {
                inTag = true
                continue
            }
            if inTag {
                if character == ">" {
                    inTag = false
                    if !lastWasSpace {
                        plain.append(" ")
                        lastWasSpace = true
                    }
                }
                continue
            }
            if character.isWhitespace {
                if !lastWasSpace {
                    plain.append(" ")
                    lastWasSpace = true
                }
            } else {
                plain.append(character)
                lastWasSpace = false
            }
        }
        let trimmed = plain.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > excerptLength else { return trimmed }
        return String(trimmed.prefix(excerptLength)) + "…"
    }
}
