import Foundation
import FleetCore
import Yams

/// Reads fleet.yaml into a ``FleetSpec``, or refuses it with every error at once.
public enum FleetLoader {
    /// Loads and validates the file at `path`. `environment` feeds `${VAR}` substitution.
    /// Errors name the file as given in `path`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigErrors) -> FleetSpec {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors([ConfigError(file: path, line: 0, column: 0, path: "", message: "cannot read the file: \(Self.readFailure(error, path: path))")])
        }
        return try parse(text, file: path, environment: environment)
    }

    /// Validates YAML text. `file` names the source in error messages; `anchor` is the path relative
    /// file names in it are resolved against (`file` when nil; a config read from SSM or S3 passes
    /// one in the working directory).
    public static func parse(_ text: String, file: String = "fleet.yaml", environment: [String: String] = [:], anchor: String? = nil) throws(ConfigErrors) -> FleetSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigErrors([ConfigError(file: file, line: 1, column: 1, path: "", message: "the file is empty; see `gamefleet schema` or docs/configuration.md for the keys")])
            }
            root = node
        } catch let error as ConfigErrors {
            throw error
        } catch {
            throw ConfigErrors([syntaxError(error, file: file)])
        }

        var validator = SchemaValidator(file: file, anchor: anchor, environment: environment)
        let object = validator.object(root, fields: FleetSchema.root, path: "")
        var builder = SpecBuilder(validator: validator)
        var spec = object.flatMap { builder.build($0) }
        if !builder.validator.errors.isEmpty || spec == nil {
            // A value from the environment may be a secret: errors show its ${VAR} instead. Short
            // values of number-like fields stay, or every "1" in a message would be masked.
            var substituted = builder.validator.secrets
            for entry in builder.validator.substituted.entries where entry.value.count >= 4 {
                substituted.add(variable: entry.variable, value: entry.value)
            }
            throw ConfigErrors(builder.validator.errors.map { error in
                var masked = error
                masked.message = substituted.redact(error.message)
                return masked
            })
        }
        spec!.secrets = builder.validator.secrets
        return spec!
    }

    static func syntaxError(_ error: any Error, file: String) -> ConfigError {
        func located(_ mark: Mark, _ text: String) -> ConfigError {
            ConfigError(file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax error: \(text)")
        }
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _),
                 .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let text = context.map { "\(problem) (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? problem
                return located(mark, text)
            case .duplicatedKeysInMapping(let duplicates, let context):
                return ConfigError(file: file, line: context.mark.line, column: context.mark.column, path: "",
                                   message: "duplicate key(s) \(duplicates.joined(separator: ", ")) in one mapping; each key may appear once")
            case .reader(let problem, _, _, _):
                return ConfigError(file: file, line: 1, column: 1, path: "", message: "cannot read the file as UTF-8 YAML: \(problem)")
            default:
                break
            }
        }
        return ConfigError(file: file, line: 1, column: 1, path: "", message: "YAML error: \(error)")
    }

    static func readFailure(_ error: any Error, path: String) -> String {
        if !FileManager.default.fileExists(atPath: path) { return "no such file" }
        return (error as NSError).localizedDescription
    }
}

/// Turns validated values into a ``FleetSpec`` and checks the rules that span several keys.
struct SpecBuilder {
    var validator: SchemaValidator

    mutating func build(_ root: ConfigObject) -> FleetSpec? {
        // Every part is checked even when another is missing, so one run reports all errors.
        let name = root.string("name")
        if let name {
            if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) || !name.allSatisfy(\.isASCII) {
                validator.fail(root.position(of: "name"), "name", "use letters, digits, '-' and '_' only (it becomes an ECS startedBy value and tags), got '\(name)'")
            } else if name.count > 32 {
                validator.fail(root.position(of: "name"), "name", "at most 32 characters (it becomes part of ECS's 36-character startedBy), got \(name.count)")
            }
        }
        let provider = root.string("provider").flatMap(ProviderKind.init(rawValue:))
        let gameserverObject = root.child("gameserver")
        let capacity = gameserverObject?.int("capacity")
        let scalingObject = root.child("scaling")

