import Foundation
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` address, read into a client configuration.
///
/// `sslmode=disable|prefer|require` may follow as a query item (default `prefer`, as libpq's). The password
/// is never part of `description`, so the address can be logged.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tlsMode: String

    /// Why an address cannot be used; the message names the part that is wrong.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Whether the text names a PostgreSQL database rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(Invalid) {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw Invalid(description: "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid(description: "the address names no host") }
        guard let user = components.user, !user.isEmpty else { throw Invalid(description: "the address names no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "the address names no database (…/DATABASE)")
        }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(mode) else {
            throw Invalid(description: "sslmode must be disable, prefer or require")
        }
        self.host = host
        port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        tlsMode = mode
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The client configuration: a pool of at most `connections`.
    func configuration(connections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case "disable": .disable
            case "require": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = connections
        return configuration
    }
}
