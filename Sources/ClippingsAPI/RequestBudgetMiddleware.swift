import ClippingsStore
import Hummingbird

/// Gives every request a time budget: a query still running past it is stopped (`QueryBudget`) and the
/// answer is a 503 problem with `Retry-After`, so one costly request cannot hold a core for long.
///
/// A streamed export is exempt by construction: its queries run as the body streams, after the handler
/// has returned, and the client can stop it by closing the connection. `POST /articles/bulk` is exempt
/// too: its cost is the size of a body its writer chose, not a query's.
struct RequestBudgetMiddleware<Context: RequestContext>: RouterMiddleware {
    let budget: Duration
    /// Route templates exempt from the budget.
    static var exempt: Set<String> { ["/articles/bulk"] }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if let route = context.endpointPath, Self.exempt.contains(route) { return try await next(request, context) }
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
