import ClippingsExtraction
import CompressNIO
import Foundation
import NIOCore

/// The raw document an article was extracted from, kept deflated beside it so the archive can be
/// extracted again (`clippings reextract`) when extraction improves.
///
/// Compressed when the article is prepared, on the extracting thread, so the single writer only stores
/// bytes; news HTML deflates well.
public struct SourceDocument: Sendable, Equatable {
    /// The file name it was read from, a hint to the extractor.
    public var fileName: String?
    /// The URL it came from, when the importer knew it.
    public var url: String?
    /// The publisher the importer named for it (`?source=`), which overrides what extraction finds.
    public var sourceName: String?
    /// Its size before compression, in bytes.
    public var size: Int
    /// The document's bytes, deflated (RFC 1951).
    public var deflated: Data

    /// zlib's fastest level: the extracting threads deflate every imported document, and the ratio is close
    /// to the default level's on markup.
    static let compression = ZlibConfiguration(compressionLevel: .fastestCompression)

    /// Documents larger than this are not kept: extraction limits are far below it, and a reextract must
    /// never inflate a hostile row into gigabytes.
    public static let maximumSize = 64 * 1024 * 1024

    public init?(_ input: DocumentInput, sourceName: String? = nil) {
        guard input.data.count <= Self.maximumSize else { return nil }
        var buffer = ByteBuffer(bytes: input.data)
        guard let compressed = try? buffer.compress(with: .deflate(configuration: Self.compression)) else { return nil }
        fileName = input.fileName
        url = input.url
        self.sourceName = sourceName
        size = input.data.count
        deflated = Data(compressed.readableBytesView)
    }

    package init(fileName: String?, url: String?, sourceName: String?, size: Int, deflated: Data) {
        self.fileName = fileName
        self.url = url
        self.sourceName = sourceName
        self.size = size
        self.deflated = deflated
    }

    /// The document as the extractor takes it; nil when the stored bytes do not inflate to the recorded size.
    public var input: DocumentInput? {
        var buffer = ByteBuffer(bytes: deflated)
        guard size <= Self.maximumSize,
            let inflated = try? buffer.decompress(with: .deflate(), maxSize: max(size, 1)),
            inflated.readableBytes == size
        else { return nil }
        return DocumentInput(data: Data(inflated.readableBytesView), fileName: fileName, url: url)
    }
}
