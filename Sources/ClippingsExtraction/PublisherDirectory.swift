import Foundation

/// Well-known news publishers: their display names, web domains and the ways texts name them.
///
/// Used to turn a domain into a proper name (`nrk.no` → NRK) and to recognise a publisher named in a
/// dateline or a photo credit. A publisher not listed still gets a record: its domain, or its name as the
/// text writes it.
public enum PublisherDirectory {
    struct Entry {
        let name: String
        let domain: String
        let aliases: [String]
    }

    static let entries: [Entry] = [
        Entry(name: "NRK", domain: "nrk.no", aliases: ["NRK", "Norsk rikskringkasting", "Norwegian Broadcasting"]),
        Entry(name: "TV2", domain: "tv2.no", aliases: ["TV2", "TV 2"]),
        Entry(name: "Aftenposten", domain: "aftenposten.no", aliases: ["Aftenposten"]),
        Entry(name: "VG", domain: "vg.no", aliases: ["VG", "Verdens Gang"]),
        Entry(name: "Dagbladet", domain: "dagbladet.no", aliases: ["Dagbladet"]),
        Entry(name: "Bergens Tidende", domain: "bt.no", aliases: ["Bergens Tidende", "BT"]),
        Entry(name: "Dagens Næringsliv", domain: "dn.no", aliases: ["Dagens Næringsliv", "DN"]),
        Entry(name: "NTB", domain: "ntb.no", aliases: ["NTB", "Norsk Telegrambyrå"]),
        Entry(name: "The Local Norway", domain: "thelocal.no", aliases: ["The Local Norway", "The Local"]),
        Entry(name: "News in English", domain: "newsinenglish.no", aliases: ["newsinenglish.no"]),
        Entry(name: "DeepDotWeb", domain: "deepdotweb.com", aliases: ["DeepDotWeb", "DeepDot Web"]),
        Entry(name: "Reuters", domain: "reuters.com", aliases: ["Reuters"]),
        Entry(
            name: "Associated Press",
            domain: "apnews.com",
            aliases: ["AP", "Associated Press", "The Associated Press"]
        ),
        Entry(name: "AFP", domain: "afp.com", aliases: ["AFP", "Agence France-Presse"]),
        Entry(name: "BBC", domain: "bbc.co.uk", aliases: ["BBC", "BBC News"]),
        Entry(name: "CNN", domain: "cnn.com", aliases: ["CNN"]),
        Entry(name: "The Guardian", domain: "theguardian.com", aliases: ["The Guardian", "Guardian"]),
        Entry(name: "The New York Times", domain: "nytimes.com", aliases: ["The New York Times", "New York Times"]),
        Entry(name: "The Washington Post", domain: "washingtonpost.com", aliases: ["The Washington Post"]),
        Entry(name: "Bloomberg", domain: "bloomberg.com", aliases: ["Bloomberg"]),
        Entry(name: "Al Jazeera", domain: "aljazeera.com", aliases: ["Al Jazeera"]),
        Entry(name: "Deutsche Welle", domain: "dw.com", aliases: ["DW", "Deutsche Welle"]),
        Entry(name: "Sky News", domain: "news.sky.com", aliases: ["Sky News"]),
        Entry(name: "The Independent", domain: "independent.co.uk", aliases: ["The Independent"]),
        Entry(name: "ZDNet", domain: "zdnet.com", aliases: ["ZDNet"]),
        Entry(name: "Ars Technica", domain: "arstechnica.com", aliases: ["Ars Technica"]),
        Entry(name: "Wired", domain: "wired.com", aliases: ["Wired"]),
        Entry(name: "The Verge", domain: "theverge.com", aliases: ["The Verge"]),
        Entry(name: "TechCrunch", domain: "techcrunch.com", aliases: ["TechCrunch"]),
        Entry(name: "Vice", domain: "vice.com", aliases: ["Vice", "VICE"]),
        Entry(name: "Europol", domain: "europol.europa.eu", aliases: []),
        Entry(name: "SVT", domain: "svt.se", aliases: ["SVT"]),
        Entry(name: "DR", domain: "dr.dk", aliases: ["DR"]),
        Entry(name: "Yle", domain: "yle.fi", aliases: ["Yle", "YLE"]),
    ]

    /// The publisher behind a host name (`www.nrk.no`, `m.nrk.no`): a listed name, else the bare domain.
    public static func publisher(forHost host: String) -> Publisher? {
        let domain = registrableDomain(host)
        guard !domain.isEmpty else { return nil }
        if let entry = entries.first(where: { domain == $0.domain || domain.hasSuffix("." + $0.domain) }) {
            return Publisher(name: entry.name, domain: entry.domain)
        }
        return Publisher(name: domain, domain: domain)
    }

    /// The publisher a text names (`TV2`, `NRK`): a listed publisher, else the name as written.
    public static func publisher(named rawName: String) -> Publisher? {
        let name = TextNormalizer.collapse(rawName)
        guard !name.isEmpty, name.count <= 60 else { return nil }
        let folded = name.lowercased()
        if let entry = entries.first(where: { $0.aliases.contains { $0.lowercased() == folded } }) {
            return Publisher(name: entry.name, domain: entry.domain)
        }
        return Publisher(name: name, domain: nil)
    }

    /// The host without `www.`-like prefixes, lower-cased.
    static func registrableDomain(_ host: String) -> String {
        var domain = host.lowercased()
        for prefix in ["www.", "m.", "mobile.", "amp."] where domain.hasPrefix(prefix) {
            domain.removeFirst(prefix.count)
        }
        return domain
    }

    /// The host of an absolute http(s) URL.
    static func host(of url: String) -> String? {
        // Byte by byte: this runs for every link of every page, too often for a regular expression.
        let bytes = url.utf8
        var index = bytes.startIndex
        for expected in "http".utf8 {
            guard index < bytes.endIndex, ByteText.lower(bytes[index]) == expected else { return nil }
            index = bytes.index(after: index)
        }
        if index < bytes.endIndex, ByteText.lower(bytes[index]) == UInt8(ascii: "s") {
            index = bytes.index(after: index)
        }
        for expected in "://".utf8 {
            guard index < bytes.endIndex, bytes[index] == expected else { return nil }
            index = bytes.index(after: index)
        }
        var host: [UInt8] = []
        while index < bytes.endIndex {
            let byte = bytes[index]
            if "/?#:@".utf8.contains(byte) || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { break }
            host.append(ByteText.lower(byte))
            index = bytes.index(after: index)
        }
        guard !host.isEmpty else { return nil }
        let text = String(decoding: host, as: UTF8.self)
        return host.allSatisfy({ $0 < 0x80 }) ? text : text.lowercased()
    }
}
