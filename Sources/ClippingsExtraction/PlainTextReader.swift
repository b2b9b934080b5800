import Foundation

/// Reads articles pasted as plain text: an optional headline line, an optional byline and dateline, body
/// paragraphs, and the debris that copying from a web page brings along (subheadings, photo captions and
/// credits, "latest news" blocks), which is kept out of the body.
struct PlainTextReader {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let copyrightHolder = /(?i)^(?:copyright\s*)?(?:©|\(c\))?\s*(?:\d{4}\s+)?([^.]{2,60})/

    /// A paragraph of at most this many words, with no closing punctuation, reads as a heading.
    static let headingMaximumWords = 12
    /// A caption directly above a photo credit is at most this long.
    static let captionMaximumWords = 40

    func read(_ text: String, input: DocumentInput) -> ExtractedArticle {
        var paragraphs = Self.paragraphs(of: text)
        var author: String?
        var date: Date?
        var publisher: Publisher?

        Self.dropKicker(from: &paragraphs)
        let title = Self.takeHeadline(from: &paragraphs)
        var afterByline = false
        while let first = paragraphs.first {
            if let meta = Self.leadingMetadata(first) {
                author = author ?? meta.author
                date = date ?? meta.date
                afterByline = meta.author != nil
            } else if afterByline, Self.isAffiliation(first) {
                // "By MARIT ENGEN" / "Associated Press": the reporter's employer, the publisher.
                publisher = publisher ?? PublisherDirectory.publisher(named: first)
                afterByline = false
            } else {
                break
            }
            paragraphs.removeFirst()
        }
        var body: [String] = []
        var credits: [String] = []
        for paragraph in paragraphs {
            if Boilerplate.endsArticle(paragraph) {
                if let holder = Self.copyrightHolder(paragraph) {
                    publisher = publisher ?? PublisherDirectory.publisher(named: holder)
                }
                break
            }
            if Boilerplate.isNoise(paragraph) { continue }
            if let credit = Self.photoCredit(paragraph) {
                credits.append(credit)
                // The caption sits right above its credit; a heading-like image title above that was
                // already dropped as a heading.
                if let last = body.last, TextNormalizer.words(in: last).count <= Self.captionMaximumWords {
                    body.removeLast()
                }
                continue
            }
            if Self.isHeading(paragraph) { continue }
            if body.isEmpty || date == nil, let dateline = Dateline(paragraph: paragraph) {
                date = date ?? dateline.date
                if let agency = dateline.agency { publisher = publisher ?? PublisherDirectory.publisher(named: agency) }
                body.append(dateline.remainder)
                continue
            }
            body.append(paragraph)
        }
        publisher =
            publisher ?? Self.publisher(fromCredits: credits)
            ?? input.url.flatMap(PublisherDirectory.host(of:)).flatMap(PublisherDirectory.publisher(forHost:))
        let headline = title ?? HeadlineDeriver.headline(from: body)
        return ExtractedArticle(
            title: headline,
            author: author,
            publishedAt: date,
            source: publisher,
            url: input.url,
            language: LanguageIdentifier.identify(([title ?? ""] + body).joined(separator: "\n")),
            paragraphs: body,
            format: .plainText
        )
    }

    /// Splits text into paragraphs. Where blank lines separate blocks, a block is one paragraph whose lines
    /// were wrapped, except where a short line (a heading or an image title) or a photo credit starts a new
    /// one. Without blank lines, each line is a paragraph.
    static func paragraphs(of text: String) -> [String] {
        var lines = TextNormalizer.lines(of: text).map { TextNormalizer.collapse(String($0)) }
        while lines.last == "" { lines.removeLast() }
        while lines.first == "" { lines.removeFirst() }
        let blocksSeparated = lines.contains("")
        var paragraphs: [String] = []
        var current: String?
        for line in lines {
            guard !line.isEmpty else {
                if let done = current { paragraphs.append(done) }
                current = nil
                continue
            }
            // (`utf8.count` first: it is constant-time, and 160 bytes hold at least 40 characters.)
            let continues =
                blocksSeparated
                && current.map { open in
                    (open.utf8.count >= 160 || open.count >= 40) && !isHeading(open) && photoCredit(line) == nil
                        && !Boilerplate.endsArticle(line) && line.firstMatch(of: listItem) == nil
                } == true
            if continues {
                // Appended in place: the paragraph's buffer is not shared here.
                current!.append(" ")
                current!.append(line)
            } else {
                if let done = current { paragraphs.append(done) }
                current = line
            }
        }
        if let done = current { paragraphs.append(done) }
        return paragraphs
    }

    // Regexes compiled once (a literal in a function body is parsed on every call); `nonisolated(unsafe)`
    // is sound because they are never mutated.
    nonisolated(unsafe) static let bylinePattern =
        /(?i)(?:by|written by|av|skrevet av|von|par|por|door|af)\s*:?\s+(.{3,80}?)(?:\s*[,|]\s*(.+))?/
    nonisolated(unsafe) static let creditPattern =
        /(?i)^\(?(?:foto|photo|photograph|picture|image|bilde|illustrasjon|illustration|credit|kreditt|grafikk|video)\s*(?:credit)?\s*[:：]\s*(.{1,120}?)\)?$/

