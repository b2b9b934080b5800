import ClippingsStore
import Hummingbird

/// `/articles/feed.atom` and `/articles/feed.json`: any `/articles` query as a feed, for feed readers
/// ("a feed of a saved search"), with the same filters, search, cursors, ETags and gzip.
struct FeedsController<Context: RequestContext> {
    let store: any ArchiveStore
    let maximumPageSize: Int
    /// The server's public address, for the absolute links feeds need.
    let publicURL: String

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get("feed.atom", use: atom)
            .get("feed.json", use: json)
    }

    @Sendable func atom(_ request: Request, context: Context) async throws -> Response {
        let feed = try await ArticleFeed(request, store: store, maximumPageSize: maximumPageSize, base: publicURL)
        return response(ByteBuffer(string: AtomFeed.document(feed)), contentType: AtomFeed.contentType)
    }

    @Sendable func json(_ request: Request, context: Context) async throws -> Response {
        let feed = try await ArticleFeed(request, store: store, maximumPageSize: maximumPageSize, base: publicURL)
        return response(ByteBuffer(bytes: try JSONFeed(feed).bytes()), contentType: JSONFeed.contentType)
    }

    private func response(_ body: ByteBuffer, contentType: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: body)
        )
    }
}
