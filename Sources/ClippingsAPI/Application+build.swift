import ClippingsPostgres
import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Opens the archive, seeds it if it is empty, and builds the HTTP application around it. `logger` replaces
/// the default one (tests read the access log through it).
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger custom: Logger? = nil
) async throws -> some ApplicationProtocol {
    var logger = custom ?? Logger(label: "clippings")
    logger.logLevel = configuration.logLevel
    let retention = Duration.seconds(86_400 * configuration.tombstoneDays)
    let database: any ArchiveStore
    let storage: any Service
    if let url = configuration.databaseURL {
        let address = try DatabaseURL(url)
        let replicas = try configuration.readDatabaseURLs.map { try DatabaseURL($0) }
        let archive = try await PostgresArchive.open(address, replicas: replicas, logger: logger)
        logger.info(
            "archive on PostgreSQL",
            metadata: ["database": "\(address)", "read replicas": "\(replicas.map(\.description))"]
        )
        (database, storage) = (
            archive, PostgresService(archive: archive, tombstoneRetention: retention, logger: logger)
        )
    } else {
        let sqlite =
            try configuration.databasePath.map { try AppDatabase.open(path: $0, logger: logger) }
            ?? AppDatabase.inMemory(logger: logger)
        (database, storage) = (sqlite, DatabaseService(database: sqlite, tombstoneRetention: retention, logger: logger))
    }
    if let seeds = configuration.seedsPath {
        try await seedIfEmpty(database, from: seeds, logger: logger)
    }
    let limits = configuration.limits
    let cache = ResponseCache(capacity: configuration.responseCacheBytes)
    let metrics = ServerMetrics()
    let limiter = configuration.rateLimit.map { RateLimiter(perSecond: $0) }
    let router = buildRouter(
        store: database,
        writes: WritePolicy(
            token: configuration.apiToken,
            maximumBodySize: configuration.maximumBodySize,
            bodyTimeout: .seconds(limits.bodyTimeout)
        ),
        limits: limits,
        corsOrigins: configuration.corsOrigins,
        cache: cache,
        metrics: metrics,
        rateLimiter: limiter,
        publicURL: configuration.publicBaseURL,
        webhooks: configuration.webhooks
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
    let answers = CachedAnswers(
        cache: cache,
        store: database,
        metrics: metrics,
        logger: logger,
        serverName: serverName,
        rateLimiter: limiter
    )
    return Application(
        router: router,
        server: .http1(configuration: http1, answers: answers),
        configuration: .init(
            address: .hostname(configuration.hostname, port: configuration.port),
            serverName: serverName,
            availableConnectionsDelegate: .maximum(limits.maximumConnections, logger: logger)
        ),
        services: [
            storage,
            WebhookDeliverer(store: database, settings: configuration.webhooks, metrics: metrics, logger: logger),
        ],
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
            "skipped": "\(summary.skipped)",
        ]
    )
}

/// The routes, read as a table of contents, behind the middleware every response goes through.
public func buildRouter(
    store: any ArchiveStore,
    writes: WritePolicy = WritePolicy(),
    limits: ServerLimits = ServerLimits(),
    corsOrigins: [String] = [],
    cache: ResponseCache = ResponseCache(capacity: ServerConfiguration().responseCacheBytes),
    metrics: ServerMetrics = ServerMetrics(),
    rateLimiter: RateLimiter? = nil,
    publicURL: String = ServerConfiguration().publicBaseURL,
    webhooks: WebhookSettings = WebhookSettings()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: [.autoGenerateHeadEndpoints])
    // Outermost first: log and count every answer; refuse clients over their rate; add CORS headers; answer repeated GETs from finished
    // responses; compress whatever is answered, problems included; map errors; refuse oversized targets;
    // stop work past its time budget; tag successes; answer a known path's other methods with 405.
    router.add(middleware: AccessLogMiddleware(metrics: metrics))
    if let rateLimiter { router.add(middleware: RateLimitMiddleware(limiter: rateLimiter, metrics: metrics)) }
    if !corsOrigins.isEmpty { router.add(middleware: CORSMiddleware(origins: Set(corsOrigins))) }
    router.add(middleware: ResponseCacheMiddleware(cache: cache, store: store, metrics: metrics))
    router.add(middleware: GzipMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestLimitsMiddleware(limits: limits))
    router.add(middleware: RequestBudgetMiddleware(budget: limits.requestTimeout))
    router.add(middleware: ETagMiddleware())
    let routes = RouteTable()
    router.add(middleware: MethodNotAllowedMiddleware(routes: routes))

    addEndpoints(
        to: router,
        store: store,
        writes: writes,
        metrics: metrics,
        maximumPageSize: limits.maximumPageSize,
        publicURL: publicURL,
        webhooks: webhooks
    )
    // Known paths answer other methods with 405 and an `Allow` header, not 404.
    routes.set(APIRoutes.methods(of: router))
    return router
}

/// The routes, read as a table of contents: each resource's controller at its path.
func addEndpoints(
    to router: Router<AppRequestContext>,
    store: any ArchiveStore,
    writes: WritePolicy,
    metrics: ServerMetrics,
    maximumPageSize: Int,
    publicURL: String = ServerConfiguration().publicBaseURL,
    webhooks: WebhookSettings = WebhookSettings()
) {
    router.addRoutes(
        ArticlesController(store: store, writes: writes, metrics: metrics, maximumPageSize: maximumPageSize)
            .endpoints,
        atPath: "/articles"
    )
    router.addRoutes(
        FeedsController<AppRequestContext>(store: store, maximumPageSize: maximumPageSize, publicURL: publicURL)
            .endpoints,
        atPath: "/articles"
    )
    router.addRoutes(
        DirectoryController<AppRequestContext, _, _>(tagsOf: store, maximumPageSize: maximumPageSize).endpoints,
        atPath: "/tags"
    )
    router.addRoutes(
        DirectoryController<AppRequestContext, _, _>(sourcesOf: store, maximumPageSize: maximumPageSize).endpoints,
        atPath: "/sources"
    )
    router.addRoutes(
        StoriesController<AppRequestContext>(store: store, maximumPageSize: maximumPageSize).endpoints,
        atPath: "/stories"
    )
    router.addRoutes(
        ChangesController<AppRequestContext>(store: store, maximumPageSize: maximumPageSize).endpoints,
        atPath: "/changes"
    )
    router.addRoutes(
        SubscriptionsController<AppRequestContext>(store: store, writes: writes, webhooks: webhooks).endpoints,
        atPath: "/subscriptions"
    )
    router.addRoutes(MetaController(store: store, metrics: metrics).endpoints)
    router.addRoutes(
        ReadingRoomController<AppRequestContext>(store: store, maximumPageSize: maximumPageSize).endpoints
    )
}
