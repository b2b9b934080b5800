import Foundation

extension ArticleQuery {
    /// The parameters that say which articles a listing or an export holds, in which order.
    public static let filterParameters: Set<String> = [
        "q", "sort", "tag", "source", "language", "author", "from", "to", "story",
        "updated_after", "updated_before",
    ]

    /// The query `/articles`-style parameters describe (`q`, `tag`, `from`…); `maximumPageSize` bounds
    /// `limit`. The one reading of these parameters, for the API and the command line alike.
    public init(_ parameters: QueryParameters, maximumPageSize: Int = 100) throws(InputError) {
        self.init()
        limit = try parameters.integer("limit", in: 1...maximumPageSize, default: 20)
        try readFilters(parameters)
        sort = try parameters.choice("sort", default: search == nil ? .newest : .relevance)
        if sort == .relevance, search == nil {
            throw .parameter("sort", "relevance needs a search (q)")
        }
        cursor = try parameters.cursor()
        if let cursor, cursor.order != sort.rawValue {
            throw .parameter("cursor", "issued for sort=\(cursor.order), not sort=\(sort.rawValue)")
        }
    }

    /// Reads which articles the parameters select (`q`, `tag`, `source`, `language`, `author`, `from`, `to`,
    /// `story`, `updated_after`, `updated_before`), leaving order and paging alone: what `/stories` filters its stories' articles by, too.
    public mutating func readFilters(_ parameters: QueryParameters) throws(InputError) {
        if let text = try parameters.single("q") {
            do {
                search = try SearchQuery(text)
            } catch {
                throw .parameter("q", error.message)
            }
        }
        tags = try parameters.all("tag")
        sources = try parameters.all("source")
        languages = try parameters.all("language")
        for language in languages where !ArticleRules.isLanguageCode(language) {
            throw .parameter("language", "must be a language code such as en, no or und")
        }
        authors = try parameters.all("author")
        stories = try parameters.all("story").map { value throws(InputError) in
            guard let id = Int64(value), id > 0 else {
                throw .parameter("story", "must be a story id (a positive integer)")
            }
            return id
        }
        from = try parameters.date("from", upperBound: false)
        until = try parameters.date("to", upperBound: true)
        if let from, let until, from >= until {
            throw .parameter("to", "must not be before 'from'")
        }
        // Both strict, as WordPress' `modified_after` and `modified_before`; a date alone is its midnight (UTC).
        updatedAfter = try parameters.date("updated_after", upperBound: false)
        updatedBefore = try parameters.date("updated_before", upperBound: false)
        if let updatedAfter, let updatedBefore, updatedAfter >= updatedBefore {
            throw .parameter("updated_before", "must be later than 'updated_after'")
        }
    }
}
