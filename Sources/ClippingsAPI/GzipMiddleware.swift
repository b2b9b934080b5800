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
        let compressed = try plain.compress(with: responseGzip)
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
        // Plain Substring work, no Foundation and no table: the cache's event-loop path reads this header on
        // every hit.
        for item in (header ?? "").split(separator: ",") {
            var parts = item.split(separator: ";").makeIterator()
            guard let coding = parts.next().map(Self.trimmed), !coding.isEmpty else { continue }
            var quality = 1.0
            while let parameter = parts.next().map(Self.trimmed) {
                if parameter.count >= 2, parameter.prefix(2).lowercased() == "q=" {
                    quality = Double(parameter.dropFirst(2)) ?? 0
                }
            }
            if coding.caseInsensitiveEquals("gzip") {
                gzip = quality
            } else if coding.caseInsensitiveEquals("x-gzip") {
                xGzip = quality
            } else if coding == "*" {
                any = quality
            }
        }
    }

    var allowsGzip: Bool {
        if let quality = gzip ?? xGzip { return quality > 0 }
        return (any ?? 0) > 0
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}

extension Substring {
    /// Equal to an ASCII lowercase `name`, ignoring the case of ASCII letters.
    fileprivate func caseInsensitiveEquals(_ name: String) -> Bool {
        utf8.count == name.utf8.count
            && zip(utf8, name.utf8).allSatisfy { byte, expected in
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
