import HTTPTypes
import Hummingbird

/// Refuses a client over its rate (`RateLimiter`) with 429, `Retry-After` and the draft `RateLimit`
/// fields, and tells every other answer what is left. Health probes are never limited: a load balancer
/// must see a busy server as alive.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard request.uri.path != "/health" else { return try await next(request, context) }
        let decision = limiter.take(request.method, from: context.clientAddress)
        guard decision.allowed else {
            metrics.recordRateLimited(decision.kind)
            var problem = Problem(
                .tooManyRequests,
                detail: "Too many \(decision.kind.rawValue) from this address; retry after \(decision.retryAfter) s."
            )
            problem.headers = decision.headers
            return try problem.response(from: request, context: context)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: decision.headers)
        return response
    }
}
