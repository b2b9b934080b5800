import Foundation

/// Cleans what pages put where a byline goes into the writers' names.
///
/// Bylines carry more than names: "By", a role ("Staff Writer"), a handle ("@NatGeoUK"), an agency or the
/// site itself ("Deutsche Welle (www.dw.com)"), a time stamp ("Reuters Updated: January 16, 2020"), or a
/// CMS account ("admin"). A person's name is kept; an organisation only when no person is named.
enum AuthorNames {
    /// Compiled once (a regex literal inside a function is parsed again on every call); read-only after, so
    /// shared between import threads like `DateRecognizer`'s patterns.
    nonisolated(unsafe) static let monthDay =
        /(?i)\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}/
    nonisolated(unsafe) static let numericDate = /\s\d{1,4}[\/.\-]\d{1,2}/
    nonisolated(unsafe) static let parenthesis = /\s*\([^)]*\)?/

    /// The names in a byline, each cleaned, in order; organisations after people are dropped.
    static func names(in raw: String) -> [String] {
        var text = TextNormalizer.collapse(HTMLEntities.decode(raw))
        guard !text.isEmpty, text.count <= 300, !text.hasPrefix("http") else { return [] }
        text = cutAtStamp(text)
        text = removingLead(text)
        let parts = split(text).compactMap(clean)
        let people = parts.filter { !isOrganisation($0) }
        return unique(people.isEmpty ? Array(parts.prefix(1)) : people)
    }

    /// A byline and where it was found: structured data names accounts and one-word pen names on purpose;
    /// in visible text a lone word ("Last", "admin") is a label, not a name.
    struct Candidate {
        var text: String
        var structured: Bool
    }

    /// The names of several bylines, the first that names a person winning over organisations.
    static func names(from candidates: [Candidate]) -> [String] {
        var organisation: [String] = []
        for candidate in candidates {
            var found = names(in: candidate.text)
            if !candidate.structured { found = found.filter { $0.contains(" ") || !$0.contains(where: \.isASCII) } }
            if found.contains(where: { !isOrganisation($0) }) { return found }
            if organisation.isEmpty { organisation = found }
        }
        return organisation
    }

    /// Words that introduce a byline, in the languages we read.
    static let leads = [
        "written by", "posted by", "published by", "reported by", "words by", "story by", "text by", "by",
        "skrevet av", "tekst", "text", "av", "von", "par", "por", "di", "door", "af", "från", "fra", "autor", "auteur",
        "author", "authors", "redaksjonen",
    ]

    static func removingLead(_ text: String) -> String {
        var result = text
        var changed = true
        while changed {
            changed = false
            let lowered = result.lowercased()
            for lead in leads where lowered.hasPrefix(lead) {
                let rest = result.dropFirst(lead.count)
                guard let next = rest.first, next == " " || next == ":" || next == "\u{00A0}" else { continue }
                result = TextNormalizer.trimmed(rest.drop { $0 == ":" || $0.isWhitespace })
                changed = true
                break
            }
        }
        return result
    }

    /// A byline's time stamp or site suffix and everything after it.
    static func cutAtStamp(_ text: String) -> String {
        var cut = text.endIndex
        let lowered = text.lowercased()
        for marker in [
            " updated", " published", " last updated", " posted on", " on ", " | ", " - ", " — ", " – ", "•", "|",
            " at ", "\n", " photo", " photographs", " edited by", " illustrations by", " images by", " additional",
        ] {
            if let range = lowered.range(of: marker), range.lowerBound > lowered.startIndex {
                let offset = lowered.distance(from: lowered.startIndex, to: range.lowerBound)
                cut = min(cut, text.index(text.startIndex, offsetBy: offset))
            }
        }
        // A date written straight after the name ("Jane Doe January 16, 2020").
        if let match = text.firstMatch(
            of: Self.monthDay
        ),
            match.range.lowerBound < cut
        {
            cut = match.range.lowerBound
        }
        if let match = text.firstMatch(of: Self.numericDate), match.range.lowerBound < cut {
            cut = match.range.lowerBound
        }
        return TextNormalizer.trimmed(text[..<cut], punctuation: false)
    }

    /// The name parts of a byline: authors apart at ";", commas and "and"; at a comma, a part that holds a
    /// job title ("Senior Staff Technologist, ACLU …") ends that author's names.
    static func split(_ text: String) -> [String] {
        var parts: [String] = []
        for author in text.components(separatedBy: ";") {
            for (position, piece) in author.components(separatedBy: ",").enumerated() {
                if position > 0,
                    TextNormalizer.words(in: piece.lowercased()).contains(where: { roles.contains(String($0)) })
                {
                    break
                }
                parts.append(piece)
            }
        }
        for separator in [" and ", " & ", " og ", " und ", " et ", " y ", " e ", " och ", " en ", " with "] {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        return parts
    }

    /// Job titles that follow a name after a comma ("Jane Doe, Staff Writer"): not names.
    static let roles: Set<String> = [
        "writer", "reporter", "correspondent", "editor", "journalist", "staff", "contributor", "columnist",
        "photographer", "analyst", "commentator", "korrespondent", "redaktør", "kommentator", "fotograf", "bureau",
        "desk", "intern", "producer", "senior", "chief", "political", "associate", "contributing", "special",
        "guest", "freelance", "news", "science", "business", "sports", "technology", "health", "director",
        "professor", "founder", "ceo", "president", "student", "researcher", "manager", "team", "newsroom",
        "games", "politics", "culture", "music", "film", "world", "national", "foreign", "managing", "executive",
        "digital", "tech", "travel", "food", "arts", "entertainment", "deputy", "assistant", "lead", "head",
    ]
    /// Accounts and placeholders, not people.
    static let placeholders: Set<String> = [
        "admin", "administrator", "editor", "editors", "staff", "guest", "anonymous", "unknown", "webmaster",
        "redaksjonen", "redaktionen", "newsdesk", "web desk", "desk", "team", "the editors", "editorial staff",
        "staff writer", "staff reporter", "our correspondent", "wordpress", "user", "author", "null", "none",
    ]

    /// One name cleaned, or nil when the part names no one.
    static func clean(_ part: String) -> String? {
        var name = TextNormalizer.trimmed(Substring(part), punctuation: false)
        // A handle ("@NatGeoUK") or an e-mail address names an account.
        name = name.split(separator: " ").filter { !$0.hasPrefix("@") && !$0.contains("@") }.joined(separator: " ")
        // "(www.dw.com)", "(AP)", "(R.J.)": a parenthesis is not part of the name.
        name = name.replacing(Self.parenthesis, with: " ")
        var words = name.split(separator: " ")
        // "Ben Silverman Games Editor": a job title after the name.
        while words.count > 2, let last = words.last, roles.contains(last.lowercased()) { words.removeLast() }
        name = TextNormalizer.trimmed(Substring(words.joined(separator: " ")), punctuation: true)
        // Names hold no digits: "CC7567" is an account.
        guard !name.isEmpty, name.count <= 60, !name.contains(where: \.isNumber) else { return nil }
        let lowered = name.lowercased()
        guard !placeholders.contains(lowered), !lowered.contains("http"), !lowered.contains("www.") else { return nil }
        let nameWords = TextNormalizer.words(in: lowered)
        guard !nameWords.isEmpty, nameWords.count <= 6 else { return nil }
        if nameWords.allSatisfy({ roles.contains(String($0)) }) { return nil }
        return name
    }

    /// Agencies, outlets and all-capitals abbreviations ("PTI", "Reuters", "Deutsche Welle").
    static func isOrganisation(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if agencies.contains(lowered) { return true }
        if name.count <= 5, name == name.uppercased(), name.contains(where: \.isLetter) { return true }
        let words = lowered.split(separator: " ")
        return words.count == 1 && lowered.contains(".")
            || ["news", "press", "media", "agency", "times", "post", "daily", "network", "service", "welle"]
                .contains { word in words.contains { $0 == word } }
    }

    static let agencies: Set<String> = [
        "reuters", "associated press", "ap", "afp", "agence france-presse", "pti", "ians", "ani", "ntb", "tt",
        "dpa", "efe", "ansa", "bloomberg", "xinhua", "upi", "press association", "pa", "bbc", "cnn",
        "bbc news", "deutsche welle", "dw", "al jazeera", "tass", "kyodo", "yonhap", "ritzau", "anp", "belga",
    ]

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0.lowercased()).inserted }
    }
}
