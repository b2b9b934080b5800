import Foundation
import NIOCore

/// Every article matching a query, written out as NDJSON (one whole article per line, as `GET
/// /articles/{id}` shows it) or CSV (a flat summary per row, `ResourceFields.csvColumns`), a batch at a
/// time so memory stays flat however large the archive. Shared by `GET /articles/export` and `clippings
/// export`.
public struct ArticleExport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case ndjson, csv

        public var contentType: String {
            switch self {
            case .ndjson: "application/x-ndjson; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    /// The parameters an export takes: the `/articles` filters, search and order, and the format.
    public static let parameters = ArticleQuery.filterParameters.union(["format"])
    static let batchSize = 500

    let store: any ArchiveStore
    let query: ArticleQuery
    public let format: Format

    /// An export described by `/articles`-style parameters (`q`, `tag`, `from`…).
    public init(store: any ArchiveStore, parameters: [(name: String, value: String)]) throws(InputError) {
        let parsed = try QueryParameters(pairs: parameters, allowed: Self.parameters)
        self.store = store
        self.format = try parsed.choice("format", default: Format.ndjson)
        var query = try ArticleQuery(parsed)
        query.limit = Self.batchSize
        query.countsTotal = false
        self.query = query
    }

    /// Writes the export, batch by batch, to `sink`.
    public func write(to sink: (ByteBuffer) async throws -> Void) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if format == .csv { try await sink(ByteBuffer(string: Self.csvLine(ResourceFields.csvColumns.map(\.name)))) }
        var batch = query
        while true {
            let page = try await store.articles(batch)
            var buffer = ByteBuffer()
            switch format {
            case .ndjson:
                for article in try await store.details(of: page.items) {
                    buffer.writeBytes(try encoder.encode(ArticleJSON(article)))
                    buffer.writeString("\n")
                }
            case .csv:
                for article in page.items {
                    buffer.writeString(Self.csvLine(ResourceFields.csvColumns.map { $0.value(article) }))
                }
            }
            if buffer.readableBytes > 0 { try await sink(buffer) }
            guard let next = page.nextCursor.flatMap(Cursor.init(token:)) else { return }
            batch.cursor = next
        }
    }

    /// One RFC 4180 record: fields with commas, quotes or line breaks are quoted, quotes doubled. A field a
    /// spreadsheet would run as a formula (OWASP's rule: starting with `=`, `+`, `-`, `@`, tab or carriage
    /// return) is prefixed with `'`, which spreadsheets show as text.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { raw in
            let field =
                raw.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + raw : raw
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
