import ClippingsStore
import Hummingbird

/// `/changes`: every change to the archive's articles after a sequence number, for clients that mirror it.
///
/// Each article appears once, at its latest change (CouchDB's `_changes` model): replaying the feed from 0
/// upserts every live article and deletes the rest, which is the archive. `wait` long-polls: an empty
/// answer is held until something is committed, by this process (woken at once) or another (seen within
/// `recheckInterval`).
struct ChangesController<Context: RequestContext> {
    let store: any ArchiveStore
    let maximumPageSize: Int

    /// The longest `wait` accepted, in seconds: below the idle timeouts of common proxies (60 s).
    static var maximumWait: Int { 55 }
    /// How often a long poll asks again for commits by other processes.
    static var recheckInterval: Duration { .milliseconds(200) }

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self).get(use: list)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["since", "limit", "wait"])
        let since = try parameters.integer("since", in: 0...Int.max, default: 0)
        let limit = try parameters.integer("limit", in: 1...maximumPageSize, default: min(100, maximumPageSize))
        let wait = try parameters.integer("wait", in: 0...Self.maximumWait, default: 0)
        let page = try await poll(since: Int64(since), limit: limit, wait: .seconds(wait))
        var response = FieldSelection.response(ChangesResponse(page))
        // An empty held answer is about the moment it was given: the next identical request must wait again,
        // not be answered from the response cache at once.
        if wait > 0, page.items.isEmpty { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// The changes after `since`, waiting up to `wait` for some when there are none.
    func poll(since: Int64, limit: Int, wait: Duration) async throws -> ChangePage {
        let deadline = ContinuousClock.now + wait
        // Each look gets the request's whole query budget: the wait is not work.
        let allowance = QueryBudget.deadline.map { $0 - .now }
        while true {
            let page = try await QueryBudget.$deadline.withValue(allowance.map { .now + $0 }) {
                try await read(since: since, limit: limit)
            }
            let left = deadline - .now
            if !page.items.isEmpty || left <= .zero || Task.isCancelled { return page }
            await store.nextCommit(within: min(left, Self.recheckInterval))
        }
    }

    private func read(since: Int64, limit: Int) async throws -> ChangePage {
        do {
            return try await store.changes(since: since, limit: limit)
        } catch ChangeFeedError.expired(let oldest) {
            var problem = Problem(
                .gone,
                detail: "Deletions after change \(since) are no longer kept. Export the archive again "
                    + "(/articles/export), then follow the changes from since=\(oldest)."
            )
            problem.oldestSince = oldest
            throw problem
        }
    }
}

/// `{"items": [{"seq", "type", "id", "article"}], "next_since", "latest"}`.
struct ChangesResponse: Sendable, JSONWritable {
    let page: ChangePage

    init(_ page: ChangePage) { self.page = page }

    func write(to json: inout JSONOutput) {
        json.object { json in
            json.member("items", page.items.map(ChangeItem.init))
            json.member("latest", page.latest)
            json.member("next_since", page.nextSince)
        }
    }
}

/// One change: an upsert with the article as `/articles/{id}` shows it, or a delete with `article: null`.
struct ChangeItem: JSONWritable {
    let change: ArticleChange

    func write(to json: inout JSONOutput) {
        json.object { json in
            json.member("article", change.article.map(ArticleJSON.init))
            json.member("id", change.articleID)
            json.member("seq", change.seq)
            json.member("type", change.article == nil ? "delete" : "upsert")
        }
    }
}
