import ClippingsExtraction
import Foundation
import Logging
import NIOCore

/// Imports documents from files and folders: reads, extracts and stores each, never stopping at a bad one.
public struct DocumentImporter: Sendable {
    /// What happened to one file.
    public struct FileResult: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case imported(Int64)
            case duplicate(Int64)
            case failed(String)
            /// Not a document to import (a hidden file, an image): left alone, and not a failure.
            case skipped(String)

            init(_ outcome: ImportOutcome) {
                switch outcome {
                case .created(let id): self = .imported(id)
                case .duplicate(let id): self = .duplicate(id)
                }
            }
        }
        public var path: String
        public var status: Status
        /// What extraction cut to fit the archive's limits.
        public var cuts: [String] = []
    }

    /// Totals over a run.
    public struct Summary: Sendable, Equatable {
        public var imported = 0
        public var duplicates = 0
        public var failed = 0
        public var skipped = 0
        public var results: [FileResult] = []
    }

    let store: any ArchiveStore
    let extractor = DocumentExtractor()
    let logger: Logger
    /// Reads one JSON article (a line of an `.ndjson`/`.jsonl` file, a `.json` file or an element of its
    /// array) into a prepared article (keeping the raw document of a `document` line); without it such
    /// files are imported as text like any other.
    let lineReader: (@Sendable (String) throws -> PreparedArticle)?

    public init(
        store: any ArchiveStore,
        logger: Logger = Logger(label: "clippings.import"),
        lineReader: (@Sendable (String) throws -> PreparedArticle)? = nil
    ) {
        self.store = store
        self.logger = logger
        self.lineReader = lineReader
    }

    /// Files of one JSON article per line, the format of `POST /articles/bulk`.
    static let lineFileExtensions: Set<String> = ["ndjson", "jsonl"]
    /// Files of one JSON article, or an array of them.
    static let jsonFileExtensions: Set<String> = ["json"]

    /// One thing to import: a file, or one article of a line or JSON file (`file:line`, `file[index]`).
    struct Item: Sendable {
        var label: String
        var load: @Sendable () throws -> PreparedArticle
    }

    /// Articles stored per transaction by default. Every transaction rewrites the index pages its inserts
    /// touch, and in a large archive a few hundred random inserts already touch most of them, so a larger
    /// batch shares each rewrite among more articles. Since each batch also applies its search postings
    /// (about twice the writer's time per article), 1 024 keeps the write lock to a second or two: a server
    /// writing to the same file waits well within its request budget.
    public static let defaultBatchSize = 1024
    /// How long the import leaves the write lock free after each batch.
    static let writerPause = Duration.milliseconds(150)

    /// Imports every regular file under the given paths (folders recursively, hidden files skipped), in name
    /// order. `jobs` items are extracted at a time, in parallel; each batch of `batchSize` is stored in one
    /// transaction. `onProgress` hears (items done, items in all) after each batch.
    public func importPaths(
        _ paths: [String],
        jobs: Int = 1,
        batchSize: Int = DocumentImporter.defaultBatchSize,
        onResult: (FileResult) -> Void = { _ in },
        onProgress: (Int, Int) -> Void = { _, _ in }
    ) async -> Summary {
        var summary = Summary()
        var files: [String] = []
        for path in paths {
            do {
                var hidden: [String] = []
                files += try Self.files(at: path, hidden: &hidden)
                for file in hidden { summary.record(FileResult(path: file, status: .skipped("hidden")), onResult) }
            } catch {
                summary.record(FileResult(path: path, status: .failed(Self.describe(error))), onResult)
            }
        }
        var items: [Item] = []
        let extractor = self.extractor
        for file in files {
            let kind = (Self.documentName(of: file) as NSString).pathExtension.lowercased()
            if let lineReader, Self.lineFileExtensions.contains(kind) || Self.jsonFileExtensions.contains(kind) {
                do {
                    items += try Self.items(in: file, lines: Self.lineFileExtensions.contains(kind), reader: lineReader)
                } catch {
                    summary.record(FileResult(path: file, status: .failed(Self.describe(error))), onResult)
                }
            } else {
                items.append(Item(label: file) { try Self.extract(file, with: extractor) })
            }
        }
        // Extraction of one batch overlaps with storing the one before: the store is a single writer, so
        // without the overlap the extracting cores wait on it once per batch.
        var storing: Task<[FileResult], Never>?
        for batch in Self.batches(of: items.count, size: batchSize) {
            let extracted = await extractChunk(items[batch], jobs: max(1, jobs))
            let stored = await storing?.value
            // The writer gets the next chunk before the previous one's results are reported.
            storing = Task {
                let results = await store(extracted)
                // The write lock left free between batches for longer than SQLite's busy handler sleeps
                // between its tries (100 ms), so a server writing to the same file gets its turn rather than
                // waiting out a whole import.
                try? await Task.sleep(for: Self.writerPause)
                return results
            }
            if let stored {
                for result in stored { summary.record(result, onResult) }
                onProgress(batch.lowerBound, items.count)
            }
        }
        if let storing {
            for result in await storing.value { summary.record(result, onResult) }
            onProgress(items.count, items.count)
        }
        return summary
    }

    /// Consecutive ranges covering `count` items, doubling from 256 up to `size`: the writer idles while the
    /// first batch is extracted, so that one is small.
    static func batches(of count: Int, size: Int) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var length = min(256, max(1, size))
        while (batches.last?.upperBound ?? 0) < count {
            let start = batches.last?.upperBound ?? 0
            batches.append(start..<min(start + length, count))
            length = min(length * 2, max(1, size))
        }
        return batches
    }

    /// The articles of an NDJSON file (one per line, reported as `file:line`) or of a JSON file (one article,
    /// or an array of them reported as `file[index]`).
    static func items(
        in path: String,
        lines: Bool,
        reader: @escaping @Sendable (String) throws -> PreparedArticle
    ) throws -> [Item] {
        let text = TextDecoding.decode(try contents(of: path))
        if lines {
            return Self.lines(of: text).map { number, line in Item(label: "\(path):\(number)") { try reader(line) } }
        }
        guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
            return [Item(label: path) { try reader(text) }]
        }
        return array.enumerated().map { index, element in
            let json =
                (try? JSONSerialization.data(withJSONObject: element, options: [.fragmentsAllowed]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "null"
            return Item(label: "\(path)[\(index)]") { try reader(json) }
        }
    }

    /// The non-blank lines of NDJSON text with their 1-based numbers, trimmed of JSON whitespace. Split on
    /// bytes: `\n` is the only line break NDJSON has (a raw U+2028 may sit inside a JSON string).
    public static func lines(of text: String) -> [(number: Int, text: String)] {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        return text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            .compactMap { index, line in
                guard let first = line.firstIndex(where: { !isSpace($0) }),
                    let last = line.lastIndex(where: { !isSpace($0) })
                else { return nil }
                return (index + 1, String(Substring(line[first...last])))
            }
    }

    typealias Extraction = (path: String, result: Result<PreparedArticle, any Error>)

    /// Loads a chunk of items, `jobs` at a time, in the chunk's order.
    func extractChunk(_ items: ArraySlice<Item>, jobs: Int) async -> [Extraction] {
        // Prepared here too, in parallel, rather than in the single writer's turn.
        await Array(items).concurrentMap(slices: jobs) { item in
            (item.label, Result { try item.load() })
        }
    }

    /// Stores the extracted articles of a chunk together; failures are reported in place.
    func store(_ extracted: [Extraction]) async -> [FileResult] {
        var results: [FileResult?] = Array(repeating: nil, count: extracted.count)
        var articles: [(index: Int, article: PreparedArticle)] = []
        for (index, (path, result)) in extracted.enumerated() {
            switch result {
            case .success(let article): articles.append((index, article))
            case .failure(ExtractionError.notText(let kind)):
                results[index] = FileResult(path: path, status: .skipped(ExtractionError.notText(kind).description))
            case .failure(let error):
                logger.warning("import failed", metadata: ["file.path": "\(path)", "error": "\(error)"])
                results[index] = FileResult(path: path, status: .failed(Self.describe(error)))
            }
        }
        do {
            let outcomes = try await store.importArticles(articles.map(\.article), now: Date())
            for ((index, article), outcome) in zip(articles, outcomes) {
                results[index] = FileResult(
                    path: extracted[index].path,
                    status: .init(outcome),
                    cuts: article.article.cuts
                )
            }
        } catch {
            // A storage failure in the chunk: store one by one, so one bad article costs only itself.
            for (index, article) in articles {
                let status: FileResult.Status
                do {
                    let outcomes = try await store.importArticles([article], now: Date())
                    status = outcomes.first.map { .init($0) } ?? .failed("not stored")
                } catch {
                    status = .failed(Self.describe(error))
                }
                results[index] = FileResult(path: extracted[index].path, status: status, cuts: article.article.cuts)
            }
        }
        return results.compactMap { $0 }
    }

    /// A file's article, prepared with the file itself kept for re-extraction.
    static func extract(_ path: String, with extractor: DocumentExtractor) throws -> PreparedArticle {
        let input = DocumentInput(data: try contents(of: path), fileName: documentName(of: path))
        return PreparedArticle(try extractor.extract(input), document: input)
    }

    /// The most a compressed file may inflate to: a small file must not become gigabytes in memory.
    static let maximumInflatedSize = 64 * 1024 * 1024

    /// A file's bytes, gzip-decompressed when its name ends in `.gz`.
    static func contents(of path: String) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard (path as NSString).pathExtension.lowercased() == "gz" else { return data }
        do {
            return Data(
                try GzipStream.decode(ByteBuffer(bytes: data), maximumSize: maximumInflatedSize).readableBytesView
            )
        } catch .tooLarge {
            throw ImportError.tooLargeInflated
        } catch {
            throw ImportError.notGzip
        }
    }

    /// The document's own name: a file's name without a `.gz` ending.
    static func documentName(of path: String) -> String {
        let name = (path as NSString).lastPathComponent
        return (name as NSString).pathExtension.lowercased() == "gz" ? (name as NSString).deletingPathExtension : name
    }

    /// Why a compressed file could not be read.
    enum ImportError: Error, CustomStringConvertible {
        case notGzip, tooLargeInflated

        var description: String {
            switch self {
            case .notGzip: "the file ends in .gz but is not whole, valid gzip data"
            case .tooLargeInflated: "the file inflates to more than \(maximumInflatedSize / 1024 / 1024) MB"
            }
        }
    }

    /// The regular files at a path: itself, or everything below a folder, sorted; hidden files and folders
    /// below it are left out and named in `hidden`.
    static func files(at path: String, hidden: inout [String]) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        guard isDirectory.boolValue else { return [path] }
        var files: [String] = []
        collectFiles(in: path, into: &files, hidden: &hidden)
        hidden.sort()
        return files.sorted()
    }

    /// Adds the regular files below a folder, skipping hidden entries and not following links to folders
    /// (no cycles). With `readdir`'s entry types: a `stat` per file is a system call per document, which
    /// makes listing a large folder slow.
    static func collectFiles(in folder: String, into files: inout [String], hidden: inout [String]) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            guard !name.hasPrefix(".") else {
                hidden.append(path)
                continue
            }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): files.append(path)
            case Int32(DT_DIR): collectFiles(in: path, into: &files, hidden: &hidden)
            default:
                // A link or a file system that does not say: ask, following links to files only.
                var status = stat()
                guard stat(path, &status) == 0 else { continue }
                if status.st_mode & S_IFMT == S_IFREG {
                    files.append(path)
                } else if status.st_mode & S_IFMT == S_IFDIR, Int32(entry.pointee.d_type) != Int32(DT_LNK) {
                    collectFiles(in: path, into: &files, hidden: &hidden)
                }
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ExtractionError: error.description
        case let error as CocoaError where error.code == .fileNoSuchFile || error.code == .fileReadNoSuchFile:
            "no such file or folder"
        case let error as CocoaError where error.code == .fileReadNoPermission: "permission denied"
        default: "\(error)"
        }
    }
}

extension DocumentImporter.Summary {
    mutating func record(_ result: DocumentImporter.FileResult, _ onResult: (DocumentImporter.FileResult) -> Void) {
        switch result.status {
        case .imported: imported += 1
        case .duplicate: duplicates += 1
        case .failed: failed += 1
        case .skipped: skipped += 1
        }
        results.append(result)
        onResult(result)
    }
}
