import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: the one shape every error response of the API takes.
public struct Problem: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// One query parameter that was rejected, and why.
    public struct InvalidParameter: Sendable, Encodable, Equatable {
        public var name: String
        public var reason: String
    }

    public var status: HTTPResponse.Status
    public var detail: String
    public var invalidParameters: [InvalidParameter] = []
    public var headers: HTTPFields = [:]
    /// Per-line outcomes, on a bulk import that stored nothing (an RFC 9457 extension member).
    var lineResults: [BulkImport.LineResult]?
    /// On a 410 from `/changes`: the oldest `since` the feed still answers (an RFC 9457 extension member).
    var oldestSince: Int64?

    public var description: String { detail }

    public init(_ status: HTTPResponse.Status, detail: String) {
        self.status = status
        self.detail = detail
    }

    /// A 400 naming the parameter at fault.
    public static func invalidParameter(_ name: String, _ reason: String) -> Problem {
        var problem = Problem(.badRequest, detail: "Invalid parameter '\(name)': \(reason).")
        problem.invalidParameters = [InvalidParameter(name: name, reason: reason)]
        return problem
    }

    /// The 400 for input the archive's rules refuse, naming the parameter or field at fault.
    public init(_ error: InputError) {
        self.init(.badRequest, detail: error.description)
        if error.kind != .body { invalidParameters = [InvalidParameter(name: error.name, reason: error.reason)] }
    }

    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, detail: detail) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try AppRequestContext.encoder.encode(document(instance: request.uri.path))
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The problem as RFC 9457 JSON; `instance` is the request's path, absent when the request could not
    /// be parsed.
    func document(instance: String?) -> Document {
        Document(
            title: status.reasonPhrase,
            status: status.code,
            detail: detail,
            instance: instance,
            invalidParams: invalidParameters.isEmpty ? nil : invalidParameters,
            results: lineResults,
            oldestSince: oldestSince
        )
    }

    struct Document: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var instance: String?
        var invalidParams: [InvalidParameter]?
        var results: [BulkImport.LineResult]?
        var oldestSince: Int64?

        enum CodingKeys: String, CodingKey {
            case type, title, status, detail, instance, results
            case invalidParams = "invalid_params"
            case oldestSince = "oldest_since"
        }
    }
}
