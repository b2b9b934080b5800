import Foundation

/// Site furniture that copying an article from a web page drags along.
enum Boilerplate {
    /// Lines that start the trailing blocks after an article ("latest news", "read more" …): everything from
    /// them on is dropped.
    static let endMarkers: Set<String> = [
        "siste nytt", "siste nyheter", "mest lest", "les også", "les mer", "relaterte saker", "flere saker",
        "latest news", "latest", "most read", "most popular", "most viewed", "related", "related articles",
        "related stories", "related content", "read more", "read next", "more from", "more stories",
        "recommended", "recommended for you", "you may also like", "trending", "top stories", "share this",
        "share this article", "del artikkelen", "del saken", "comments", "kommentarer", "senaste nytt",
        "seneste nyt", "mehr zum thema", "lire aussi", "leave a comment", "leave a reply",
    ]
    /// Lines that are noise wherever they stand.
    static let noiseLines: Set<String> = [
        "advertisement", "annonse", "reklame", "annons", "anzeige", "publicité", "sponsored", "continue reading",
        "fortsett å lese", "skip to content", "hopp til innhold", "share", "del", "tweet", "print", "skriv ut",
    ]

    static func key(_ line: String) -> String {
        line.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
    }

    static func endsArticle(_ line: String) -> Bool { endMarkers.contains(key(line)) }

    static func isNoise(_ line: String) -> Bool { noiseLines.contains(key(line)) }
}
