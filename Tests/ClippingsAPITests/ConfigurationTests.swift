import ClippingsAPI
import Foundation
import Logging
import Testing

/// `ServerConfiguration`: the one place settings and defaults live, and the README's table of them.
@Suite("Server configuration")
struct ConfigurationTests {
    /// The README's settings table: each `CLIPPINGS_*` variable with its flag cell and default cell.
    static func readmeSettings() throws -> [String: (flags: String, defaultValue: String)] {
        let readme = try String(
            contentsOf: TestArguments.repository.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        var rows: [String: (String, String)] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("| ") && line.contains("`CLIPPINGS_") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6, cells[3].hasPrefix("`CLIPPINGS_") else { continue }
            rows[cells[3].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = (cells[2], cells[4])
        }
        return rows
    }

    @Test("the README's settings table lists every setting with its flag and its default, and nothing else")
    func readmeTable() throws {
        let rows = try Self.readmeSettings()
        #expect(Set(rows.keys) == Set(ServerConfiguration.settings.map(\.variable)))
        for setting in ServerConfiguration.settings {
            let row = try #require(rows[setting.variable], "\(setting.variable) is not in the README")
            #expect(row.flags.contains("`--\(setting.flag)`"), "\(setting.variable): \(row.flags)")
            if let value = setting.defaultText {
                #expect(row.defaultValue == "`\(value)`", "\(setting.variable): \(row.defaultValue)")
            } else {
                #expect(row.defaultValue.hasPrefix("none"), "\(setting.variable): \(row.defaultValue)")
            }
        }
    }

    @Test("a flag beats its variable, an empty variable is unset, bad values are refused by name")
    func resolving() throws {
        let defaults = ServerConfiguration()
        let resolved = try ServerConfiguration.resolve(
            flags: ["port": "9000", "max-page-size": "50"],
            environment: [
                "CLIPPINGS_PORT": "7000", "CLIPPINGS_API_TOKEN": "", "CLIPPINGS_CORS_ORIGINS": "a.example, *",
                "CLIPPINGS_CACHE_BYTES": "0", "CLIPPINGS_LOG_LEVEL": "DEBUG",
            ]
        )
        #expect(resolved.port == 9000)
        #expect(resolved.limits.maximumPageSize == 50)
        #expect(resolved.apiToken == nil)
        #expect(resolved.corsOrigins == ["a.example", "*"])
        #expect(resolved.responseCacheBytes == 0)
        #expect(resolved.logLevel == .debug)
        #expect(resolved.hostname == defaults.hostname)
        #expect(resolved.limits.idleTimeout == defaults.limits.idleTimeout)
        #expect(throws: ServerSetting.Invalid.self) {
            try ServerConfiguration.resolve(flags: [:], environment: ["CLIPPINGS_PORT": "eighty"])
        }
        #expect(throws: ServerSetting.Invalid.self) {
            try ServerConfiguration.resolve(flags: ["port": "70000"], environment: [:])
        }
        #expect(throws: ServerSetting.Invalid.self) {
            try ServerConfiguration.resolve(flags: ["max-body-bytes": "0"], environment: [:])
        }
        let onlyDatabase = try ServerConfiguration.resolve(
            flags: [:],
            environment: ["CLIPPINGS_DB": "/tmp/a.sqlite", "CLIPPINGS_PORT": "eighty"],
            only: ["db"]
        )
        #expect(onlyDatabase.databasePath == "/tmp/a.sqlite")
    }
}
