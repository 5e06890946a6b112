import AWSClient
import Foundation

/// Paging, as ECS and EC2 do and moto does not (moto answers ListTasks and
/// ListContainerInstances in one page, and DescribeInstances in pages of 100 reservations): the
/// proxy asks moto for everything and hands it back `pageSize` items at a time, with an opaque
/// `nextToken` (ECS, JSON) or `<nextToken>` (EC2, XML) naming the offset of the next page. Items
/// are ARNs for ECS and reservations for EC2 (a reservation holds the instances of one
/// RunInstances). The offset is read from the token the client sends back, so a list that
/// changes between pages skips or repeats items, as a real one may.
extension FaultProxy {
    /// The operations the proxy pages, and the key of the list each answers with.
    static let pagedJSON = ["ListTasks": "taskArns", "ListContainerInstances": "containerInstanceArns"]

    static let tokenPrefix = "proxy-page-"

    /// The offset a page token names; 0 without one. A token the proxy never made fails the call
    /// the way AWS does (`InvalidParameterException`), so a client that invents tokens is seen.
    static func offset(of token: String?) -> Int? {
        guard let token, !token.isEmpty else { return 0 }
        guard token.hasPrefix(tokenPrefix) else { return nil }
        return Int(token.dropFirst(tokenPrefix.count))
    }

    /// The `nextToken` of an ECS JSON request.
    static func jsonToken(_ body: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["nextToken"] as? String
    }

    /// One page of moto's whole ListTasks/ListContainerInstances answer.
    static func pageJSON(_ answer: TransportResponse, key: String, offset: Int, size: Int) -> TransportResponse {
        guard var object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
              let items = object[key] as? [Any] else { return answer }
        let end = min(items.count, offset + size)
        object[key] = offset < end ? Array(items[offset..<end]) : []
        object["nextToken"] = end < items.count ? tokenPrefix + String(end) : nil
        guard let body = try? JSONSerialization.data(withJSONObject: object) else { return answer }
        var paged = answer
        paged.body = Array(body)
        return paged
    }

    /// An EC2 form's `NextToken`, and the form without it (and without `MaxResults`), to ask moto
    /// for everything.
    static func formToken(_ body: [UInt8]) -> (token: String?, rest: [UInt8]) {
        var token: String?
        var kept: [Substring] = []
        for field in String(decoding: body, as: UTF8.self).split(separator: "&") {
            if field.hasPrefix("NextToken=") {
                token = String(field.dropFirst("NextToken=".count)).removingPercentEncoding
            } else if !field.hasPrefix("MaxResults=") {
                kept.append(field)
            }
        }
        return (token, Array(kept.joined(separator: "&").utf8))
    }

    /// One page of moto's whole DescribeInstances answer: `size` top-level items of
    /// `reservationSet` from `offset`, and a `<nextToken>` when more follow.
    static func pageXML(_ answer: TransportResponse, offset: Int, size: Int) -> TransportResponse {
        var text = answer.bodyText
        // moto's own token (past 100 reservations) is replaced by the proxy's.
        while let open = text.range(of: "<nextToken>"), let close = text.range(of: "</nextToken>", range: open.upperBound..<text.endIndex) {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        guard let setOpen = text.range(of: "<reservationSet>"),
              let setClose = text.range(of: "</reservationSet>", options: .backwards) else { return answer }
        let items = topLevelItems(String(text[setOpen.upperBound..<setClose.lowerBound]))
        let end = min(items.count, offset + size)
        let page = offset < end ? items[offset..<end].joined() : ""
        var paged = String(text[..<setOpen.upperBound]) + page + String(text[setClose.lowerBound...])
        if end < items.count, let root = paged.range(of: "</DescribeInstancesResponse>", options: .backwards) {
            paged.insert(contentsOf: "<nextToken>\(tokenPrefix)\(end)</nextToken>", at: root.lowerBound)
        }
        var result = answer
        result.body = Array(paged.utf8)
        return result
    }

    /// The `<item>…</item>` elements at the top of `xml`, counting nested items.
    static func topLevelItems(_ xml: String) -> [String] {
        var items: [String] = []
        var depth = 0
        var start: String.Index?
        var index = xml.startIndex
        while index < xml.endIndex {
            if xml[index...].hasPrefix("<item>") {
                if depth == 0 { start = index }
                depth += 1
                index = xml.index(index, offsetBy: 6)
            } else if xml[index...].hasPrefix("</item>") {
                depth -= 1
                index = xml.index(index, offsetBy: 7)
                if depth == 0, let begun = start { items.append(String(xml[begun..<index])) }
            } else {
                index = xml.index(after: index)
            }
        }
        return items
    }
}
