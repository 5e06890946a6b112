/// A binary min-heap of `(time, value)` pairs: the simulation's pending session ends and server events.
///
/// Equal times are ordered by value so the order of simultaneous events never depends on how the heap
/// happened to be built. Push and pop are O(log n).
struct TimedQueue {
    struct Entry {
        var time: Double
        var value: Int
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// The earliest time queued; infinity when empty.
    var nextTime: Double { heap.first?.time ?? .infinity }

    mutating func reserve(_ capacity: Int) {
        heap.reserveCapacity(capacity)
    }

    mutating func push(_ time: Double, _ value: Int) {
        let entry = Entry(time: time, value: value)
        heap.append(entry)
        // Move parents down into the hole until the new entry's place is found.
        var hole = heap.count - 1
        while hole > 0 {
            let parent = (hole - 1) / 2
            guard Self.before(entry, heap[parent]) else { break }
            heap[hole] = heap[parent]
            hole = parent
        }
        heap[hole] = entry
    }

    /// Removes and returns the earliest entry.
    mutating func pop() -> Entry? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        let n = heap.count
        guard n > 0 else { return first }
        // Move smaller children up into the hole until the last entry's place is found.
        var hole = 0
        while true {
            let left = 2 * hole + 1
            guard left < n else { break }
            let right = left + 1
            let child = right < n && Self.before(heap[right], heap[left]) ? right : left
            guard Self.before(heap[child], last) else { break }
            heap[hole] = heap[child]
            hole = child
        }
        heap[hole] = last
        return first
    }

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.time != b.time ? a.time < b.time : a.value < b.value
    }
}
