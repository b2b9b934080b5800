import ArgumentParser
import ClippingsAPI
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `clippings serve`: runs the HTTP API until SIGINT or SIGTERM, then stops gracefully.
///
/// Every setting is a flag with a `CLIPPINGS_*` variable behind it (the flag wins) and a default, all
/// declared once in `ServerConfiguration.settings`; the README's settings table lists them all.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the archive over HTTP (imports ./seeds into an empty database)."
    )

    @Option(name: .customLong("host"), help: help("host")) var host: String?
    @Option(name: .customLong("port"), help: help("port")) var port: String?
    @Option(name: .customLong("seeds"), help: help("seeds")) var seeds: String?
    @Flag(name: .long, help: "Do not import seeds, even into an empty database.") var noSeeds = false
    @Option(name: .customLong("api-token"), help: help("api-token")) var apiToken: String?
    @Option(name: .customLong("cors-origins"), help: help("cors-origins")) var corsOrigins: String?
    @Option(name: .customLong("max-body-bytes"), help: help("max-body-bytes")) var maximumBody: String?
    @Option(name: .customLong("max-header-bytes"), help: help("max-header-bytes")) var maximumHeader: String?
    @Option(name: .customLong("max-uri-bytes"), help: help("max-uri-bytes")) var maximumURI: String?
    @Option(name: .customLong("max-query-bytes"), help: help("max-query-bytes")) var maximumQuery: String?
    @Option(name: .customLong("max-page-size"), help: help("max-page-size")) var maximumPage: String?
    @Option(name: .customLong("idle-timeout"), help: help("idle-timeout")) var idleTimeout: String?
    @Option(name: .customLong("body-timeout"), help: help("body-timeout")) var bodyTimeout: String?
    @Option(name: .customLong("max-connections"), help: help("max-connections")) var maximumConnections: String?
    @Option(name: .customLong("shutdown-timeout"), help: help("shutdown-timeout")) var shutdownTimeout: String?
    @Option(name: .customLong("cache-bytes"), help: help("cache-bytes")) var cacheBytes: String?
    @Option(name: .customLong("request-timeout"), help: help("request-timeout")) var requestTimeout: String?
    @Option(name: .customLong("rate-limit"), help: help("rate-limit")) var rateLimit: String?
    @Option(name: .customLong("tombstone-days"), help: help("tombstone-days")) var tombstoneDays: String?
    @Option(name: .customLong("public-url"), help: help("public-url")) var publicURL: String?
    @Option(name: .customLong("allow-private-webhooks"), help: help("allow-private-webhooks"))
    var allowPrivateWebhooks: String?
    @Option(name: .customLong("webhook-failures"), help: help("webhook-failures")) var webhookFailures: String?

    @Option(name: .customLong("read-database-url"), help: help("read-database-url"))
    var readDatabaseURLs: [String] = []

    @OptionGroup var database: DatabaseOptions

    static func help(_ flag: String) -> ArgumentHelp {
        ArgumentHelp(ServerConfiguration.setting(flag).help)
    }

    /// The flags given, by name.
    var flags: [String: String] {
        let given: [String: String?] = [
            "host": host, "port": port, "seeds": seeds, "api-token": apiToken, "cors-origins": corsOrigins,
            "max-body-bytes": maximumBody, "max-header-bytes": maximumHeader, "max-uri-bytes": maximumURI,
            "max-query-bytes": maximumQuery, "max-page-size": maximumPage, "idle-timeout": idleTimeout,
            "body-timeout": bodyTimeout, "max-connections": maximumConnections,
            "shutdown-timeout": shutdownTimeout, "cache-bytes": cacheBytes, "request-timeout": requestTimeout,
            "rate-limit": rateLimit, "tombstone-days": tombstoneDays,
            "public-url": publicURL, "allow-private-webhooks": allowPrivateWebhooks,
            "webhook-failures": webhookFailures,
            "read-database-url": readDatabaseURLs.isEmpty ? nil : readDatabaseURLs.joined(separator: ","),
        ]
        return given.compactMapValues { $0 }.merging(database.flags) { flag, _ in flag }
    }

    /// The server's configuration: flags, then the environment, then the defaults.
    func resolvedConfiguration() throws -> ServerConfiguration {
        do {
            var configuration = try ServerConfiguration.resolve(
                flags: flags,
                environment: ProcessInfo.processInfo.environment
            )
            if noSeeds { configuration.seedsPath = nil }
            return configuration
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        _ = try resolvedConfiguration()
    }

    func run() async throws {
        let logger = try database.bootstrapLogging()
        let configuration = try resolvedConfiguration()
        let app = try await buildApplication(configuration)
        // SIGTERM or SIGINT: stop accepting, let in-flight requests finish (bounded), close the database.
        var group = ServiceGroupConfiguration(
            services: [app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownTimeout)
        try await ServiceGroup(configuration: group).run()
        logger.info("server stopped")
    }
}
