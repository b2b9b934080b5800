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

    public init(store: any ArchiveStore, logger: Logger = Logger(label: "clippings.import")) {
        self.store = store
        self.logger = logger
    }

    /// Imports every regular file under the given paths (folders recursively, hidden files skipped), in name order.
    public func importPaths(_ paths: [String], onResult: (FileResult) -> Void = { _ in }) async -> Summary {
        var summary = Summary()
        for path in paths {
            let files: [String]
            do {
                files = try Self.files(at: path)
            } catch {
                summary.record(FileResult(path: path, status: .failed(Self.describe(error))), onResult)
                continue
            }
            for file in files {
                summary.record(await importFile(file), onResult)
            }
        }
        return summary
    }

    /// Imports one file.
    public func importFile(_ path: String) async -> FileResult {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let article = try extractor.extract(
                DocumentInput(data: data, fileName: (path as NSString).lastPathComponent)
            )
            switch try await store.importArticle(article, now: Date()) {
            case .created(let id): return FileResult(path: path, status: .imported(id))
            case .duplicate(let id): return FileResult(path: path, status: .duplicate(id))
            }
        } catch {
            logger.warning("import failed", metadata: ["file.path": "\(path)", "error": "\(error)"])
            return FileResult(path: path, status: .failed(Self.describe(error)))
        }
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
