import FleetCore

/// What the allocation endpoint knows between two probes, asked as `serve` asks it: through
/// ``FleetCore/AllocationIndex``, built from each published observation with the slots reserved
/// since each server's probe, one slot taken per player.
///
/// The index answers as the reference scan ``FleetCore/Allocator/choose(from:spec:reserved:)`` does
/// (property tests hold the two together). With `verify`, the simulation checks that too: each
/// answer is compared with the scan over the whole observed fleet and the reservations, and a
/// difference is counted in ``mismatches``; the tests run that way, so the scan stays the named
/// oracle and the index the code that runs.
struct AllocatorView {
    private let spec: FleetSpec
    private let verify: Bool
    private var index: AllocationIndex?

    // Only kept when verifying: the probed fleet and the reservations, as the scan takes them.
    private var probed: [ObservedServer] = []
    private var reserved: [String: Int] = [:]
    /// Answers that differed from the scan; always 0 unless the index and the scan disagree.
    private(set) var mismatches = 0

    init(spec: FleetSpec, verify: Bool) {
        self.spec = spec
        self.verify = verify
    }

    /// Takes a newly published observation: `servers` is the whole fleet as the pass probed it, and
    /// `reservedSinceProbe[i]` the slots handed out on server `i` since its probe answered (serve keeps
    /// the reservations newer than a server's last good probe and drops the rest).
    mutating func reset(servers: [ObservedServer], reservedSinceProbe: [Int]) {
        index = AllocationIndex(servers: servers, spec: spec, reserved: reservedSinceProbe)
        if verify {
            probed = servers
            reserved.removeAll()
            for i in servers.indices where reservedSinceProbe[i] > 0 {
                reserved[servers[i].id] = reservedSinceProbe[i]
            }
        }
    }

    /// One player's server, with its slot taken: the server's id, or nil for the backup (or none).
    mutating func allocate() -> String? {
        var chosen: String?
        if index != nil, case .server(let id, _) = index!.allocate().0 {
            chosen = id
        }
        if verify {
            let direct: String?
            if case .server(let id, _) = Allocator.choose(from: probed, spec: spec, reserved: reserved) {
                direct = id
                reserved[id, default: 0] += 1
            } else {
                direct = nil
            }
            if direct != chosen { mismatches += 1 }
        }
        return chosen
    }
}
