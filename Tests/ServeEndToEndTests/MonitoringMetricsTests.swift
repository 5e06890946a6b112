import Foundation
import Testing

/// examples/monitoring against a real `gamefleet serve`: every metric the alert rules and the
/// dashboard query is one `/metrics` exposes, with the label values they select; and the gauges
/// the rules compare against follow the config. promtool checks the rules' syntax and behaviour
/// (scripts/lint-deploy.sh); only a running serve can say the names are real.
@Suite("examples/monitoring against a running serve", .serialized, .timeLimit(.minutes(3)))
struct MonitoringMetricsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One metric selector as a query writes it: `name{label="value", label=~"a|b"}`.
    struct Selector: Hashable, CustomStringConvertible {
        var name: String
        /// `(label, operator, value)` of each matcher.
        var matchers: [Matcher]
        var description: String { name + (matchers.isEmpty ? "" : "{" + matchers.map { "\($0.label)\($0.op)\"\($0.value)\"" }.joined(separator: ",") + "}") }

        struct Matcher: Hashable {
            var label: String
            var op: String
            var value: String
        }
    }

    /// One sample line of the exposition: its name and labels.
    struct Sample {
        var name: String
        var labels: [String: String]
    }

    /// Every `gamefleet_…` selector in `text`, with its matchers (escaped quotes, as in a YAML
    /// double-quoted string, read as quotes).
    static func selectors(in text: String) throws -> Set<Selector> {
        let plain = text.replacingOccurrences(of: "\\\"", with: "\"")
        let selector = try Regex(#"(gamefleet_[a-z0-9_]+)(\{[^}]*\})?"#)
        let matcher = try Regex(#"([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)""#)
        var found: Set<Selector> = []
        for match in plain.matches(of: selector) {
            let name = String(plain[match.output[1].range!])
            var matchers: [Selector.Matcher] = []
            if let braces = match.output[2].range {
                for m in plain[braces].matches(of: matcher) {
                    matchers.append(.init(label: String(plain[m.output[1].range!]), op: String(plain[m.output[2].range!]), value: String(plain[m.output[3].range!])))
                }
            }
            found.insert(Selector(name: name, matchers: matchers))
        }
        return found
    }

    /// The sample lines of a Prometheus text exposition.
    static func samples(_ exposition: String) throws -> [Sample] {
        let label = try Regex(#"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
        return exposition.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let end = line.firstIndex(where: { $0 == "{" || $0 == " " }) else { return nil }
            var labels: [String: String] = [:]
            if line[end] == "{", let close = line.lastIndex(of: "}") {
                for m in line[end..<close].matches(of: label) { labels[String(line[m.output[1].range!])] = String(line[m.output[2].range!]) }
            }
            return Sample(name: String(line[..<end]), labels: labels)
        }
    }

    /// Every string in a JSON document (the dashboard's queries, legends and variables).
    static func strings(_ value: Any) -> [String] {
        switch value {
        case let text as String: return [text]
        case let array as [Any]: return array.flatMap(strings)
        case let object as [String: Any]: return object.values.flatMap(strings)
        default: return []
        }
    }

    /// What is wrong with `selector` against the exposed samples; nil when it selects something.
    /// `job` and `instance` are Prometheus's target labels, and a value with a `$` is a Grafana
    /// variable: neither can be checked here.
    static func problem(_ selector: Selector, in samples: [Sample]) -> String? {
        let named = samples.filter { $0.name == selector.name }
        guard !named.isEmpty else { return "\(selector.name) is not exposed" }
        for matcher in selector.matchers where !["job", "instance"].contains(matcher.label) && !matcher.value.contains("$") {
            let wanted: [String]
            switch matcher.op {
            case "=": wanted = [matcher.value]
            case "=~" where matcher.value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "|" }): wanted = matcher.value.split(separator: "|").map(String.init)
            default: continue
            }
            for value in wanted where !named.contains(where: { $0.labels[matcher.label] == value }) {
                return "\(selector) selects \(matcher.label)=\"\(value)\", which no \(selector.name) sample has (seen: \(Set(named.compactMap { $0.labels[matcher.label] }).sorted()))"
            }
        }
        return nil
    }

    @Test("Every metric and label value the alert rules and the dashboard select is one serve exposes")
    func rulesAndDashboardSelectExposedMetrics() async throws {
        let rules = try String(contentsOf: Self.root.appendingPathComponent("examples/monitoring/alerts.yml"), encoding: .utf8)
        let dashboardData = try Data(contentsOf: Self.root.appendingPathComponent("examples/monitoring/dashboard.json"))
        let dashboard = try JSONSerialization.jsonObject(with: dashboardData)
        let queries = Self.strings(dashboard).joined(separator: "\n")
        let fromRules = try Self.selectors(in: rules)
        let fromDashboard = try Self.selectors(in: queries)
        // A parse that found nothing would pass vacuously.
        #expect(fromRules.count >= 8, "selectors read from alerts.yml: \(fromRules)")
        #expect(fromDashboard.count >= 15, "selectors read from dashboard.json: \(fromDashboard)")

        try await ServeProcess.run { serve in
            // The first pass sets the fleet's gauges and counts its duration.
            try await serve.waitFor("a pass counted in /metrics", within: .seconds(60)) {
                (try await serve.metric("gamefleet_pass_duration_seconds_count") ?? 0) > 0 ? true : nil
            }
            let answer = try await serve.get("/metrics")
            try #require(answer.status == 200, "GET /metrics answered \(answer.status)")
            let samples = try Self.samples(answer.body)
            for selector in fromRules.sorted(by: { $0.description < $1.description }) {
                if let problem = Self.problem(selector, in: samples) { Issue.record("alerts.yml: \(problem)") }
            }
            for selector in fromDashboard.sorted(by: { $0.description < $1.description }) {
                if let problem = Self.problem(selector, in: samples) { Issue.record("dashboard.json: \(problem)") }
            }
        }
    }

    @Test("The gauges the rules compare against follow the running config: maxServers, the watchdog's limit, a refused reload")
    func configGaugesFollowTheConfig() async throws {
        try await ServeProcess.run { serve in
            try await serve.waitFor("a pass counted in /metrics", within: .seconds(60)) {
                (try await serve.metric("gamefleet_pass_duration_seconds_count") ?? 0) > 0 ? true : nil
            }
            // FleetFile's defaults: maxServers 4, interval 400ms and timeout 200ms (3 × 0.4 + 0.2 s).
            #expect(try await serve.metric("gamefleet_max_servers") == 4)
            let limit = try #require(try await serve.metric("gamefleet_watchdog_limit_seconds"))
            #expect(abs(limit - 1.4) < 0.001, "gamefleet_watchdog_limit_seconds \(limit)")
            #expect(try await serve.metric("gamefleet_config_reload_failed") == 0)
            try await serve.waitFor("gamefleet_fleet_size counting the minServers gameserver", within: .seconds(60)) {
                (try await serve.metric("gamefleet_fleet_size") ?? 0) >= 1 ? true : nil
            }

            // A broken file: refused, and the gauge says so until a good one is adopted.
            let broken = serve.fleetFile.yaml.replacingOccurrences(of: "maxServers: 4", with: "maxServers: many")
            try #require(broken != serve.fleetFile.yaml)
            try serve.rewriteConfig(broken)
            try await serve.waitFor("gamefleet_config_reload_failed 1 after a refused reload", within: .seconds(60)) {
                try await serve.metric("gamefleet_config_reload_failed") == 1 ? true : nil
            }
            #expect(try await serve.metric("gamefleet_max_servers") == 4, "a refused file changes nothing")

            var raised = serve.fleetFile
            raised.maxServers = 6
            try serve.rewriteConfig(raised.yaml)
            try await serve.waitFor("gamefleet_max_servers 6 and gamefleet_config_reload_failed 0 after a good reload", within: .seconds(60)) {
                let maxServers = try await serve.metric("gamefleet_max_servers")
                let failed = try await serve.metric("gamefleet_config_reload_failed")
                return maxServers == 6 && failed == 0 ? true : nil
            }
        }
    }
}
