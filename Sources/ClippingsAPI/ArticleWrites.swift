import ClippingsExtraction
import ClippingsStore
import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird

extension ArticlesController {
    /// `POST /articles`: a raw document (HTML or text, extracted) or an article as JSON. New → 201 with
    /// `Location`; already archived → 200 with the existing article and `Clippings-Duplicate: true`.
    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        let parameters = try QueryParameters(request, allowed: ["url", "source", "filename"])
        let mediaType = request.mediaType
        var request = request
        let article: ExtractedArticle
        var document: DocumentInput?
        var givenAsFields = false
        switch mediaType {
        case "text/html", "application/xhtml+xml", "text/plain":
            let body = try await writes.body(of: &request)
            let input = DocumentInput(
                data: Data(body.readableBytesView),
                fileName: try parameters.single("filename"),
                url: try parameters.single("url").map { url throws(InputError) in
                    guard ArticleURL.isWebAddress(url) else { throw .parameter("url", ArticleFieldRules.urlRule) }
                    return url
                }
            )
            document = input
            do {
                article = try DocumentExtractor().extract(input)
            } catch {
                throw Problem(.unprocessableContent, detail: "Nothing to archive: \(error.description).")
            }
        case "application/json":
            let body = try await writes.body(of: &request)
            article = try ArticleInput.decode(Data(body.readableBytesView)).article
            givenAsFields = true
        default:
            throw Problem(
                .unsupportedMediaType,
                detail: "Send text/html or text/plain (a document to extract) or application/json (an article)."
            )
        }
        var stored = article
        let sourceName = try parameters.single("source")
        if let sourceName { stored.source = PublisherDirectory.publisher(named: sourceName) }
        // Stored with its raw document, when it came as one, so a better extractor can read it again.
        let prepared = PreparedArticle(
            stored,
            document: document,
            sourceName: sourceName,
            identifiedByExternalID: givenAsFields
        )
        guard let outcome = try await store.importArticles([prepared], now: Date()).first else {
            throw StoreError.noOutcome
        }
        if case .created = outcome { metrics.recordWrites(created: 1) } else { metrics.recordWrites(duplicates: 1) }
        let detail = try await find(String(outcome.articleID))
        var response = try FieldSelection.response(ArticleJSON(detail), fields: nil)
        // What extraction cut to fit the archive's limits, one field per cut.
        for cut in stored.cuts { response.headers.append(HTTPField(name: .clippingsWarning, value: cut)) }
        response.headers[.location] = "/articles/\(outcome.articleID)"
        if case .created = outcome {
            response.status = .created
        } else {
            response.headers[.duplicate] = "true"
        }
        return response
    }

    /// `POST /articles/bulk`: NDJSON in, one result per line out.
    @Sendable func bulk(_ request: Request, context: Context) async throws -> BulkImport.Report {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        let mediaType = request.mediaType
        guard mediaType == "application/x-ndjson" || mediaType == "application/jsonl" else {
            throw Problem(.unsupportedMediaType, detail: "Send NDJSON (application/x-ndjson): one article per line.")
        }
        var request = request
        let report = try await BulkImport.run(try await writes.body(of: &request), store: store)
        metrics.recordWrites(created: report.created, duplicates: report.duplicates, errors: report.errors)
        // Lines were sent and every one was refused: the request achieved nothing, so it is not a 200.
        if report.errors > 0, report.created + report.duplicates == 0 {
            var problem = Problem(
                .unprocessableContent,
                detail: "None of the \(report.errors) lines could be imported; `results` says why for each."
            )
            problem.lineResults = report.results
            throw problem
        }
        return report
    }

    /// `PATCH /articles/{id}`: a JSON merge patch of the editable fields; answers with the article.
    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        let mediaType = request.mediaType
        guard mediaType == "application/merge-patch+json" || mediaType == "application/json" else {
            throw Problem(.unsupportedMediaType, detail: "Send a JSON merge patch (application/merge-patch+json).")
        }
        let article = try await find(try context.parameters.require("id"))
        var request = request
        let changes = try ArticleChanges(mergePatch: Data(try await writes.body(of: &request).readableBytesView))
        _ = try await store.updateArticle(id: article.summary.id, changes, now: Date())
        return try FieldSelection.response(
            ArticleJSON(try await find(String(article.summary.id))),
            fields: nil
        )
    }

    /// `DELETE /articles/{id}`: 204, or 404 when there is no such article.
    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        try writes.authorize(request)
        _ = try QueryParameters(request, allowed: [])
        let article = try await find(try context.parameters.require("id"))
        _ = try await store.deleteArticle(id: article.summary.id)
        return Response(status: .noContent)
    }
}

extension WritePolicy {
    /// The request body, gzip-decoded if sent so, never more than `maximumBodySize` bytes either way: a
    /// compressed bomb is refused when it outgrows the limit, not after filling memory.
    func body(of request: inout Request) async throws -> ByteBuffer {
        let tooLarge = Problem(
            .contentTooLarge,
            detail: "The request body is larger than \(maximumBodySize) bytes (after decompression)."
        )
        var collected: ByteBuffer
        do {
            collected = try await collect(request.body)
            request.body = RequestBody(buffer: collected)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        switch request.headers[.contentEncoding]?.lowercased() {
        case nil, "identity":
            return collected
        case "gzip", "x-gzip":
            do {
                return try GzipStream.decode(collected, maximumSize: maximumBodySize)
            } catch .tooLarge {
                throw tooLarge
            } catch .truncated {
                throw Problem(
                    .badRequest,
                    detail: "The gzip body ends before its last member does; nothing was stored."
                )
            } catch .corrupt {
                throw Problem(
                    .badRequest,
                    detail: "The body is not valid gzip (bad data, checksum or length); nothing was stored."
                )
            }
        default:
            throw Problem(
                .unsupportedMediaType,
                detail: "Request bodies may be sent plain or with Content-Encoding: gzip."
            )
        }
    }
}

extension WritePolicy {
    /// The whole body, unless it outgrows the limit or does not arrive in time: a client trickling a body
    /// byte by byte (slowloris) gets a 408 and its connection closed instead of holding a request open.
    func collect(_ body: RequestBody) async throws -> ByteBuffer {
        let limit = maximumBodySize
        let timeout = bodyTimeout
        return try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: timeout)
                var problem = Problem(.requestTimeout, detail: "The request body did not arrive within \(timeout).")
                problem.headers[.connection] = "close"
                throw problem
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

extension Request {
    /// The body's media type without parameters, lower-cased (`text/html; charset=utf-8` → `text/html`).
    var mediaType: String? {
        headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }
}

extension HTTPField.Name {
    /// Set on `POST /articles` answers when the archive already held the article.
    static let duplicate = HTTPField.Name("Clippings-Duplicate")!
    /// What extraction cut from a written article to fit the archive's limits; one field per cut.
    static let clippingsWarning = HTTPField.Name("Clippings-Warning")!
}
