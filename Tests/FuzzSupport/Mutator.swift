/// Turns a seed document (a shipped example) into a hostile variant: the mutations a fuzzer of text
/// formats needs, applied one to four at a time.
///
/// - byte flips, random bytes, inserted and deleted bytes;
/// - truncation at any point;
/// - splicing: a piece of another seed pasted over a piece of this one;
/// - numbers replaced with huge, negative, fractional, exponent or malformed ones;
/// - deep nesting (a run of opening brackets, tags or list markers);
/// - long strings, and a line repeated many times.
///
/// Everything is drawn from the random generator handed in, so a case is reproduced from its seed.
public struct Mutator: Sendable {
    /// The documents mutations start from; at least one.
    public let seeds: [[UInt8]]
    /// Openings that nest in the format under test (`[`, `{`, `<a>`, `- `), for deep-nesting cases.
    public let nesting: [String]
    /// Words the format knows (keys, header names), pasted in whole so mutations reach past the
    /// first syntax check.
    public let dictionary: [String]

    public init(seeds: [[UInt8]], nesting: [String], dictionary: [String] = []) {
        precondition(!seeds.isEmpty, "a mutator needs at least one seed")
        self.seeds = seeds
        self.nesting = nesting
        self.dictionary = dictionary
    }

    /// The largest case, in bytes.
    public static let maximumSize = 128 * 1024

