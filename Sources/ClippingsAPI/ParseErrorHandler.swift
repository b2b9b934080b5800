import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers requests the HTTP parser rejects with a problem document, then closes the connection; and
/// installs the `RawTargetEncoder` that spares raw UTF-8 request targets that fate.
///
/// Hummingbird answers a parse error with a bare 400; a client that sent oversized headers deserves the
/// 431 that says so, and every client gets the same `application/problem+json` shape as elsewhere. It sits
/// after the HTTP codec, so it sees the parser's errors before the server's request loop does.
final class ParseErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests whose response has not ended: answering in the middle of one would corrupt it.
    private var requestsInFlight = 0
    /// What the parser has read, for the `RawTargetEncoder` this handler puts in front of it.
    private let framing = RequestFraming()

    func handlerAdded(context: ChannelHandlerContext) {
        // In front of the whole pipeline, so the parser sees the heads it rewrites.
        try? context.pipeline.syncOperations.addHandler(RawTargetEncoder(framing: framing), position: .first)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        framing.saw(part)
        if case .head = part { requestsInFlight += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { requestsInFlight -= 1 }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError, requestsInFlight == 0 else {
            context.fireErrorCaught(error)
            return
        }
        let problem =
            parseError == .headerOverflow
            ? Problem(.requestHeaderFieldsTooLarge, detail: "The request's header section is too large.")
            : Problem(.badRequest, detail: "The request is not valid HTTP/1.1.")
        let body = (try? AppRequestContext.encoder.encode(problem.document(instance: nil))) ?? Data()
        var fields = HTTPFields()
        fields[.contentType] = "application/problem+json"
        fields[.contentLength] = String(body.count)
        fields[.connection] = "close"
        // The headers every other answer carries; there is no client id to echo, the request was not read.
        fields[RequestID.field] = RequestID.make()
        fields[.vary] = "Accept-Encoding"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
