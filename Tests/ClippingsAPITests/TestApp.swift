import ClippingsAPI
import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// Arguments for an app over a fresh in-memory archive seeded from the repository's `seeds/`.
struct TestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var databasePath: String? = nil
    var seedsPath: String? = TestArguments.repository.appendingPathComponent("seeds").path
    var logLevel: Logger.Level = .warning
    var apiToken: String? = nil
    var maximumBodySize = 64 * 1024
    var limits = ServerLimits()
    var corsOrigins: [String] = []

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// Builds the real application and runs `body` against it, in-process or over a real socket.
func withApp<Value: Sendable>(
    _ setup: TestingSetup = .router,
    arguments: TestArguments = TestArguments(),
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
