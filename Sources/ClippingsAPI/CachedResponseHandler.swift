import ClippingsStore
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers response-cache hits on the connection's event loop, before a request reaches the router.
///
/// A hit costs microseconds, but through the router it also pays Hummingbird's async channel machinery
/// (task hops, the `NIOAsyncChannel` writer), which costs far more than the hit itself. Here a hit is
/// written straight back to the socket, finished as the router's answers are (`AnsweredRequest`): the
/// request id, `Date`, `Server`, the access log and the metrics.
/// Everything else (misses, HEAD, probes, `Origin` requests for CORS, `Connection: close`) passes on.
///
/// It sits after Hummingbird's connection-state handler, so idle timeouts and graceful shutdown see
/// every request and answer, and it keeps HTTP/1.1 pipelining in order: it only answers when no earlier
/// request on the connection is still with the router. A client that pipelines without reading gets its
/// requests routed once the socket stops being writable, where backpressure stops reading from it.
final class CachedResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let answers: CachedAnswers
    /// Requests passed on to the router and not yet answered.
    private var withRouter = 0
    /// The rest of a request answered here (a GET's body, its end) is dropped.
    private var skippingAnsweredRequest = false

    init(answers: CachedAnswers) {
        self.answers = answers
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // Not while the client is behind on reading: answers would pile up in memory here, while the
            // router's side stops reading the connection until the client catches up.
            if withRouter == 0, context.channel.isWritable,
                let response = answers.response(to: request, from: context.channel.remoteAddress?.ipAddress)
            {
                skippingAnsweredRequest = true
                context.write(wrapOutboundOut(.head(response.head)), promise: nil)
                if response.body.readableBytes > 0 {
                    context.write(wrapOutboundOut(.body(response.body)), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            skippingAnsweredRequest = false
            withRouter += 1
            context.fireChannelRead(data)
        case .body, .end:
            if skippingAnsweredRequest { return }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Interim answers (100 Continue) are heads without an end; only an end finishes a request.
        if case .end = unwrapOutboundIn(data), withRouter > 0 { withRouter -= 1 }
        context.write(data, promise: promise)
    }
}

/// What every connection's `CachedResponseHandler` shares: the cache, the store it checks versions
/// against, and what the router's outer middleware would add to an answer.
struct CachedAnswers: Sendable {
    let cache: ResponseCache
    let store: any ArchiveStore
    let metrics: ServerMetrics
    let logger: Logger
    let serverName: String
    /// Cache hits count against a client's rate like any other read; one over it is left to the router,
    /// which refuses it.
    var rateLimiter: RateLimiter?
    let dates = HTTPDate()

    /// The cached answer to `request` from `address`, as the router would have sent it, or nil to let the
    /// router answer.
    func response(to request: HTTPRequest, from address: String?) -> (head: HTTPResponse, body: ByteBuffer)? {
        guard cache.admits(request),
            // CORS headers depend on the origin, and closing a connection is the router's: leave both to it.
            request.headerFields[.origin] == nil,
            request.headerFields[.connection]?.lowercased().contains("close") != true,
            let version = try? store.dataVersion(),
            var answer = cache.answer(to: request, version: version)
        else { return nil }
        if let rateLimiter {
            let decision = rateLimiter.take(request.method, from: address ?? "unknown")
            guard decision.allowed else { return nil }
            answer.headers.append(contentsOf: decision.headers)
        }
        metrics.recordCacheHit(.eventLoop)
        let answered = AnsweredRequest(request, path: request.path ?? "")
        var logger = logger
        // Metadata is a dictionary to copy: only when the access log will be written.
        if logger.logLevel <= .info { logger[metadataKey: "request.id"] = .string(answered.id) }
        var headers = answer.headers
        answered.finish(
            &headers,
            dateAndServer: (dates.now(), serverName),
            route: answer.route,
            status: answer.status.code,
            bytes: answer.body.readableBytes,
            metrics: metrics,
            logger: logger
        )
        return (HTTPResponse(status: answer.status, headerFields: headers), answer.body)
    }
}

/// Hummingbird's HTTP/1 channel with a `CachedResponseHandler` placed right before the router's side.
struct CachingHTTP1Channel: ServerChildChannel {
    let base: HTTP1Channel
    let answers: CachedAnswers

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let connectionState = try operations.handler(type: HTTPConnectionStateHandler.self)
            try operations.addHandler(CachedResponseHandler(answers: answers), position: .after(connectionState))
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with cache hits answered on the event loop (`CachedResponseHandler`).
    static func http1(configuration: HTTP1Channel.Configuration, answers: CachedAnswers) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            CachingHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: configuration),
                answers: answers
            )
        }
    }
}
