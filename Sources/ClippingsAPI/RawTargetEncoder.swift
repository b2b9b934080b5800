import NIOCore
import NIOHTTPTypes

/// Reads request targets sent as raw UTF-8 (`GET /articles?q=Tromsø`, as curl sends what it is given):
/// their bytes above ASCII are percent-encoded before the HTTP parser, which refuses them, sees the head.
///
/// It sits in front of the parser and needs to know where each request's head starts. It takes that
/// from the parser itself (`RequestFraming`, told by a handler behind the parser): a head is passed on
/// alone, and the parser says at once whether the request is over or a body follows; a body is passed on
/// untouched until the parser has read its end. When a read ends a body and holds bytes beyond it (a
/// request pipelined behind a body, or chunked framing), where the next head starts is not known: from
/// then on the connection's bytes pass untouched, as if this handler were not there.
final class RawTargetEncoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        /// Collecting a head until its blank line.
        case head(ByteBuffer)
        /// Inside a body the parser is reading.
        case body
        /// Out of step with the parser: everything passes untouched.
        case passthrough
    }

    private let framing: RequestFraming
    private var state = State.head(ByteBuffer())
    /// A head longer than this passes untouched (the parser answers it 431).
    static let maximumHead = 64 * 1024

    init(framing: RequestFraming) {
        self.framing = framing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var input = unwrapInboundIn(data)
        while input.readableBytes > 0 {
            switch state {
            case .passthrough:
                context.fireChannelRead(wrapInboundOut(input))
                return
            case .body:
                passBody(&input, context: context)
            case .head(var head):
                head.writeBuffer(&input)
                guard let end = Self.endOfHead(in: head) else {
                    if head.readableBytes > Self.maximumHead {
                        state = .passthrough
                        context.fireChannelRead(wrapInboundOut(head))
                    } else {
                        state = .head(head)
                    }
                    return
                }
                let complete = head.readSlice(length: end)!
                input = head
                let heads = framing.heads
                context.fireChannelRead(wrapInboundOut(Self.encodingTarget(of: complete)))
                if framing.heads == heads {
                    state = .passthrough  // the parser did not take it as a head
                } else {
                    state = framing.isBetweenRequests ? .head(ByteBuffer()) : .body
                }
            }
        }
    }

    /// Passes a read inside a body on, and finds out whether the next read starts a head.
    private func passBody(_ input: inout ByteBuffer, context: ChannelHandlerContext) {
        let count = input.readableBytes
        let read = framing.bodyBytes
        context.fireChannelRead(wrapInboundOut(input))
        input.moveReaderIndex(forwardBy: count)
        guard framing.isBetweenRequests else { return }
        state = framing.bodyBytes - read == count ? .head(ByteBuffer()) : .passthrough
    }

    /// The length of the head through its blank line (`\r\n\r\n`), or nil while it is incomplete.
    static func endOfHead(in buffer: ByteBuffer) -> Int? {
        let bytes = buffer.readableBytesView
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: UInt8(ascii: "\r")) {
            if bytes[found...].starts(with: [13, 10, 13, 10]) { return found - bytes.startIndex + 4 }
            index = found + 1
        }
        return nil
    }

    /// The head with each byte above ASCII in its request line percent-encoded (RFC 3986 §2.1).
    static func encodingTarget(of head: ByteBuffer) -> ByteBuffer {
        let bytes = head.readableBytesView
        let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        guard bytes[..<lineEnd].contains(where: { $0 >= 0x80 }) else { return head }
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded = ByteBuffer()
        encoded.reserveCapacity(head.readableBytes + 32)
        for byte in bytes[..<lineEnd] {
            if byte >= 0x80 {
                encoded.writeBytes([UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            } else {
                encoded.writeInteger(byte)
            }
        }
        encoded.writeBytes(bytes[lineEnd...])
        return encoded
    }
}

/// What the parser has read on one connection, as a handler right behind it sees: the heads, ends and
/// body bytes of the requests so far. Shared by that handler and `RawTargetEncoder`, on the connection's
/// event loop only.
final class RequestFraming {
    private(set) var heads = 0
    private(set) var ends = 0
    private(set) var bodyBytes = 0

    /// Whether every request the parser has begun is over.
    var isBetweenRequests: Bool { heads == ends }

    /// Counts one part the parser produced.
    func saw(_ part: HTTPRequestPart) {
        switch part {
        case .head: heads += 1
        case .body(let bytes): bodyBytes += bytes.readableBytes
        case .end: ends += 1
        }
    }
}
