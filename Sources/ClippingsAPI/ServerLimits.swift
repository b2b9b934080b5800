/// Bounds on what one client may ask of the server, part of `ServerConfiguration`: each with a safe default
/// and each configurable (`clippings serve --help`, `CLIPPINGS_*`): a production API answers an oversized or stalled request
/// with a 4xx problem or a closed connection, never with exhausted memory, file descriptors or threads.
public struct ServerLimits: Sendable, Equatable {
    /// Header section (request line included), in bytes; beyond it: 431.
    public var maximumHeaderSize = 16 * 1024
    /// The request target (path and query), in bytes; beyond it: 414.
    public var maximumURILength = 8 * 1024
    /// The query string alone, in bytes; beyond it: 414.
    public var maximumQueryLength = 4 * 1024
    /// The largest `limit` a listing accepts.
    public var maximumPageSize = 100
    /// Seconds a connection may wait without a complete request head: between keep-alive requests, and
    /// while a head trickles in byte by byte (slowloris). Then the connection is closed.
    public var idleTimeout = 30
    /// Seconds a client has to send a request body once its head has arrived; beyond it: 408.
    public var bodyTimeout = 30
    /// Connections served at once; more wait in the listen backlog until one closes.
    public var maximumConnections = 512
    /// How long the server works on one request before answering 503 (`RequestBudgetMiddleware`).
    public var requestTimeout: Duration = .seconds(5)

    /// `requestTimeout` in whole seconds, as the command line sets it.
    public var requestTimeoutSeconds: Int {
        get { Int(requestTimeout.components.seconds) }
        set { requestTimeout = .seconds(newValue) }
    }

    public init() {}
}
