import Foundation
import GRDB
import Synchronization

/// Every article's facet values in memory, by article id: its source, language, year and tags. Counting a
/// search's facets over its matches is then a few array reads per match, where SQL visited each match's
/// row and tag links. Built whole from the archive and kept until `archive_version` (v11, moved by every
/// change of an article, its tag links, or a tag's or source's slug, in any process) says the archive
/// changed: the first facet count after a write pays for the build.
final class FacetColumns: Sendable {
    let version: Int64
    /// Index by article id; `none` where an article has no source, or no article has the id.
    let sources: [Int32]
    let languages: [UInt16]
    let years: [Int16]
    /// Article id's tags are `tagIDs[tagStarts[id]..<tagStarts[id + 1]]`.
    let tagStarts: [Int32]
    let tagIDs: [Int32]
    let sourceSlugs: [Int32: String]
    let tagSlugs: [Int32: String]
    let languageNames: [String]
    static let none: Int32 = -1
    static let sourcesAndYears =
        "SELECT id, source_id, substr(published_at, 1, 4) FROM article INDEXED BY article_on_source"
    static let languagesOfArticles = "SELECT id, language FROM article INDEXED BY article_on_language"

    init(_ db: Database, version: Int64) throws {
        self.version = version
        let count = Int(try ArticleReads.newestID(in: db)) + 1
        var sources = [Int32](repeating: Self.none, count: count)
        var languages = [UInt16](repeating: UInt16.max, count: count)
        var years = [Int16](repeating: 0, count: count)
        var languageIndex: [String: UInt16] = [:]
        var languageNames: [String] = []
        // From two covering indexes, not the table: a scan of `article` reads every row's first page of
        // body text too (50 s for the first facet count at a million articles, from disk).
        let sourceRows = try Row.fetchCursor(db, sql: Self.sourcesAndYears)
        while let row = try sourceRows.next() {
            let id = Int(row[0] as Int64)
            if let source: Int64 = row[1] { sources[id] = Int32(source) }
            if let year: String = row[2], let value = Int16(year) { years[id] = value }
        }
        let languageRows = try Row.fetchCursor(db, sql: Self.languagesOfArticles)
        while let row = try languageRows.next() {
            let language: String = row[1]
            if languageIndex[language] == nil {
                languageIndex[language] = UInt16(languageNames.count)
                languageNames.append(language)
            }
            languages[Int(row[0] as Int64)] = languageIndex[language]!
        }
        var starts = [Int32](repeating: 0, count: count + 1)
        var tags: [Int32] = []
        let links = try Row.fetchCursor(db, sql: "SELECT article_id, tag_id FROM article_tag ORDER BY article_id")
        var current = 0
        while let link = try links.next() {
            let id = Int(link[0] as Int64)
            while current < id, current < count {
                current += 1
                starts[current] = Int32(tags.count)
            }
            tags.append(Int32(link[1] as Int64))
        }
        while current < count {
            current += 1
            starts[current] = Int32(tags.count)
        }
        self.sources = sources
        self.languages = languages
        self.years = years
        self.tagStarts = starts
        self.tagIDs = tags
        self.languageNames = languageNames
        sourceSlugs = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, slug FROM source").map {
                (Int32($0[0] as Int64), $0[1] as String)
            }
        )
        tagSlugs = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, slug FROM tag").map {
                (Int32($0[0] as Int64), $0[1] as String)
            }
        )
    }

    /// The values of `facets` counted over `ids`, by value: counters in arrays indexed by source, language,
    /// year and tag, as dictionaries cost a hash per tag link of every match.
    /// Only values that can be among the `limit` commonest are named (those counted at least as often as
    /// the `limit`-th, ties kept): a common word's matches hold thousands of tags.
    func counts(_ facets: Set<Facet>, over ids: [Int64], limit: Int) -> [Facet: [String: Int]] {
        let (countsSources, countsLanguages, countsYears, countsTags) =
            (facets.contains(.source), facets.contains(.language), facets.contains(.year), facets.contains(.tag))
        var sourceCounts = [Int](repeating: 0, count: countsSources ? maximumSource + 1 : 0)
        var languageCounts = [Int](repeating: 0, count: languageNames.count)
        var yearCounts = [Int](repeating: 0, count: countsYears ? 10_000 : 0)
        var tagCounts = [Int](repeating: 0, count: countsTags ? maximumTag + 1 : 0)
        for id in ids where id >= 0 && id < Int64(sources.count) {
            let id = Int(id)
            if countsSources, sources[id] != Self.none, Int(sources[id]) < sourceCounts.count {
                sourceCounts[Int(sources[id])] += 1
            }
            if countsLanguages, languages[id] != UInt16.max { languageCounts[Int(languages[id])] += 1 }
            if countsYears, years[id] > 0, years[id] < 10_000 { yearCounts[Int(years[id])] += 1 }
            if countsTags {
                for index in Int(tagStarts[id])..<Int(tagStarts[id + 1]) where Int(tagIDs[index]) < tagCounts.count {
                    tagCounts[Int(tagIDs[index])] += 1
                }
            }
        }
        func named(_ counts: [Int], _ name: (Int) -> String?) -> [String: Int] {
            let counted = counts.filter { $0 > 0 }.sorted(by: >)
            guard limit > 0, !counted.isEmpty else { return [:] }
            let cutoff = counted[min(limit, counted.count) - 1]
            var named: [String: Int] = [:]
            for (value, count) in counts.enumerated() where count >= cutoff {
                if let key = name(value) { named[key, default: 0] += count }
            }
            return named
        }
        var result: [Facet: [String: Int]] = [:]
        if countsSources { result[.source] = named(sourceCounts) { sourceSlugs[Int32($0)] } }
        if countsTags { result[.tag] = named(tagCounts) { tagSlugs[Int32($0)] } }
        if countsLanguages { result[.language] = named(languageCounts) { languageNames[$0] } }
        if countsYears { result[.year] = named(yearCounts) { String(format: "%04d", $0) } }
        return result
    }

    private var maximumSource: Int { Int(sourceSlugs.keys.max() ?? 0) }
    private var maximumTag: Int { Int(tagSlugs.keys.max() ?? 0) }
}

/// The facet columns of the archive's current version, built when a count asks and the version moved.
///
/// One build at a time: searches that find the columns stale while another builds them wait for that
/// build rather than each reading the whole archive at once (32 concurrent builds ran past the request
/// budget). The build is exempt from the request's budget: its cost is the archive's size, not the
/// request's, and every later search reuses it. Once built, the server keeps them current when writes
/// pause (`refresh`), so a search after a write rarely pays for it.
final class FacetColumnsCache: Sendable {
    private let columns = Mutex<FacetColumns?>(nil)
    private let building = NSLock()
    private let builds = Mutex(0)
    /// How many times the columns were built (for tests).
    var buildCount: Int { builds.withLock { $0 } }

    func columns(in db: Database) throws -> FacetColumns {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM archive_version")) ?? 0
        if let kept = current(version) { return kept }
        building.lock()
        defer { building.unlock() }
        if let kept = current(version) { return kept }
        let built = try QueryBudget.$deadline.withValue(nil) { try FacetColumns(db, version: version) }
        columns.withLock { $0 = built }
        builds.withLock { $0 += 1 }
        return built
    }

    /// Rebuilds columns gone stale; nothing when no search has asked for them yet.
    func refresh(in db: Database) throws {
        guard columns.withLock({ $0 != nil }) else { return }
        _ = try columns(in: db)
    }

    private func current(_ version: Int64) -> FacetColumns? {
        columns.withLock { $0 }.flatMap { $0.version == version ? $0 : nil }
    }
}
