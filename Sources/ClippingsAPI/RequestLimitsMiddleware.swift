import HTTPTypes
import Hummingbird

/// Refuses request targets longer than the limits with 414, before any route parses them: a long query
/// string is work for the query parser and the database that no real client needs.
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: ServerLimits

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let target = request.uri.string.utf8
        if target.count > limits.maximumURILength {
            throw Problem(.uriTooLong, detail: "The request target is longer than \(limits.maximumURILength) bytes.")
        }
        if let query = request.uri.query, query.utf8.count > limits.maximumQueryLength {
            throw Problem(.uriTooLong, detail: "The query string is longer than \(limits.maximumQueryLength) bytes.")
        }
        return try await next(request, context)
    }
}
