import AsyncHTTPClient
import FleetCore
import Foundation
import NIOCore

/// A follower's link to the leader's admin face, whose address the lease holds: it asks for loans
/// of slots (``lend(_:to:)``) and, once its loan has run out, forwards single allocations. The
/// leader keeps the only books, so all replicas together never hand out more slots of a server
/// than its last probe reported free.
public protocol AllocationForwarding: Sendable {
    /// The leader's admin address when this replica should forward (it follows and a leader is
    /// known); nil when it answers from its own books (it leads, or no lease was seen).
    /// Read on every allocation request, so it must not wait.
    func leaderAddress() -> String?
    /// Asks the leader for one allocation: its status and JSON body, or nil when it could not be
    /// reached in time, or answered that it does not lead (a 409).
    func forward(to address: String) async -> (status: Int, body: ByteBuffer)?
    /// Reports on this follower's loan and asks for slots (`POST /v1/loans`): the leader's grant,
    /// ``LoanAnswer/refused`` when it answered 409 (it does not lead, or its books are not open
    /// yet), or ``LoanAnswer/unreachable``.
    func lend(_ report: LoanReport, to address: String) async -> LoanAnswer
}

/// The leader's answer to a loan request.
public enum LoanAnswer: Sendable, Equatable {
    case granted(LoanGrant)
    /// 409: the replica at the address does not lead (or not yet with open books).
    case refused
    /// No answer in time, or not one of the above.
    case unreachable
}

/// Forwards over HTTP with AsyncHTTPClient: `POST http://LEADER/v1/allocate` with the admin
/// token, the whole exchange bounded by ``timeout``.
public struct HTTPAllocationForwarder: AllocationForwarding {
    let client: HTTPClient
    let target: SharedValue<String?>
    let token: SharedValue<String?>
    /// How long one forwarded request may take before this replica answers itself.
    public let timeout: Duration
    /// The largest leader answer read.
    static let maxBodyBytes = 4096

    /// - Parameters:
    ///   - target: the leader's address as the lease keeper last saw it (nil: answer locally).
    ///   - token: the admin token, sent as a bearer token (the leader checks it like any admin call).
    public init(client: HTTPClient, target: SharedValue<String?>, token: SharedValue<String?>, timeout: Duration = .seconds(1)) {
        self.client = client
        self.target = target
        self.token = token
        self.timeout = timeout
    }

    public func leaderAddress() -> String? { target.value }

    /// The largest grant read (a grant names each server once: some KiB per hundred servers).
    static let maxGrantBytes = 4 << 20

    public func lend(_ report: LoanReport, to address: String) async -> LoanAnswer {
        let client = self.client, token = self.token.value, timeout = self.timeout
        guard let body = try? JSONEncoder().encode(report) else { return .unreachable }
        let answer = await withDeadline(timeout, clock: ContinuousClock()) { () -> LoanAnswer in
            var request = HTTPClientRequest(url: "http://\(address)/v1/loans")
            request.method = .POST
            request.headers.add(name: "User-Agent", value: "gamefleet-loan")
            request.headers.add(name: "Content-Type", value: "application/json")
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await client.execute(request, deadline: .now() + .nanoseconds(Int64(timeout.milliseconds) * 1_000_000))
                let bytes = try await response.body.collect(upTo: Self.maxGrantBytes)
                if response.status == .conflict { return .refused }
                guard response.status == .ok, let grant = try? JSONDecoder().decode(LoanGrant.self, from: Data(bytes.readableBytesView)) else { return .unreachable }
                return .granted(grant)
            } catch {
                return .unreachable
            }
        }
        return answer ?? .unreachable
    }

    public func forward(to address: String) async -> (status: Int, body: ByteBuffer)? {
        let client = self.client, token = self.token.value, timeout = self.timeout
        let answer = await withDeadline(timeout, clock: ContinuousClock()) { () -> (status: Int, body: ByteBuffer)? in
            var request = HTTPClientRequest(url: "http://\(address)/v1/allocate")
            request.method = .POST
            request.headers.add(name: "User-Agent", value: "gamefleet-forward")
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            do {
                let response = try await client.execute(request, deadline: .now() + .nanoseconds(Int64(timeout.milliseconds) * 1_000_000))
                let body = try await response.body.collect(upTo: Self.maxBodyBytes)
                // 200 (a server or the backup) and 503 (no room, no backup) are the leader's
                // answers; anything else (409 not the leader, 401, 5xx) is no answer: the follower
                // then answers as a full fleet would (the backup, or 503), see BorrowedSlots.
                guard response.status == .ok || response.status == .serviceUnavailable else { return nil }
                return (Int(response.status.code), body)
            } catch {
                return nil
            }
        }
        return answer ?? nil
    }
}
