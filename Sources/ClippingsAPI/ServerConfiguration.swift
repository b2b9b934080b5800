import ClippingsPostgres
import ClippingsStore
import Foundation
import Logging

/// Everything a server is started with, and every default, in one place: the command line reads it from
/// flags and `CLIPPINGS_*` variables (`settings`), tests set it directly, and a test checks the README's
/// settings table against `settings`.
public struct ServerConfiguration: Sendable, Equatable {
    public var hostname = "127.0.0.1"
    public var port = 8080
    /// The SQLite file; `nil` keeps the archive in memory.
    public var databasePath: String? = "./clippings.sqlite"
    /// A PostgreSQL database (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`) that holds the archive instead of
    /// the SQLite file; `nil` keeps it in SQLite.
    public var databaseURL: String?
    /// Streaming replicas of `databaseURL`'s server that take reads whenever they have replayed what this
    /// server has seen (writes always go to `databaseURL`).
    public var readDatabaseURLs: [String] = []
    /// A folder of documents imported when the archive is empty; `nil` imports nothing.
    public var seedsPath: String? = "./seeds"
    public var logLevel: Logger.Level = .info
    /// The bearer token that writes must present; `nil` disables writes.
    public var apiToken: String?
    /// Origins allowed cross-origin access (`*` for any); empty turns CORS off.
    public var corsOrigins: [String] = []
    /// The largest request body accepted, in bytes (after gzip decoding).
    public var maximumBodySize = 10 * 1024 * 1024
    /// Header, URI, page-size, timeout and connection limits.
    public var limits = ServerLimits()
    /// Seconds to finish in-flight requests after SIGTERM.
    public var shutdownTimeout = 10
    /// Bytes of finished responses kept for repeated GETs while the archive is unchanged (16 MiB: a few
    /// thousand compressed pages, a small share of the server's memory); 0 turns the cache off.
    public var responseCacheBytes = 16 * 1024 * 1024
    /// Reads per second each client address may make (writes get a tenth); nil turns rate limits off.
    public var rateLimit: Int?
    /// Days a deleted article's tombstone stays in the change feed (`/changes`); a client further behind
    /// re-exports. 30: a month of holidays for a mirror.
    public var tombstoneDays = 30
    /// The server's address as its clients reach it (`https://news.example.org`), for the absolute links
    /// feeds must carry; nil: `http://HOST:PORT` of the listen address. Never read from `Host`, which any
    /// client sets, and whose answer the response cache would keep for everyone.
    public var publicURL: String?
    /// How webhooks are sent; `allowPrivate` and `maximumFailures` are settings, the timings are for tests.
    public var webhooks = WebhookSettings()

    /// The base of the absolute links in feeds, without a trailing slash.
    public var publicBaseURL: String {
        if let publicURL { return publicURL }
        let host = hostname == "0.0.0.0" || hostname == "::" ? "localhost" : hostname
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    public init() {}
}

/// One setting of `ServerConfiguration` as the command line and the environment name it.
public struct ServerSetting: Sendable {
    /// The long flag, without `--`.
    public let flag: String
    public let variable: String
    /// What the setting is, for `--help`.
    public let summary: String
    /// Reads the setting from text into a configuration; throws a message naming the setting.
    let apply: @Sendable (inout ServerConfiguration, String) throws(ServerSetting.Invalid) -> Void
    /// The setting's value in a configuration, as text; nil when it is unset.
    let text: @Sendable (ServerConfiguration) -> String?

    /// A value the setting cannot take.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The default, as text (nil: unset by default).
    public var defaultText: String? { text(ServerConfiguration()) }

    /// What an unset setting means, for help and the README (`none: writes disabled`).
    let unsetMeaning: String?

