import ClippingsExtraction
import Crypto
import Foundation

/// A short, stable fingerprint of what a listing selects, kept in its cursors (`Cursor.scope`).
///
/// Equal for queries that select the same items (values of one filter in any order, a language in any
/// case), different for any other filter, search or prefix. The page size is not part of it: a client may
/// ask for bigger pages as it goes.
enum ListingScope {
    static func fingerprint(_ parts: [String]) -> String {
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8))
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

extension ArticleQuery {
    /// The fingerprint of this query's filters and search.
    package var scope: String {
        var parts: [String] = [
            "tags=" + tags.sorted().joined(separator: ","),
            "sources=" + sources.sorted().joined(separator: ","),
            "languages=" + languages.map(LanguageIdentifier.canonicalCode).sorted().joined(separator: ","),
            "authors=" + authors.map(ArticleRules.sortKey).sorted().joined(separator: ","),
            "from=" + (from.map(Timestamp.string) ?? ""),
            "until=" + (until.map(Timestamp.string) ?? ""),
            "search=" + (search?.ftsExpression ?? ""),
        ]
        // The later filters only when given, so that cursors issued before they existed still continue.
        if !stories.isEmpty { parts.append("stories=" + stories.sorted().map(String.init).joined(separator: ",")) }
        if let updatedAfter { parts.append("updated_after=" + Timestamp.string(updatedAfter)) }
        if let updatedBefore { parts.append("updated_before=" + Timestamp.string(updatedBefore)) }
        return ListingScope.fingerprint(parts)
    }
}

extension DirectoryQuery {
    /// The fingerprint of this directory query's prefix.
    package var scope: String {
        ListingScope.fingerprint(["prefix=" + (prefix.map(Slugifier.slug) ?? "")])
    }
}
