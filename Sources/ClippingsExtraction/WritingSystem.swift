/// Languages told apart by their script alone: a text mostly in Greek letters is Greek, kana is Japanese.
enum WritingSystem {
    /// The language a text's letters name outright, or nil for Latin and Cyrillic text (and text with too
    /// few letters), whose language the function words decide.
    static func language(of text: String) -> String? {
        var counts: [String: Int] = [:]
        var letters = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x41 {
            guard let script = script(of: scalar.value) else { continue }
            letters += 1
            if script != "latin" { counts[script, default: 0] += 1 }
        }
        guard letters >= 20 else { return nil }
        let kana = counts["kana", default: 0]
        let han = counts["han", default: 0]
        if kana * 10 >= letters / 2 && kana + han >= letters / 2 { return "ja" }
        if han >= letters / 2 { return "zh" }
        guard let (script, count) = counts.max(by: { $0.value < $1.value }), count * 2 >= letters,
            script != "cyrillic"
        else { return nil }
        return languages[script]
    }

    static let languages: [String: String] = [
        "greek": "el", "hangul": "ko", "arabic": "ar", "hebrew": "he", "thai": "th", "devanagari": "hi",
        "georgian": "ka", "armenian": "hy",
    ]

    static func script(of value: UInt32) -> String? {
        switch value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: "latin"
        case 0x370...0x3FF, 0x1F00...0x1FFF: "greek"
        case 0x400...0x4FF: "cyrillic"
        case 0x530...0x58F: "armenian"
        case 0x590...0x5FF: "hebrew"
        case 0x600...0x6FF, 0x750...0x77F: "arabic"
        case 0x900...0x97F: "devanagari"
        case 0xE00...0xE7F: "thai"
        case 0x10A0...0x10FF: "georgian"
        case 0x3040...0x30FF: "kana"
        case 0x4E00...0x9FFF, 0x3400...0x4DBF: "han"
        case 0xAC00...0xD7AF, 0x1100...0x11FF: "hangul"
        default: nil
        }
    }
}