        // gameserver.health
        let healthObject = gameserverObject?.child("health")
        var health = HealthSpec()
        if let h = healthObject {
            if let path = h.string("path") {
                if path.hasPrefix("/") { health.path = path } else {
                    validator.fail(h.position(of: "path"), "gameserver.health.path", "must start with '/', got '\(path)'")
                }
            }
            health.port = h.int("port")
            health.interval = h.duration("interval") ?? health.interval
            health.timeout = h.duration("timeout") ?? health.timeout
            health.failureThreshold = h.int("failureThreshold") ?? health.failureThreshold
            health.startupGrace = h.duration("startupGrace") ?? health.startupGrace
            if health.timeout >= health.interval {
                validator.fail(h.position(of: h.values["timeout"] != nil ? "timeout" : "interval"), "gameserver.health.timeout",
                               "timeout \(DurationText.format(health.timeout)) must be shorter than interval \(DurationText.format(health.interval)), or one slow server would hold up the pass")
            }
        }

        // scaling
        var scaling: ScalingSpec?
        if let s = scalingObject, let upscale = s.int("upscaleMargin"), let downscale = s.int("downscaleMargin") {
            var spec = ScalingSpec(upscaleMargin: upscale, downscaleMargin: downscale)
            spec.minServers = s.int("minServers") ?? spec.minServers
            spec.maxServers = s.int("maxServers") ?? spec.maxServers
            spec.maxLaunchesPerPass = s.int("maxLaunchesPerPass") ?? spec.maxLaunchesPerPass
            spec.policy = s.string("policy").flatMap(ScalingPolicy.init(rawValue:)) ?? spec.policy
            if let d = s.child("demand") {
                spec.demand.headroomPercent = d.int("headroomPercent") ?? spec.demand.headroomPercent
                spec.demand.smoothing = d.duration("smoothing") ?? spec.demand.smoothing
                spec.demand.halfLife = d.duration("halfLife") ?? spec.demand.halfLife
                spec.demand.forecast = d.string("forecast").flatMap(DemandForecast.init(rawValue:)) ?? spec.demand.forecast
                spec.demand.seasonal = d.bool("seasonal") ?? spec.demand.seasonal
                spec.demand.safety = d.decimal("safety") ?? spec.demand.safety
            }
            if let items = s.objects("schedule") {
                spec.schedule = buildSchedule(items, in: s, maxServers: spec.maxServers)
            }
            if let capacity, downscale - upscale <= capacity {
                validator.fail(s.position(of: "downscaleMargin"), "scaling.downscaleMargin",
                               "downscaleMargin - upscaleMargin must be more than gameserver.capacity (\(downscale) - \(upscale) = \(downscale - upscale), capacity \(capacity)): parking one server in standby removes up to \(capacity) free slots, and without that gap it would drop the fleet under the upscale margin, which launches again, and the fleet flaps. Try downscaleMargin: \(upscale + capacity + 1) or more")
            }
            scaling = spec
        }
        if let s = scalingObject {
            let minServers = s.int("minServers") ?? FleetDefaults.minServers, maxServers = s.int("maxServers") ?? FleetDefaults.maxServers
            if minServers > maxServers {
                validator.fail(s.position(of: s.values["minServers"] != nil ? "minServers" : "maxServers"), "scaling.minServers",
                               "minServers \(minServers) is more than maxServers \(maxServers)")
            }
        }

