import Foundation

/// Recognises bytes that are not a text document (an image, an archive, compressed or random data), so
/// they are refused rather than read as Windows-1252 into a garbage article.
public enum BinaryContent {
    /// File signatures worth naming in a refusal.
    static let signatures: [(bytes: [UInt8], kind: String)] = [
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        (Array("%PDF-".utf8), "a PDF file"),
        ([0x1F, 0x8B], "gzip-compressed data"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data"),
        (Array("BZh".utf8), "bzip2-compressed data"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
        ([0x7F, 0x45, 0x4C, 0x46], "an executable"),
        ([0x00, 0x61, 0x73, 0x6D], "a WebAssembly module"),
    ]

    /// What the bytes are when they are not text (`"a PNG image"`, `"binary data"`), or nil for text.
    ///
    /// Text in UTF-8, UTF-16 with a byte-order mark or a single-byte code page has no NUL and hardly any
    /// control characters besides tab, line feed, form feed and carriage return; random or compressed
    /// bytes have one in about every nine. The first 8 KB decide.
    public static func kind(of data: Data) -> String? {
        let head = data.prefix(8_192)
        if let signature = signatures.first(where: { head.starts(with: $0.bytes) }) { return signature.kind }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return nil }
        var controls = 0
        for byte in head {
            if byte == 0 { return "binary data" }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0C && byte != 0x0D || byte == 0x7F {
                controls += 1
            }
        }
        return controls > max(2, head.count / 100) ? "binary data" : nil
    }
}
