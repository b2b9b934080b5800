import ClippingsExtraction
import CompressNIO
import Foundation
import GRDB
import NIOCore
import Testing

@testable import ClippingsStore

/// The document importer: folders, per-file reports, batches.
@Suite("Importing files")
struct ImporterTests {
    @Test("the importer reads folders, reports per file, and never stops at a bad file")
    func importer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clippings-import-\(UUID())")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("nested"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Headline one\n\nFirst body paragraph.".write(
            to: folder.appendingPathComponent("a.txt"),
            atomically: true,
            encoding: .utf8
        )
        try "   \n".write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try "Headline one\n\nFirst body paragraph.".write(
            to: folder.appendingPathComponent("nested/c.txt"),
            atomically: true,
            encoding: .utf8
        )
        let database = try AppDatabase.inMemory()
        let summary = await DocumentImporter(store: database).importPaths([
            folder.path, folder.appendingPathComponent("missing").path,
        ])
        #expect(summary.imported == 1)
        #expect(summary.duplicates == 1)
        #expect(summary.failed == 2)
        #expect(summary.results.first?.status == .failed("no such file or folder"))
        #expect(
            summary.results.map { ($0.path as NSString).lastPathComponent } == ["missing", "a.txt", "b.txt", "c.txt"]
        )

        // NDJSON files are read line by line when a line reader is given; bad lines cost only themselves.
        let lines = folder.appendingPathComponent("batch.ndjson")
        try "one\n\ntwo\nbad\n".write(to: lines, atomically: true, encoding: .utf8)
        let reader: @Sendable (String) throws -> PreparedArticle = { line in
            guard !line.contains("bad") else { throw ExtractionError.emptyDocument }
            return PreparedArticle(Sample.article("Line \(line)"))
        }
        let ndjson = await DocumentImporter(store: try AppDatabase.inMemory(), lineReader: reader).importPaths([
            lines.path
        ])
        #expect(ndjson.results.map(\.path) == ["\(lines.path):1", "\(lines.path):3", "\(lines.path):4"])
        #expect(ndjson.imported == 2 && ndjson.failed == 1)
        try FileManager.default.removeItem(at: lines)

        // A JSON file holds one article or an array of them, reported by index.
        let array = folder.appendingPathComponent("batch.json")
        try #"[{"title": "three"}, {"title": "bad"}]"#.write(to: array, atomically: true, encoding: .utf8)
        let single = folder.appendingPathComponent("single.json")
        try #"{"title": "four"}"#.write(to: single, atomically: true, encoding: .utf8)
        let json = await DocumentImporter(store: try AppDatabase.inMemory(), lineReader: reader).importPaths(
            [array.path, single.path],
            jobs: 2
        )
        #expect(json.results.map(\.path) == ["\(array.path)[0]", "\(array.path)[1]", single.path])
        #expect(json.imported == 2 && json.failed == 1)
        try FileManager.default.removeItem(at: array)
        try FileManager.default.removeItem(at: single)

        // The same files extracted four at a time, stored two per transaction, give the same results.
        let parallel = await DocumentImporter(store: try AppDatabase.inMemory()).importPaths(
            [folder.path],
            jobs: 4,
            batchSize: 2
        )
        #expect(parallel.imported == 1 && parallel.duplicates == 1 && parallel.failed == 1)
    }

    @Test("import batches start small, double up to the batch size, and cover every item once")
    func importBatches() {
        let batches = DocumentImporter.batches(of: 10_000, size: 4096)
        #expect(batches.map(\.count) == [256, 512, 1024, 2048, 4096, 2064])
        #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(batches.first?.lowerBound == 0 && batches.last?.upperBound == 10_000)
        #expect(DocumentImporter.batches(of: 3, size: 1) == [0..<1, 1..<2, 2..<3])
        #expect(DocumentImporter.batches(of: 0, size: 4096).isEmpty)
    }

    @Test("import reads .gz files inflated, and reports hidden and binary files as skipped, with why")
    func skippedAndCompressed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clippings-skip-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page =
            "<html><body><article><h1>Quay approved</h1><p>The harbour authority approved a quay.</p></article></body></html>"
        var plain = ByteBuffer(string: page)
        let compressed = try plain.compress(with: .gzip())
        try Data(compressed.readableBytesView).write(to: folder.appendingPathComponent("quay.html.gz"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01]).write(to: folder.appendingPathComponent("broken.txt.gz"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]).write(
            to: folder.appendingPathComponent("photo.png")
        )
        try "Hidden note\n\nNot for the archive.".write(
            to: folder.appendingPathComponent(".notes.txt"),
            atomically: true,
            encoding: .utf8
        )
        let database = try AppDatabase.inMemory()
        let summary = await DocumentImporter(store: database).importPaths([folder.path])
        let byName = Dictionary(
            uniqueKeysWithValues: summary.results.map { (($0.path as NSString).lastPathComponent, $0.status) }
        )
        #expect(summary.imported == 1)
        #expect(summary.skipped == 2)
        #expect(summary.failed == 1)
        #expect(byName[".notes.txt"] == .skipped("hidden"))
        #expect(byName["photo.png"] == .skipped("the document is a PNG image, not text"))
        #expect(byName["broken.txt.gz"] == .failed("the file ends in .gz but is not whole, valid gzip data"))
        let article = try #require(try await database.article(id: 1))
        #expect(article.summary.title == "Quay approved")
        #expect(article.summary.wordCount < 20)
    }
}
