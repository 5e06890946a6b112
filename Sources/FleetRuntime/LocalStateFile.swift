import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local provider's memory on disk: which gameserver processes this fleet runs, so that a
/// gamefleet started after a crash or a `kill -9` adopts them instead of launching a fleet beside them.
///
/// One JSON file per fleet (`local.stateFile`; by default `.gamefleet/<name>.state.json` beside
/// fleet.yaml), replaced whole at every change: written to a temporary file in the same directory,
/// then renamed over the old one, so a reader (or a gamefleet killed mid-write) only ever sees the
/// old file or the new one. A graceful shutdown stops every gameserver and removes the file.
///
/// No `fsync`: the file must survive gamefleet dying, not the machine; after a power loss the
/// processes it lists are gone anyway (and the boot id says so).
struct LocalStateFile {
    /// Where the file lives.
    let path: URL

    /// The whole file.
    struct Contents: Codable, Equatable {
        /// The format's version; only 1 exists.
        var version = 1
        /// The fleet's `name`: a file written for another fleet is refused rather than adopted.
        var fleet: String
        /// The boot the process start times count from (``ProcessIdentity/bootID``); nil if unknown.
        var bootID: String?
        /// The gamefleet process that wrote the file, for people reading it.
        var writtenBy: Int32
        var servers: [Server]
    }

    /// One gameserver process.
    struct Server: Codable, Equatable {
        /// The server's id, `local-<port>-<pid>`, kept on adoption.
        var id: String
        var pid: Int32
        /// Field 22 of /proc/PID/stat when it was started: adoption needs the same value, so a pid
        /// the kernel has since given to another process is never taken for the gameserver.
        var startTime: UInt64
        var port: Int
        var standby: Bool
        var launchedAt: Date
        /// What it runs (`local:` + the command line), so a command changed meanwhile rolls it.
        var taskDefinition: String
        /// When a stop was asked for, so an adopted server on its way out is finished off, not revived.
        var stopRequestedAt: Date?
    }

    /// A file that exists but cannot be used; the message names the file.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// The file's contents; nil when there is no file (a fleet never run, or stopped gracefully).
    func read() throws -> Contents? {
        let data: Data
        do {
            data = try Data(contentsOf: path)
        } catch CocoaError.fileReadNoSuchFile {
            return nil
        } catch {
            if !FileManager.default.fileExists(atPath: path.path) { return nil }
            throw Unreadable(description: "\(path.path): cannot read the local state file: \(error.localizedDescription)")
        }
        do {
            let contents = try Self.decoder.decode(Contents.self, from: data)
            guard contents.version == 1 else {
                throw Unreadable(description: "\(path.path): local state file version \(contents.version) is not one this gamefleet knows (1)")
            }
            return contents
        } catch let error as Unreadable {
            throw error
        } catch {
            throw Unreadable(description: "\(path.path): not a gamefleet local state file (\(error)); it lists the gameservers a previous gamefleet left running: stop them and delete the file")
        }
    }

    /// Replaces the file with `contents` at once (temporary file + rename).
    func write(_ contents: Contents) throws {
        try write(Self.encoder.encode(contents))
    }

    /// Replaces the file with `data` at once (temporary file + rename).
    func write(_ data: Data) throws {
        let temporary = path.deletingLastPathComponent().appendingPathComponent(".\(path.lastPathComponent).\(getpid()).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, path.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw Unreadable(description: "\(path.path): cannot replace the local state file: \(reason)")
            }
        } catch let error as Unreadable {
            throw error
        } catch {
            throw Unreadable(description: "\(path.path): cannot write the local state file: \(error.localizedDescription)")
        }
    }

    /// Removes the file; no file is fine.
    func remove() throws {
        guard unlink(path.path) == 0 || errno == ENOENT else {
            throw Unreadable(description: "\(path.path): cannot remove the local state file: \(String(cString: strerror(errno)))")
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Milliseconds kept, so an adopted server's launchedAt is the one it was launched with.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 date such as 2026-11-29T21:00:00.000Z, got '\(text)'")
        }
        return decoder
    }

    /// The default place for a fleet's file: `.gamefleet/<name>.state.json` in the directory of the
    /// fleet file. A `local.stateFile` that is relative is taken from that directory too.
    static func location(configured: String?, configPath: String, fleet: String) -> URL {
        let directory = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        guard let configured, !configured.isEmpty else {
            let safeName = String(fleet.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
            return directory.appendingPathComponent(".gamefleet").appendingPathComponent("\(safeName).state.json")
        }
        return configured.hasPrefix("/") ? URL(fileURLWithPath: configured) : directory.appendingPathComponent(configured)
    }
}
