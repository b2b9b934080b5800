import Foundation
import GRDB
import Synchronization

/// Every article's facet values in memory, by article id: its source, language, year, month and tags. Counting a
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
    /// Months since `firstMonth`, plus one (0: no date): a search's months fit in a small counter array.
    let months: [UInt16]
    /// The earliest month with an article, as `year * 12 + month - 1`.
    let firstMonth: Int
    /// One more than the largest value in `months`.
    let monthValues: Int
    /// Article id's tags are `tagIDs[tagStarts[id]..<tagStarts[id + 1]]`.
    let tagStarts: [Int32]
    let tagIDs: TagIDs
    let sourceSlugs: [Int32: String]
    let tagSlugs: [Int32: String]
    let languageNames: [String]
    static let none: Int32 = -1
    static let sourcesAndYears =
        "SELECT id, source_id, substr(published_at, 1, 7) FROM article INDEXED BY article_on_source"
    static let languagesOfArticles = "SELECT id, language FROM article INDEXED BY article_on_language"

    init(_ db: Database, version: Int64) throws {
        self.version = version
        let count = Int(try ArticleReads.newestID(in: db)) + 1
        var sources = [Int32](repeating: Self.none, count: count)
        var languages = [UInt16](repeating: UInt16.max, count: count)
        var years = [Int16](repeating: 0, count: count)
        var monthNumbers = [Int32](repeating: -1, count: count)
        var languageIndex: [String: UInt16] = [:]
        var languageNames: [String] = []
        // From two covering indexes, not the table: a scan of `article` reads every row's first page of
        // body text too (50 s for the first facet count at a million articles, from disk).
        let sourceRows = try Row.fetchCursor(db, sql: Self.sourcesAndYears)
        while let row = try sourceRows.next() {
            let id = Int(row[0] as Int64)
            if let source: Int64 = row[1] { sources[id] = Int32(source) }
            if let month: String = row[2], let value = CivilDays.monthNumber(month) {
                years[id] = Int16(value / 12)
                monthNumbers[id] = Int32(value)
            }
        }
        let firstMonth = Int(monthNumbers.lazy.filter { $0 >= 0 }.min() ?? 0)
        let months = monthNumbers.map { $0 < 0 ? 0 : UInt16(clamping: Int($0) - firstMonth + 1) }
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
        self.months = months
        monthValues = Int(months.max() ?? 0) + 1
        self.firstMonth = firstMonth
        self.tagStarts = starts
        self.tagIDs = TagIDs(tags)
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
        let (countsSources, countsLanguages, countsYears, countsMonths, countsTags) = (
            facets.contains(.source), facets.contains(.language), facets.contains(.year), facets.contains(.month),
            facets.contains(.tag)
        )
        // One pass per facet over the ids, each reading one column.
        let ids = ids.filter { $0 >= 0 && $0 < Int64(sources.count) }
        let sourceCounts = countsSources ? Self.tally(sources, over: ids, values: maximumSource + 1) : []
        let languageCounts = countsLanguages ? Self.tally(languages, over: ids, values: languageNames.count) : []
        var yearCounts = countsYears ? Self.tally(years, over: ids, values: 10_000) : []
        if countsYears { yearCounts[0] = 0 }  // Year 0: no date.
        var monthCounts = countsMonths ? Self.tally(months, over: ids, values: monthValues) : []
        if countsMonths { monthCounts[0] = 0 }  // No date.
        var tagCounts = [Int](repeating: 0, count: countsTags ? maximumTag + 1 : 0)
        if countsTags { countTags(of: ids, into: &tagCounts) }
        func named(_ counts: [Int], every: Bool = false, _ name: (Int) -> String?) -> [String: Int] {
            guard limit > 0, let cutoff = every ? 1 : Self.cutoff(counts, limit: limit) else { return [:] }
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
        if countsYears { result[.year] = named(yearCounts) { CivilDays.padded($0, 4) } }
        if countsMonths {
            result[.month] = named(monthCounts, every: true) { value in
                let number = firstMonth + value - 1
                return CivilDays.padded(number / 12, 4) + "-" + CivilDays.padded(number % 12 + 1, 2)
            }
        }
        return result
    }

    /// Adds each tag of each of `ids` to its counter. A common word's matches' tag runs lie all over an
    /// array larger than the processor's cache, and reading them one after another waited for memory at
    /// each: a batch's runs are found and their first tags read first, loads the processor overlaps, and
    /// the rest counted once their lines are cached.
    private func countTags(of ids: [Int64], into tagCounts: inout [Int]) {
        switch tagIDs {
        case .narrow(let tags): countTags(of: ids, in: tags, into: &tagCounts)
        case .wide(let tags): countTags(of: ids, in: tags, into: &tagCounts)
        }
    }

    private func countTags<Tag: FixedWidthInteger>(of ids: [Int64], in tagIDs: [Tag], into tagCounts: inout [Int]) {
        let batch = 32
        tagStarts.withUnsafeBufferPointer { starts in
            tagIDs.withUnsafeBufferPointer { tags in
                tagCounts.withUnsafeMutableBufferPointer { counts in
                    withUnsafeTemporaryAllocation(of: (run: Range<Int>, first: Tag).self, capacity: batch) { runs in
                        var first = 0
                        while first < ids.count {
                            let end = min(first + batch, ids.count)
                            for (slot, id) in ids[first..<end].enumerated() {
                                let run = Int(starts[Int(id)])..<Int(starts[Int(id) + 1])
                                runs[slot] = (run, run.isEmpty ? 0 : tags[run.lowerBound])
                            }
                            for slot in 0..<(end - first) {
                                let (run, firstTag) = runs[slot]
                                guard !run.isEmpty else { continue }
                                Self.add(Int(firstTag), to: counts)
                                for index in run.dropFirst() { Self.add(Int(tags[index]), to: counts) }
                            }
                            first = end
                        }
                    }
                }
            }
        }
    }

    private static func add(_ tag: Int, to counts: UnsafeMutableBufferPointer<Int>) {
        if tag >= 0, tag < counts.count { counts[tag] += 1 }
    }

    /// The `limit`-th largest positive count (the smallest when fewer are positive), or nil when none is:
    /// the commonest few kept in order as the counts go by, rather than sorting every tag's count.
    static func cutoff(_ counts: [Int], limit: Int) -> Int? {
        var top: [Int] = []  // ascending, at most `limit`
        top.reserveCapacity(limit + 1)
        for count in counts where count > 0 && (top.count < limit || count > top[0]) {
            top.insert(count, at: top.partitionPoint { $0 < count })
            if top.count > limit { top.removeFirst() }
        }
        return top.first
    }

    /// How many of `ids` have each value of `column` (values outside `0..<values` are not counted: no
    /// source, no language, no year).
    private static func tally<Value: FixedWidthInteger>(_ column: [Value], over ids: [Int64], values: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: values)
        column.withUnsafeBufferPointer { column in
            counts.withUnsafeMutableBufferPointer { counts in
                for id in ids {
                    let value = Int(truncatingIfNeeded: column[Int(id)])
                    if value >= 0, value < counts.count { counts[value] += 1 }
                }
            }
        }
        return counts
    }

    private var maximumSource: Int { Int(sourceSlugs.keys.max() ?? 0) }
    private var maximumTag: Int { Int(tagSlugs.keys.max() ?? 0) }
}

/// Every tag link's tag, in article order: two bytes each while tag ids fit (half the memory a common
/// word's facet count walks, which then stays in the processor's cache), four beyond.
enum TagIDs: Sendable {
    case narrow([UInt16])
    case wide([Int32])

    init(_ tags: [Int32]) {
        if tags.allSatisfy({ $0 >= 0 && $0 <= Int32(UInt16.max) }) {
            self = .narrow(tags.map { UInt16($0) })
        } else {
            self = .wide(tags)
        }
    }
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
        let version = try ArticleReads.archiveVersion(in: db)
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