        // allocation
        var allocation = AllocationSpec()
        if let a = root.child("allocation") {
            if let s = a.string("strategy"), let strategy = AllocationStrategy(rawValue: s) { allocation.strategy = strategy }
            allocation.backup = a.hostPort("backup")
            if let r = a.child("rateLimit"), let perSecond = r.int("perSecond"), let burst = r.int("burst") {
                allocation.rateLimit = RateLimitSpec(perSecond: Double(perSecond), burst: burst)
            }
            for (n, text) in (a.list("trustedProxies") ?? []).enumerated() {
                if let block = CIDRBlock(parsing: text) {
                    allocation.trustedProxies.append(block)
                } else {
                    validator.fail(a.position(of: "trustedProxies"), "allocation.trustedProxies[\(n)]",
                                   "expected an address or CIDR block such as 10.0.0.0/8 or fd00::/8, got '\(text)'")
                }
            }
        }

        let listen = root.hostPort("listen") ?? HostPort(host: "127.0.0.1", port: 8000)
        var connections = ConnectionSpec()
        if let c = root.child("connections") {
            connections.maxConnections = c.int("maxConnections") ?? connections.maxConnections
            connections.idleTimeout = c.duration("idleTimeout") ?? connections.idleTimeout
            connections.headTimeout = c.duration("headTimeout") ?? connections.headTimeout
        }
        let admin = buildAdmin(root.child("admin"), listen: listen, at: root.position(of: "admin"))
        let ecs = root.child("ecs").flatMap { buildECS($0) }
        let local = root.child("local").flatMap { buildLocal($0) }
        checkProviderSection(root)
        let ha = root.child("ha").flatMap { buildHA($0, provider: root.string("provider"), admin: admin, at: root.position(of: "ha")) }
        let strategy = provider == .ecs ? ecs?.capacityProviderStrategy ?? [] : []
        let cost = root.child("cost").flatMap { buildCost($0, strategy: strategy) }

