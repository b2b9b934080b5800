import Foundation

/// A raw document as it arrives: its bytes plus whatever the caller knows about where it came from.
public struct DocumentInput: Sendable {
    /// The document's bytes, expected to be UTF-8 (invalid sequences are repaired, never fatal).
    public var data: Data
    /// The file name it was read from, if any; only used as a hint.
    public var fileName: String?
    /// The URL it was fetched from, if any; used as the canonical URL when the document names none.
    public var url: String?

    public init(data: Data, fileName: String? = nil, url: String? = nil) {
        self.data = data
        self.fileName = fileName
        self.url = url
    }

    public init(text: String, fileName: String? = nil, url: String? = nil) {
        self.init(data: Data(text.utf8), fileName: fileName, url: url)
    }

    /// The document decoded as text (UTF-8, UTF-16 with a mark, or Latin-1/Windows-1252).
    var text: String { TextDecoding.decode(data) }
}

/// Why a document could not be turned into an article.
public enum ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The document holds no readable text at all.
    case emptyDocument
    /// The bytes are not text at all: an image, an archive, compressed or random data (named).
    case notText(String)

    public var description: String {
        switch self {
        case .emptyDocument: "the document holds no article text"
        case .notText(let kind): "the document is \(kind), not text"
        }
    }
}
