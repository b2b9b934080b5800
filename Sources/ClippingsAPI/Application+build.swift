import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// What the app needs to know to start: the seam between the command line and the tests.
public protocol AppArguments: Sendable {
    var hostname: String { get }
    var port: Int { get }
    /// The SQLite file; `nil` keeps the archive in memory.
    var databasePath: String? { get }
    /// A folder of documents imported when the archive is empty; `nil` imports nothing.
    var seedsPath: String? { get }
    var logLevel: Logger.Level { get }
    /// The bearer token that writes must present; `nil` disables writes.
    var apiToken: String? { get }
    /// The largest request body accepted, in bytes (after gzip decoding).
    var maximumBodySize: Int { get }
    /// Header, URI, page-size, timeout and connection limits.
    var limits: ServerLimits { get }
    /// Origins allowed cross-origin access (`*` for any); empty turns CORS off.
    var corsOrigins: [String] { get }
    /// Bytes of finished responses kept for repeated GETs while the archive is unchanged; 0 turns it off.
    var responseCacheBytes: Int { get }
}

extension AppArguments {
    public var apiToken: String? { nil }
    public var maximumBodySize: Int { 10 * 1024 * 1024 }
    public var limits: ServerLimits { ServerLimits() }
    public var corsOrigins: [String] { [] }
    public var responseCacheBytes: Int { ResponseCache.defaultCapacity }
}

/// Opens the archive, seeds it if it is empty, and builds the HTTP application around it. `logger` replaces
/// the default one (tests read the access log through it).
public func buildApplication(
    _ arguments: some AppArguments,
    logger custom: Logger? = nil
) async throws -> some ApplicationProtocol {
    var logger = custom ?? Logger(label: "clippings")
    logger.logLevel = arguments.logLevel
    let database =
        try arguments.databasePath.map { try AppDatabase.open(path: $0, logger: logger) }
        ?? AppDatabase.inMemory(logger: logger)
    if let seeds = arguments.seedsPath {
        try await seedIfEmpty(database, from: seeds, logger: logger)
    }
    let limits = arguments.limits
    let cache = ResponseCache(capacity: arguments.responseCacheBytes)
    let metrics = ServerMetrics()
    let router = buildRouter(
        store: database,
        writes: WritePolicy(
            token: arguments.apiToken,
            maximumBodySize: arguments.maximumBodySize,
            bodyTimeout: .seconds(limits.bodyTimeout)
        ),
        limits: limits,
        corsOrigins: arguments.corsOrigins,
        cache: cache,
        metrics: metrics
    )
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ParseErrorHandler(), ExpectContinueHandler()],
        idleTimeout: .seconds(Int64(limits.idleTimeout)),
        httpDecoderConfiguration: .init(
            maxHeaderFieldSize: limits.maximumHeaderSize,
            maxHeaderListSize: limits.maximumHeaderSize,
            maxHeaderFieldCount: 100
        )
    )
    let serverName = "Clippings"
    let answers = CachedAnswers(cache: cache, store: database, metrics: metrics, logger: logger, serverName: serverName)
    return Application(
        router: router,
        server: .http1(configuration: http1, answers: answers),
        configuration: .init(
            address: .hostname(arguments.hostname, port: arguments.port),
            serverName: serverName,
            availableConnectionsDelegate: .maximum(limits.maximumConnections, logger: logger)
        ),
        services: [DatabaseService(database: database, logger: logger)],
        logger: logger
    )
}

/// Imports the seed documents into an empty archive, so a first run has something to serve.
public func seedIfEmpty(_ store: any ArchiveStore, from path: String, logger: Logger) async throws {
    guard try await store.articleCount() == 0 else { return }
    guard FileManager.default.fileExists(atPath: path) else {
        logger.notice("no seeds to import", metadata: ["seeds.path": "\(path)"])
        return
    }
    let summary = await DocumentImporter(store: store, logger: logger).importPaths([path]) { result in
        logger.info("seed", metadata: ["file.path": "\(result.path)", "result": "\(result.status)"])
    }
    logger.info(
        "seeded the empty archive",
        metadata: [
            "imported": "\(summary.imported)", "duplicates": "\(summary.duplicates)", "failed": "\(summary.failed)",
        ]
    )
}

