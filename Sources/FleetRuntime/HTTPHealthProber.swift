import AsyncHTTPClient
import FleetCore
import Foundation
import NIOCore

/// Probes gameservers over HTTP with AsyncHTTPClient: one GET per probe, no redirects, the whole
/// exchange bounded by the probe timeout and the body by ``HealthAnswer/maxBodyBytes``.
public struct HTTPHealthProber: HealthProber {
    let client: HTTPClient

    /// Uses `client`, which the caller owns and shuts down.
    public init(client: HTTPClient) {
        self.client = client
    }

    /// A client suited to probing: no redirects, no connection reuse across servers that come and go.
    public static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 2)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Probes once. The whole exchange (connect, head and body) is bounded by `timeout`: the request
    /// deadline AsyncHTTPClient takes stops at the head, so the exchange also runs under
    /// ``withDeadline(_:clock:_:)`` and a server that drips its body is cut off like one that is
    /// silent. A body announced or found larger than ``HealthAnswer/maxBodyBytes`` fails without
    /// being read to the end.
    public func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        let result = await withDeadline(timeout, clock: ContinuousClock()) {
            await exchange(host: host, port: port, path: path, timeout: timeout)
        }
        return result ?? .failed("no complete health answer within \(DurationText.format(timeout))")
    }

    func exchange(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var request = HTTPClientRequest(url: "http://\(hostPart):\(port)\(path)")
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "gamefleet-health")
        let nanos = Int64(timeout.milliseconds) * 1_000_000
        do {
            let response = try await client.execute(request, deadline: .now() + .nanoseconds(nanos))
            guard response.status == .ok else {
                return .failed("health probe answered HTTP \(response.status.code)")
            }
            if let announced = response.headers.first(name: "content-length").flatMap(Int.init), announced > HealthAnswer.maxBodyBytes {
                return .failed("health answer of \(announced) bytes is larger than \(HealthAnswer.maxBodyBytes) bytes")
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: HealthAnswer.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                return .failed("health answer larger than \(HealthAnswer.maxBodyBytes) bytes")
            }
            return HealthAnswer.parse(Array(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failed("no health answer within \(DurationText.format(timeout))")
        } catch is CancellationError {
            return .failed("no complete health answer within \(DurationText.format(timeout))")
        } catch {
            return .failed("health probe failed: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
