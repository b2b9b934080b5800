import ClippingsStore
import HTTPTypes
import Hummingbird

/// Serves repeated GETs from finished responses, gzip already applied, while the archive is unchanged.
///
/// Dashboards and scripts ask the same questions again and again; answering from memory skips the
/// queries, the JSON encoding and the compression, which were nearly all of a request's cost. Every
/// lookup first asks the store for its data version (`PRAGMA data_version`, which also moves when another
/// process such as `clippings import` commits), so a cached answer is never older than the archive.
/// Only complete 200 answers are kept (no streams, no `no-store`); a 304 is answered from the entry's ETag.
/// On a live server most hits never reach this middleware: `CachedResponseHandler` answers them on the
/// connection's event loop. This one stores what the router answers, and serves the hits it cannot.
struct ResponseCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    let cache: ResponseCache
    let store: any ArchiveStore
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let target = request.head.path ?? ""
        guard cache.admits(request.head),
            // A store that cannot say its version (storage trouble) is asked directly; errors become problems.
            let version = try? store.dataVersion()
        else { return try await next(request, context) }
        if let answer = cache.answer(to: request.head, version: version) {
            metrics.recordCacheHit(.router)
            return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: answer.body))
        }
        var response = try await next(request, context)
        guard response.status == .ok, response.body.contentLength != nil,
            response.headers[.cacheControl] != "no-store", request.headers[.ifNoneMatch] == nil
        else { return response }
        let body = try await response.collectBody()
        let entry = ResponseCache.Entry(
            headers: response.headers,
            body: body,
            route: context.routeLabel
        )
        cache.store(entry, for: ResponseCache.Key(target: target, headers: request.headers), version: version)
        return response
    }
}
