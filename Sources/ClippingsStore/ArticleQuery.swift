import Foundation

/// What a client asks of `/articles`: filters, order, page size and position.
public struct ArticleQuery: Sendable, Equatable {
    /// The orders articles can be listed in. Undated articles come last in every date order.
    public enum Sort: String, Sendable, CaseIterable {
        case newest = "-published_at"
        case oldest = "published_at"
        case title = "title"
        /// Best match first (BM25, title weighted above body); only with a search.
        case relevance = "relevance"
    }

    /// Full-text search; results then carry a score and a snippet.
    public var search: SearchQuery?
    /// Whether to count every match for `total` (a bulk export paging through everything does not need it).
    public var countsTotal = true

    public var tags: [String] = []
    public var sources: [String] = []
    public var languages: [String] = []
    public var authors: [String] = []
    /// Story ids: the articles of any of these stories.
    public var stories: [Int64] = []
    /// Inclusive lower bound on `published_at`.
    public var from: Date?
    /// Exclusive upper bound on `published_at` (a date-only `to` is turned into the next midnight by callers).
    public var until: Date?
    /// Only articles whose `updated_at` is later than this (strictly).
    public var updatedAfter: Date?
    /// Only articles whose `updated_at` is earlier than this (strictly).
    public var updatedBefore: Date?
    public var sort: Sort = .newest
    public var limit: Int = 20
    public var cursor: Cursor?

    public init() {}
}

/// A position in a listing, opaque to clients: the sort key and id of the last item shown.
///
/// Keyset pagination: the next page starts strictly after this key, so pages stay correct while
/// articles are added and a deep page costs the same as the first.
public struct Cursor: Sendable, Equatable, Codable {
    /// Which listing order the key belongs to.
    public var order: String
    /// The last item's sort value (`nil` for an undated article in a date order).
    public var key: String?
    /// The last item's count, for listings ordered by count.
    public var count: Int?
    /// The last item's id or slug, breaking ties.
    public var last: String
    /// What the listing selects (its filters, search, prefix), as `ArticleQuery.scope` or
    /// `DirectoryQuery.scope` says it: a cursor is refused on any other selection, where it would skip or
    /// repeat items. Cursors issued before it was kept have none, and are taken as they were.
    public var scope: String?
    /// For relevance order: the statistics every page scores with, those of the first page.
    public var ranking: SearchRanking?

    public init(order: String, key: String?, count: Int? = nil, last: String, scope: String? = nil) {
        self.order = order
        self.key = key
        self.count = count
        self.last = last
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case order = "o"
        case key = "k"
        case count = "c"
        case last = "l"
        case scope = "s"
        case ranking = "r"
    }

    /// Whether this cursor may continue a listing of `scope`.
    package func continues(_ scope: String) -> Bool {
        self.scope.map { $0 == scope } ?? true
    }

    /// The opaque token: base64url of a small JSON object.
    public var token: String {
        // Sorted keys: the same position gives the same token in every process, so pages (and their ETags)
        // do not change when the server restarts.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(self)) ?? Data()
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a token; nil when it was not made by `token`.
    public init?(token: String) {
        guard token.count <= 8192 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Cursor.self, from: data)
        else { return nil }
        self = cursor
    }
}

/// What a client asks of `/tags` or `/sources`.
public struct DirectoryQuery: Sendable, Equatable {
    /// Only entries whose slug or name starts with this (case-insensitive).
    public var prefix: String?
    /// Exactly this slug (for detail lookups).
    package var exactSlug: String?
    public var limit: Int = 20
    public var cursor: Cursor?

    public init() {}
}

/// Why a query cannot be answered.
public enum QueryError: Error, Equatable, Sendable {
    /// The cursor was not issued for this listing.
    case invalidCursor
    /// `sort=relevance` without a search to rank by.
    case relevanceWithoutSearch
    /// The search's phrases, made of words most articles hold, would be checked in too many articles
    /// (`PhraseWork`); the phrases that weigh.
    case phrasesTooCommon([String])
}
