import ArgumentParser
import ClippingsAPI
import Foundation
import Hummingbird
import Logging

/// `clippings serve`: runs the HTTP API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand, AppArguments {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the archive over HTTP (imports ./seeds into an empty database)."
    )

    @Option(name: .customLong("host"), help: "Address to listen on (env CLIPPINGS_HOST, default 127.0.0.1).")
    var hostOption: String?

    @Option(name: .customLong("port"), help: "Port to listen on (env CLIPPINGS_PORT, default 8080).")
    var portOption: Int?

    @Option(
        name: .long,
        help: "Folder of documents to import when the database is empty (env CLIPPINGS_SEEDS, default ./seeds)."
    )
    var seeds: String?

    @Flag(name: .long, help: "Do not import seeds, even into an empty database.")
    var noSeeds = false

    @Option(
        name: .customLong("api-token"),
        help: "Bearer token that enables writes (env CLIPPINGS_API_TOKEN; default: writes disabled)."
    )
    var apiTokenOption: String?

    @Option(
        name: .customLong("max-body-bytes"),
        help: "Largest request body, after gzip decoding (env CLIPPINGS_MAX_BODY_BYTES, default 10485760)."
    )
    var maximumBodyOption: Int?

    @OptionGroup var database: DatabaseOptions

    var hostname: String { hostOption ?? Environment.value("CLIPPINGS_HOST") ?? "127.0.0.1" }
    var databasePath: String? { database.databasePath }
    var seedsPath: String? { noSeeds ? nil : seeds ?? Environment.value("CLIPPINGS_SEEDS") ?? "./seeds" }
    var port: Int { Self.portNumber(portOption) ?? 8080 }
    var apiToken: String? { apiTokenOption ?? Environment.value("CLIPPINGS_API_TOKEN") }
    var maximumBodySize: Int {
        maximumBodyOption ?? Environment.value("CLIPPINGS_MAX_BODY_BYTES").flatMap { Int($0) } ?? 10 * 1024 * 1024
    }
    var logLevel: Logger.Level { (try? database.resolvedLogLevel()) ?? .info }

    func validate() throws {
        _ = try database.resolvedLogLevel()
        if portOption == nil, let text = Environment.value("CLIPPINGS_PORT"), Int(text) == nil {
            throw ValidationError("CLIPPINGS_PORT must be a port number, not '\(text)'.")
        }
        if maximumBodySize < 1 { throw ValidationError("The body size limit must be positive.") }
        if let port = Self.portNumber(portOption), !(0...65535).contains(port) {
            throw ValidationError("The port must be between 0 and 65535.")
        }
    }

    static func portNumber(_ option: Int?) -> Int? { option ?? Environment.value("CLIPPINGS_PORT").flatMap { Int($0) } }

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let app = try await buildApplication(self)
        try await app.runService()
        logger.info("server stopped")
    }
}
