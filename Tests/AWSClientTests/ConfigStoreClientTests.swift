import AWSClient
import Foundation
import Testing

/// The SSM and S3 calls gamefleet makes for a fleet.yaml kept in AWS, as they go on the wire
/// (fake transport): what is addressed, which headers travel and are signed, and how S3's 304 and
/// XML errors come back. The same calls run signed against moto in `ConfigStoreMotoTests`.
@Suite("SSM and S3 clients: requests on the wire")
struct ConfigStoreClientTests {
    static func s3Answer(_ status: Int, body: String = "", headers: [HTTPHeaderField] = []) -> FakeHTTPTransport.Outcome {
        .respond(TransportResponse(status: status, headers: headers, text: body))
    }

    @Test("GetParameter is a JSON 1.1 POST with X-Amz-Target AmazonSSM.GetParameter and WithDecryption")
    func getParameter() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"Parameter":{"Name":"/gf/fleet","Type":"SecureString","Value":"name: x\n","Version":7,"ARN":"arn:x","DataType":"text"}}"#)])
        let ssm = try SSMClient(configuration: Fixtures.configuration(transport: transport))
        let parameter = try await ssm.getParameter("/gf/fleet")
        #expect(parameter == SSMClient.Parameter(name: "/gf/fleet", type: "SecureString", value: "name: x\n", version: 7))
        let request = try #require(transport.requests.first)
        #expect(request.url == "https://ssm.us-east-1.amazonaws.com/")
        #expect(request.headers.value(for: "X-Amz-Target") == "AmazonSSM.GetParameter")
        #expect(request.headers.value(for: "Content-Type") == "application/x-amz-json-1.1")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"Name":"/gf/fleet","WithDecryption":true}"#)
        #expect(request.headers.value(for: "x-amz-content-sha256") == nil)
    }

    @Test("PutParameter sends the value, the type and Overwrite, and answers the new version")
    func putParameter() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"Version":8,"Tier":"Standard"}"#)])
        let ssm = try SSMClient(configuration: Fixtures.configuration(transport: transport))
        #expect(try await ssm.putParameter("/gf/fleet", value: "a", type: "String", overwrite: true) == 8)
        #expect(String(decoding: try #require(transport.requests.first).body, as: UTF8.self)
                == #"{"Name":"/gf/fleet","Overwrite":true,"Type":"String","Value":"a"}"#)
    }

    @Test("A missing parameter is ParameterNotFound, naming the service and the operation")
    func parameterNotFound() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(400, #"{"__type":"ParameterNotFound","message":"Parameter /gf/x not found."}"#)])
        let ssm = try SSMClient(configuration: Fixtures.configuration(transport: transport))
        let error = try await #require(throws: AWSServiceError.self) { try await ssm.getParameter("/gf/x") }
        #expect(error.code == "ParameterNotFound")
        #expect(error.description.hasPrefix("ssm GetParameter failed after 1 attempt: HTTP 400 ParameterNotFound"))
    }

    @Test("AWS's endpoint addresses the bucket as a host; the key's segments are encoded once, '/' kept; the payload hash is signed")
    func virtualHosted() async throws {
        let transport = FakeHTTPTransport([Self.s3Answer(200, body: "name: x\n", headers: [HTTPHeaderField(name: "ETag", value: "\"abc\"")])])
        let s3 = try S3Client(configuration: Fixtures.configuration(transport: transport, region: "eu-west-1"))
        let fetched = try await s3.getObject(bucket: "my-fleets", key: "chess/fleet one.yaml")
        #expect(fetched == .object(S3Client.Object(body: Array("name: x\n".utf8), eTag: "\"abc\"", versionID: nil)))
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://my-fleets.s3.eu-west-1.amazonaws.com/chess/fleet%20one.yaml")
        #expect(request.headers.value(for: "Host") == "my-fleets.s3.eu-west-1.amazonaws.com")
        #expect(request.headers.value(for: "x-amz-content-sha256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(request.headers.value(for: "Authorization")?.contains("/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date,") == true)
    }

    @Test("Another endpoint (moto, AWS_ENDPOINT_URL_S3) and a dotted bucket are addressed path-style")
    func pathStyle() async throws {
        let transport = FakeHTTPTransport([Self.s3Answer(200), Self.s3Answer(200)])
        let moto = try S3Client(configuration: Fixtures.configuration(
            transport: transport, environment: ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:5000"]))
        _ = try await moto.getObject(bucket: "fleets", key: "a/b.yaml")
        let aws = try S3Client(configuration: Fixtures.configuration(transport: transport))
        _ = try await aws.getObject(bucket: "my.fleets", key: "f.yaml")
        #expect(transport.requests.map(\.url) == ["http://127.0.0.1:5000/fleets/a/b.yaml", "https://s3.us-east-1.amazonaws.com/my.fleets/f.yaml"])
    }

    @Test("If-None-Match travels signed, and a 304 is 'not modified', not an error")
    func notModified() async throws {
        let transport = FakeHTTPTransport([Self.s3Answer(304)])
        let s3 = try S3Client(configuration: Fixtures.configuration(transport: transport))
        #expect(try await s3.getObject(bucket: "fleets", key: "f.yaml", ifNoneMatch: "\"abc\"") == .notModified)
        let request = try #require(transport.requests.first)
        #expect(request.headers.value(for: "If-None-Match") == "\"abc\"")
        #expect(request.headers.value(for: "Authorization")?.contains("SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date,") == true)
    }

    @Test("S3's XML errors become AWS errors with S3's code (NoSuchKey, PreconditionFailed)")
    func xmlErrors() async throws {
        let transport = FakeHTTPTransport([
            Self.s3Answer(404, body: "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>r1</RequestId></Error>"),
            Self.s3Answer(412, body: "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>"),
        ])
        let s3 = try S3Client(configuration: Fixtures.configuration(transport: transport))
        let missing = try await #require(throws: AWSServiceError.self) { try await s3.getObject(bucket: "b", key: "k") }
        #expect(missing.code == "NoSuchKey" && missing.operation == "GetObject" && missing.service == "s3")
        let stale = try await #require(throws: AWSServiceError.self) { try await s3.putObject(bucket: "b", key: "k", body: [1], ifMatch: "\"old\"") }
        #expect(stale.code == "PreconditionFailed" && stale.statusCode == 412)
        let put = try #require(transport.requests.last)
        #expect(put.method == "PUT" && put.headers.value(for: "If-Match") == "\"old\"")
        #expect(put.headers.value(for: "x-amz-content-sha256") == "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a")
    }
}
