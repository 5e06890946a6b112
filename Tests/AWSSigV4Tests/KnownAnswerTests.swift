import AWSSigV4
import Foundation
import Testing

/// Requests shaped like the ones gamefleet sends, checked against answers computed outside
/// this code.
///
/// The expected `Authorization` values were computed with Python 3.11's standard library only
/// (`hashlib.sha256`, `hmac.new`), by a script written for these tests that builds the canonical
/// request by hand from the same inputs; it is reproduced here so anyone can re-run it:
///
/// ```python
/// import hashlib, hmac
/// def h(b): return hashlib.sha256(b).hexdigest()
/// def mac(k, m): return hmac.new(k, m.encode(), hashlib.sha256).digest()
/// def authorization(region, service, host, headers, body, amz_date, akid, secret):
///     hs = sorted(headers + [("host", host), ("x-amz-date", amz_date)])
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
/// print(authorization("us-east-1", "ecs", "ecs.us-east-1.amazonaws.com",
///     [("content-type", "application/x-amz-json-1.1"),
///      ("x-amz-target", "AmazonEC2ContainerServiceV20141113.ListTasks")],
///     b'{"cluster":"gamefleet","desiredStatus":"RUNNING"}', DATE, AKID, SECRET))
/// print(authorization("us-west-2", "ec2", "ec2.us-west-2.amazonaws.com",
///     [("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
///     b"Action=DescribeInstances&Version=2016-11-15", DATE, AKID, SECRET))
/// ```
@Suite("Known answers")
struct KnownAnswerTests {
    /// AWS's documentation example key pair (not a real account).
    let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    )
    /// 2024-03-15T09:30:45Z.
    let date = Date(timeIntervalSince1970: 1_710_495_045)

    @Test("ECS JSON-protocol POST (ListTasks)")
    func ecsListTasks() {
        let request = SignableRequest(
            method: "POST",
            headers: [
                .init(name: "Host", value: "ecs.us-east-1.amazonaws.com"),
                .init(name: "Content-Type", value: "application/x-amz-json-1.1"),
                .init(name: "X-Amz-Target", value: "AmazonEC2ContainerServiceV20141113.ListTasks"),
            ],
            body: Array(#"{"cluster":"gamefleet","desiredStatus":"RUNNING"}"#.utf8)
        )
        let signed = SigV4Signer(region: "us-east-1", service: "ecs")
            .signedRequest(for: request, credentials: credentials, date: date)

        #expect(signed.values(forHeader: "X-Amz-Date") == ["20240315T093045Z"])
        #expect(signed.values(forHeader: "X-Amz-Security-Token").isEmpty)
        #expect(signed.values(forHeader: "x-amz-content-sha256").isEmpty, "only S3 needs the payload hash header")
        #expect(
            signed.values(forHeader: "Authorization") == [
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240315/us-east-1/ecs/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                    + "Signature=e43b48fae59732ffc4e59ae0ed86e6d270dd1318a57259dba0bf7dc04221649e"
            ]
        )
    }

    @Test("EC2 query-protocol POST (DescribeInstances)")
    func ec2DescribeInstances() {
        let request = SignableRequest(
            method: "POST",
            headers: [
                .init(name: "Host", value: "ec2.us-west-2.amazonaws.com"),
                .init(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
            ],
            body: Array("Action=DescribeInstances&Version=2016-11-15".utf8)
        )
        let signed = SigV4Signer(region: "us-west-2", service: "ec2")
            .signedRequest(for: request, credentials: credentials, date: date)

        #expect(
            signed.values(forHeader: "Authorization") == [
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240315/us-west-2/ec2/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, "
                    + "Signature=4378a3ef7aac9df20b088999a6ae915879c2448c90c305802ede53d7b8658b16"
            ]
        )
    }

    /// The signing-key example of the AWS SigV4 documentation ("derive a signing key"): secret
    /// `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, 2015-08-30, `us-east-1`, `iam`. The value is the
    /// one AWS publishes, and the Python chain above (`key = mac(key, part)`) gives the same.
    @Test("Signing key of the AWS documentation example")
    func documentedSigningKey() {
        let key = SigV4Signer(region: "us-east-1", service: "iam")
            .signingKey(for: credentials, date: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(key.hex == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        #expect(key.scope.description == "20150830/us-east-1/iam/aws4_request")
    }
}
