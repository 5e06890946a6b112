import AWSSigV4
import Foundation

/// Where the published SigV4 test suite lives and how its case folders are found.
///
/// The suite ships with the repository (`<root>/Tests/testdata/aws-sigv4-suite`, Apache-2.0, its
/// LICENSE and NOTICE beside it), so a plain clone passes its own tests. The package root is derived
/// from this file's own path so the tests work from any working directory.
enum SigV4Suite {
    /// The suite folder, from `<root>/Tests/AWSSigV4Tests/SigV4Suite.swift` three levels up.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // AWSSigV4Tests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Tests/testdata/aws-sigv4-suite")
        .standardizedFileURL

    /// The suite as published has this many cases; fewer means a truncated copy, which would
    /// quietly test less.
    static let publishedCaseCount = 38

    /// Why the suite could not be used. Each message names the path that was tried.
    enum LookupError: Error, CustomStringConvertible {
        case missingFolder(String)
        case noCases(String)

        var description: String {
            switch self {
            case .missingFolder(let path): "SigV4 suite folder not found at \(path)"
            case .noCases(let path): "SigV4 suite folder \(path) holds no case (no request.txt anywhere below it)"
            }
        }
    }

    /// The case names: the path of every folder holding a `request.txt`, relative to ``root``
    /// (so nested cases read like `normalize-path/get-slash`), sorted.
    /// - Throws: ``LookupError`` when the folder is missing or holds no case, so a parameterized
    ///   test over the result fails instead of running zero cases.
    static func caseNames() throws -> [String] {
        let path = root.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LookupError.missingFolder(path)
        }
        let names = (FileManager.default.subpaths(atPath: path) ?? [])
            .filter { $0 == "request.txt" || $0.hasSuffix("/request.txt") }
            .map { String($0.dropLast("request.txt".count).dropLast()) }  // drop "/request.txt"
            .sorted()
        guard !names.isEmpty else { throw LookupError.noCases(path) }
        return names
    }
}
