import AWSClient
import FleetCore
import FleetECS
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An HTTP proxy on 127.0.0.1 between the AWS clients and moto that injects faults: throttling
/// answers, 500s, connections dropped before or after moto saw the request, and slow answers.
/// Which fault a request gets is decided by a schedule from its operation and how many requests
/// of that operation came before, so a run is repeatable.
///
/// It also remembers RunTask answers by `clientToken` and replays them for a repeated token, as
/// ECS does and moto does not: without it, a RunTask whose answer was lost would launch twice in
/// moto however the provider behaves, and the test could not tell. A replay describes the
/// first call's tasks again, so it shows them as they are now (a task that died since is
/// STOPPED), as ECS's does. Every response closes its connection.
///
/// With a ``listingLag`` it also plays ECS's eventual consistency: ListTasks leaves out the tasks
/// RunTask started less than that long ago.
final class FaultProxy: Sendable {
    enum Fault: String, Sendable, CaseIterable {
        case none
        /// 400 `{"__type":"ThrottlingException"}` without asking moto.
        case throttle
        /// 500 `{"__type":"ServerException"}` without asking moto.
        case serverError
        /// The connection is closed before moto sees the request.
        case dropBefore
        /// moto carries the request out, then the connection is closed without an answer.
        case dropAfter
        /// moto's answer arrives after `slowDelay`.
        case slow
        /// RunTask answers 200 with no task and ECS's `failures` for a cluster without room, without
        /// asking moto (which never refuses a launch): `RESOURCE:MEMORY` for the first container
        /// instance, `AGENT` for the second (ECS gives one failure per instance it could not use).
        case refuseLaunch
    }

