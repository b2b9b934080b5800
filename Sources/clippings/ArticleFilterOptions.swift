import ArgumentParser
import ClippingsExtraction
import ClippingsStore
import Foundation

/// The API's article filters as command-line options, shared by the commands that work on a part of the
/// archive. Several values of one filter OR together, as in the API.
struct ArticleFilterOptions: ParsableArguments {
    @Option(help: "Tag slug (repeatable).") var tag: [String] = []
    @Option(help: "Source slug (repeatable).") var source: [String] = []
    @Option(help: "Language code (repeatable).") var language: [String] = []
    @Option(help: "Author: the whole byline or any one name (repeatable).") var author: [String] = []
    @Option(help: "Published on or after (YYYY-MM-DD or RFC 3339).") var from: String?
    @Option(help: "Published on or before (YYYY-MM-DD or RFC 3339).") var to: String?
    @Option(name: .customLong("updated-after"), help: "Last updated after (YYYY-MM-DD or RFC 3339).")
    var updatedAfter: String?
    @Option(name: .customLong("updated-before"), help: "Last updated before (YYYY-MM-DD or RFC 3339).")
    var updatedBefore: String?

    /// The filters as the API's query parameters.
    var parameters: [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = []
        for (name, value) in [
            ("from", from), ("to", to), ("updated_after", updatedAfter), ("updated_before", updatedBefore),
        ] {
            if let value { parameters.append((name, value)) }
        }
        return parameters + tag.map { ("tag", $0) } + source.map { ("source", $0) }
            + language.map { ("language", $0) } + author.map { ("author", $0) }
    }

    /// The filters as a store query; a date-only `--to` includes that whole day.
    func query() throws -> ArticleQuery {
        var query = ArticleQuery()
        query.tags = tag
        query.sources = source
        query.languages = language
        query.authors = author
        if let from {
            guard let date = DateRecognizer.date(from: from) else { throw ValidationError("--from is not a date.") }
            query.from = date
        }
        if let to {
            guard let date = DateRecognizer.date(from: to) else { throw ValidationError("--to is not a date.") }
            let dateOnly = to.count <= 10
            query.until = dateOnly ? date.addingTimeInterval(86_400) : date.addingTimeInterval(0.001)
        }
        for (option, value, keyPath) in [
            ("--updated-after", updatedAfter, \ArticleQuery.updatedAfter),
            ("--updated-before", updatedBefore, \ArticleQuery.updatedBefore),
        ] {
            guard let value else { continue }
            guard let date = DateRecognizer.date(from: value) else { throw ValidationError("\(option) is not a date.") }
            query[keyPath: keyPath] = date
        }
        return query
    }
}
