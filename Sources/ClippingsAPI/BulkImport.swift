import ClippingsExtraction
import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /articles/bulk`: many articles in one NDJSON body, one JSON article or
/// `{"document": "…", "url": …, "source": …, "filename": …}` per line.
///
/// Each line is read and validated on its own, so a bad line is reported and skipped without costing
/// the good ones; the good ones are stored a batch at a time, one transaction per batch.
public struct BulkImport {
    /// What happened to one line.
    struct LineResult: Encodable, Sendable {
        var line: Int
        var status: String
        var id: Int64?
        var reason: String?
    }

    struct Report: ResponseEncodable, Sendable {
        var created = 0
        var duplicates = 0
        var errors = 0
        var results: [LineResult] = []
    }

    static let batchSize = 500

    /// A document line: raw text to extract, with the same hints `POST /articles` takes.
    struct DocumentLine: Decodable {
        var document: String
        var url: String?
        var source: String?
        var filename: String?
    }

    static func run(_ body: ByteBuffer, store: any ArchiveStore) async throws -> Report {
        var report = Report()
        var pending: [(line: Int, article: ExtractedArticle)] = []
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            do {
                pending.append((index + 1, try article(from: line)))
            } catch {
                report.errors += 1
                report.results.append(LineResult(line: index + 1, status: "error", reason: error.detail))
            }
            if pending.count == batchSize { try await flush(&pending, into: &report, store: store) }
        }
        try await flush(&pending, into: &report, store: store)
        report.results.sort { $0.line < $1.line }
        return report
    }

    static func flush(
        _ pending: inout [(line: Int, article: ExtractedArticle)],
        into report: inout Report,
        store: any ArchiveStore
    )
        async throws
    {
        guard !pending.isEmpty else { return }
        let outcomes = try await store.importArticles(pending.map(\.article), now: Date())
        for ((line, _), outcome) in zip(pending, outcomes) {
            switch outcome {
            case .created(let id):
                report.created += 1
                report.results.append(LineResult(line: line, status: "created", id: id))
            case .duplicate(let id):
                report.duplicates += 1
                report.results.append(LineResult(line: line, status: "duplicate", id: id))
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// One line as an article: a document to extract, or an article's fields. Shared with `clippings import`
    /// for NDJSON files.
    public static func article(from line: String) throws(Problem) -> ExtractedArticle {
        let buffer = ByteBuffer(string: line)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Problem(.badRequest, detail: "not a JSON object")
        }
        guard object["document"] != nil else { return try ArticleInput.decode(buffer).article }
        guard let document = try? JSONDecoder().decode(DocumentLine.self, from: Data(line.utf8)) else {
            throw Problem(.badRequest, detail: "document, url, source and filename must be strings")
        }
        do {
            var article = try DocumentExtractor().extract(
                DocumentInput(text: document.document, fileName: document.filename, url: document.url)
            )
            if let source = document.source { article.source = PublisherDirectory.publisher(named: source) }
            return article
        } catch {
            throw Problem(.unprocessableContent, detail: error.description)
        }
    }
}
