import ClippingsExtraction
import Foundation
import Logging

/// Imports documents from files and folders: reads, extracts and stores each, never stopping at a bad one.
public struct DocumentImporter: Sendable {
    /// What happened to one file.
    public struct FileResult: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case imported(Int64)
            case duplicate(Int64)
            case failed(String)

            init(_ outcome: ImportOutcome) {
                switch outcome {
                case .created(let id): self = .imported(id)
                case .duplicate(let id): self = .duplicate(id)
                }
            }
        }
        public var path: String
        public var status: Status
    }

    /// Totals over a run.
    public struct Summary: Sendable, Equatable {
        public var imported = 0
        public var duplicates = 0
        public var failed = 0
        public var results: [FileResult] = []
    }

    let store: any ArchiveStore
    let extractor = DocumentExtractor()
    let logger: Logger
    /// Reads one line of an NDJSON file (`.ndjson`, `.jsonl`) into an article; without it such files are
    /// imported as text like any other.
    let lineReader: (@Sendable (String) throws -> ExtractedArticle)?

    public init(
        store: any ArchiveStore,
        logger: Logger = Logger(label: "clippings.import"),
        lineReader: (@Sendable (String) throws -> ExtractedArticle)? = nil
    ) {
        self.store = store
        self.logger = logger
        self.lineReader = lineReader
    }

    static let lineFileExtensions: Set<String> = ["ndjson", "jsonl"]

    /// Imports every regular file under the given paths (folders recursively, hidden files skipped), in name
    /// order. `jobs` files are extracted at a time, in parallel; each chunk is stored in one transaction.
    /// `onProgress` hears (files done, files in all) after each chunk.
    public func importPaths(
        _ paths: [String],
        jobs: Int = 1,
        onResult: (FileResult) -> Void = { _ in },
        onProgress: (Int, Int) -> Void = { _, _ in }
    ) async -> Summary {
        var summary = Summary()
        var files: [String] = []
        for path in paths {
            do {
                files += try Self.files(at: path)
            } catch {
                summary.record(FileResult(path: path, status: .failed(Self.describe(error))), onResult)
            }
        }
        if let lineReader {
            let lineFiles = files.filter {
                Self.lineFileExtensions.contains(($0 as NSString).pathExtension.lowercased())
            }
            files.removeAll { Self.lineFileExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            for file in lineFiles {
                for result in await importLines(of: file, with: lineReader) { summary.record(result, onResult) }
            }
        }
        // Extraction of one chunk overlaps with storing the one before: the store is a single writer, so
        // without the overlap both cores wait on it once per chunk.
        let chunkSize = max(1, jobs) * 512
        var storing: Task<[FileResult], Never>?
        for start in stride(from: 0, to: files.count, by: chunkSize) {
            let chunk = Array(files[start..<min(start + chunkSize, files.count)])
            let extracted = await extractChunk(chunk, jobs: max(1, jobs))
            if let storing {
                for result in await storing.value { summary.record(result, onResult) }
                onProgress(start, files.count)
            }
            storing = Task { await store(extracted) }
        }
        if let storing {
            for result in await storing.value { summary.record(result, onResult) }
            onProgress(files.count, files.count)
        }
        return summary
    }

    typealias Extraction = (path: String, result: Result<ExtractedArticle, any Error>)

    /// Extracts a chunk of files, `jobs` at a time, in the chunk's order.
    func extractChunk(_ files: [String], jobs: Int) async -> [Extraction] {
        let sliceSize = (files.count + jobs - 1) / jobs
        let extractor = self.extractor
        return await withTaskGroup(of: (Int, [Extraction]).self) { group in
            for (number, start) in stride(from: 0, to: files.count, by: sliceSize).enumerated() {
                let slice = files[start..<min(start + sliceSize, files.count)]
                group.addTask {
                    (number, slice.map { path in (path, Result { try Self.extract(path, with: extractor) }) })
                }
            }
            var slices: [(Int, [Extraction])] = []
            for await slice in group { slices.append(slice) }
            return slices.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// Stores the extracted articles of a chunk together; failures are reported in place.
    func store(_ extracted: [Extraction]) async -> [FileResult] {
        var results: [FileResult?] = Array(repeating: nil, count: extracted.count)
        var articles: [(index: Int, article: ExtractedArticle)] = []
        for (index, (path, result)) in extracted.enumerated() {
            switch result {
            case .success(let article): articles.append((index, article))
            case .failure(let error):
                logger.warning("import failed", metadata: ["file.path": "\(path)", "error": "\(error)"])
                results[index] = FileResult(path: path, status: .failed(Self.describe(error)))
            }
        }
        do {
            let outcomes = try await store.importArticles(articles.map(\.article), now: Date())
            for ((index, _), outcome) in zip(articles, outcomes) {
                results[index] = FileResult(path: extracted[index].path, status: .init(outcome))
            }
        } catch {
            // A storage failure in the chunk: store one by one, so one bad article costs only itself.
            for (index, article) in articles {
                let status: FileResult.Status
                do {
                    status = .init(try await store.importArticle(article, now: Date()))
                } catch {
                    status = .failed(Self.describe(error))
                }
                results[index] = FileResult(path: extracted[index].path, status: status)
            }
        }
        return results.compactMap { $0 }
    }

    /// Imports an NDJSON file line by line, reporting each line as `file:line`; bad lines cost only themselves.
    func importLines(of path: String, with reader: (String) throws -> ExtractedArticle) async -> [FileResult] {
        let text: String
        do {
            text = TextDecoding.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            return [FileResult(path: path, status: .failed(Self.describe(error)))]
        }
        var results: [FileResult] = []
        var pending: [(path: String, article: ExtractedArticle)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let location = "\(path):\(index + 1)"
            do {
                pending.append((location, try reader(trimmed)))
            } catch {
                results.append(FileResult(path: location, status: .failed("\(error)")))
            }
        }
        for start in stride(from: 0, to: pending.count, by: 500) {
            let batch = Array(pending[start..<min(start + 500, pending.count)])
            do {
                let outcomes = try await store.importArticles(batch.map(\.article), now: Date())
                for ((location, _), outcome) in zip(batch, outcomes) {
                    results.append(FileResult(path: location, status: .init(outcome)))
                }
            } catch {
                results += batch.map { FileResult(path: $0.path, status: .failed(Self.describe(error))) }
            }
        }
        let line = { (result: FileResult) in Int(result.path.split(separator: ":").last ?? "") ?? 0 }
        return results.sorted { line($0) < line($1) }
    }

    static func extract(_ path: String, with extractor: DocumentExtractor) throws -> ExtractedArticle {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try extractor.extract(DocumentInput(data: data, fileName: (path as NSString).lastPathComponent))
    }

    /// The regular files at a path: itself, or everything below a folder, sorted.
    static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        guard isDirectory.boolValue else { return [path] }
        let root = URL(fileURLWithPath: path)
        guard
            let enumerator = FileManager.default.enumerator(
                at: root,
                includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles]
            )
        else { return [] }
        var files: [String] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url.path)
        }
        return files.sorted()
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
        }
        results.append(result)
        onResult(result)
    }
}