        guard let name, let provider, let capacity, let scaling else { return nil }
        var spec = FleetSpec(
            name: name, provider: provider, gameserver: GameserverSpec(capacity: capacity, health: health),
            scaling: scaling, allocation: allocation, listen: listen, ecs: ecs, local: local)
        spec.admin = admin
        spec.connections = connections
        spec.ha = ha
        spec.cost = cost
        return spec
    }

    /// `cost`: one form of price (per server-hour, or Fargate's four keys), a Spot discount exactly
    /// when the capacity provider strategy puts servers on `FARGATE_SPOT`, and a short currency label.
    /// Nil when a key of the section was refused (already reported) or a rule is broken.
    mutating func buildCost(_ o: ConfigObject, strategy: [CapacityProviderShare]) -> CostSpec? {
        let currency = o.string("currency") ?? CostSpec.defaultCurrency
        var currencyKept = true
        if currency.isEmpty || currency.count > FleetBounds.currencyLength
            || currency.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            currencyKept = false
            validator.fail(o.position(of: "currency"), "cost.currency",
                           "expected a short label such as USD, EUR or ₹ (1 to \(FleetBounds.currencyLength) characters, no spaces), got '\(currency)'")
        }
        // A price key already refused would read as missing below: say nothing more.
        guard !validator.errors.contains(where: { $0.path.hasPrefix("cost.") && $0.path != "cost.currency" }) else { return nil }
        let fargateKeys = ["vcpuHour", "gbHour", "vcpu", "memoryGB"]
        let given = fargateKeys.filter { o.values[$0] != nil }
        var price: CostSpec.Price?
        if let serverHour = o.decimal("serverHour") {
            if let first = given.first {
                validator.fail(o.position(of: first), "cost.\(first)",
                               "give cost.serverHour, or Fargate's vcpuHour, gbHour, vcpu and memoryGB, not both (remove \(given.joined(separator: ", ")) or serverHour)")
            } else {
                price = .perServerHour(serverHour)
            }
        } else if given.isEmpty {
            validator.fail(o.position, "cost",
                           "give a price: serverHour (per server-hour, e.g. serverHour: 0.0416), or Fargate's vcpuHour, gbHour, vcpu and memoryGB (e.g. vcpuHour: 0.04048, gbHour: 0.004445, vcpu: 0.5, memoryGB: 1)")
        } else if given.count < fargateKeys.count {
            for key in fargateKeys where o.values[key] == nil {
                validator.fail(o.position, "cost.\(key)",
                               "is missing: a Fargate price needs vcpuHour, gbHour, vcpu and memoryGB (\(given.joined(separator: ", ")) given), or give serverHour instead")
            }
        } else if let vcpuHour = o.decimal("vcpuHour"), let gbHour = o.decimal("gbHour"), let vcpu = o.decimal("vcpu"), let memoryGB = o.decimal("memoryGB") {
            price = .fargate(vcpuHour: vcpuHour, gbHour: gbHour, vcpu: vcpu, memoryGB: memoryGB)
        }

        let mix = SpotMix(strategy: strategy)
        let discount = o.decimal("spotDiscountPercent")
        var spotRuleKept = true
        if mix.hasSpot, discount == nil {
            spotRuleKept = false
            validator.fail(o.position, "cost.spotDiscountPercent",
                           "ecs.capacityProviderStrategy puts servers on FARGATE_SPOT: give their discount off the on-demand price, e.g. spotDiscountPercent: 70 (write 0 to price them as on demand)")
        } else if !mix.hasSpot, discount != nil {
            spotRuleKept = false
            validator.fail(o.position(of: "spotDiscountPercent"), "cost.spotDiscountPercent",
                           "no server runs on FARGATE_SPOT (ecs.capacityProviderStrategy gives it no weight or base, or the fleet has no strategy), so there is nothing to discount; remove it or add FARGATE_SPOT to the strategy")
        }

        guard let price, spotRuleKept, currencyKept else { return nil }
        return CostSpec(price: price, spotDiscountPercent: discount, currency: currency)
    }

    mutating func checkProviderSection(_ root: ConfigObject) {
        guard let provider = root.string("provider") else { return }
        if provider == "ecs", root.values["ecs"] == nil, !validator.errors.contains(where: { $0.path.hasPrefix("ecs") }) {
            validator.fail(root.position(of: "provider"), "provider", "provider is ecs but there is no ecs: section (region, taskDefinition and gamePort are required)")
        }
        if provider == "local", root.values["local"] == nil, !validator.errors.contains(where: { $0.path.hasPrefix("local") }) {
            validator.fail(root.position(of: "provider"), "provider", "provider is local but there is no local: section (command is required)")
        }
    }

    /// The admin face. Refuses a non-loopback address without a token (no open admin port by
    /// accident), the public address again, and `token` beside `tokenFile`. A token read from a file
    /// is a secret like one from `${VAR}`.
    mutating func buildAdmin(_ o: ConfigObject?, listen: HostPort, at position: Position) -> AdminSpec {
        var admin = AdminSpec()
        guard let o else {
            if admin.listen == listen {
                validator.fail(position, "admin.listen", "the default admin address \(admin.listen) is the public listen address; set admin.listen to another port")
            }
            return admin
        }
        admin.listen = o.hostPort("listen") ?? admin.listen
        admin.token = o.string("token")
        if admin.token?.isEmpty == true {
            validator.fail(o.position(of: "token"), "admin.token", "is empty (an unset variable with an empty default?); set a token or remove the key")
            admin.token = nil
        }
        if let path = o.string("tokenFile") {
            if admin.token != nil {
                validator.fail(o.position(of: "tokenFile"), "admin.tokenFile", "give admin.token or admin.tokenFile, not both")
            } else {
                let base = URL(fileURLWithPath: validator.anchor).deletingLastPathComponent()
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
                if let data = FileManager.default.contents(atPath: url.path),
                   let line = String(data: data, encoding: .utf8)?.split(whereSeparator: \.isNewline).first.map(String.init)?
                       .trimmingCharacters(in: .whitespaces), !line.isEmpty {
                    admin.token = line
                    validator.secrets.add(variable: "admin.tokenFile", value: line)
                } else {
                    validator.fail(o.position(of: "tokenFile"), "admin.tokenFile",
                                   "cannot read a token from \(url.path) (\(FileManager.default.fileExists(atPath: url.path) ? "empty or not UTF-8" : "no such file"))")
                }
            }
        }
        if admin.listen == listen {
            validator.fail(o.position(of: "listen"), "admin.listen", "is the same address as listen (\(listen)); the two faces need two ports")
        }
        if admin.token == nil && !validator.errors.contains(where: { $0.path.hasPrefix("admin.token") }) && !Self.isLoopback(admin.listen.host) {
            validator.fail(o.position(of: "listen"), "admin.listen",
                           "\(admin.listen) is not a loopback address and no admin.token or admin.tokenFile is set: the fleet's servers, addresses and metrics would be open to anyone who can reach it. Set a token (e.g. token: ${GAMEFLEET_ADMIN_TOKEN}) or listen on 127.0.0.1")
        }
        return admin
    }

    /// `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        guard let address = IPAddress(parsing: host) else { return false }
        return CIDRBlock(parsing: "127.0.0.0/8")!.contains(address) || CIDRBlock(parsing: "::1")!.contains(address)
    }

    /// `ha:`. Refused with the local provider (its gameservers are child processes of one
    /// gamefleet; another replica could neither see nor stop them), a lease shorter than 3 s (the
    /// renewal every third of it would race the DynamoDB call timeouts), and an advertised
    /// address the other replicas could not reach (a wildcard), or could reach without a token
    /// from another machine.
    mutating func buildHA(_ o: ConfigObject, provider: String?, admin: AdminSpec, at position: Position) -> HASpec? {
        guard let table = o.string("table") else { return nil }
        if provider == "local" {
            validator.fail(position, "ha", "high availability needs provider ecs: local gameservers are child processes of one gamefleet, which another replica could neither see nor stop (remove ha:)")
        }
        if table.isEmpty || table.count > 255 || !table.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) || table.count < 3 {
            validator.fail(o.position(of: "table"), "ha.table", "expected a DynamoDB table name (3-255 characters: letters, digits, _ - .), got '\(table)'")
        }
        let leaseDuration = o.duration("leaseDuration") ?? FleetDefaults.leaseDuration
        if leaseDuration < HASpec.leaseDurationBounds.lowerBound {
            validator.fail(o.position(of: "leaseDuration"), "ha.leaseDuration",
                           "must be at least 3s (the leader renews every third of it, and each renewal is a DynamoDB call that needs time), got \(DurationText.format(leaseDuration))")
        }
        let advertise = o.hostPort("advertise") ?? admin.listen
        if advertise.host == "0.0.0.0" || advertise.host == "::" || advertise.host.isEmpty {
            validator.fail(o.position(of: "advertise"), "ha.advertise",
                           "\(advertise) is a wildcard address, which other replicas cannot reach; set ha.advertise to this replica's own address and admin port (e.g. advertise: ${HOST_IP}:8001)")
        } else if admin.token == nil, !Self.isLoopback(advertise.host) {
            validator.fail(o.position(of: "advertise"), "ha.advertise",
                           "\(advertise) is not a loopback address and no admin.token is set: forwarded allocations would reach the admin face unauthenticated; set admin.token")
        }
        let endpoint = o.string("endpoint")
        if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            validator.fail(o.position(of: "endpoint"), "ha.endpoint", "expected a URL starting with http:// or https://, got '\(endpoint)'")
        }
        return HASpec(table: table, leaseDuration: leaseDuration, advertise: advertise, endpoint: endpoint)
    }

    mutating func buildECS(_ o: ConfigObject) -> ECSSpec? {
        guard let region = o.string("region"), let taskDefinition = o.string("taskDefinition"), let gamePort = o.int("gamePort") else { return nil }
        var spec = ECSSpec(region: region, taskDefinition: taskDefinition, gamePort: gamePort)
        spec.cluster = o.string("cluster") ?? spec.cluster
        spec.launchType = o.string("launchType").flatMap(ECSLaunchType.init(rawValue:)) ?? spec.launchType
        spec.launchTemplate = o.string("launchTemplate")
        spec.endpoint = o.string("endpoint")
        spec.addressType = o.string("addressType").flatMap(AddressType.init(rawValue:)) ?? spec.addressType
        spec.subnets = o.list("subnets") ?? []
        spec.securityGroups = o.list("securityGroups") ?? []
        spec.assignPublicIp = o.bool("assignPublicIp") ?? FleetDefaults.assignPublicIp
        if let items = o.objects("capacityProviderStrategy") {
            spec.capacityProviderStrategy = buildStrategy(items, in: o)
            if !spec.capacityProviderStrategy.isEmpty {
                // Networking follows the kind of capacity the strategy names.
                spec.launchType = spec.capacityProviderStrategy.allSatisfy { CapacityProviderShare.fargateProviders.contains($0.capacityProvider) } ? .fargate : .ec2
            }
        }
        if region.isEmpty || !region.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
            validator.fail(o.position(of: "region"), "ecs.region", "expected a region name such as ap-south-1, got '\(region)'")
        }
        if taskDefinition.isEmpty {
            validator.fail(o.position(of: "taskDefinition"), "ecs.taskDefinition", "must not be empty")
        }
        if let endpoint = spec.endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            validator.fail(o.position(of: "endpoint"), "ecs.endpoint", "expected a URL starting with http:// or https://, got '\(endpoint)'")
        }
        let strategySet = !spec.capacityProviderStrategy.isEmpty
        if strategySet, o.values["launchType"] != nil {
            validator.fail(o.position(of: "launchType"), "ecs.launchType",
                           "give ecs.launchType or ecs.capacityProviderStrategy, not both: with a strategy ECS picks the launch type from the capacity providers (remove launchType)")
        }
        if strategySet, spec.launchTemplate != nil {
            validator.fail(o.position(of: "launchTemplate"), "ecs.launchTemplate",
                           "a launch template starts an instance per gameserver itself; with ecs.capacityProviderStrategy ECS finds the capacity (remove one of them)")
        }
        if spec.launchType == .fargate {
            if spec.subnets.isEmpty {
                validator.fail(o.position(of: "subnets"), "ecs.subnets", "FARGATE tasks use awsvpc networking and need at least one subnet")
            }
            if spec.launchTemplate != nil, !strategySet {
                validator.fail(o.position(of: "launchTemplate"), "ecs.launchTemplate", "a launch template starts EC2 instances; FARGATE tasks need none (remove it or use launchType: EC2)")
            }
        }
        return spec
    }

    /// `ecs.capacityProviderStrategy`, checked as ECS would check it at RunTask, so a mistake is
    /// reported by `validate` with its line rather than by every launch. Items with a key already
    /// refused by the schema are left out.
    mutating func buildStrategy(_ items: [ConfigObject], in o: ConfigObject) -> [CapacityProviderShare] {
        let path = "ecs.capacityProviderStrategy"
        var shares: [CapacityProviderShare] = []
        for (index, item) in items.enumerated() {
            guard let name = item.string("capacityProvider"), let weight = item.int("weight") else { continue }
            if name.trimmingCharacters(in: " ").isEmpty {
                validator.fail(item.position(of: "capacityProvider"), "\(path)[\(index)].capacityProvider", "must not be empty: name a capacity provider such as FARGATE or FARGATE_SPOT")
                continue
            }
            if shares.contains(where: { $0.capacityProvider == name }) {
                validator.fail(item.position(of: "capacityProvider"), "\(path)[\(index)].capacityProvider", "\(name) is named twice; give each capacity provider once")
                continue
            }
            shares.append(CapacityProviderShare(capacityProvider: name, weight: weight, base: item.int("base") ?? FleetDefaults.capacityProviderBase))
        }
        guard !shares.isEmpty, shares.count == items.count else { return shares }
        if shares.count > 20 {
            validator.fail(o.position(of: "capacityProviderStrategy"), path, "ECS takes at most 20 capacity providers in a strategy, got \(shares.count)")
        }
        if shares.allSatisfy({ $0.weight == 0 }) {
            validator.fail(o.position(of: "capacityProviderStrategy"), path, "every weight is 0, so ECS could place no task past the bases; give at least one capacity provider a weight above 0")
        }
        let withBase = shares.filter { $0.base > 0 }.map(\.capacityProvider)
        if withBase.count > 1 {
            validator.fail(o.position(of: "capacityProviderStrategy"), path, "only one capacity provider may have a base above 0, got \(withBase.joined(separator: ", "))")
        }
        let fargate = shares.filter { CapacityProviderShare.fargateProviders.contains($0.capacityProvider) }
        if !fargate.isEmpty, fargate.count < shares.count {
            validator.fail(o.position(of: "capacityProviderStrategy"), path,
                           "mixes Fargate (\(fargate.map(\.capacityProvider).joined(separator: ", "))) and Auto Scaling group capacity providers (\(shares.filter { !CapacityProviderShare.fargateProviders.contains($0.capacityProvider) }.map(\.capacityProvider).joined(separator: ", "))); ECS accepts one kind per strategy")
        }
        return shares
    }

    /// `scaling.schedule`: each entry's cron expression and time zone checked, and exactly one of
    /// its floors, each error naming the entry's field.
    mutating func buildSchedule(_ items: [ConfigObject], in s: ConfigObject, maxServers: Int) -> [ScheduleWindow] {
        if items.count > FleetBounds.scheduleEntries {
            validator.fail(s.position(of: "schedule"), "scaling.schedule", "at most \(FleetBounds.scheduleEntries) entries, got \(items.count)")
        }
        var windows: [ScheduleWindow] = []
        for (index, item) in items.enumerated() {
            let path = "scaling.schedule[\(index)]"
            guard let cronText = item.string("cron"), let duration = item.duration("duration") else { continue }
            var cron: CronExpression?
            do throws(CronError) {
                cron = try CronExpression(parsing: cronText)
            } catch {
                validator.fail(item.position(of: "cron"), path + ".cron", error.description)
            }
            let zoneName = item.string("timeZone") ?? FleetDefaults.scheduleTimeZone
            let zone = TimeZone(identifier: zoneName)
            if zone == nil {
                validator.fail(item.position(of: "timeZone"), path + ".timeZone",
                               "unknown time zone '\(zoneName)': give an IANA name such as Europe/Paris or UTC (if a real zone is refused, this machine may lack time-zone data: install tzdata)")
            }
            let free = item.int("minFreeSlots"), servers = item.int("minServers")
            if (free == nil) == (servers == nil) {
                validator.fail(item.position(of: free == nil ? "cron" : "minServers"), path,
                               free == nil ? "give minFreeSlots or minServers: the floor kept during the window" : "give minFreeSlots or minServers, not both")
            }
            if let servers, servers > maxServers {
                validator.fail(item.position(of: "minServers"), path + ".minServers", "\(servers) is more than scaling.maxServers \(maxServers)")
            }
            if let cron, let zone {
                windows.append(ScheduleWindow(cron: cron, timeZone: zone, duration: duration, minFreeSlots: free, minServers: servers))
            }
        }
        return windows
    }

    mutating func buildLocal(_ o: ConfigObject) -> LocalSpec? {
        guard let command = o.list("command") else { return nil }
        var spec = LocalSpec(command: command)
        spec.host = o.string("host") ?? spec.host
        spec.ports = o.range("ports") ?? spec.ports
        spec.stateFile = o.string("stateFile")
        if let stateFile = spec.stateFile, stateFile.isEmpty || stateFile.hasSuffix("/") {
            validator.fail(o.position(of: "stateFile"), "local.stateFile", "expected a file path such as .gamefleet/chess.state.json, got '\(stateFile)'")
        }
        if !command.contains(where: { $0.contains("{port}") }) {
            validator.fail(o.position(of: "command"), "local.command", "must contain {port}, or every gameserver would try the same port")
        }
        return spec
    }
}