/// The routes, read as a table of contents, behind the middleware every response goes through.
public func buildRouter(
    store: any ArchiveStore,
    writes: WritePolicy = WritePolicy(),
    limits: ServerLimits = ServerLimits(),
    corsOrigins: [String] = [],
    cache: ResponseCache = ResponseCache(capacity: ResponseCache.defaultCapacity),
    metrics: ServerMetrics = ServerMetrics()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: [.autoGenerateHeadEndpoints])
    // Outermost first: log and count every answer; add CORS headers; answer repeated GETs from finished
    // responses; compress whatever is answered, problems included; map errors; refuse oversized targets;
    // tag successes.
    router.add(middleware: AccessLogMiddleware(metrics: metrics))
    if !corsOrigins.isEmpty { router.add(middleware: CORSMiddleware(origins: Set(corsOrigins))) }
    router.add(middleware: ResponseCacheMiddleware(cache: cache, store: store, metrics: metrics))
    router.add(middleware: GzipMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestLimitsMiddleware(limits: limits))
    router.add(middleware: ETagMiddleware())

    let pageSize = limits.maximumPageSize
    router.addRoutes(
        ArticlesController(store: store, writes: writes, metrics: metrics, maximumPageSize: pageSize).endpoints,
        atPath: "/articles"
    )
    router.addRoutes(
        DirectoryController<AppRequestContext, _, _>(tagsOf: store, maximumPageSize: pageSize).endpoints,
        atPath: "/tags"
    )
    router.addRoutes(
        DirectoryController<AppRequestContext, _, _>(sourcesOf: store, maximumPageSize: pageSize).endpoints,
        atPath: "/sources"
    )
    router.addRoutes(MetaController(store: store, metrics: metrics).endpoints)

    // Known paths answer other methods with 405 and an `Allow` header, not 404.
    for (path, methods) in APIRoutes.methods {
        router.rejectingOtherMethods(RouterPath(path), allowed: methods)
    }
    return router
}

/// Every path the API serves, as OpenAPI templates, with the methods each answers. The 405 fallbacks and
/// the contract tests read this table, so a new route is added here too (registering a method twice on a
/// path would stop the router at start-up).
public enum APIRoutes {
    public static let methods: [String: [HTTPRequest.Method]] = [
        "/articles": [.get, .head, .post], "/articles/{id}": [.get, .head, .patch, .delete],
        "/articles/{id}/related": [.get, .head],
        "/articles/export": [.get, .head], "/articles/bulk": [.post],
        "/tags": [.get, .head],
        "/tags/{slug}": [.get, .head], "/tags/{slug}/articles": [.get, .head], "/sources": [.get, .head],
        "/sources/{slug}": [.get, .head], "/sources/{slug}/articles": [.get, .head], "/health": [.get, .head],
        "/ready": [.get, .head], "/metrics": [.get, .head], "/openapi.yaml": [.get, .head],
    ]

    public static var paths: [String] { methods.keys.sorted() }
}

extension Router {
    /// Registers a 405 problem for every common method not in `allowed`.
    func rejectingOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        // QUERY (the draft safe method with a body) is refused like the rest, not left to the 404.
        let query = HTTPRequest.Method("QUERY")!
        for method: HTTPRequest.Method in [.get, .post, .put, .patch, .delete, .options, .trace, query]
        where !allowed.contains(method) {
            on(path, method: method) { request, _ -> Response in
                var problem = Problem(
                    .methodNotAllowed,
                    detail: "\(request.method.rawValue) is not allowed here; use \(allow)."
                )
                problem.headers[.allow] = allow
                throw problem
            }
        }
    }
}

/// Checkpoints the write-ahead log beside the writer while the server runs, and closes the database once
/// the server has stopped (folding the log into the file, so a stopped server leaves one self-contained
/// file). Listed before the HTTP server among the application's services, it shuts down after it.
struct DatabaseService: Service {
    let database: AppDatabase
    let logger: Logger

    func run() async throws {
        // Commits add full-text index segments; once writes pause they are merged, so searches stay fast.
        let merging = Task { await database.mergingSearchIndexWhenQuiet() }
        do {
            // While serving, checkpoints run beside the writer, so bulk imports do not stop for them.
            try await database.checkpointingInBackground { try? await gracefulShutdown() }
        } catch {
            logger.warning("checkpoints stay with the writer", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
        }
        merging.cancel()
        await merging.value
        do {
            try database.close()
            logger.info("database closed")
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(error)"])
        }
    }
}
