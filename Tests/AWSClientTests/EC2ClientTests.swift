import AWSClient
import Foundation
import Testing

/// The EC2 client's form bodies and XML reading, against the fake transport.
@Suite("EC2 client")
struct EC2ClientTests {
    func client(_ transport: FakeHTTPTransport) throws -> EC2Client {
        try EC2Client(configuration: Fixtures.configuration(transport: transport))
    }

    static let describeInstancesPage1 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
            <reservationSet>
                <item>
                    <reservationId>r-1</reservationId>
                    <instancesSet>
                        <item>
                            <instanceId>i-0123456789abcdef0</instanceId>
                            <imageId>ami-1</imageId>
                            <instanceState><code>16</code><name>running</name></instanceState>
                            <privateDnsName>ip-10-0-1-5.ec2.internal</privateDnsName>
                            <instanceType>c6i.large</instanceType>
                            <launchTime>2024-03-15T09:30:45.000Z</launchTime>
                            <subnetId>subnet-1</subnetId>
                            <privateIpAddress>10.0.1.5</privateIpAddress>
                            <ipAddress>203.0.113.7</ipAddress>
                            <groupSet><item><groupId>sg-1</groupId></item></groupSet>
                            <tagSet>
                                <item><key>Name</key><value>gamefleet host</value></item>
                                <item><key>gamefleet:fleet</key><value/></item>
                            </tagSet>
                        </item>
                    </instancesSet>
                </item>
            </reservationSet>
            <nextToken>next-page</nextToken>
        </DescribeInstancesResponse>
        """

    static let describeInstancesPage2 = """
        <DescribeInstancesResponse><reservationSet><item><instancesSet>
          <item><instanceId>i-0fedcba9876543210</instanceId><instanceState><code>0</code><name>pending</name></instanceState></item>
        </instancesSet></item></reservationSet></DescribeInstancesResponse>
        """

    @Test("DescribeInstances reads ids, state, addresses, launch time and tags across pages")
    func describeInstances() async throws {
        let transport = FakeHTTPTransport([Fixtures.xml(body: Self.describeInstancesPage1), Fixtures.xml(body: Self.describeInstancesPage2)])
        let instances = try await client(transport).describeInstances(ids: ["i-0123456789abcdef0", "i-0fedcba9876543210"])

        #expect(
            instances == [
                EC2Instance(
                    instanceID: "i-0123456789abcdef0",
                    state: "running",
                    privateIPAddress: "10.0.1.5",
                    publicIPAddress: "203.0.113.7",
                    launchTime: Date(timeIntervalSince1970: 1_710_495_045),
                    tags: [EC2Tag(key: "Name", value: "gamefleet host"), EC2Tag(key: "gamefleet:fleet", value: "")],
                    instanceType: "c6i.large",
                    imageID: "ami-1",
                    subnetID: "subnet-1"
                ),
                EC2Instance(instanceID: "i-0fedcba9876543210", state: "pending"),
            ]
        )
        #expect(instances[0].tag("Name") == "gamefleet host")
        #expect(
            transport.requests.map(Fixtures.body) == [
                "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0&InstanceId.2=i-0fedcba9876543210",
                "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0&InstanceId.2=i-0fedcba9876543210&NextToken=next-page",
            ]
        )
        #expect(transport.requests.allSatisfy { $0.headers.value(for: "Content-Type") == "application/x-www-form-urlencoded; charset=utf-8" })
    }

    @Test("DescribeInstances of no ids sends nothing (EC2 would describe every instance)")
    func describeNoInstances() async throws {
        let transport = FakeHTTPTransport()
        #expect(try await client(transport).describeInstances(ids: []).isEmpty)
        #expect(try await client(transport).describeNetworkInterfaces(ids: []).isEmpty)
        #expect(try await client(transport).terminateInstances(ids: []).isEmpty)
        #expect(transport.requests.isEmpty)
    }

    @Test("An answer that is not XML is a malformed response")
    func notXML() async throws {
        let transport = FakeHTTPTransport([Fixtures.xml(body: "{\"json\": true}")])
        let error = try await #require(throws: AWSCallError.self) { try await client(transport).describeInstances(ids: ["i-1"]) }
        guard case .malformedResponse = error.reason else {
            Issue.record("expected malformedResponse, got \(error.reason)")
            return
        }
    }

    @Test("DescribeNetworkInterfaces reads private and public addresses")
    func describeNetworkInterfaces() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.xml(
                body: """
                    <DescribeNetworkInterfacesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                      <requestId>r</requestId>
                      <networkInterfaceSet>
                        <item>
                          <networkInterfaceId>eni-1</networkInterfaceId><subnetId>subnet-1</subnetId><status>in-use</status>
                          <privateIpAddress>10.0.1.17</privateIpAddress>
                          <association><publicIp>198.51.100.4</publicIp><ipOwnerId>amazon</ipOwnerId></association>
                          <privateIpAddressesSet><item><privateIpAddress>10.0.1.17</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>
                        </item>
                        <item><networkInterfaceId>eni-2</networkInterfaceId><privateIpAddress>10.0.1.18</privateIpAddress></item>
                      </networkInterfaceSet>
                    </DescribeNetworkInterfacesResponse>
                    """
            )
        ])
        let interfaces = try await client(transport).describeNetworkInterfaces(ids: ["eni-1", "eni-2"])

        #expect(
            interfaces == [
                EC2NetworkInterface(networkInterfaceID: "eni-1", privateIPAddress: "10.0.1.17", publicIPAddress: "198.51.100.4", status: "in-use", subnetID: "subnet-1"),
                EC2NetworkInterface(networkInterfaceID: "eni-2", privateIPAddress: "10.0.1.18"),
            ]
        )
        #expect(Fixtures.body(transport.requests[0]) == "Action=DescribeNetworkInterfaces&Version=2016-11-15&NetworkInterfaceId.1=eni-1&NetworkInterfaceId.2=eni-2")
    }

    @Test("RunInstances with a launch template and tags: the form, percent-encoded")
    func runInstancesTemplate() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.xml(body: "<RunInstancesResponse><instancesSet><item><instanceId>i-new</instanceId><instanceState><name>pending</name></instanceState></item></instancesSet></RunInstancesResponse>")
        ])
        let instances = try await client(transport).runInstances(
            EC2RunInstancesRequest(
                launchTemplate: .named("gamefleet-host", version: "$Latest"),
                minCount: 1,
                maxCount: 2,
                tagSpecifications: [.init(resourceType: "instance", tags: [EC2Tag(key: "gamefleet:fleet", value: "fleet a/b+c")])],
                clientToken: "launch-1"
            )
        )

        #expect(instances == [EC2Instance(instanceID: "i-new", state: "pending")])
        #expect(
            Fixtures.body(transport.requests[0])
                == "Action=RunInstances&Version=2016-11-15&LaunchTemplate.LaunchTemplateName=gamefleet-host&LaunchTemplate.Version=%24Latest"
                + "&MinCount=1&MaxCount=2&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=gamefleet%3Afleet"
                + "&TagSpecification.1.Tag.1.Value=fleet%20a%2Fb%2Bc&ClientToken=launch-1"
        )
    }

    @Test("RunInstances with image, type and subnet, and a template by id")
    func runInstancesPlain() async throws {
        let empty = Fixtures.xml(body: "<RunInstancesResponse><instancesSet/></RunInstancesResponse>")
        let transport = FakeHTTPTransport([empty, empty])
        let ec2 = try client(transport)
        _ = try await ec2.runInstances(EC2RunInstancesRequest(imageID: "ami-1", instanceType: "t3.micro", subnetID: "subnet-1", securityGroupIDs: ["sg-1", "sg-2"]))
        _ = try await ec2.runInstances(EC2RunInstancesRequest(launchTemplate: .id("lt-1")))

        #expect(
            transport.requests.map(Fixtures.body) == [
                "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&InstanceType=t3.micro&SubnetId=subnet-1&SecurityGroupId.1=sg-1&SecurityGroupId.2=sg-2&MinCount=1&MaxCount=1",
                "Action=RunInstances&Version=2016-11-15&LaunchTemplate.LaunchTemplateId=lt-1&MinCount=1&MaxCount=1",
            ]
        )
    }

    @Test("RunInstances rejects impossible inputs before sending", arguments: [
        EC2RunInstancesRequest(imageID: "ami-1", minCount: 0, maxCount: 1),
        EC2RunInstancesRequest(imageID: "ami-1", minCount: 3, maxCount: 2),
        EC2RunInstancesRequest(launchTemplate: .init(id: "lt-1", name: "both")),
        EC2RunInstancesRequest(launchTemplate: .init(id: nil, name: nil)),
    ])
    func runInstancesInvalid(request: EC2RunInstancesRequest) async throws {
        let transport = FakeHTTPTransport()
        await #expect(throws: AWSCallError.self) { try await client(transport).runInstances(request) }
        #expect(transport.requests.isEmpty)
    }

    @Test("TerminateInstances, CreateVpc and CreateSubnet")
    func terminateAndNetworkSetup() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.xml(
                body: "<TerminateInstancesResponse><instancesSet><item><instanceId>i-1</instanceId><currentState><code>32</code><name>shutting-down</name></currentState><previousState><code>16</code><name>running</name></previousState></item></instancesSet></TerminateInstancesResponse>"
            ),
            Fixtures.xml(body: "<CreateVpcResponse><vpc><vpcId>vpc-1</vpcId><state>pending</state></vpc></CreateVpcResponse>"),
            Fixtures.xml(body: "<CreateSubnetResponse><subnet><subnetId>subnet-9</subnetId></subnet></CreateSubnetResponse>"),
            Fixtures.xml(body: "<CreateSubnetResponse><nothing/></CreateSubnetResponse>"),
        ])
        let ec2 = try client(transport)

        #expect(try await ec2.terminateInstances(ids: ["i-1"]) == [EC2InstanceStateChange(instanceID: "i-1", previousState: "running", currentState: "shutting-down")])
        #expect(try await ec2.createVpc(cidrBlock: "10.0.0.0/16") == "vpc-1")
        #expect(try await ec2.createSubnet(vpcID: "vpc-1", cidrBlock: "10.0.1.0/24") == "subnet-9")
        await #expect(throws: AWSCallError.self) { try await ec2.createSubnet(vpcID: "vpc-1", cidrBlock: "10.0.2.0/24") }
        #expect(
            transport.requests.map(Fixtures.body) == [
                "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-1",
                "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16",
                "Action=CreateSubnet&Version=2016-11-15&VpcId=vpc-1&CidrBlock=10.0.1.0%2F24",
                "Action=CreateSubnet&Version=2016-11-15&VpcId=vpc-1&CidrBlock=10.0.2.0%2F24",
            ]
        )
    }
}
