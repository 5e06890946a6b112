/// Builds an action's reason from fixed text and whole numbers in one allocation.
///
/// A plan far off its margins writes one reason per server (84,000 at 100,000 servers), and string
/// interpolation, which grows its buffer as it goes and formats each number through a generic path,
/// was half of such a plan's time. Here the length is known before the string is made, so it is
/// allocated once at its final size and the digits are written straight into it.
enum ReasonText {
    /// `p0 n0 p1 n1 p2 n2 p3`. Fixed arity: arrays of pieces would cost two allocations a call.
    static func make(_ p0: StaticString, _ n0: Int, _ p1: StaticString, _ n1: Int,
                     _ p2: StaticString, _ n2: Int, _ p3: StaticString) -> String {
        let length = p0.utf8CodeUnitCount + p1.utf8CodeUnitCount + p2.utf8CodeUnitCount + p3.utf8CodeUnitCount
            + digitCount(n0) + digitCount(n1) + digitCount(n2)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var at = copy(p0, into: buffer, at: 0)
            at = write(n0, into: buffer, at: at)
            at = copy(p1, into: buffer, at: at)
            at = write(n1, into: buffer, at: at)
            at = copy(p2, into: buffer, at: at)
            at = write(n2, into: buffer, at: at)
            return copy(p3, into: buffer, at: at)
        }
    }

    private static func copy(_ piece: StaticString, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        let count = piece.utf8CodeUnitCount
        for k in 0..<count { buffer[start + k] = piece.utf8Start[k] }
        return start + count
    }

    /// Characters `number` takes in decimal, with its sign.
    static func digitCount(_ number: Int) -> Int {
        var magnitude = number.magnitude
        var count = number < 0 ? 2 : 1
        while magnitude >= 10 { magnitude /= 10; count += 1 }
        return count
    }

    private static func write(_ number: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var at = start
        if number < 0 { buffer[at] = UInt8(ascii: "-"); at += 1 }
        var magnitude = number.magnitude
        let end = at + digitCount(number) - (number < 0 ? 1 : 0)
        var k = end
        repeat {
            k -= 1
            buffer[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return end
    }
}
