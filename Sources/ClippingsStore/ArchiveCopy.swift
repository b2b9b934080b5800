import Foundation

/// Moves an archive from one backend to another (`clippings copy`): every article with its id, slug,
/// identity, times and raw document, a batch per transaction, into an empty archive; then compares what
/// both ends count. Stories are placed again as the articles arrive, in id order; the change feed starts
/// anew, and webhook subscriptions stay behind.
public struct ArchiveCopy: Sendable {
    public let source: any ArchiveMaintenance
    public let destination: any ArchiveMaintenance
    public var batchSize = 500

    public init(from source: any ArchiveMaintenance, to destination: any ArchiveMaintenance) {
        self.source = source
        self.destination = destination
    }

    /// Copies every article, reporting the running count after each batch; how many were copied.
    /// Throws `CopyError.destinationNotEmpty` before writing anything when the destination holds articles.
    public func run(progress: (Int) -> Void = { _ in }) async throws -> Int {
        let held = try await destination.articleCount()
        guard held == 0 else { throw CopyError.destinationNotEmpty(held) }
        var copied = 0
        var last: Int64 = 0
        while true {
            let batch = try await source.archivedArticles(after: last, limit: batchSize)
            guard let end = batch.last?.record.id else { return copied }
            try await destination.restore(batch)
            copied += batch.count
            last = end
            progress(copied)
        }
    }

    /// What the two ends count differently: articles, and each tag's and source's articles. Empty when
    /// they agree.
    public func differences() async throws -> [String] {
        var found: [String] = []
        let counts = (try await source.articleCount(), try await destination.articleCount())
        if counts.0 != counts.1 { found.append("articles: \(counts.0) here, \(counts.1) there") }
        for (kind, from, to) in [
            ("tag", try await Self.tagCounts(source), try await Self.tagCounts(destination)),
            ("source", try await Self.sourceCounts(source), try await Self.sourceCounts(destination)),
        ] {
            for slug in Set(from.keys).union(to.keys).sorted() where from[slug] != to[slug] {
                found.append("\(kind) \(slug): \(from[slug] ?? 0) here, \(to[slug] ?? 0) there")
            }
        }
        return found
    }

    static func tagCounts(_ store: any ArchiveStore) async throws -> [String: Int] {
        try await everyEntry { try await store.tags($0) }.reduce(into: [:]) { $0[$1.slug] = $1.articleCount }
    }

    static func sourceCounts(_ store: any ArchiveStore) async throws -> [String: Int] {
        try await everyEntry { try await store.sources($0) }.reduce(into: [:]) { $0[$1.slug] = $1.articleCount }
    }

    /// Every entry of a directory listing, page by page.
    static func everyEntry<Entry: Sendable>(
        _ list: (DirectoryQuery) async throws -> Page<Entry>
    ) async throws -> [Entry] {
        var query = DirectoryQuery()
        query.limit = 500
        var entries: [Entry] = []
        while true {
            let page = try await list(query)
            entries += page.items
            guard let next = page.nextCursor.flatMap(Cursor.init(token:)) else { return entries }
            query.cursor = next
        }
    }
}

/// Why a copy did not start.
public enum CopyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination holds articles: a copy goes into an empty archive only.
    case destinationNotEmpty(Int)

    public var description: String {
        switch self {
        case .destinationNotEmpty(let count):
            "the destination holds \(count) articles; copy into an empty archive"
        }
    }
}
