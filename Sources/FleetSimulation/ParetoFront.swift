/// The settings no other setting beats on both counts.
enum ParetoFront {
    /// Indices of the points no other point matches or beats on both `cost` and `backup` while
    /// beating it on one. Lower is better for both. Equal points are all on the front.
    static func indices(of points: [(cost: Double, backup: Int)]) -> [Int] {
        // Sorted by cost, then backup: a point is on the front when its backup is below every
        // backup seen at a strictly lower cost, and no point of the same cost has less backup.
        let order = points.indices.sorted {
            points[$0].cost != points[$1].cost ? points[$0].cost < points[$1].cost
                : points[$0].backup != points[$1].backup ? points[$0].backup < points[$1].backup : $0 < $1
        }
        var front: [Int] = []
        var bestBackup = Int.max
        var start = 0
        while start < order.count {
            // One group of equal cost at a time: its lowest backup is the group's candidate.
            var end = start
            while end < order.count && points[order[end]].cost == points[order[start]].cost { end += 1 }
            let groupBest = points[order[start]].backup
            if groupBest < bestBackup {
                for position in start..<end where points[order[position]].backup == groupBest {
                    front.append(order[position])
                }
                bestBackup = groupBest
            }
            start = end
        }
        return front.sorted()
    }
}
