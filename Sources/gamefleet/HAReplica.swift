import ArgumentParser
import AsyncHTTPClient
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Logging

/// What `serve` runs for a fleet with `ha`: the lease keeper (the reconciler's gate), the service
/// that renews the lease, a follower's loans and the service that asks the leader for them, and the
/// allocator the public face asks (own books, lent slots, or the leader), over one DynamoDB store
/// checked at start.
struct HAReplica {
    let keeper: LeaseKeeper
    let service: LeaseService
    let loans: FollowerLoans
    let loanService: LoanService
    let allocator: ReplicaAllocator
    /// The fleet's demand history, an item of the lease table, so a new leader remembers bursts.
    let history: DynamoDBDemandHistoryStore
    let close: @Sendable () async -> Void

    /// Checks the table (refusing to start, with the command that makes it, when it is missing or
    /// keyed wrong) and builds the parts. This replica starts as a follower.
    static func start(spec: FleetSpec, ha: HASpec, configPath: String, metrics: FleetMetrics, fleet: FleetState, logger: Logger) async throws -> HAReplica {
        let (store, closeStore) = try { () throws -> (DynamoDBLeaseStore, @Sendable () async -> Void) in
            do {
                return try DynamoDBLeaseStore.live(spec: spec, ha: ha, logger: logger)
            } catch {
                Stderr.write("\(configPath): ha: cannot set up the DynamoDB client: \(error)\n")
                throw ExitCode.failure
            }
        }()
        let problem: String?
        do {
            problem = try await store.tableProblem()
        } catch {
            await closeStore()
            Stderr.write("\(configPath): ha.table: cannot check the DynamoDB table \(ha.table): \(error)\n")
            throw ExitCode.failure
        }
        if let problem {
            await closeStore()
            Stderr.write("\(configPath): ha.table: \(problem)\n")
            throw ExitCode.failure
        }
        let replicaID = Self.replicaID()
        let elector = LeaseElector(replicaID: replicaID, address: ha.advertise.description, leaseDuration: ha.leaseDuration, safetyMargin: ha.safetyMargin)
        let keeper = LeaseKeeper(elector: elector, store: store, clock: ContinuousClock(), metrics: metrics, logger: logger)
        metrics.recordLeader(false)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
            return configuration
        }())
        let forwarder = HTTPAllocationForwarder(client: client, target: keeper.forwardTarget, token: fleet.adminToken)
        let loans = FollowerLoans(spec: spec, clock: ContinuousClock())
        // A leader that gives the lease up (SIGTERM) deletes it only once every slot it lent has
        // expired, so a successor that acquires it at once never opens its books beside a loan.
        keeper.waitForLoansBeforeRelease {
            guard let end = await fleet.loansEnd() else { return }
            let wait = min(end.timeIntervalSinceNow, ha.loanDuration.seconds)
            if wait > 0 {
                logger.notice("waiting \(Int(wait * 1000)) ms for the slots lent to followers to expire before releasing the lease")
                try? await Task.sleep(for: .milliseconds(Int64(wait * 1000) + 1))
            }
        }
        return HAReplica(
            keeper: keeper, service: LeaseService(keeper: keeper, logger: logger), loans: loans,
            loanService: LoanService(loans: loans, gate: keeper, link: forwarder, fleet: fleet, replicaID: replicaID, logger: logger),
            allocator: ReplicaAllocator(fleet: fleet, gate: keeper, loans: loans, link: forwarder, metrics: metrics),
            history: store.demandHistory,
            close: {
                try? await client.shutdown()
                await closeStore()
            })
    }

    /// `HOST-xxxxxx`: the host name (an ECS task's own) and a random suffix, new at every start,
    /// so a restarted replica never mistakes an old lease for its own.
    static func replicaID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "replica"
        return "\(host)-\(UUID().uuidString.prefix(6).lowercased())"
    }
}
