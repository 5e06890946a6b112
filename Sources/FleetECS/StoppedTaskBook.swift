import AWSClient
import FleetCore
import Foundation

/// What the ECS provider remembers of the fleet's tasks that stopped: the last ``kept`` of them
/// with ECS's `stopCode` and `stoppedReason`, for `/v1/fleet`'s `recentlyStopped`.
///
/// ListTasks lists only tasks whose desired status is RUNNING, so a task that is stopping drops
/// out of the listing before ECS has said why it stopped. A task that was live in the previous
/// observation and is no longer listed is therefore *watched*: its ARN rides along in the
/// DescribeTasks calls the observation makes anyway (a steady pass with nothing watched costs
/// nothing more; at most ``watchedAtMost`` ARNs, one more batch at worst) until ECS describes it
/// STOPPED (recorded), forgets it (MISSING: dropped) or ``watchFor`` has passed (dropped).
/// Tasks that stopped while no gamefleet was observing (before a restart) are not known.
struct StoppedTaskBook {
    /// How many stopped tasks are kept, newest first.
    static let kept = 20
    /// Most tasks watched at once; past it the longest-watched are given up.
    static let watchedAtMost = 100
    /// How long a vanished task is watched for its stop: ECS keeps stopped tasks describable for
    /// about an hour.
    static let watchFor: TimeInterval = 3600

    /// Task ARN → when it left the listing.
    private(set) var watching: [String: Date] = [:]
    /// The stopped tasks seen, newest first, at most ``kept``.
    private(set) var stopped: [StoppedServer] = []

    /// Starts watching the tasks that left the listing (`vanished`) and returns every watched
    /// ARN that is not listed, to be described with the listed ones.
    mutating func toDescribe(vanished: Set<String>, listed: Set<String>, at time: Date) -> [String] {
        for arn in vanished where watching[arn] == nil { watching[arn] = time }
        watching = watching.filter { !listed.contains($0.key) && time.timeIntervalSince($0.value) <= Self.watchFor }
        if watching.count > Self.watchedAtMost {
            let newest = watching.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(Self.watchedAtMost)
            watching = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
        }
        return watching.keys.sorted()
    }

    /// Folds one observation in. `described` is everything DescribeTasks answered, `asked` the
    /// watched ARNs it was asked about, `previouslyLive` the tasks live in the last observation:
    /// a task among them (or watched) now described STOPPED is recorded, once.
    mutating func fold(described: [ECSTask], asked: [String], previouslyLive: Set<String>) {
        var answered: Set<String> = []
        var newlyStopped: [StoppedServer] = []
        for task in described {
            answered.insert(task.taskArn)
            guard task.lastStatus == "STOPPED", previouslyLive.contains(task.taskArn) || watching[task.taskArn] != nil else { continue }
            watching[task.taskArn] = nil
            newlyStopped.append(StoppedServer(
                id: task.taskArn, taskID: Self.taskID(task.taskArn), stopCode: task.stopCode,
                stoppedReason: task.stoppedReason, stoppedAt: task.stoppedAt))
        }
        // ECS no longer knows these: their reason is lost.
        for arn in asked where !answered.contains(arn) { watching[arn] = nil }
        newlyStopped.sort { ($0.stoppedAt ?? .distantPast, $0.id) > ($1.stoppedAt ?? .distantPast, $1.id) }
        stopped = Array((newlyStopped + stopped).prefix(Self.kept))
    }

    /// The part of a task ARN after its last `/` (the id the console shows).
    static func taskID(_ arn: String) -> String {
        arn.split(separator: "/").last.map(String.init) ?? arn
    }
}
