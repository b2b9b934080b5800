import Foundation
import HTTPTypes
import Hummingbird

/// Who may write, and how much: the bearer token writes must present and the body size they may send.
///
/// Reads stay open. With no token configured, writes are refused with a 403 that says how to enable them,
/// so an archive is never writable by accident.
public struct WritePolicy: Sendable {
    public var token: String?
    public var maximumBodySize: Int
    /// How long a client may take to send a body once its head has arrived.
    public var bodyTimeout: Duration

    public init(
        token: String? = nil,
        maximumBodySize: Int = ServerConfiguration().maximumBodySize,
        bodyTimeout: Duration = .seconds(ServerLimits().bodyTimeout)
    ) {
        self.token = token?.isEmpty == true ? nil : token
        self.maximumBodySize = maximumBodySize
        self.bodyTimeout = bodyTimeout
    }

    /// Throws the right problem unless the request carries the configured token.
    func authorize(_ request: Request) throws(Problem) {
        guard let token else {
            throw Problem(
                .forbidden,
                detail: "Writes are disabled. Start the server with CLIPPINGS_API_TOKEN or --api-token set, "
                    + "then send 'Authorization: Bearer <token>'."
            )
        }
        let presented = Self.bearerToken(request.headers[.authorization] ?? "") ?? ""
        guard Self.constantTimeEqual(presented, token) else {
            var problem = Problem(
                .unauthorized,
                detail: "Writes need 'Authorization: Bearer <token>' with the server's token."
            )
            problem.headers[.wwwAuthenticate] = "Bearer realm=\"clippings\""
            throw problem
        }
    }

    /// The token of a `Bearer` credential; the scheme is case-insensitive (RFC 9110 §11.1) and may be
    /// followed by more than one space.
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Compares without returning early, so the time taken says nothing about where a guess went wrong.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && left.count == right.count
    }
}
