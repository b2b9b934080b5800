import ClippingsStore
import Hummingbird

/// Gives every read a time budget: a query still running past it is stopped (`QueryBudget`) and the
/// answer is a 503 problem with `Retry-After`, so one costly request cannot hold a core for long.
///
/// A streamed export is exempt by construction: its queries run as the body streams, after the handler
/// has returned, and the client can stop it by closing the connection. Writes are exempt: their cost is
/// bounded by the body limits and they need the token, and a write that waited for the write lock (while
/// a `clippings import` committed) must not be stopped once it has it: its client would get a 503 for
/// waiting. A write that cannot get the lock within the busy timeout is still a 503.
struct RequestBudgetMiddleware<Context: RequestContext>: RouterMiddleware {
    let budget: Duration

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        return try await QueryBudget.$deadline.withValue(ContinuousClock.now + budget) {
            do {
                return try await next(request, context)
            } catch  where QueryBudget.isExceeded(error) {
                var problem = Problem(
                    .serviceUnavailable,
                    detail: "The request took longer than the server's budget of \(budget) and was stopped; "
                        + "narrow it (fewer terms, a smaller limit, fewer facets) or try again later."
                )
                problem.headers[.retryAfter] = "5"
                throw problem
            }
        }
    }
}