    /// The `--help` line: what it is, its variable and its default.
    public var help: String {
        "\(summary) (env \(variable), default \(defaultText ?? "none" + (unsetMeaning.map { ": " + $0 } ?? "")))."
    }
}

extension ServerConfiguration {
    /// Every setting a server reads from its command line or environment, in the README's order.
    public static let settings: [ServerSetting] = [
        text("host", "CLIPPINGS_HOST", "Address to listen on", get: { $0.hostname }, set: { $0.hostname = $1 }),
        number("port", "CLIPPINGS_PORT", "Port to listen on", 0...65_535, \.port),
        text("db", "CLIPPINGS_DB", "SQLite database file", get: { $0.databasePath }, set: { $0.databasePath = $1 }),
        ServerSetting(
            flag: "database-url",
            variable: "CLIPPINGS_DATABASE_URL",
            summary: "PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/DB) instead of the SQLite file",
            apply: { configuration, text throws(ServerSetting.Invalid) in
                do throws(DatabaseURL.Invalid) {
                    _ = try DatabaseURL(text)
                } catch {
                    throw ServerSetting.Invalid(description: "Invalid database URL: \(error.description).")
                }
                configuration.databaseURL = text
            },
            text: { $0.databaseURL },
            unsetMeaning: "the SQLite file"
        ),
        ServerSetting(
            flag: "read-database-url",
            variable: "CLIPPINGS_READ_DATABASE_URLS",
            summary:
                "Streaming replica of the PostgreSQL database that takes reads (repeatable; the variable takes a comma-separated list)",
            apply: { configuration, text throws(ServerSetting.Invalid) in
                let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                for address in addresses {
                    do throws(DatabaseURL.Invalid) {
                        _ = try DatabaseURL(address)
                    } catch {
                        throw ServerSetting.Invalid(description: "Invalid read database URL: \(error.description).")
                    }
                }
                configuration.readDatabaseURLs = addresses
            },
            text: { $0.readDatabaseURLs.isEmpty ? nil : $0.readDatabaseURLs.joined(separator: ",") },
            unsetMeaning: "every read on the primary"
        ),
        text(
            "seeds",
            "CLIPPINGS_SEEDS",
            "Folder of documents imported when the database is empty",
            get: { $0.seedsPath },
            set: { $0.seedsPath = $1 }
        ),
        ServerSetting(
            flag: "log-level",
            variable: "CLIPPINGS_LOG_LEVEL",
            summary: "Log level: trace, debug, info, notice, warning, error, critical",
            apply: { configuration, text throws(ServerSetting.Invalid) in
                guard let level = Logger.Level(rawValue: text.lowercased()) else {
                    throw ServerSetting.Invalid(description: "Unknown log level '\(text)'.")
                }
                configuration.logLevel = level
            },
            text: { $0.logLevel.rawValue },
            unsetMeaning: nil
        ),
        text(
            "api-token",
            "CLIPPINGS_API_TOKEN",
            "Bearer token that enables writes",
            unset: "writes disabled",
            get: { $0.apiToken },
            set: { $0.apiToken = $1 }
        ),
        ServerSetting(
            flag: "cors-origins",
            variable: "CLIPPINGS_CORS_ORIGINS",
            summary: "Comma-separated origins allowed cross-origin access, or *",
            apply: { configuration, text in
                configuration.corsOrigins = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
            },
            text: { $0.corsOrigins.isEmpty ? nil : $0.corsOrigins.joined(separator: ",") },
            unsetMeaning: "CORS off"
        ),
        number(
            "max-body-bytes",
            "CLIPPINGS_MAX_BODY_BYTES",
            "Largest request body, after gzip decoding",
            1...Int.max,
            \.maximumBodySize
        ),
        number(
            "max-header-bytes",
            "CLIPPINGS_MAX_HEADER_BYTES",
            "Largest request header section",
            1...Int.max,
            \.limits.maximumHeaderSize
        ),
        number(
            "max-uri-bytes",
            "CLIPPINGS_MAX_URI_BYTES",
            "Longest request target, path and query",
            1...Int.max,
            \.limits.maximumURILength
        ),
        number(
            "max-query-bytes",
            "CLIPPINGS_MAX_QUERY_BYTES",
            "Longest query string",
            1...Int.max,
            \.limits.maximumQueryLength
        ),
        number(
            "max-page-size",
            "CLIPPINGS_MAX_PAGE_SIZE",
            "Largest `limit` a listing accepts",
            1...Int.max,
            \.limits.maximumPageSize
        ),
        number(
            "idle-timeout",
            "CLIPPINGS_IDLE_TIMEOUT",
            "Seconds a connection may go without a complete request head",
            1...Int.max,
            \.limits.idleTimeout
        ),
        number(
            "body-timeout",
            "CLIPPINGS_BODY_TIMEOUT",
            "Seconds a client has to send a request body",
            1...Int.max,
            \.limits.bodyTimeout
        ),
        number(
            "request-timeout",
            "CLIPPINGS_REQUEST_TIMEOUT",
            "Seconds a read's queries may run before it is answered 503 (exports stream and writes are exempt)",
            1...3_600,
            \.limits.requestTimeoutSeconds
        ),
        number(
            "max-connections",
            "CLIPPINGS_MAX_CONNECTIONS",
            "Connections served at once; more wait",
            1...Int.max,
            \.limits.maximumConnections
        ),
        number(
            "shutdown-timeout",
            "CLIPPINGS_SHUTDOWN_TIMEOUT",
            "Seconds to finish in-flight requests after SIGTERM",
            1...Int.max,
            \.shutdownTimeout
        ),
        ServerSetting(
            flag: "rate-limit",
            variable: "CLIPPINGS_RATE_LIMIT",
            summary: "Reads per second per client address, in bursts of twice that; writes get a tenth",
            apply: { configuration, text throws(ServerSetting.Invalid) in
                guard let value = Int(text), (1...1_000_000).contains(value) else {
                    throw ServerSetting.Invalid(
                        description:
                            "CLIPPINGS_RATE_LIMIT (or --rate-limit) must be a whole number from 1, not '\(text)'."
                    )
                }
                configuration.rateLimit = value
            },
            text: { $0.rateLimit.map(String.init) },
            unsetMeaning: "no rate limit"
        ),
        number(
            "cache-bytes",
            "CLIPPINGS_CACHE_BYTES",
            "Bytes of finished responses kept for repeated GETs while the archive is unchanged; 0 turns the cache off",
            0...Int.max,
            \.responseCacheBytes
        ),
        ServerSetting(
            flag: "public-url",
            variable: "CLIPPINGS_PUBLIC_URL",
            summary: "The server's address as clients reach it (http or https, no query), for the links in feeds",
            apply: { configuration, text throws(ServerSetting.Invalid) in
                let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
                guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                    url.host?.isEmpty == false, url.query == nil, url.fragment == nil, url.user == nil
                else {
                    throw ServerSetting.Invalid(
                        description:
                            "CLIPPINGS_PUBLIC_URL (or --public-url) must be an http(s) URL without query, not '\(text)'."
                    )
                }
                configuration.publicURL = trimmed
            },
            text: { $0.publicURL },
            unsetMeaning: "http://HOST:PORT of the listen address"
        ),
        ServerSetting(
            flag: "allow-private-webhooks",
            variable: "CLIPPINGS_ALLOW_PRIVATE_WEBHOOKS",
            summary: "Allow webhook callbacks to loopback and private addresses (true or false)",
            apply: { configuration, text throws(ServerSetting.Invalid) in
                switch text.lowercased() {
                case "true", "1", "yes": configuration.webhooks.allowPrivate = true
                case "false", "0", "no": configuration.webhooks.allowPrivate = false
                default:
                    throw ServerSetting.Invalid(
                        description:
                            "CLIPPINGS_ALLOW_PRIVATE_WEBHOOKS (or --allow-private-webhooks) must be true or false, not '\(text)'."
                    )
                }
            },
            text: { String($0.webhooks.allowPrivate) },
            unsetMeaning: nil
        ),
        number(
            "webhook-failures",
            "CLIPPINGS_WEBHOOK_FAILURES",
            "Failed webhook deliveries in a row after which a subscription is disabled",
            1...1_000,
            \.webhooks.maximumFailures
        ),
        number(
            "tombstone-days",
            "CLIPPINGS_TOMBSTONE_DAYS",
            "Days a deleted article stays in the change feed (/changes) before a client that far behind must re-export",
            1...36_500,
            \.tombstoneDays
        ),
    ]

