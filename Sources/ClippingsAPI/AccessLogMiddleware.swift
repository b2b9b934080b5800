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
        let started = ContinuousClock.now
        let id = request.headers[RequestID.field].flatMap(RequestID.accepted) ?? RequestID.make()
        var context = context
        context.logger[metadataKey: "request.id"] = .string(id)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Errors are turned into problems further in; one that escapes is still logged, then passed on.
            record(request, status: 500, bytes: nil, since: started, context: context)
            throw error
        }
        response.headers[RequestID.field] = id
        record(
            request,
            status: response.status.code,
            bytes: response.body.contentLength,
            since: started,
            context: context
        )
        return response
    }

    func record(_ request: Request, status: Int, bytes: Int?, since started: ContinuousClock.Instant, context: Context)
    {
        AccessLog.record(
            method: request.method.rawValue,
            path: request.uri.path,
            route: context.endpointPath ?? "unmatched",
            status: status,
            bytes: bytes,
            since: started,
            metrics: metrics,
            logger: context.logger
        )
    }
}

/// One answered request, recorded the same way whether the router or the cache's channel handler answered.
enum AccessLog {
    static func record(
        method: String,
        path: String,
        route: String,
        status: Int,
        bytes: Int?,
        since started: ContinuousClock.Instant,
        metrics: ServerMetrics,
        logger: Logger
    ) {
        let elapsed = ContinuousClock.now - started
        metrics.observe(method: method, route: route, status: status, duration: elapsed)
        guard logger.logLevel <= .info else { return }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info(
            "request",
            metadata: [
                "http.method": .string(method),
                "http.path": .string(path),
                "http.status": .stringConvertible(status),
                // Streamed bodies (exports) have no length up front.
                "http.bytes": bytes.map { .stringConvertible($0) } ?? .string("streamed"),
                "duration_ms": .string(String(format: "%.2f", milliseconds)),
            ]
        )
    }
}
