import Foundation
import FleetCore

/// A fleet.yaml setting a sweep can vary.
public enum SweepParameter: String, Sendable, Equatable, Codable, CaseIterable {
    /// `scaling.upscaleMargin`.
    case upscaleMargin
    /// `scaling.downscaleMargin`.
    case downscaleMargin
    /// `gameserver.capacity`.
    case capacity
    /// `scaling.maxLaunchesPerPass`.
    case maxLaunchesPerPass
    /// `scaling.minServers`.
    case minServers
    /// `scaling.maxServers`.
    case maxServers
    /// `scaling.policy`, written `policy=margin,demand` (0 is margin, 1 demand in the JSON form).
    case policy
    /// `scaling.demand.headroomPercent`.
    case headroomPercent
    /// `scaling.demand.halfLife`, in whole seconds.
    case halfLife
    /// `scaling.demand.smoothing`, in whole seconds.
    case smoothing
    /// `scaling.demand.forecast`, written `forecast=arrivals,growth` (0 and 1 in the JSON form).
    case forecast

    /// The smallest value fleet.yaml accepts for it.
    public var minimum: Int {
        switch self {
        case .minServers, .policy, .forecast: return 0
        case .headroomPercent: return FleetBounds.headroomPercent.lowerBound
        default: return 1
        }
    }

    /// A value as people write it: the policy's name, any other setting's number.
    public func text(_ value: Int) -> String {
        switch self {
        case .policy: return Self.policies.indices.contains(value) ? Self.policies[value].rawValue : String(value)
        case .forecast: return DemandForecast.allCases.indices.contains(value) ? DemandForecast.allCases[value].rawValue : String(value)
        default: return String(value)
        }
    }

    /// The policies by their number in a sweep.
    static let policies: [ScalingPolicy] = [.margin, .demand]

    /// The largest value fleet.yaml accepts for it (``FleetBounds``), so a sweep never builds a
    /// fleet the loader would refuse.
    public var maximum: Int {
        switch self {
        case .upscaleMargin, .downscaleMargin: return FleetBounds.margin.upperBound
        case .capacity: return FleetBounds.capacity.upperBound
        case .maxLaunchesPerPass: return FleetBounds.launchesPerPass.upperBound
        case .minServers, .maxServers: return FleetBounds.servers.upperBound
        case .policy: return Self.policies.count - 1
        case .forecast: return DemandForecast.allCases.count - 1
        case .headroomPercent: return FleetBounds.headroomPercent.upperBound
        case .halfLife: return Int(FleetBounds.halfLife.components.seconds)
        case .smoothing: return Int(FleetBounds.smoothing.components.seconds)
        }
    }

    /// The setting's value in `spec`.
    public func value(in spec: FleetSpec) -> Int {
        switch self {
        case .upscaleMargin: return spec.scaling.upscaleMargin
        case .downscaleMargin: return spec.scaling.downscaleMargin
        case .capacity: return spec.gameserver.capacity
        case .maxLaunchesPerPass: return spec.scaling.maxLaunchesPerPass
        case .minServers: return spec.scaling.minServers
        case .maxServers: return spec.scaling.maxServers
        case .policy: return Self.policies.firstIndex(of: spec.scaling.policy) ?? 0
        case .forecast: return DemandForecast.allCases.firstIndex(of: spec.scaling.demand.forecast) ?? 0
        case .headroomPercent: return spec.scaling.demand.headroomPercent
        case .halfLife: return Int(spec.scaling.demand.halfLife.components.seconds)
        case .smoothing: return Int(spec.scaling.demand.smoothing.components.seconds)
        }
    }

    /// `spec` with the setting changed to `value`.
    public func apply(_ value: Int, to spec: inout FleetSpec) {
        switch self {
        case .upscaleMargin: spec.scaling.upscaleMargin = value
        case .downscaleMargin: spec.scaling.downscaleMargin = value
        case .capacity: spec.gameserver.capacity = value
        case .maxLaunchesPerPass: spec.scaling.maxLaunchesPerPass = value
        case .minServers: spec.scaling.minServers = value
        case .maxServers: spec.scaling.maxServers = value
        case .policy: spec.scaling.policy = Self.policies[value]
        case .forecast: spec.scaling.demand.forecast = DemandForecast.allCases[value]
        case .headroomPercent: spec.scaling.demand.headroomPercent = value
        case .halfLife: spec.scaling.demand.halfLife = .seconds(value)
        case .smoothing: spec.scaling.demand.smoothing = .seconds(value)
        }
    }
}

