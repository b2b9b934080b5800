import Foundation
import HTTPTypes
import Logging

/// One request being answered, finished and recorded the same way whether the router or the response
/// cache's channel handler answers it: the request id on the answer, one access-log line, the metrics.
struct AnsweredRequest {
    /// The client's `X-Request-ID` when it is a sane token, otherwise one made here.
    let id: String
    let method: String
    let path: String
    let started = ContinuousClock.now

    init(_ head: HTTPRequest, path: String) {
        id = head.headerFields[RequestID.field].flatMap(RequestID.accepted) ?? RequestID.make()
        method = head.method.rawValue
        self.path = path
    }

    /// Adds what every answer carries (the request id, and `Date` and `Server` when given: the router's
    /// server adds those itself) and records the answer.
    func finish(
        _ headers: inout HTTPFields,
        dateAndServer: (date: String, server: String)? = nil,
        route: String,
        status: Int,
        bytes: Int?,
        metrics: ServerMetrics,
        logger: Logger
    ) {
        headers[RequestID.field] = id
        if let dateAndServer {
            headers[.date] = dateAndServer.date
            headers[.server] = dateAndServer.server
        }
        record(route: route, status: status, bytes: bytes, metrics: metrics, logger: logger)
    }

    /// One access-log line (structured, at `info`, carrying the request id) and the request metrics.
    func record(route: String, status: Int, bytes: Int?, metrics: ServerMetrics, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        metrics.observe(method: method, route: route, status: status, duration: elapsed)
        guard logger.logLevel <= .info else { return }
        let milliseconds = elapsed.seconds * 1000
        logger.info(
            "request",
            metadata: [
                "http.method": .string(method),
                "http.path": .string(path),
                "http.status": .stringConvertible(status),
                // Streamed bodies (exports) have no length up front.
                "http.bytes": bytes.map { .stringConvertible($0) } ?? .string("streamed"),
                "duration_ms": .string(String(format: "%.2f", milliseconds)),
            ]
        )
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
