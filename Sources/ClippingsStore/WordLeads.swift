/// The first letters of a query's words, to find without the tokenizer where in a text a match may first
/// begin: a snippet need not tokenize the text before it.
///
/// Conservative by construction: a position is passed over only when the token that could start there
/// provably does not fold to any of the words. A token starts after a separator, and a separator ends in
/// a byte that is not an ASCII letter or digit; its ASCII letters fold to their lower case, and stemming
/// only changes a word's end (so one letter short of the word is compared, three at most); a Latin-1
/// letter folds to known letters; any other character might fold to anything, so the token may match.
struct WordLeads {
    /// Per word, its first letters as the index folds them (lower-case ASCII).
    private let leads: [[UInt8]]

    /// Leads of the query's words, prefixes and phrases' first words as indexed; nil when one of them
    /// gives nothing to compare (a single letter, or one that does not start with ASCII letters or digits).
    init?(words: [[UInt8]]) {
        var leads: [[UInt8]] = []
        for word in words {
            // Stemming changes at most a word's last letter (`policies` → `policy`), and a prefix's last
            // letter when the token is that long.
            let length = min(3, word.count - 1)
            let lead = Array(word.prefix(length))
            guard length >= 1, lead.allSatisfy({ Self.isLowerAlphanumeric($0) }) else { return nil }
            leads.append(lead)
        }
        guard !leads.isEmpty else { return nil }
        self.leads = leads
        beginnings = Self.beginnings(of: leads)
    }

    /// Where to start tokenizing `text[..<end]` so that every match is still found: a token boundary at
    /// least `margin` bytes before the first position a word could begin; 0 when there is none before it.
    func start(in text: UnsafeBufferPointer<UInt8>, end: Int, margin: Int) -> Int {
        guard let first = firstCandidate(in: text, end: end), first > margin else { return 0 }
        // A boundary: right after an ASCII separator, where the tokenizer starts a token afresh.
        var start = first - margin
        while start < first, Self.isAlphanumeric(text[start - 1]) || text[start - 1] >= 0x80 { start += 1 }
        return start < first ? start : 0
    }

    /// The first position where a token folding to one of the words could begin, or nil.
    func firstCandidate(in text: UnsafeBufferPointer<UInt8>, end: Int) -> Int? {
        var previous = UInt8(ascii: " ")
        for index in 0..<end {
            let byte = text[index]
            // Only a character after a separator may start a token, and only one whose first byte may begin
            // a lead (a continuation byte starts nothing).
            if beginnings[Int(byte)], !Self.isAlphanumeric(previous),
                leads.contains(where: { mayStart($0, text, at: index, end: end) })
            {
                return index
            }
            previous = byte
        }
        return nil
    }

    /// Per byte, whether a token starting with it may fold to a lead: an ASCII letter or digit that is a
    /// lead's first letter in either case, or the first byte of a character outside ASCII.
    private let beginnings: [Bool]

    private static func beginnings(of leads: [[UInt8]]) -> [Bool] {
        (0...255).map { (byte: Int) -> Bool in
            let byte = UInt8(byte)
            if byte >= 0x80 { return byte & 0xC0 == 0xC0 }
            return isAlphanumeric(byte) && leads.contains { $0[0] == lowercased(byte) }
        }
    }

    /// Whether a token at `index` may fold to a word with this lead: its characters fold to the lead's
    /// letters, up to the first character whose folding is not known here (which may fold to anything).
    private func mayStart(_ lead: [UInt8], _ text: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Bool {
        var position = index
        var matched = 0
        while matched < lead.count {
            guard position < end else { return false }
            let byte = text[position]
            if byte < 0x80 {
                guard Self.isAlphanumeric(byte), Self.lowercased(byte) == lead[matched] else { return false }
                matched += 1
                position += 1
                continue
            }
            switch Self.character(byte, position + 1 < end ? text[position + 1] : 0) {
            case .letter(let folded):
                for letter in folded where matched < lead.count {
                    guard letter == lead[matched] else { return false }
                    matched += 1
                }
                position += 2
            case .separator:
                return false
            case .unknown:
                return true
            }
        }
        return true
    }

    private enum Character {
        case letter(ArraySlice<UInt8>)
        case separator
        case unknown
    }

    /// A character's class from its first two bytes: a Latin-1 letter with the ASCII letters it folds to
    /// (the index folds `å` to `a`, `ø` to `o`, `æ` to `ae`, `þ` to `th`, `ß` to `ss`), a separator
    /// (Latin-1's spaces, quotation marks and signs, and general punctuation), or something else.
    private static func character(_ first: UInt8, _ second: UInt8) -> Character {
        switch (first, second) {
        case (0xC2, 0xAA), (0xC2, 0xB2), (0xC2, 0xB3), (0xC2, 0xB5), (0xC2, 0xB9), (0xC2, 0xBA), (0xC2, 0xBC...0xBE):
            return .unknown
        case (0xC2, 0x80...0xBF), (0xC3, 0x97), (0xC3, 0xB7):
            return .separator
        case (0xC3, 0xBF):
            return .letter(Self.ydiaeresis[...])
        case (0xC3, 0x80...0xBF):
            let offset = Int(second & 0x1F)
            return .letter(Self.latinFolding[offset])
        case (0xE2, 0x80):
            // U+2000…U+203F: spaces, dashes, quotation marks, ellipses, bullets (news text's own).
            return .separator
        default:
            return .unknown
        }
    }

    private static let ydiaeresis: [UInt8] = [UInt8(ascii: "y")]

    /// The folding of U+00C0…U+00DF, and of U+00E0…U+00FF at the same offsets (×, ÷ and ÿ are handled
    /// apart).
    private static let latinFolding: [ArraySlice<UInt8>] =
        "a a a a a a ae c e e e e i i i i d n o o o o o _ o u u u u y th ss".split(separator: " ").map {
            Array($0.utf8)[...]
        }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