/// One axis of a sweep: a setting and the values it takes, as written on the command line:
/// `upscaleMargin=2...20` (every whole number from 2 to 20), `upscaleMargin=10...100/10` (in steps
/// of 10), `capacity=8,10,12` (a list) or `capacity=10` (one value).
public struct SweepAxis: Sendable, Equatable {
    /// The setting varied.
    public var parameter: SweepParameter
    /// The values, ascending, without repeats.
    public var values: [Int]

    /// An axis over `values` (sorted, repeats dropped).
    public init(parameter: SweepParameter, values: [Int]) {
        self.parameter = parameter
        self.values = Array(Set(values)).sorted()
    }

    /// The most values one axis may take, so a typo cannot start a sweep of a million runs.
    public static let maxValues = 1_000

    /// Parses `name=range`. Throws a message naming what is wrong and what is accepted.
    public init(parsing text: String) throws(SweepError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw SweepError("'\(text)': expected SETTING=VALUES, such as upscaleMargin=2...20")
        }
        let name = String(text[..<equals])
        let valuesText = String(text[text.index(after: equals)...])
        guard let parameter = SweepParameter(rawValue: name) else {
            throw SweepError("'\(text)': unknown setting '\(name)'; a sweep can vary \(SweepParameter.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        func number(_ part: Substring) throws(SweepError) -> Int {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if parameter == .policy, let index = SweepParameter.policies.firstIndex(where: { $0.rawValue == trimmed }) {
                return index
            }
            if parameter == .forecast, let index = DemandForecast.allCases.firstIndex(where: { $0.rawValue == trimmed }) {
                return index
            }
            if parameter == .forecast, Int(trimmed) == nil {
                throw SweepError("'\(text)': '\(trimmed)' is not a forecast; use \(DemandForecast.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if parameter == .policy, Int(trimmed) == nil {
                throw SweepError("'\(text)': '\(trimmed)' is not a policy; use \(SweepParameter.policies.map(\.rawValue).joined(separator: ", "))")
            }
            guard let value = Int(trimmed) else {
                if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    throw SweepError("'\(text)': \(name) must be at most \(parameter.maximum), got \(trimmed)")
                }
                throw SweepError("'\(text)': '\(part)' is not a whole number")
            }
            guard value >= parameter.minimum else {
                throw SweepError("'\(text)': \(name) must be at least \(parameter.minimum), got \(value)")
            }
            guard value <= parameter.maximum else {
                throw SweepError("'\(text)': \(name) must be at most \(parameter.maximum), got \(value)")
            }
            return value
        }
        var values: [Int] = []
        if let dots = valuesText.range(of: "...") {
            let low = try number(valuesText[..<dots.lowerBound])
            var rest = valuesText[dots.upperBound...]
            var step = 1
            if let slash = rest.firstIndex(of: "/") {
                guard let parsed = Int(rest[rest.index(after: slash)...]), parsed > 0 else {
                    throw SweepError("'\(text)': the step after '/' must be a whole number more than 0")
                }
                step = parsed
                rest = rest[..<slash]
            }
            let high = try number(rest)
            guard low <= high else { throw SweepError("'\(text)': the range \(low)...\(high) is empty") }
            guard (high - low) / step < Self.maxValues else {
                throw SweepError("'\(text)': \((high - low) / step + 1) values; at most \(Self.maxValues) per setting")
            }
            values = Array(stride(from: low, through: high, by: step))
        } else {
            for part in valuesText.split(separator: ",", omittingEmptySubsequences: false) {
                values.append(try number(part))
            }
        }
        self.init(parameter: parameter, values: values)
    }
}

/// A sweep that cannot be run as written.
public struct SweepError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for people.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