    /// A list item's start (`1. `, `2) `, `• `): each item is its own paragraph, never wrapped prose.
    nonisolated(unsafe) static let listItem = /^(?:\d{1,2}[.)]|[•*·▪–-])\s/

    /// Words set above a headline to label the piece ("ANALYSIS", "Kommentar").
    static let kickers: Set<String> = [
        "analysis", "opinion", "comment", "exclusive", "explainer", "review", "interview", "breaking", "live",
        "feature", "fact check", "analyse", "kommentar", "debatt", "leder", "intervju", "reportasje", "anmeldelse",
        "kronikk", "nyhet", "nyheter",
    ]

    /// Removes a kicker line above the headline: a label of up to three words, in capitals or a known one.
    static func dropKicker(from paragraphs: inout [String]) {
        guard paragraphs.count > 2, let first = paragraphs.first else { return }
        let words = TextNormalizer.words(in: first)
        guard (1...3).contains(words.count), !TextNormalizer.endsSentence(first),
            Dateline.isUpperCase(first) || kickers.contains(Boilerplate.key(first))
        else { return }
        var rest = Array(paragraphs.dropFirst())
        guard takeHeadline(from: &rest) != nil else { return }
        paragraphs.removeFirst()
    }

    /// A short name line under a byline: the reporter's organisation.
    static func isAffiliation(_ paragraph: String) -> Bool {
        let words = TextNormalizer.words(in: paragraph)
        return (1...5).contains(words.count) && !TextNormalizer.endsSentence(paragraph)
            && !paragraph.contains(where: \.isNumber) && paragraph.first?.isUppercase == true
    }

    /// The holder named in a closing copyright line ("Copyright 2021 The Associated Press. All rights reserved.").
    static func copyrightHolder(_ paragraph: String) -> String? {
        guard let match = paragraph.firstMatch(of: Self.copyrightHolder),
            paragraph.lowercased().hasPrefix("copyright") || paragraph.hasPrefix("©")
                || paragraph.lowercased().hasPrefix("(c)")
        else { return nil }
        let holder = String(match.1).trimmingCharacters(in: .whitespaces)
        return holder.lowercased().contains("all rights") ? nil : holder
    }

    /// Removes and returns the first paragraph when it reads as a headline.
    static func takeHeadline(from paragraphs: inout [String]) -> String? {
        guard paragraphs.count > 1, let first = paragraphs.first, first.count <= 200,
            TextNormalizer.words(in: first).count <= 25, !first.hasSuffix("."), !first.hasSuffix(":"),
            Dateline(paragraph: first) == nil, leadingMetadata(first) == nil, !Boilerplate.isNoise(first)
        else { return nil }
        paragraphs.removeFirst()
        return first
    }

    /// A heading: short, no sentence punctuation at the end, and not a byline or credit.
    static func isHeading(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count <= 250, !TextNormalizer.endsSentence(paragraph) else { return false }
        let words = TextNormalizer.words(in: paragraph)
        return !words.isEmpty && words.count <= headingMaximumWords && !TextNormalizer.endsSentence(paragraph)
            && !paragraph.hasPrefix("–") && !paragraph.hasPrefix("-") && !paragraph.hasPrefix("—")
    }

    /// Byline or date lines that may follow the headline.
    static func leadingMetadata(_ paragraph: String) -> (author: String?, date: Date?)? {
        guard paragraph.utf8.count <= 200 else { return nil }  // bylines and date lines are short
        if let date = DateRecognizer.date(from: paragraph) { return (nil, date) }
        if let match = paragraph.wholeMatch(of: Self.bylinePattern) {
            var name = String(match.1)
            let words = name.split(separator: " ")
            guard (2...5).contains(words.count), words.allSatisfy({ $0.first?.isUppercase == true || $0.count <= 3 })
            else { return nil }
            // House styles that print bylines in capitals: a reader writes the name normally.
            if Dateline.isUpperCase(name) { name = name.lowercased().capitalized }
            return (name, match.2.flatMap { DateRecognizer.firstDate(in: String($0)) })
        }
        return nil
    }

    /// The credited party of a photo credit line (`Foto: Leif Hatland / NRK`), or nil if it is not one.
    static func photoCredit(_ paragraph: String) -> String? {
        guard paragraph.utf8.count <= 200, paragraph.contains(":") || paragraph.contains("：") else { return nil }
        guard let match = paragraph.wholeMatch(of: Self.creditPattern) else { return nil }
        return String(match.1)
    }

    /// The organisation most credited for its own photos (`Name / ORG`), as the likely publisher. Photo and
    /// wire agencies (`/ NTB`, `AFP via Getty Images`) sell pictures to everyone, so they say nothing.
    static func publisher(fromCredits credits: [String]) -> Publisher? {
        let organisations = credits.compactMap { credit -> String? in
            guard let slash = credit.lastIndex(of: "/"), !credit.lowercased().contains(" via ") else { return nil }
            let name = credit[credit.index(after: slash)...].trimmingCharacters(in: .whitespaces)
            let words = name.lowercased().split(separator: " ").map(String.init)
            let isAgency = photoAgencies.contains(name.lowercased()) || words.contains(where: photoAgencies.contains)
            return name.isEmpty || isAgency ? nil : name
        }
        let counts = Dictionary(organisations.map { ($0.lowercased(), 1) }, uniquingKeysWith: +)
        guard let best = organisations.max(by: { counts[$0.lowercased()]! < counts[$1.lowercased()]! }) else {
            return nil
        }
        return PublisherDirectory.publisher(named: best)
    }

    static let photoAgencies: Set<String> = [
        "ntb", "ntb scanpix", "scanpix", "afp", "ap", "reuters", "getty images", "epa", "shutterstock", "ritzau",
        "tt", "dpa", "pa", "pa images", "alamy", "xinhua", "anadolu", "imago", "zuma", "sipa", "ansa", "efe",
        "privat", "private", "handout",
    ]
}
