import ArgumentParser
import FleetConfig
import Foundation

/// `gamefleet import-env .env`: the old manager's settings as a fleet.yaml on stdout.
struct ImportEnv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-env",
        abstract: "Convert the old Django manager's .env into an equivalent fleet.yaml on stdout.")

    @Argument(help: "The old app's .env file.")
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            Stderr.write("\(file): cannot read: \(FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file")\n")
            throw ExitCode.failure
        }
        do {
            let result = try EnvImporter.convert(String(decoding: data, as: UTF8.self), file: file)
            Stdout.write(result.yaml)
            for note in result.notes { Stderr.write("note: \(note)\n") }
        } catch {
            Stderr.write(error.description + "\n")
            throw ExitCode.failure
        }
    }
}
