import CompressNIO
import Foundation
import NIOCore

/// Deflate streams kept for reuse between responses. A stream holds a few hundred KB of zlib state: set up
/// afresh for every gzip answer, it costs an allocation, its page faults and zlib's initialisation each
/// time. A reset stream compresses exactly as a new one does.
final class GzipCompressors: @unchecked Sendable {
    static let shared = GzipCompressors()

    private let lock = NSLock()
    private var idle: [ZlibCompressor] = []
    /// Streams kept at most: about one per request compressing at once on a small machine.
    private let keep = 16

    /// `buffer`'s readable bytes as one gzip member, at zlib's fastest level (see `GzipMiddleware`).
    func compress(_ buffer: inout ByteBuffer) throws -> ByteBuffer {
        let compressor =
            try lock.withLock { idle.popLast() }
            ?? ZlibCompressor(algorithm: .gzip, configuration: .init(compressionLevel: .fastestCompression))
        var output = ByteBuffer()
        output.reserveCapacity(compressor.maxSize(from: buffer))
        try compressor.deflate(from: &buffer, to: &output, flush: .finish)
        // Only a stream that finished cleanly goes back; one that failed is dropped with its state.
        try compressor.reset()
        lock.withLock { if idle.count < keep { idle.append(compressor) } }
        return output
    }
}
