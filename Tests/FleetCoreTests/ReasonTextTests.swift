@testable import FleetCore
import Testing

@Suite("Reason text")
struct ReasonTextTests {
    @Test("Writes what interpolation writes, for any numbers (signs, zero, the extremes)")
    func sameAsInterpolation() {
        var numbers = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let shift = Int(state >> 58)
            numbers.append(Int(bitPattern: UInt(state)) >> shift)
        }
        for (n, a) in numbers.enumerated() {
            let b = numbers[(n * 7 + 3) % numbers.count], c = numbers[(n * 13 + 5) % numbers.count]
            let made = ReasonText.make("free slots ", a, " > margin ", b, " ≥ (", c, " free)")
            #expect(made == "free slots \(a) > margin \(b) ≥ (\(c) free)")
        }
        #expect(ReasonText.make("", 0, "", 0, "", 0, "") == "000")
    }
}
