import Hummingbird

/// Gives every request a time budget: past it, the work is cancelled and the answer is a 503 problem with
/// `Retry-After`, so one costly request cannot hold a core for long.
///
/// Cancelling the work interrupts its SQLite statement (GRDB turns task cancellation into
/// `sqlite3_interrupt`), so the core is free again at once. A streamed export is exempt by construction:
/// its handler returns before the body streams, and the client can stop it by closing the connection.
/// `POST /articles/bulk` is exempt too: its cost is the size of a body its writer chose, not a query's.
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
        let budget = self.budget
        return try await withoutActuallyEscaping(next) { next in
            // The group outlives neither task, so `next` never escapes this call.
            let work = UncheckedBox(next)
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await work.value(request, context) }
                group.addTask {
                    try await Task.sleep(for: budget)
                    return nil
                }
                defer { group.cancelAll() }
                // The work's answer or error if it ends first; nil if the budget does.
                if let response = try await group.next() ?? nil { return response }
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

/// Carries a value the compiler cannot prove sendable into a child task that provably ends first.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