    /// The setting with this flag.
    public static func setting(_ flag: String) -> ServerSetting {
        guard let setting = settings.first(where: { $0.flag == flag }) else { preconditionFailure("no --\(flag)") }
        return setting
    }

    /// The configuration the given flags (by name, without `--`) and environment describe: a flag wins over
    /// its variable, an empty variable counts as unset, and everything else keeps its default. `only`
    /// limits the settings read (a command that opens the archive reads the database and log settings).
    public static func resolve(
        flags: [String: String],
        environment: [String: String],
        only: Set<String>? = nil
    ) throws(ServerSetting.Invalid) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        for setting in settings where only?.contains(setting.flag) ?? true {
            guard let text = flags[setting.flag] ?? environment[setting.variable].flatMap({ $0.isEmpty ? nil : $0 })
            else { continue }
            try setting.apply(&configuration, text)
        }
        if !configuration.readDatabaseURLs.isEmpty, configuration.databaseURL == nil {
            throw ServerSetting.Invalid(
                description: "Read replicas (--read-database-url) need the primary's --database-url."
            )
        }
        return configuration
    }

    private static func text(
        _ flag: String,
        _ variable: String,
        _ summary: String,
        unset: String? = nil,
        get: @escaping @Sendable (ServerConfiguration) -> String?,
        set: @escaping @Sendable (inout ServerConfiguration, String) -> Void
    ) -> ServerSetting {
        ServerSetting(
            flag: flag,
            variable: variable,
            summary: summary,
            apply: { set(&$0, $1) },
            text: get,
            unsetMeaning: unset
        )
    }

    /// A whole number within `range`.
    private static func number(
        _ flag: String,
        _ variable: String,
        _ summary: String,
        _ range: ClosedRange<Int>,
        _ keyPath: any WritableKeyPath<ServerConfiguration, Int> & Sendable
    ) -> ServerSetting {
        ServerSetting(
            flag: flag,
            variable: variable,
            summary: summary,
            apply: { configuration, text throws(ServerSetting.Invalid) in
                guard let value = Int(text) else {
                    throw ServerSetting.Invalid(
                        description: "\(variable) (or --\(flag)) must be a whole number, not '\(text)'."
                    )
                }
                guard range.contains(value) else {
                    let bounds =
                        range.upperBound == Int.max
                        ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
                    throw ServerSetting.Invalid(
                        description: "\(variable) (or --\(flag)) must be \(bounds), not \(value)."
                    )
                }
                configuration[keyPath: keyPath] = value
            },
            text: { String($0[keyPath: keyPath]) },
            unsetMeaning: nil
        )
    }
}
