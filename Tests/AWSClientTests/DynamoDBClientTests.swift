import AWSClient
import Foundation
import Testing

/// The DynamoDB client's requests and decoding, against the fake transport.
@Suite("DynamoDB client")
struct DynamoDBClientTests {
    func client(_ transport: FakeHTTPTransport) throws -> DynamoDBClient {
        try DynamoDBClient(configuration: Fixtures.configuration(transport: transport))
    }

    @Test("A call is a signed JSON 1.0 POST to dynamodb.REGION with the DynamoDB_20120810 target")
    func protocolHeaders() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{}"#)])
        let item = try await client(transport).getItem(table: "leases", key: ["fleet": .string("arena")])

        #expect(item == nil)
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://dynamodb.us-east-1.amazonaws.com/")
        #expect(request.headers.value(for: "Content-Type") == "application/x-amz-json-1.0")
        #expect(request.headers.value(for: "X-Amz-Target") == "DynamoDB_20120810.GetItem")
        let authorization = try #require(request.headers.value(for: "Authorization"))
        #expect(authorization.contains("/us-east-1/dynamodb/aws4_request"))
        #expect(Fixtures.body(request) == #"{"ConsistentRead":true,"Key":{"fleet":{"S":"arena"}},"TableName":"leases"}"#)
    }

    @Test("GetItem decodes every attribute type gamefleet reads")
    func getItemTypes() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(#"{"Item":{"fleet":{"S":"arena"},"ms":{"N":"15000"},"on":{"BOOL":true},"none":{"NULL":true},"m":{"M":{"a":{"S":"b"}}},"l":{"L":[{"N":"1"}]}}}"#)
        ])
        let item = try #require(try await client(transport).getItem(table: "t", key: ["fleet": .string("arena")]))
        #expect(item["fleet"] == .string("arena"))
        #expect(item["ms"]?.integerValue == 15000)
        #expect(item["on"] == .bool(true))
        #expect(item["none"] == .null)
        #expect(item["m"] == .map(["a": .string("b")]))
        #expect(item["l"] == .list([.number("1")]))
    }

    @Test("An attribute of a type gamefleet does not read is a malformed response naming the place")
    func unknownType() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"Item":{"blob":{"B":"AAE="}}}"#)])
        let error = await #expect(throws: AWSCallError.self) { try await client(transport).getItem(table: "t", key: [:]) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("Item.blob"))
    }

    @Test("PutItem sends the condition with its names and values; an empty condition map is left out")
    func putItemCondition() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{}"#), Fixtures.json(#"{}"#)])
        let client = try client(transport)
        try await client.putItem(
            table: "t", item: ["fleet": .string("a"), "version": .string("v2")],
            condition: DynamoDBCondition("attribute_not_exists(#k) OR #v = :v", names: ["#k": "fleet", "#v": "version"], values: [":v": .string("v1")]))
        try await client.putItem(table: "t", item: ["fleet": .string("a")], condition: DynamoDBCondition("attribute_not_exists(fleet)"))

        #expect(transport.requests.map { $0.headers.value(for: "X-Amz-Target") } == ["DynamoDB_20120810.PutItem", "DynamoDB_20120810.PutItem"])
        #expect(Fixtures.body(transport.requests[0]) == ##"{"ConditionExpression":"attribute_not_exists(#k) OR #v = :v","ExpressionAttributeNames":{"#k":"fleet","#v":"version"},"ExpressionAttributeValues":{":v":{"S":"v1"}},"Item":{"fleet":{"S":"a"},"version":{"S":"v2"}},"TableName":"t"}"##)
        #expect(Fixtures.body(transport.requests[1]) == #"{"ConditionExpression":"attribute_not_exists(fleet)","Item":{"fleet":{"S":"a"}},"TableName":"t"}"#)
    }

    @Test("ConditionalCheckFailedException is a DynamoDBConditionFailed, sent once (never retried)")
    func conditionFailed() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#)
        ])
        let error = await #expect(throws: DynamoDBConditionFailed.self) {
            try await client(transport).deleteItem(table: "t", key: ["fleet": .string("a")], condition: DynamoDBCondition("#v = :v", names: ["#v": "version"], values: [":v": .string("x")]))
        }
        #expect(error == DynamoDBConditionFailed(operation: "DeleteItem", message: "The conditional request failed"))
        #expect(transport.requests.count == 1)
    }

    @Test("Other errors keep the shared typing and retry mode: a 500 is retried, then AWSServiceError")
    func otherErrors() async throws {
        let failure = Fixtures.json(500, #"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}"#)
        let transport = FakeHTTPTransport([failure, failure, failure])
        let error = await #expect(throws: AWSServiceError.self) {
            try await client(transport).putItem(table: "t", item: [:])
        }
        #expect(error?.code == "InternalServerError")
        #expect(error?.service == "dynamodb")
        #expect(error?.attempts == 3)
        #expect(transport.requests.count == 3)
    }

    @Test("UpdateItem asks for ALL_NEW and returns the item as written")
    func updateItem() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"Attributes":{"fleet":{"S":"a"},"version":{"S":"v3"}}}"#)])
        let item = try await client(transport).updateItem(
            table: "t", key: ["fleet": .string("a")], update: "SET #v = :new", names: ["#v": "version"],
            values: [":new": .string("v3"), ":old": .string("v2")], condition: "#v = :old")
        #expect(item == ["fleet": .string("a"), "version": .string("v3")])
        #expect(Fixtures.body(transport.requests[0]) == ##"{"ConditionExpression":"#v = :old","ExpressionAttributeNames":{"#v":"version"},"ExpressionAttributeValues":{":new":{"S":"v3"},":old":{"S":"v2"}},"Key":{"fleet":{"S":"a"}},"ReturnValues":"ALL_NEW","TableName":"t","UpdateExpression":"SET #v = :new"}"##)
    }

    @Test("DescribeTable reads the key schema; a missing table is nil")
    func describeTable() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(#"{"Table":{"TableName":"leases","TableStatus":"ACTIVE","KeySchema":[{"AttributeName":"fleet","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"fleet","AttributeType":"S"}]}}"#),
            Fixtures.json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#),
        ])
        let client = try client(transport)
        let table = try #require(try await client.describeTable("leases"))
        #expect(table.hashKey?.name == "fleet")
        #expect(table.hashKey?.type == "S")
        #expect(!table.hasRangeKey)
        #expect(try await client.describeTable("nope") == nil)
    }

    @Test("The endpoint: explicit beats AWS_ENDPOINT_URL_DYNAMODB beats AWS_ENDPOINT_URL")
    func endpoint() throws {
        let transport = FakeHTTPTransport([])
        let environment = ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9001", "AWS_ENDPOINT_URL": "http://127.0.0.1:9002"]
        let configuration = Fixtures.configuration(transport: transport, environment: environment)
        #expect(try DynamoDBClient(configuration: configuration, endpoint: "http://127.0.0.1:9000").endpoint.description == "http://127.0.0.1:9000")
        #expect(try DynamoDBClient(configuration: configuration).endpoint.description == "http://127.0.0.1:9001")
        let general = Fixtures.configuration(transport: transport, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9002"])
        #expect(try DynamoDBClient(configuration: general).endpoint.description == "http://127.0.0.1:9002")
    }
}
