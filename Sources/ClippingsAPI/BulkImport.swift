import ClippingsExtraction
import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /articles/bulk`: many articles in one NDJSON body, one `ArticleLine` per line.
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
        /// What extraction cut to fit the archive's limits.
        var warnings: [String]?
    }

    struct Report: ResponseEncodable, Sendable {
        var created = 0
        var duplicates = 0
        var errors = 0
        var results: [LineResult] = []
    }

    static let batchSize = 500

    static func run(_ body: ByteBuffer, store: any ArchiveStore) async throws -> Report {
        var report = Report()
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        let lines = DocumentImporter.lines(of: text).map { ($0.number, $0.text) }
        // Reading one batch (in parallel) overlaps with storing the one before, as `clippings import` does.
        var storing: Task<[ImportOutcome], any Error>?
        var storingLines: [(line: Int, cuts: [String])] = []
        for start in stride(from: 0, to: lines.count, by: batchSize) {
            var good: [(line: Int, article: PreparedArticle)] = []
            for (line, result) in await read(lines[start..<min(start + batchSize, lines.count)]) {
                switch result {
                case .success(let article): good.append((line, article))
                case .failure(let error):
                    report.errors += 1
                    report.results.append(LineResult(line: line, status: "error", reason: "\(error)"))
                }
            }
            if let storing { report.record(try await storing.value, lines: storingLines) }
            let articles = good.map(\.article)
            storingLines = good.map { ($0.line, $0.article.article.cuts) }
            storing = articles.isEmpty ? nil : Task { try await store.importArticles(articles, now: Date()) }
        }
        if let storing { report.record(try await storing.value, lines: storingLines) }
        report.results.sort { $0.line < $1.line }
        return report
    }

    /// Reads a batch of lines into prepared articles, a slice per processor in parallel (extraction and
    /// preparing are the costly part; the store's single writer then does only SQL).
    static func read(_ lines: ArraySlice<(Int, String)>) async -> [(Int, Result<PreparedArticle, any Error>)] {
        await Array(lines).concurrentMap(slices: processors) { line, text in
            (line, Result { try ArticleLine.article(from: text) })
        }
    }

    static let processors = ProcessInfo.processInfo.activeProcessorCount
}

extension BulkImport.Report {
    /// Counts stored lines and notes each one's outcome.
    mutating func record(_ outcomes: [ImportOutcome], lines: [(line: Int, cuts: [String])]) {
        for ((line, cuts), outcome) in zip(lines, outcomes) {
            let warnings = cuts.isEmpty ? nil : cuts
            switch outcome {
            case .created(let id):
                created += 1
                results.append(BulkImport.LineResult(line: line, status: "created", id: id, warnings: warnings))
            case .duplicate(let id):
                duplicates += 1
                results.append(BulkImport.LineResult(line: line, status: "duplicate", id: id, warnings: warnings))
            }
        }
    }
}
