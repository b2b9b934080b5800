import ClippingsAPI
import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

enum TestArguments {
    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

extension ServerConfiguration {
    /// An app over a fresh in-memory archive seeded from the repository's `seeds/`, on a free port.
    static var testing: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.databasePath = nil
        configuration.seedsPath = TestArguments.repository.appendingPathComponent("seeds").path
        configuration.logLevel = .warning
        configuration.maximumBodySize = 64 * 1024
        return configuration
    }
}

/// Builds the real application and runs `body` against it, in-process or over a real socket.
func withApp<Value: Sendable>(
    _ setup: TestingSetup = .router,
    arguments: ServerConfiguration = .testing,
    logger: Logger? = nil,
    _ body: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let app = try await buildApplication(arguments, logger: logger)
    return try await app.test(setup, body)
}

extension TestResponse {
    /// The body as JSON, decoding gzip first when the response is compressed.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(plainBody().readableBytesView), options: [.fragmentsAllowed])
    }

    func object() throws -> [String: Any] { try json() as? [String: Any] ?? [:] }

    func plainBody() throws -> ByteBuffer {
        guard headers[.contentEncoding] == "gzip" else { return body }
        var compressed = body
        return try compressed.decompress(with: .gzip())
    }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers, body: nil)
    }
}
