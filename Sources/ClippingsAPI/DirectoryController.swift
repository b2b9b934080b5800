import ClippingsStore
import Hummingbird

/// A directory of things that group articles — tags, sources — served the same way:
/// `GET /` (paged, by article count), `GET /{slug}` and `GET /{slug}/articles`.
struct DirectoryController<Context: RequestContext, Entry: Sendable, EntryResponse: Encodable & Sendable> {
    /// What the directory lists, for messages: "tag", "source".
    let noun: String
    /// Restricts an `/articles` query to one entry, as `/{slug}/articles` does.
    let restrict: @Sendable (inout ArticleQuery, String) -> Void
    let list: @Sendable (DirectoryQuery) async throws -> Page<Entry>
    let find: @Sendable (String) async throws -> Entry?
    let slug: @Sendable (Entry) -> String
    let present: @Sendable (Entry) -> EntryResponse
    /// The entry on its own page, which may say more than in the list.
    let presentAlone: @Sendable (Entry) async throws -> EntryResponse
    /// The fields `fields=` may name.
    let fieldNames: Set<String>
    let store: any ArchiveStore
    /// The largest `limit` accepted.
    let maximumPageSize: Int

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get(use: listEntries)
            .get("{slug}", use: getEntry)
            .get("{slug}/articles", use: entryArticles)
    }

    @Sendable func listEntries(_ request: Request, context: Context) async throws -> Response {
        let parameters = try QueryParameters(request, allowed: ["limit", "cursor", "prefix", "fields"])
        var query = DirectoryQuery()
        query.limit = try parameters.integer("limit", in: 1...maximumPageSize, default: 20)
        query.cursor = try parameters.cursor()
        query.prefix = try parameters.single("prefix")
        let fields = try parameters.fields(fieldNames)
        let page = try await list(query)
        return try FieldSelection.response(ListResponse(page, transform: present), fields: fields)
            .linkingNextPage(of: request, cursor: page.nextCursor)
    }

    @Sendable func getEntry(_ request: Request, context: Context) async throws -> Response {
        let fields = try QueryParameters(request, allowed: ["fields"]).fields(fieldNames)
        return try FieldSelection.response(try await presentAlone(try await entry(context)), fields: fields)
    }

    @Sendable func entryArticles(_ request: Request, context: Context) async throws -> Response {
        var listing = try ArticleListing(request, fixed: [noun], maximumPageSize: maximumPageSize)
        restrict(&listing.query, slug(try await entry(context)))
        return try await listing.respond(to: request, store: store)
    }

    private func entry(_ context: Context) async throws -> Entry {
        let key = try context.parameters.require("slug")
        guard let entry = try await find(key) else { throw Problem.notFound("No \(noun) '\(key)'.") }
        return entry
    }
}

extension DirectoryController where Entry == TagInfo, EntryResponse == TagResponse {
    /// `/tags`: the tags in use.
    init(tagsOf store: any ArchiveStore, maximumPageSize: Int) {
        self.init(
            noun: "tag",
            restrict: { $0.tags = [$1] },
            list: { try await store.tags($0) },
            find: { try await store.tag(slug: $0) },
            slug: \.slug,
            present: { TagResponse(tag: $0) },
            presentAlone: { tag in
                let related = try await store.relatedTags(to: tag.slug, limit: 10)
                return TagResponse(
                    tag: tag,
                    relatedTags: related.map { .init(slug: $0.tag.slug, name: $0.tag.name, count: $0.count) }
                )
            },
            fieldNames: ResourceFields.tagNames.union(["related_tags"]),
            store: store,
            maximumPageSize: maximumPageSize
        )
    }
}

extension DirectoryController where Entry == SourceInfo, EntryResponse == ResourceJSON<SourceInfo> {
    /// `/sources`: the publishers with articles.
    init(sourcesOf store: any ArchiveStore, maximumPageSize: Int) {
        self.init(
            noun: "source",
            restrict: { $0.sources = [$1] },
            list: { try await store.sources($0) },
            find: { try await store.source(slug: $0) },
            slug: \.slug,
            present: { ResourceJSON($0, fields: ResourceFields.source) },
            presentAlone: { ResourceJSON($0, fields: ResourceFields.source) },
            fieldNames: ResourceFields.sourceNames,
            store: store,
            maximumPageSize: maximumPageSize
        )
    }
}
