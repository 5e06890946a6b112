import FleetCore
import Yams

/// Compares two fleet.yaml texts key by key, as written: what a reviewer reads in a pull request
/// ("`scaling.upscaleMargin`: 40 → 60"), not the loaded specs. `${VAR}` references are compared as
/// the text they are and never substituted, so nothing of the environment (a token) shows; keys left
/// to their defaults show as not set. Comments and formatting do not count.
public enum ConfigDiff {
    /// Why a text could not be compared: it is not YAML.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        /// Which text: e.g. `the running config` or `fleet.yaml`.
        public var which: String
        public var reason: String
        public var description: String { "\(which): not YAML: \(reason)" }
    }

    /// The keys whose values differ, in the proposed file's order, then the keys only the running
    /// config has, in its order. Empty when the two say the same thing.
    /// - Throws: ``Unreadable`` naming `runningName` or `proposedName`.
    public static func changes(running: String, proposed: String, runningName: String = "the running config",
                               proposedName: String = "the proposed config") throws -> [ConfigChange] {
        let old = try keys(running, name: runningName)
        let new = try keys(proposed, name: proposedName)
        let oldValues = Dictionary(old, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(new, uniquingKeysWith: { first, _ in first })
        var changes: [ConfigChange] = []
        for (key, value) in new where oldValues[key] != value {
            changes.append(ConfigChange(key: key, running: oldValues[key], proposed: value))
        }
        for (key, value) in old where newValues[key] == nil {
            changes.append(ConfigChange(key: key, running: value, proposed: nil))
        }
        return changes
    }

    /// The text's leaf keys and their values, in document order.
    static func keys(_ text: String, name: String) throws -> [(String, String)] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Unreadable(which: name, reason: "\(error)")
        }
        var out: [(String, String)] = []
        if let node { flatten(node, prefix: "", into: &out) }
        return out
    }

    /// Mappings become dotted keys; a list of mappings or lists becomes indexed keys; a list of
    /// plain values, an empty mapping and a scalar are one value each.
    static func flatten(_ node: Node, prefix: String, into out: inout [(String, String)]) {
        switch node {
        case .mapping(let mapping) where !mapping.isEmpty:
            for (key, value) in mapping {
                let name = key.string ?? inline(key)
                flatten(value, prefix: prefix.isEmpty ? name : prefix + "." + name, into: &out)
            }
        case .sequence(let sequence) where sequence.contains(where: { $0.scalar == nil }):
            for (index, item) in sequence.enumerated() {
                flatten(item, prefix: "\(prefix)[\(index)]", into: &out)
            }
        default:
            out.append((prefix.isEmpty ? "(document)" : prefix, inline(node)))
        }
    }

    /// A node on one line: a scalar's text (`null` for an empty one), flow style for collections.
    static func inline(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            return scalar.string.isEmpty || scalar.string == "~" ? "null" : scalar.string
        case .sequence(let sequence):
            return "[" + sequence.map(inline).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "{" + mapping.map { "\(inline($0.key)): \(inline($0.value))" }.joined(separator: ", ") + "}"
        case .alias(let alias):
            return "*\(alias.anchor)"
        }
    }
}
