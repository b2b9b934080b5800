import ClippingsStore
import Foundation
import Hummingbird

/// Every article matching a query, written out as NDJSON (one whole article per line, as `GET
/// /articles/{id}` shows it) or CSV (a flat summary per row), a batch at a time so memory stays flat
/// however large the archive. Shared by `GET /articles/export` and `clippings export`.
public struct ArticleExport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case ndjson, csv

        var contentType: String {
            switch self {
            case .ndjson: "application/x-ndjson; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    /// The CSV columns, in order; columns added later come last, so scripts reading by position keep working.
    public static let csvColumns = [
        "id", "slug", "title", "author", "published_at", "language", "source", "source_domain", "url", "tags",
        "word_count", "summary", "authors",
    ]
    /// The parameters an export takes: the `/articles` filters, search and order, and the format.
    static let parameters: Set<String> = ["format", "q", "sort", "tag", "source", "language", "author", "from", "to"]
    static let batchSize = 500

    let store: any ArchiveStore
    let query: ArticleQuery
    public let format: Format

    /// An export described by `/articles`-style parameters (`q`, `tag`, `from`…), validated as the API does.
    public init(store: any ArchiveStore, parameters: [(name: String, value: String)]) throws(Problem) {
        let parsed = try QueryParameters(pairs: parameters, allowed: Self.parameters)
        self.store = store
        self.format = try parsed.choice("format", default: Format.ndjson)
        var query = try ArticleListing.query(parsed)
        query.limit = Self.batchSize
        query.countsTotal = false
        self.query = query
    }

    /// Writes the export, batch by batch, to `sink`.
    public func write(to sink: (ByteBuffer) async throws -> Void) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if format == .csv { try await sink(ByteBuffer(string: Self.csvLine(Self.csvColumns))) }
        var batch = query
        while true {
            let page = try await store.articles(batch)
            var buffer = ByteBuffer()
            switch format {
            case .ndjson:
                for article in try await store.details(of: page.items) {
                    buffer.writeBytes(try encoder.encode(ArticleResponse(article: article)))
                    buffer.writeString("\n")
                }
            case .csv:
                for article in page.items { buffer.writeString(Self.csvLine(Self.csvRow(article))) }
            }
            if buffer.readableBytes > 0 { try await sink(buffer) }
            guard let next = page.nextCursor.flatMap(Cursor.init(token:)) else { return }
            batch.cursor = next
        }
    }

    /// The streamed HTTP response, named as an attachment.
    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.contentDisposition] = "attachment; filename=\"articles.\(format.rawValue)\""
        let export = self
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                try await export.write { try await writer.write($0) }
                try await writer.finish(nil)
            }
        )
    }

    static func csvRow(_ article: ArticleSummary) -> [String] {
        [
            String(article.id), article.slug, article.title, article.author ?? "",
            article.publishedAt.map(Timestamp.string) ?? "", article.language, article.source?.slug ?? "",
            article.source?.domain ?? "", article.url ?? "", article.tags.map(\.slug).joined(separator: ";"),
            String(article.wordCount), article.summary, article.authors.joined(separator: ";"),
        ]
    }

    /// One RFC 4180 record: fields with commas, quotes or line breaks are quoted, quotes doubled.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
