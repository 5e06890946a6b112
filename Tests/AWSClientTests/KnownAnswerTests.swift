import AWSClient
import AWSSigV4
import Testing

/// The exact bytes of requests the clients build, captured through the fake transport with
/// fixed credentials, date, region and client token.
///
/// The `Authorization` values were computed outside this code, with Python 3.11's standard
/// library only (`hashlib`, `hmac`), by this script written for these tests. It builds the
/// canonical request by hand from the signed headers and the body as they appear below; re-run
/// it to check:
///
/// ```python
/// import hashlib, hmac
/// def h(b): return hashlib.sha256(b).hexdigest()
/// def mac(k, m): return hmac.new(k, m.encode(), hashlib.sha256).digest()
/// def authorization(region, service, signed_headers, body, amz_date, akid, secret):
///     hs = sorted(signed_headers)   # (lower-case name, value), host and x-amz-date included
///     canonical_headers = "".join(f"{n}:{v}\n" for n, v in hs)
///     signed = ";".join(n for n, _ in hs)
///     canonical = "\n".join(["POST", "/", "", canonical_headers, signed, h(body)])
///     scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
///     to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, h(canonical.encode())])
///     key = ("AWS4" + secret).encode()
///     for part in (amz_date[:8], region, service, "aws4_request"):
///         key = mac(key, part)
///     sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
///     return f"AWS4-HMAC-SHA256 Credential={akid}/{scope}, SignedHeaders={signed}, Signature={sig}"
/// AKID, SECRET, DATE = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20240315T093045Z"
/// TOKEN = "FQoGZXIvYXdzEXAMPLETOKEN/gamefleet+test=="
/// ecs_body = (b'{"clientToken":"0f8e7d6c-5b4a-4039-8271-605f4e3d2c1b","cluster":"gamefleet","count":2,'
///     b'"launchType":"EC2","placementConstraints":[{"expression":"attribute:ecs.instance-type =~ c6i.*","type":"memberOf"}],'
///     b'"startedBy":"gamefleet/fleet-a","tags":[{"key":"gamefleet:fleet","value":"fleet-a"}],"taskDefinition":"gameserver:3"}')
/// print(authorization("us-east-1", "ecs",
///     [("host", "ecs.us-east-1.amazonaws.com"), ("content-type", "application/x-amz-json-1.1"),
///      ("x-amz-target", "AmazonEC2ContainerServiceV20141113.RunTask"), ("x-amz-date", DATE)],
///     ecs_body, DATE, AKID, SECRET))
/// ec2_body = b"Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0&InstanceId.2=i-0fedcba9876543210"
/// print(authorization("us-west-2", "ec2",
///     [("host", "ec2.us-west-2.amazonaws.com"), ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
///      ("x-amz-security-token", TOKEN), ("x-amz-date", DATE)],
///     ec2_body, DATE, AKID, SECRET))
/// ```
///
/// `User-Agent` is sent but not signed (the signer leaves it out, as proxies append to it), so
/// it is not in the script's list.
@Suite("Known answers: signed requests built by the clients")
struct KnownAnswerTests {
    @Test("ECS RunTask: method, URL, every header and the body")
    func ecsRunTask() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"tasks":[],"failures":[]}"#)])
        let ecs = try ECSClient(configuration: Fixtures.configuration(transport: transport, region: "us-east-1"))

        _ = try await ecs.runTask(
            ECSRunTaskRequest(
                cluster: "gamefleet",
                taskDefinition: "gameserver:3",
                count: 2,
                startedBy: "gamefleet/fleet-a",
                tags: [ECSTag(key: "gamefleet:fleet", value: "fleet-a")],
                clientToken: "0f8e7d6c-5b4a-4039-8271-605f4e3d2c1b",
                launchType: "EC2",
                placementConstraints: [.init(type: "memberOf", expression: "attribute:ecs.instance-type =~ c6i.*")]
            )
        )

        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.url == "https://ecs.us-east-1.amazonaws.com/")
        #expect(
            request.headers == [
                HTTPHeaderField(name: "Host", value: "ecs.us-east-1.amazonaws.com"),
                HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
                HTTPHeaderField(name: "X-Amz-Target", value: "AmazonEC2ContainerServiceV20141113.RunTask"),
                HTTPHeaderField(name: "User-Agent", value: "gamefleet-awsclient/1.0"),
                HTTPHeaderField(name: "X-Amz-Date", value: "20240315T093045Z"),
                HTTPHeaderField(
                    name: "Authorization",
                    value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240315/us-east-1/ecs/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                        + "Signature=79d6d8aa4841f9b5369ea12a6116c89cf3bd04af4484a554698a3eb6075c562d"
                ),
            ]
        )
        #expect(
            Fixtures.body(request)
                == #"{"clientToken":"0f8e7d6c-5b4a-4039-8271-605f4e3d2c1b","cluster":"gamefleet","count":2,"#
                + #""launchType":"EC2","placementConstraints":[{"expression":"attribute:ecs.instance-type =~ c6i.*","type":"memberOf"}],"#
                + #""startedBy":"gamefleet/fleet-a","tags":[{"key":"gamefleet:fleet","value":"fleet-a"}],"taskDefinition":"gameserver:3"}"#
        )
    }

    @Test("EC2 DescribeInstances with a session token: method, URL, every header and the body")
    func ec2DescribeInstances() async throws {
        let transport = FakeHTTPTransport([Fixtures.xml(body: "<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse>")])
        let credentials = AWSCredentials(
            accessKeyID: Fixtures.credentials.accessKeyID,
            secretAccessKey: Fixtures.credentials.secretAccessKey,
            sessionToken: Fixtures.sessionToken
        )
        let ec2 = try EC2Client(configuration: Fixtures.configuration(transport: transport, region: "us-west-2", credentials: credentials))

        let instances = try await ec2.describeInstances(ids: ["i-0123456789abcdef0", "i-0fedcba9876543210"])

        #expect(instances.isEmpty)
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.url == "https://ec2.us-west-2.amazonaws.com/")
        #expect(
            request.headers == [
                HTTPHeaderField(name: "Host", value: "ec2.us-west-2.amazonaws.com"),
                HTTPHeaderField(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
                HTTPHeaderField(name: "User-Agent", value: "gamefleet-awsclient/1.0"),
                HTTPHeaderField(name: "X-Amz-Security-Token", value: Fixtures.sessionToken),
                HTTPHeaderField(name: "X-Amz-Date", value: "20240315T093045Z"),
                HTTPHeaderField(
                    name: "Authorization",
                    value: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240315/us-west-2/ec2/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
                        + "Signature=0f1afd5e2a199f05bba5427592a1f0be35bd5061aacb2a6e4c922866c4a4c586"
                ),
            ]
        )
        #expect(
            Fixtures.body(request)
                == "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0&InstanceId.2=i-0fedcba9876543210"
        )
    }
}
