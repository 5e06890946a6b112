@testable import AWSClient
import Testing

/// The small XML reader behind the EC2 client.
@Suite("XML reader")
struct XMLTreeTests {
    @Test("Elements, text, attributes and nesting")
    func structure() throws {
        let root = try XMLTree.parse(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment before the root -->
            <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r-1</requestId>
              <reservationSet>
                <item><instancesSet><item><instanceId>i-1</instanceId><empty/></item></instancesSet></item>
                <item><instancesSet><item><instanceId> i-2 </instanceId></item></instancesSet></item>
              </reservationSet>
            </DescribeInstancesResponse>
            """
        )
        #expect(root.name == "DescribeInstancesResponse")
        #expect(root.attributes == ["xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/"])
        #expect(root.string("requestId") == "r-1")
        let reservations = try #require(root.child("reservationSet")).children(named: "item")
        #expect(reservations.count == 2)
        #expect(reservations[0].string("instancesSet", "item", "instanceId") == "i-1")
        #expect(reservations[1].string("instancesSet", "item", "instanceId") == "i-2")
        #expect(reservations[0].descendant(["instancesSet", "item", "empty"]) != nil)
        #expect(reservations[0].string("instancesSet", "item", "empty") == nil)
        #expect(root.string("missing", "path") == nil)
        #expect(root.firstDescendant(named: "instanceId")?.text == "i-1")
    }

    struct TextCase: Sendable, CustomTestStringConvertible {
        var xml: String
        var text: String
        var testDescription: String { xml }
    }

    @Test("Entities, character references and CDATA", arguments: [
        TextCase(xml: "<a>&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</a>", text: "<b> & \"c\" 'd'"),
        TextCase(xml: "<a>&#65;&#x42;&#X43; &#233;&#x1F3AE;</a>", text: "ABC é🎮"),
        TextCase(xml: "<a><![CDATA[<not> & markup]]></a>", text: "<not> & markup"),
        TextCase(xml: "<a>before<!-- gone -->after</a>", text: "beforeafter"),
        TextCase(xml: "<a>ünïcödé ✓</a>", text: "ünïcödé ✓"),
        TextCase(xml: "\u{FEFF}<a>bom</a>", text: "bom"),
        TextCase(xml: "<a attr='single' other=\"dou&amp;ble\"/>", text: ""),
    ])
    func text(testCase: TextCase) throws {
        #expect(try XMLTree.parse(testCase.xml).text == testCase.text)
    }

    @Test("Attribute values are decoded")
    func attributes() throws {
        let root = try XMLTree.parse(#"<a one='1' two="t&amp;w&#111;"/>"#)
        #expect(root.attributes == ["one": "1", "two": "t&wo"])
        #expect(root.children.isEmpty)
    }

    @Test("Malformed documents are rejected", arguments: [
        "",
        "just text",
        "<a>",
        "<a></b>",
        "<a><b></a></b>",
        "<a></a><b></b>",
        "<a></a>trailing",
        "<a>&unknown;</a>",
        "<a>& alone</a>",
        "<a attr=unquoted></a>",
        "<a attr=\"<\"></a>",
        "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
        "<!doctype html><html lang=en><title>500</title>",
        "</a>",
        "<a><!-- unterminated </a>",
        "<a><![CDATA[ unterminated </a>",
    ])
    func malformed(document: String) {
        #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse(document) }
    }

    @Test("Nesting deeper than the limit is refused rather than followed")
    func depthLimit() throws {
        let deep = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(throws: XMLTree.ParseError.self) { try XMLTree.parse(deep) }
        let fine = String(repeating: "<a>", count: 100) + "x" + String(repeating: "</a>", count: 100)
        #expect(try XMLTree.parse(fine).firstDescendant(named: "a") != nil)
    }
}
