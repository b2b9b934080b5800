import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id, and records each answered request: one access-log line, and the request
/// counters and latency histogram of `/metrics`.
///
/// The id is the client's `X-Request-ID` when it is a sane token (so a caller can follow its request
/// through our logs), otherwise one we make; either way it is echoed in the response and carried by every
/// log line of the request. The access line is structured (swift-log metadata), at `info`.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let answered = AnsweredRequest(request.head, path: request.uri.path)
        var context = context
        context.logger[metadataKey: "request.id"] = .string(answered.id)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Errors are turned into problems further in; one that escapes is still logged, then passed on.
            answered.record(
                route: context.routeLabel,
                status: 500,
                bytes: nil,
                metrics: metrics,
                logger: context.logger
            )
            throw error
        }
        // Hummingbird adds `Date` and `Server` to what the router answers.
        answered.finish(
            &response.headers,
            route: context.routeLabel,
            status: response.status.code,
            bytes: response.body.contentLength,
            metrics: metrics,
            logger: context.logger
        )
        return response
    }
}

extension RequestContext {
    /// The route template for metrics and logs; `unmatched` when no route answered (the router itself
    /// names that case `NotFound`).
    var routeLabel: String {
        guard let path = endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}