    /// The body of a ``Fault/refuseLaunch`` answer.
    static let refusal = #"""
        {"tasks":[],"failures":[\#
        {"arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/fleetecs-it/aaaa","reason":"RESOURCE:MEMORY"},\#
        {"arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/fleetecs-it/bbbb","reason":"AGENT","detail":"agent disconnected"}]}
        """#

    typealias Schedule = @Sendable (_ operation: String, _ sequence: Int) -> Fault

    struct Log: Sendable {
        var requests: [String: Int] = [:]
        var faults: [Fault: Int] = [:]
        var replayedTokens = 0
        /// Answers the proxy paged, by operation.
        var pages: [String: Int] = [:]
    }

    /// Rewrites the body of moto's answer to `operation` before it is passed on (e.g. to add
    /// fields moto leaves out, such as a task's `createdAt`).
    typealias Rewrite = @Sendable (_ operation: String, _ body: [UInt8]) -> [UInt8]

    /// What the connections share: the log, the token memory and the schedule.
    final class Shared: Sendable {
        let rewrite = Mutex<Rewrite?>(nil)
        let lock: Mutex<(log: Log, tokens: [String: TransportResponse], schedule: Schedule)>
        /// When each task RunTask started was launched, and how long ListTasks hides it.
        let launches = Mutex<(at: [String: Date], lag: TimeInterval)>(([:], 0))
        /// Items per page of ListTasks, ListContainerInstances and DescribeInstances; nil for
        /// moto's own paging (see `FaultProxy+Paging.swift`).
        let pageSize = Mutex<Int?>(FaultProxy.defaultPageSize)
        /// ECS's throttling, played on the wall clock: operation → its bucket (shared by the
        /// operations given the same bucket), and how many calls it refused.
        let throttling = Mutex<(buckets: [String: ECSRateLimits.Bucket], tokens: [ECSRateLimits.Bucket: TokenBucket], refused: Int)>(([:], [:], 0))
        init(schedule: @escaping Schedule) { lock = Mutex((Log(), [:], schedule)) }
        func withLock<T>(_ body: (inout (log: Log, tokens: [String: TransportResponse], schedule: Schedule)) -> T) -> T {
            lock.withLock { body(&$0) }
        }
    }

    let port: Int
    let slowDelay: Duration
    private let channel: any Channel
    private let serving: Task<Void, Never>
    private let state: Shared

    var url: String { "http://127.0.0.1:\(port)" }
    var log: Log { state.withLock { $0.log } }

    /// Sets (or, with nil, removes) the rewrite of answers.
    func setRewrite(_ rewrite: Rewrite?) {
        state.rewrite.withLock { $0 = rewrite }
    }

    /// How long after RunTask started a task ListTasks leaves it out; 0 (the default) for none.
    func setListingLag(seconds: TimeInterval) {
        state.launches.withLock { $0.lag = seconds }
    }

    /// The page size every proxy starts with: 3, so that any fleet of more than 3 tasks or
    /// instances a test builds is listed over several pages, as ECS would at 100.
    static let defaultPageSize: Int? = 3

    /// Pages ListTasks, ListContainerInstances and DescribeInstances by `size` items (nil: moto's
    /// answers as they are).
    func setPageSize(_ size: Int?) {
        state.pageSize.withLock { $0 = size.map { max(1, $0) } }
    }

    /// Throttles `operations` as ECS does, with one token bucket shared by them on the wall clock:
    /// a call that finds it empty is answered 400 ThrottlingException without asking moto.
    func throttle(_ operations: [String], with bucket: ECSRateLimits.Bucket) {
        state.throttling.withLock { state in
            for operation in operations { state.buckets[operation] = bucket }
        }
    }

    /// Calls refused by ``throttle(_:with:)``.
    var throttled: Int { state.throttling.withLock { $0.refused } }

    /// Every task RunTask started through this proxy (not replays), in no order.
    var launchedTasks: [String] { state.launches.withLock { Array($0.at.keys) } }

    /// When RunTask started `task` through this proxy.
    func launchedAt(_ task: String) -> Date? { state.launches.withLock { $0.at[task] } }

    /// Replaces the schedule, e.g. to end the faults.
    func setSchedule(_ schedule: @escaping Schedule) {
        state.withLock { $0.schedule = schedule }
    }

    private init(port: Int, slowDelay: Duration, channel: any Channel, serving: Task<Void, Never>, state: Shared) {
        self.port = port
        self.slowDelay = slowDelay
        self.channel = channel
        self.serving = serving
        self.state = state
    }

    /// Starts a proxy to `upstream` (moto's URL).
    static func start(upstream: String, slowDelay: Duration = .milliseconds(300), schedule: @escaping Schedule) async throws -> FaultProxy {
        let state = Shared(schedule: schedule)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let port = server.channel.localAddress?.port ?? 0
        let transport = AsyncHTTPClientTransport(borrowing: .shared)
        let serving = Task<Void, Never> {
            _ = try? await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask {
                            try? await serve(connection, upstream: upstream, transport: transport, slowDelay: slowDelay, state: state)
                        }
                    }
                }
            }
        }
        return FaultProxy(port: port, slowDelay: slowDelay, channel: server.channel, serving: serving, state: state)
    }

    func stop() async {
        try? await channel.close()
        serving.cancel()
        await serving.value
    }

    /// One request read from a connection.
    struct Request {
        var method: String
        var path: String
        var headers: [HTTPHeaderField]
        var body: [UInt8]

        /// The AWS operation: the ECS target's last part, or the EC2 form's Action.
        var operation: String {
            if let target = headers.value(for: "X-Amz-Target"), let dot = target.lastIndex(of: ".") {
                return String(target[target.index(after: dot)...])
            }
            let form = String(decoding: body, as: UTF8.self)
            for field in form.split(separator: "&") where field.hasPrefix("Action=") {
                return String(field.dropFirst("Action=".count))
            }
            return "?"
        }

        var clientToken: String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
            return object["clientToken"] as? String
        }
    }

    /// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
    static func read(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async throws -> Request? {
        var bytes: [UInt8] = []
        var iterator = inbound.makeAsyncIterator()
        let blank: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let end = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual(blank) }) {
                let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let parts = head[0].split(separator: " ")
                guard parts.count >= 2 else { return nil }
                let headers = head.dropFirst().compactMap { line -> HTTPHeaderField? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return HTTPHeaderField(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                let length = Int(headers.value(for: "Content-Length") ?? "0") ?? 0
                while bytes.count < end + 4 + length {
                    guard let more = try await iterator.next() else { return nil }
                    bytes += Array(buffer: more)
                }
                return Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: Array(bytes[(end + 4)..<(end + 4 + length)]))
            }
            guard let more = try await iterator.next() else { return nil }
            bytes += Array(buffer: more)
        }
    }

    private static func serve(
        _ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, upstream: String, transport: AsyncHTTPClientTransport,
        slowDelay: Duration, state: Shared
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            guard let request = try await read(inbound) else { return }
            let operation = request.operation
            let fault = state.withLock { state -> Fault in
                let sequence = state.log.requests[operation, default: 0]
                state.log.requests[operation] = sequence + 1
                let fault = state.schedule(operation, sequence)
                if fault != .none { state.log.faults[fault, default: 0] += 1 }
                return fault
            }
            let overRate = state.throttling.withLock { throttling -> Bool in
                guard let bucket = throttling.buckets[operation] else { return false }
                let now = ProcessInfo.processInfo.systemUptime
                var tokens = throttling.tokens[bucket] ?? TokenBucket(burst: bucket.burst, now: now)
                let refused = tokens.take(perSecond: bucket.perSecond, burst: bucket.burst, now: now) != nil
                throttling.tokens[bucket] = tokens
                if refused { throttling.refused += 1 }
                return refused
            }
            if overRate {
                try await outbound.write(response(400, #"{"__type":"ThrottlingException","message":"Rate exceeded (proxy bucket)"}"#))
                return
            }
            switch fault {
            case .throttle:
                try await outbound.write(response(400, #"{"__type":"ThrottlingException","message":"Rate exceeded (injected)"}"#))
                return
            case .serverError:
                try await outbound.write(response(500, #"{"__type":"ServerException","message":"injected"}"#))
                return
            case .dropBefore:
                return
            case .refuseLaunch where operation == "RunTask":
                try await outbound.write(response(200, refusal))
                return
            case .none, .dropAfter, .slow, .refuseLaunch:
                break
            }

            let token = operation == "RunTask" ? request.clientToken : nil
            var answer: TransportResponse
            let headers = request.headers.filter { !["host", "content-length", "connection"].contains($0.name.lowercased()) }
            if let token, let earlier = state.withLock({ $0.tokens[token] }) {
                state.withLock { $0.log.replayedTokens += 1 }
                answer = try await redescribe(earlier, request: request, headers: headers, upstream: upstream, transport: transport)
            } else {
                // Paging: the page asked for, and moto asked for everything.
                var body = request.body
                var page: (offset: Int, size: Int)?
                if let size = state.pageSize.withLock({ $0 }), Self.pagedJSON[operation] != nil || operation == "DescribeInstances" {
                    let token: String?
                    if operation == "DescribeInstances" {
                        (token, body) = Self.formToken(request.body)
                    } else {
                        token = Self.jsonToken(request.body)
                    }
                    guard let offset = Self.offset(of: token) else {
                        try await outbound.write(response(400, #"{"__type":"InvalidParameterException","message":"Invalid nextToken (proxy)"}"#))
                        return
                    }
                    page = (offset, size)
                }
                let forwarded = TransportRequest(method: request.method, url: upstream + request.path, headers: headers, body: body)
                answer = try await transport.send(forwarded, timeout: .seconds(60))
                if let token, answer.isSuccess {
                    state.withLock { $0.tokens[token] = answer }
                    let started = Self.taskArns(in: answer.body, key: "tasks")
                    state.launches.withLock { launches in
                        for arn in started { launches.at[arn] = Date() }
                    }
                }
                if operation == "ListTasks", answer.isSuccess {
                    answer = state.launches.withLock { launches in
                        launches.lag > 0 ? Self.hidingRecent(answer, launched: launches.at, lag: launches.lag) : answer
                    }
                }
                if let page, answer.isSuccess {
                    if let key = Self.pagedJSON[operation] {
                        answer = Self.pageJSON(answer, key: key, offset: page.offset, size: page.size)
                    } else {
                        answer = Self.pageXML(answer, offset: page.offset, size: page.size)
                    }
                    state.withLock { $0.log.pages[operation, default: 0] += 1 }
                }
            }
            if fault == .dropAfter { return }
            if let rewrite = state.rewrite.withLock({ $0 }), answer.isSuccess { answer.body = rewrite(operation, answer.body) }
            if fault == .slow { try await Task.sleep(for: slowDelay) }
            var text = "HTTP/1.1 \(answer.status) X\r\n"
            for header in answer.headers where !["content-length", "connection", "transfer-encoding"].contains(header.name.lowercased()) {
                text += "\(header.name): \(header.value)\r\n"
            }
            text += "Content-Length: \(answer.body.count)\r\nConnection: close\r\n\r\n"
            try await outbound.write(ByteBuffer(bytes: Array(text.utf8) + answer.body))
        }
    }

    /// The task ARNs of a RunTask/DescribeTasks answer (`tasks[].taskArn`).
    static func taskArns(in body: [UInt8], key: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let tasks = object[key] as? [[String: Any]] else { return [] }
        return tasks.compactMap { $0["taskArn"] as? String }
    }

    /// A ListTasks answer without the tasks launched less than `lag` seconds ago.
    static func hidingRecent(_ answer: TransportResponse, launched: [String: Date], lag: TimeInterval) -> TransportResponse {
        guard var object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
              let arns = object["taskArns"] as? [String] else { return answer }
        let now = Date()
        object["taskArns"] = arns.filter { arn in launched[arn].map { now.timeIntervalSince($0) >= lag } ?? true }
        guard let body = try? JSONSerialization.data(withJSONObject: object) else { return answer }
        var hidden = answer
        hidden.body = Array(body)
        return hidden
    }

    /// The answer to a repeated token: the first call's tasks as moto describes them now. The
    /// DescribeTasks goes out under the RunTask's own headers with the target changed (moto
    /// checks no signature).
    static func redescribe(
        _ earlier: TransportResponse, request: Request, headers: [HTTPHeaderField], upstream: String, transport: AsyncHTTPClientTransport
    ) async throws -> TransportResponse {
        let arns = taskArns(in: earlier.body, key: "tasks")
        guard !arns.isEmpty,
              let runTask = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else { return earlier }
        let body = try JSONSerialization.data(withJSONObject: ["cluster": runTask["cluster"] ?? "default", "tasks": arns, "include": ["TAGS"]])
        let describeHeaders = headers.map { header in
            header.name.lowercased() == "x-amz-target"
                ? HTTPHeaderField(name: header.name, value: "AmazonEC2ContainerServiceV20141113.DescribeTasks") : header
        }
        let answer = try await transport.send(TransportRequest(method: "POST", url: upstream + request.path, headers: describeHeaders, body: Array(body)), timeout: .seconds(60))
        return answer.isSuccess ? answer : earlier
    }

    private static func response(_ status: Int, _ body: String) -> ByteBuffer {
        let text = "HTTP/1.1 \(status) X\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: injected\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        return ByteBuffer(string: text)
    }
}
