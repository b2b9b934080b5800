import Foundation
import Hummingbird

/// The request context of every route: Hummingbird's basics plus our JSON conventions.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for rate limits; `unknown` when the channel has none (in-process tests).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// RFC 3339 dates and unescaped slashes in URLs; field names come from each response type's keys.
    public var responseEncoder: JSONEncoder { Self.encoder }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]  // stable bytes, stable ETags
        return encoder
    }()
}
