import Foundation
import Testing
@testable import FleetConfig
import FleetCore

/// docs/configuration.md's table of keys is written by hand (its meanings say more than the schema's
/// one-line docs), so it is held to ``FleetSchema``, which the loader validates with: the same keys,
/// the same defaults, the same bounds. A key added to the schema without a row, a row for a key that
/// is gone, or a default or bound changed on one side only fails here.
@Suite("docs/configuration.md against the schema")
struct ConfigurationDocTests {
    static let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/configuration.md")

    struct Row {
        var keys: [String]
        var type: String
        var defaultText: String
    }

    /// The table's rows: the keys of the first cell (`a.b`, and shorthand `.c` for a sibling of the
    /// first key), the type and the default cells. Pipes inside a cell are written `\|`.
    static func rows() throws -> [Row] {
        let text = try String(contentsOf: doc, encoding: .utf8)
        var rows: [Row] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.replacingOccurrences(of: "\u{1}", with: "|").trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5 else { continue }
            let names = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            guard let first = names.first else { continue }
            let parent = first.contains(".") ? String(first[..<first.lastIndex(of: ".")!]) : ""
            let keys = names.map { $0.hasPrefix(".") ? parent + $0 : $0 }
            rows.append(Row(keys: keys, type: cells[2], defaultText: cells[3]))
        }
        return rows
    }

    /// Every key path of the schema, objects included; list items as `list[].key`.
    static func schemaPaths(_ fields: [Field] = FleetSchema.root, prefix: String = "") -> [(path: String, field: Field)] {
        fields.flatMap { field -> [(path: String, field: Field)] in
            let path = prefix + field.name
            switch field.kind {
            case .object(let children): return [(path, field)] + schemaPaths(children, prefix: path + ".")
            case .objectList(let children, _): return [(path, field)] + schemaPaths(children, prefix: path + "[].")
            default: return [(path, field)]
            }
        }
    }

    static func grouped(_ n: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: NSNumber(value: n)) ?? String(n)
    }

    @Test("Every key of the schema has a row, and every row's key is in the schema")
    func sameKeys() throws {
        let documented = Set(try Self.rows().flatMap(\.keys))
        let paths = Self.schemaPaths()
        // Objects whose keys all have rows need none of their own (a row for `gameserver` would say nothing).
        let leaves = paths.filter { entry in
            switch entry.field.kind {
            case .object: return false
            default: return true
            }
        }.map(\.path)
        let missing = leaves.filter { !documented.contains($0) }
        #expect(missing.isEmpty, "keys of the schema without a row in docs/configuration.md: \(missing)")
        let known = Set(paths.map(\.path))
        let unknown = documented.filter { !known.contains($0) }.sorted()
        #expect(unknown.isEmpty, "rows in docs/configuration.md for keys the schema does not have: \(unknown)")
    }

    @Test("A row for one key shows the schema's default, and its integer and duration bounds")
    func sameDefaultsAndBounds() throws {
        let fields = Dictionary(Self.schemaPaths().map { ($0.path, $0.field) }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for row in try Self.rows() where row.keys.count == 1 {
            guard let field = fields[row.keys[0]] else { continue }
            if let value = field.defaultValue {
                if case .duration = field.kind, let want = DurationText.parse(value) {
                    // `60s` and `1m` are one default.
                    let shown = row.defaultText.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                        .filter { $0.offset % 2 == 1 }.compactMap { DurationText.parse(String($0.element)) }
                    #expect(shown.contains(want), "\(row.keys[0]): the schema's default is \(value), the doc says \(row.defaultText)")
                } else {
                    #expect(row.defaultText.contains("`\(value)`"), "\(row.keys[0]): the schema's default is \(value), the doc says \(row.defaultText)")
                }
                checked += 1
            }
            switch field.kind {
            case .integer(let bounds):
                let range = "\(Self.grouped(bounds.lowerBound)) … \(Self.grouped(bounds.upperBound))"
                #expect(row.type.contains(range), "\(row.keys[0]): the schema bounds it \(range), the doc says \(row.type)")
                checked += 1
            case .duration(_, let max):
                let bound = DurationText.format(max)
                #expect(row.type.contains("`\(bound)`") || row.type.contains("… \(bound)"), "\(row.keys[0]): the schema's longest is \(bound), the doc says \(row.type)")
                checked += 1
            default:
                break
            }
        }
        #expect(checked > 40, "only \(checked) defaults and bounds compared: the table's format changed?")
    }
}

