import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Gives every successful GET/HEAD response an `ETag` and answers a matching `If-None-Match` with 304.
///
/// The tag is a weak validator over the plain (uncompressed) body, so the gzip and identity
/// representations share it, which is what weak comparison (RFC 9110 §13.1.2) allows.
struct ETagMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response = try await next(request, context)
        // Streamed bodies (exports) have no length up front; tagging them would mean holding them whole.
        // `no-store` answers (metrics) change on every request: a validator would never match.
        guard request.method == .get || request.method == .head, response.status == .ok,
            response.body.contentLength != nil, response.headers[.cacheControl] != "no-store"
        else { return response }
        let body = try await response.collectBody()
        let digest = SHA256.hash(data: body.readableBytesView)
        let tag = "W/\"" + digest.prefix(12).map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined() + "\""
        response.headers[.eTag] = tag
        return Self.notModified(request, tag: tag) ?? response
    }

    /// The bodiless 304 for a request whose `If-None-Match` matches `tag`, or nil.
    static func notModified(_ request: Request, tag: String) -> Response? {
        EntityTag.notModified(request.headers, tag: tag).map { Response(status: .notModified, headers: $0) }
    }
}

/// `If-None-Match` against our tags, without the router's types: the cache's channel handler uses it too.
enum EntityTag {
    /// The headers of the 304 for a request whose `If-None-Match` matches `tag`, or nil.
    static func notModified(_ requestHeaders: HTTPFields, tag: String) -> HTTPFields? {
        guard let condition = requestHeaders[.ifNoneMatch], matches(condition, tag) else { return nil }
        var headers = HTTPFields()
        headers[.eTag] = tag
        return headers
    }

    /// Weak comparison of an `If-None-Match` list against our tag.
    static func matches(_ header: String, _ tag: String) -> Bool {
        let opaque = { (value: Substring) in
            value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        }
        return header.split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces) == "*" || opaque($0) == opaque(Substring(tag))
        }
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
