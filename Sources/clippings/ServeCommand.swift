import ArgumentParser
import ClippingsAPI
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `clippings serve`: runs the HTTP API until SIGINT or SIGTERM, then stops gracefully.
///
/// Every setting is a flag with a `CLIPPINGS_*` variable behind it (the flag wins) and a safe default;
/// the README's settings table lists them all.
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
        name: .customLong("cors-origins"),
        help: "Comma-separated origins allowed cross-origin access, or * (env CLIPPINGS_CORS_ORIGINS; default: none)."
    )
    var corsOption: String?

    @Option(
        name: .customLong("max-body-bytes"),
        help: "Largest request body, after gzip decoding (env CLIPPINGS_MAX_BODY_BYTES, default 10485760)."
    )
    var maximumBodyOption: Int?

    @Option(
        name: .customLong("max-header-bytes"),
        help: "Largest request header section (env CLIPPINGS_MAX_HEADER_BYTES, default 16384)."
    )
    var maximumHeaderOption: Int?

    @Option(
        name: .customLong("max-uri-bytes"),
        help: "Longest request target, path and query (env CLIPPINGS_MAX_URI_BYTES, default 8192)."
    )
    var maximumURIOption: Int?

    @Option(
        name: .customLong("max-query-bytes"),
        help: "Longest query string (env CLIPPINGS_MAX_QUERY_BYTES, default 4096)."
    )
    var maximumQueryOption: Int?

    @Option(
        name: .customLong("max-page-size"),
        help: "Largest `limit` a listing accepts (env CLIPPINGS_MAX_PAGE_SIZE, default 100)."
    )
    var maximumPageOption: Int?

    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may go without a complete request head (env CLIPPINGS_IDLE_TIMEOUT, default 30)."
    )
    var idleTimeoutOption: Int?

    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds a client has to send a request body (env CLIPPINGS_BODY_TIMEOUT, default 30)."
    )
    var bodyTimeoutOption: Int?

    @Option(
        name: .customLong("max-connections"),
        help: "Connections served at once; more wait (env CLIPPINGS_MAX_CONNECTIONS, default 512)."
    )
    var maximumConnectionsOption: Int?

    @Option(
        name: .customLong("shutdown-timeout"),
        help: "Seconds to finish in-flight requests after SIGTERM (env CLIPPINGS_SHUTDOWN_TIMEOUT, default 10)."
    )
    var shutdownTimeoutOption: Int?

    @Option(
        name: .customLong("cache-bytes"),
        help: """
            Bytes of finished responses kept for repeated GETs while the archive is unchanged; 0 turns the \
            cache off (env CLIPPINGS_CACHE_BYTES, default 16777216).
            """
    )
    var cacheBytesOption: Int?

    @OptionGroup var database: DatabaseOptions

    var hostname: String { hostOption ?? Environment.value("CLIPPINGS_HOST") ?? "127.0.0.1" }
    var databasePath: String? { database.databasePath }
    var seedsPath: String? { noSeeds ? nil : seeds ?? Environment.value("CLIPPINGS_SEEDS") ?? "./seeds" }
    var port: Int { (try? number(portOption, "CLIPPINGS_PORT", default: 8080)) ?? 8080 }
    var apiToken: String? { apiTokenOption ?? Environment.value("CLIPPINGS_API_TOKEN") }
    var corsOrigins: [String] {
        (corsOption ?? Environment.value("CLIPPINGS_CORS_ORIGINS") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    var maximumBodySize: Int { (try? number(maximumBodyOption, "CLIPPINGS_MAX_BODY_BYTES", default: 10_485_760)) ?? 0 }
    var limits: ServerLimits { (try? resolvedLimits()) ?? ServerLimits() }
    var logLevel: Logger.Level { (try? database.resolvedLogLevel()) ?? .info }
    var responseCacheBytes: Int {
        (try? number(cacheBytesOption, "CLIPPINGS_CACHE_BYTES", default: ResponseCache.defaultCapacity)) ?? 0
    }
    var shutdownTimeout: Int { (try? number(shutdownTimeoutOption, "CLIPPINGS_SHUTDOWN_TIMEOUT", default: 10)) ?? 10 }

    func resolvedLimits() throws -> ServerLimits {
        var limits = ServerLimits()
        limits.maximumHeaderSize = try number(maximumHeaderOption, "CLIPPINGS_MAX_HEADER_BYTES", default: 16_384)
        limits.maximumURILength = try number(maximumURIOption, "CLIPPINGS_MAX_URI_BYTES", default: 8_192)
        limits.maximumQueryLength = try number(maximumQueryOption, "CLIPPINGS_MAX_QUERY_BYTES", default: 4_096)
        limits.maximumPageSize = try number(maximumPageOption, "CLIPPINGS_MAX_PAGE_SIZE", default: 100)
        limits.idleTimeout = try number(idleTimeoutOption, "CLIPPINGS_IDLE_TIMEOUT", default: 30)
        limits.bodyTimeout = try number(bodyTimeoutOption, "CLIPPINGS_BODY_TIMEOUT", default: 30)
        limits.maximumConnections = try number(maximumConnectionsOption, "CLIPPINGS_MAX_CONNECTIONS", default: 512)
        return limits
    }

    /// A positive whole number from the flag, else the variable, else the default.
    func number(_ option: Int?, _ variable: String, default fallback: Int) throws -> Int {
        let value: Int
        if let option {
            value = option
        } else if let text = Environment.value(variable) {
            guard let parsed = Int(text) else {
                throw ValidationError("\(variable) must be a whole number, not '\(text)'.")
            }
            value = parsed
        } else {
            value = fallback
        }
        guard value > 0 || (["CLIPPINGS_PORT", "CLIPPINGS_CACHE_BYTES"].contains(variable) && value == 0) else {
            throw ValidationError("\(variable) (or its flag) must be positive, not \(value).")
        }
        return value
    }

    func validate() throws {
        _ = try database.resolvedLogLevel()
        _ = try resolvedLimits()
        _ = try number(maximumBodyOption, "CLIPPINGS_MAX_BODY_BYTES", default: 10_485_760)
        _ = try number(shutdownTimeoutOption, "CLIPPINGS_SHUTDOWN_TIMEOUT", default: 10)
        _ = try number(cacheBytesOption, "CLIPPINGS_CACHE_BYTES", default: ResponseCache.defaultCapacity)
        guard try number(portOption, "CLIPPINGS_PORT", default: 8080) <= 65535 else {
            throw ValidationError("The port must be between 0 and 65535.")
        }
    }

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let app = try await buildApplication(self)
        // SIGTERM or SIGINT: stop accepting, let in-flight requests finish (bounded), close the database.
        var configuration = ServiceGroupConfiguration(
            services: [app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = .seconds(shutdownTimeout)
        try await ServiceGroup(configuration: configuration).run()
        logger.info("server stopped")
    }
}
