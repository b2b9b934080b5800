import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird

/// gzip at zlib's fastest level (see `GzipMiddleware`).
private let responseGzip = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: .fastestCompression))

/// Compresses response bodies with gzip when the client accepts it.
///
/// Bodies under `minimumSize` stay plain (the gzip header would outweigh the saving). Every response says
/// `Vary: Accept-Encoding`, so caches keep the two representations apart.
///
/// Bodies are compressed at zlib's fastest level, as nginx's `gzip_comp_level` default: on a page of
/// search results it compresses about 3.5 times faster than the default level 6, for a body about a fifth
/// larger (BENCHMARKS.md has the figures).
struct GzipMiddleware<Context: RequestContext>: RouterMiddleware {
    var minimumSize = 1024

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.vary] = "Accept-Encoding"
        guard AcceptEncoding(request.headers[.acceptEncoding]).allowsGzip,
            response.headers[.contentEncoding] == nil, response.status != .notModified
        else { return response }
        if request.method == .head, response.headers[.contentLength] == nil {
            // The head of a streamed GET (an export): the same headers, no body to compress.
            response.headers[.contentEncoding] = "gzip"
            return response
        }
        guard let length = response.body.contentLength else {
            // A streamed body (an export) is compressed as it streams, never held whole.
            let plain = response.body
            response.headers[.contentEncoding] = "gzip"
            response.body = ResponseBody { writer in
                try await plain.write(
                    GzipStreamWriter(inner: writer, compressor: responseGzip.compressor)
                )
            }
            return response
        }
        guard length >= minimumSize else { return response }
        var plain = try await response.collectBody()
        let compressed = try GzipCompressors.shared.compress(&plain)
        response.headers[.contentEncoding] = "gzip"
        response.body = ResponseBody(byteBuffer: compressed)
        return response
    }
}

/// An `Accept-Encoding` header, read per RFC 9110 §12.5.3 (q-values honoured, `*` as a wildcard).
struct AcceptEncoding {
    /// The q-values given to `gzip`, `x-gzip` and `*`, the last one of each when repeated.
    private var gzip: Double?
    private var xGzip: Double?
    private var any: Double?

    init(_ header: String?) {
        // Over the header's bytes, no `Character`s, no Foundation and no table: the cache's event-loop
        // path reads this header on every hit.
        guard let header else { return }
        for item in header.utf8.split(separator: UInt8(ascii: ",")) {
            var parts = item.split(separator: UInt8(ascii: ";")).makeIterator()
            guard let coding = parts.next().map(Self.trimmed), !coding.isEmpty else { continue }
            var quality = 1.0
            while let parameter = parts.next().map(Self.trimmed) {
                if parameter.count >= 2, parameter.first! | 0x20 == UInt8(ascii: "q"),
                    parameter[parameter.index(after: parameter.startIndex)] == UInt8(ascii: "=")
                {
                    quality = Double(Substring(parameter.dropFirst(2))) ?? 0
                }
            }
            if Self.equalsIgnoringCase(coding, "gzip") {
                gzip = quality
            } else if Self.equalsIgnoringCase(coding, "x-gzip") {
                xGzip = quality
            } else if coding.elementsEqual("*".utf8) {
                any = quality
            }
        }
    }

    var allowsGzip: Bool {
        if let quality = gzip ?? xGzip { return quality > 0 }
        return (any ?? 0) > 0
    }

    private static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }

    /// Equal to an ASCII lowercase `name`, ignoring the case of ASCII letters.
    private static func equalsIgnoringCase(_ bytes: Substring.UTF8View.SubSequence, _ name: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return bytes.count == expected.count
            && zip(bytes, expected).allSatisfy { byte, expected in
                byte == expected || (0x41...0x5A).contains(byte) && byte | 0x20 == expected
            }
    }
}

/// Compresses each chunk written through it (flushing, so a slow stream still reaches the client), and
/// ends the gzip stream when the body finishes.
private struct GzipStreamWriter: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    let compressor: any NIOCompressor
    var started = false

    mutating func write(_ buffer: ByteBuffer) async throws {
        if !started {
            try compressor.startStream()
            started = true
        }
        var input = buffer
        let output = try input.compressStream(with: compressor, flush: .sync)
        try await inner.write(output)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        if !started { try compressor.startStream() }
        var empty = ByteBuffer()
        let tail = try empty.compressStream(with: compressor, flush: .finish)
        try compressor.finishStream()
        try await inner.write(tail)
        try await inner.finish(trailingHeaders)
    }
}

extension Response {
    /// Reads the whole body, leaving an equivalent buffered body in place.
    mutating func collectBody() async throws -> ByteBuffer {
        let box = CollectedBody()
        try await body.write(CollectingWriter(box: box))
        body = ResponseBody(byteBuffer: box.buffer)
        return box.buffer
    }
}

/// The writer `collectBody` hands to a body; a class so the bytes outlive the consumed writer.
/// Unchecked `Sendable` is sound: one request's body is written by one task, then read by that same task.
private final class CollectedBody: @unchecked Sendable {
    var buffer = ByteBuffer()
}

private struct CollectingWriter: ResponseBodyWriter {
    let box: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var copy = buffer
        box.buffer.writeBuffer(&copy)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
