import Foundation
import Logging
import PostgresNIO

/// Empty databases made on a server for one use (a test, a benchmark run), named with a random suffix.
public enum ScratchDatabase {
    /// Creates an empty database on the server `url` names (whose user may create databases), and returns
    /// its address.
    public static func create(on url: DatabaseURL, prefix: String = "clippings_scratch") async throws -> DatabaseURL {
        let name = prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let client = PostgresClient(configuration: url.configuration(connections: 1))
        let running = Task { await client.run() }
        defer { running.cancel() }
        // CREATE DATABASE takes no parameters; the name is made here of letters, digits and underscores.
        _ = try await client.rows(
            PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"),
            logger: Logger(label: "clippings.postgres")
        )
        var scratch = url
        scratch.database = name
        return scratch
    }
}