/// The schema's defaults are what the loader gives a file that leaves the key out: written in the
/// schema (what `gamefleet schema` and the docs show) and applied by FleetSpec and the loader, they
/// are held equal here, key by key.
@Suite("Schema defaults are the loader's")
struct SchemaDefaultsTests {
    static let minimal = """
        name: d
        provider: ecs
        gameserver: {capacity: 4}
        scaling: {upscaleMargin: 2, downscaleMargin: 10}
        ecs: {region: eu-west-1, taskDefinition: game, gamePort: 7777}
        """

    static func field(_ path: String) -> Field? {
        ConfigurationDocTests.schemaPaths().first { $0.path == path }?.field
    }

    @Test("Each default, as the schema writes it, against the spec loaded without the key")
    func defaultsAgree() throws {
        let spec = try FleetLoader.parse(Self.minimal)
        let local = try FleetLoader.parse("name: d\nprovider: local\ngameserver: {capacity: 4}\nscaling: {upscaleMargin: 2, downscaleMargin: 10}\nlocal: {command: [x, \"{port}\"]}\n")
        let loaded: [(String, String)] = [
            ("gameserver.health.path", spec.gameserver.health.path),
            ("gameserver.health.interval", DurationText.format(spec.gameserver.health.interval)),
            ("gameserver.health.timeout", DurationText.format(spec.gameserver.health.timeout)),
            ("gameserver.health.failureThreshold", String(spec.gameserver.health.failureThreshold)),
            ("gameserver.health.startupGrace", DurationText.format(spec.gameserver.health.startupGrace)),
            ("scaling.minServers", String(spec.scaling.minServers)),
            ("scaling.maxServers", String(spec.scaling.maxServers)),
            ("scaling.maxLaunchesPerPass", String(spec.scaling.maxLaunchesPerPass)),
            ("scaling.policy", spec.scaling.policy.rawValue),
            ("scaling.demand.headroomPercent", String(spec.scaling.demand.headroomPercent)),
            ("scaling.demand.smoothing", DurationText.format(spec.scaling.demand.smoothing)),
            ("scaling.demand.halfLife", DurationText.format(spec.scaling.demand.halfLife)),
            ("scaling.demand.forecast", spec.scaling.demand.forecast.rawValue),
            ("scaling.demand.seasonal", String(spec.scaling.demand.seasonal)),
            ("scaling.demand.safety", String(spec.scaling.demand.safety)),
            ("allocation.strategy", spec.allocation.strategy.rawValue),
            ("listen", spec.listen.description),
            ("admin.listen", spec.admin.listen.description),
            ("connections.maxConnections", String(spec.connections.maxConnections)),
            ("connections.idleTimeout", DurationText.format(spec.connections.idleTimeout)),
            ("connections.headTimeout", DurationText.format(spec.connections.headTimeout)),
            ("ecs.cluster", spec.ecs?.cluster ?? "-"),
            ("ecs.launchType", spec.ecs?.launchType.rawValue ?? "-"),
            ("ecs.addressType", spec.ecs?.addressType.rawValue ?? "-"),
            ("ecs.assignPublicIp", String(spec.ecs?.assignPublicIp ?? true)),
            ("local.host", local.local?.host ?? "-"),
            ("local.ports", local.local.map { "\($0.ports.lowerBound)-\($0.ports.upperBound)" } ?? "-"),
        ]
        for (path, value) in loaded {
            let written = try #require(Self.field(path)?.defaultValue, "\(path) has no default in the schema")
            if let a = DurationText.parse(written), let b = DurationText.parse(value) {
                #expect(a == b, "\(path): the schema says \(written), the loader gives \(value)")
            } else {
                #expect(written == value, "\(path): the schema says \(written), the loader gives \(value)")
            }
        }
    }
}
