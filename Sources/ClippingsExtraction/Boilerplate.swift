import Foundation

/// Site furniture that copying an article from a web page drags along, in the languages we read.
enum Boilerplate {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let year = /\b(19|20)\d{2}\b/
    nonisolated(unsafe) static let wireCredit =
        /\((?:additional )?(?:reporting|writing|editing|compiled|translated) by .*\)/

    /// Lines that start the trailing blocks after an article ("latest news", "read more", a press release's
    /// `###`, a wire service's standards note): everything from them on is dropped.
    static let endMarkers: Set<String> = [
        "siste nytt", "siste nyheter", "mest lest", "les også", "les mer", "relaterte saker", "flere saker",
        "latest news", "latest", "most read", "most popular", "most viewed", "related", "related articles",
        "related stories", "related content", "read more", "read next", "more from", "more stories",
        "recommended", "recommended for you", "you may also like", "trending", "top stories", "share this",
        "share this article", "del artikkelen", "del saken", "comments", "kommentarer", "senaste nytt",
        "seneste nyt", "mehr zum thema", "lire aussi", "leave a comment", "leave a reply", "###", "# # #", "-30-",
        "- 30 -", "ends", "-ends-", "- ends -", "explore further", "more on this story", "related coverage",
        "related topics", "you might also like", "recommended stories", "editor's picks", "more from this author",
        "read more about", "more in this section", "also on", "popular now", "les flere saker", "relaterte artikler",
    ]
    /// Line beginnings that mark the same trailing blocks.
    static let endPrefixes = ["our standards:", "share this:"]
    /// Lines that are noise wherever they stand.
    static let noiseLines: Set<String> = [
        "advertisement", "annonse", "reklame", "annons", "anzeige", "publicité", "sponsored", "continue reading",
        "fortsett å lese", "skip to content", "for immediate release", "press release", "news release",
        "hopp til innhold", "share", "del", "tweet", "print", "skriv ut", "licensing & reprints",
        "licensing and reprints", "see more", "don't miss", "don’t miss", "story continues below advertisement",
        "scroll to continue with content", "advertisement - scroll to continue", "ad feedback", "view comments",
        "sign up for our newsletter", "sign up", "subscribe", "click to enlarge", "enlarge this image",
        "toggle caption", "hide caption", "play video", "watch video", "video", "photo", "image", "copy link",
        "email", "facebook", "twitter", "linkedin", "whatsapp", "reddit", "pinterest", "share on facebook",
        "share on twitter", "close", "menu", "search", "loading", "loading...", "back to top", "jump to",
        "skip advertisement", "supported by", "open in app", "listen to this article", "reprints",
    ]
    /// Paragraph beginnings of promotions for other articles ("Read more: …").
    static let promoPrefixes = [
        "read more:", "read also:", "also read:", "see also:", "les også:", "les mer:", "se også:", "mehr zum thema:",
        "lire aussi:", "watch:", "listen:", "sign up", "subscribe to", "related:", "most read:", "related article:",
    ]

    /// The line folded for lookup; empty for long lines, which no marker is (and folding them is costly).
    static func key(_ line: String) -> String {
        guard line.utf8.count <= 80 else { return "" }
        return TextNormalizer.trimmed(Substring(line.lowercased()), punctuation: true)
    }

    static func endsArticle(_ line: String) -> Bool {
        // Markers are short: long paragraphs are only looked at for a closing copyright notice.
        let lowered = head(line)
        if ["###", "# # #", "-30-", "- 30 -"].contains(lowered) { return true }
        // A closing copyright line ("Copyright 2021 …", "© 2021 …", "All rights reserved").
        let startsCopyright = lowered.hasPrefix("copyright") || lowered.hasPrefix("©") || lowered.hasPrefix("(c) ")
        if startsCopyright || (line.utf8.count <= 300 && line.lowercased().contains("all rights reserved")) {
            let whole = line.lowercased()
            if TextNormalizer.words(in: whole).count <= 25,
                !startsCopyright || whole.contains("all rights reserved") || whole.contains(Self.year)
            {
                return true
            }
        }
        return endMarkers.contains(key(line)) || endPrefixes.contains { lowered.hasPrefix($0) }
    }

    /// Noise lines, promotions and wire credits such as "(Reporting by …; Editing by …)".
    static func isNoise(_ line: String) -> Bool {
        let lowered = head(line)
        if noiseLines.contains(key(line)) || promoPrefixes.contains(where: { lowered.hasPrefix($0) }) { return true }
        guard lowered.hasPrefix("("), line.utf8.count <= 300 else { return false }
        return TextNormalizer.trimmed(Substring(line.lowercased()))
            .wholeMatch(of: Self.wireCredit) != nil
    }

    /// The start of a line, trimmed and lower-cased: enough for every prefix test here.
    static func head(_ line: String) -> String {
        TextNormalizer.trimmed(line.prefix(60)).lowercased()
    }
}
