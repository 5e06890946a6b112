import ArgumentParser
import FleetConfig

/// `gamefleet schema`: fleet.yaml's JSON Schema, for editors.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JSON Schema of fleet.yaml for editors (e.g. yaml-language-server).")

    func run() throws {
        Stdout.write(JSONSchemaWriter.json())
    }
}
