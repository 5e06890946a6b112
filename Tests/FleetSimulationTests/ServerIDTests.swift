import Testing
@testable import FleetSimulation

@Suite("Simulated server ids")
struct ServerIDTests {
    @Test("ids sort in launch order and read back", arguments: [0, 7, 123, 9_999_999, 12_345_678])
    func roundTrip(_ serial: Int) {
        let id = ServerID.make(serial)
        #expect(ServerID.serial(of: id) == serial)
        #expect(ServerID.make(serial + 1) > id || serial >= 9_999_999)
    }

    @Test("anything else is not a simulated server's id", arguments: ["", "sim-", "task-0000001", "sim-12a", "SIM-0000001"])
    func foreign(_ id: String) {
        #expect(ServerID.serial(of: id) == nil)
    }
}