    /// Numbers that have broken parsers before: the edges of Int, past them, floats and exponents
    /// that overflow a conversion, and near misses that are not numbers at all.
    public static let hostileNumbers = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999", "-1", "0", "00", "-0", "1e300", "-1e300", "1e309", "1e-320", "1.5",
        "0.1", "4294967296", "65536", "65535", "2147483648", "1_000", "0x7fffffffffffffff", "+5", "NaN",
        "Infinity", "-Infinity", ".inf", "1000000000000", "18446744073709551616", "1E+400", "9".repeated(400),
    ]

    /// One mutated document and the steps that made it.
    public func mutate(using rng: inout some RandomNumberGenerator) -> FuzzInput {
        let seedIndex = Int.random(in: 0..<seeds.count, using: &rng)
        var bytes = seeds[seedIndex]
        var steps = ["seed \(seedIndex)"]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            steps.append(step(&bytes, using: &rng))
        }
        // Stacked growth (a long line repeated) can reach megabytes; past a size limit a case only
        // measures the parser's speed, and the run's time is better spent on more cases.
        if bytes.count > Self.maximumSize {
            bytes.removeSubrange(Self.maximumSize...)
            steps.append("cut to \(Self.maximumSize) bytes")
        }
        return FuzzInput(bytes: bytes, seed: seedIndex, steps: steps)
    }

    func step(_ bytes: inout [UInt8], using rng: inout some RandomNumberGenerator) -> String {
        // Number replacement is the most fruitful step for formats full of counts, so it comes up most.
        switch Int.random(in: 0..<14, using: &rng) {
        case 0:
            guard !bytes.isEmpty else { return "flip (empty)" }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            return "flip a bit at \(i)"
        case 1:
            guard !bytes.isEmpty else { return "set (empty)" }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] = UInt8.random(in: 0...255, using: &rng)
            return "set byte \(i)"
        case 2:
            let i = Int.random(in: 0...bytes.count, using: &rng)
            let count = Int.random(in: 1...8, using: &rng)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: i)
            return "insert \(count) random bytes at \(i)"
        case 3:
            guard !bytes.isEmpty else { return "delete (empty)" }
            let range = randomRange(in: bytes.count, maxLength: 64, using: &rng)
            bytes.removeSubrange(range)
            return "delete \(range)"
        case 4:
            let at = Int.random(in: 0...bytes.count, using: &rng)
            bytes.removeSubrange(at...)
            return "truncate at \(at)"
        case 5:
            let donor = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
            guard !donor.isEmpty else { return "splice (empty donor)" }
            let piece = donor[randomRange(in: donor.count, maxLength: 256, using: &rng)]
            let target = bytes.isEmpty ? 0..<0 : randomRange(in: bytes.count, maxLength: 256, using: &rng)
            bytes.replaceSubrange(target, with: piece)
            return "splice \(piece.count) bytes over \(target)"
        case 6, 7, 8, 9:
            return replaceNumber(&bytes, using: &rng)
        case 10:
            let opening = nesting.randomElement(using: &rng) ?? "["
            let depth = [10, 100, 1000, 5000].randomElement(using: &rng)!
            let i = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: Array(opening.repeated(depth).utf8), at: i)
            return "nest '\(opening)' \(depth) deep at \(i)"
        case 11:
            let length = [100, 1000, 10_000].randomElement(using: &rng)!
            let character = ["A", "9", "é", "\\", "\"", "%", " ", "\u{0}"].randomElement(using: &rng)!
            let i = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: Array(character.repeated(length).utf8), at: i)
            return "insert \(length) × '\(character.debugDescription)' at \(i)"
        case 12:
            guard let word = dictionary.randomElement(using: &rng) else { return replaceNumber(&bytes, using: &rng) }
            let i = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: Array(word.utf8), at: i)
            return "insert '\(word)' at \(i)"
        default:
            // The line around a random point, found by looking outwards from it only.
            guard !bytes.isEmpty else { return "repeat (empty)" }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            let newline = UInt8(ascii: "\n")
            let start = bytes[..<at].lastIndex(of: newline).map { $0 + 1 } ?? 0
            let end = bytes[at...].firstIndex(of: newline) ?? bytes.count
            let line = Array(bytes[start..<end]) + [newline]
            let times = [2, 10, 200].randomElement(using: &rng)!
            let i = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: Array(repeatElement(line, count: times).joined()), at: i)
            return "repeat a line \(times) times at \(i)"
        }
    }

    /// Replaces a run of digits (with its sign, point and exponent) by a hostile number: the first
    /// run at or after a random point (or before it, when none follows); with no digits in the
    /// document, inserts one. Scans only as far as it must, so a large case stays cheap.
    func replaceNumber(_ bytes: inout [UInt8], using rng: inout some RandomNumberGenerator) -> String {
        let number = Self.hostileNumbers.randomElement(using: &rng)!
        let from = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
        let run: Range<Int>? = bytes.withUnsafeBufferPointer { buffer in
            let found = (from..<buffer.count).first { Self.isDigit(buffer[$0]) }
                ?? (0..<from).reversed().first { Self.isDigit(buffer[$0]) }.map { end in
                    var start = end
                    while start > 0, Self.isDigit(buffer[start - 1]) { start -= 1 }
                    return start
                }
            guard var start = found else { return nil }
            if start > 0, buffer[start - 1] == UInt8(ascii: "-") { start -= 1 }
            var end = start + 1
            while end < buffer.count, Self.isDigit(buffer[end]) || buffer[end] == UInt8(ascii: ".")
                    || buffer[end] == UInt8(ascii: "e") || buffer[end] == UInt8(ascii: "E") { end += 1 }
            return start..<end
        }
        guard let run else {
            bytes.insert(contentsOf: Array(number.utf8), at: from)
            return "insert number \(number) at \(from)"
        }
        bytes.replaceSubrange(run, with: Array(number.utf8))
        return "number at \(run.lowerBound) → \(number.count > 40 ? String(number.prefix(20)) + "…" : number)"
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func randomRange(in count: Int, maxLength: Int, using rng: inout some RandomNumberGenerator) -> Range<Int> {
        let start = Int.random(in: 0..<count, using: &rng)
        let length = Int.random(in: 1...min(maxLength, count - start), using: &rng)
        return start..<(start + length)
    }
}

extension String {
    func repeated(_ times: Int) -> String { String(repeating: self, count: times) }
}
