import ClippingsStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

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
}

extension AppArguments {
    public var apiToken: String? { nil }
    public var maximumBodySize: Int { 10 * 1024 * 1024 }
}

/// Opens the archive, seeds it if it is empty, and builds the HTTP application around it.
public func buildApplication(_ arguments: some AppArguments) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "clippings")
    logger.logLevel = arguments.logLevel
    let database =
        try arguments.databasePath.map { try AppDatabase.open(path: $0, logger: logger) }
        ?? AppDatabase.inMemory(logger: logger)
    if let seeds = arguments.seedsPath {
        try await seedIfEmpty(database, from: seeds, logger: logger)
    }
    let router = buildRouter(
        store: database,
        writes: WritePolicy(token: arguments.apiToken, maximumBodySize: arguments.maximumBodySize)
    )
    return Application(
        router: router,
        configuration: .init(address: .hostname(arguments.hostname, port: arguments.port), serverName: "Clippings"),
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
public func buildRouter(store: any ArchiveStore, writes: WritePolicy = WritePolicy()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: [.autoGenerateHeadEndpoints])
    // Outermost first: compress whatever is answered, problems included; map errors; tag successes.
    router.add(middleware: GzipMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: ETagMiddleware())

    router.addRoutes(ArticlesController(store: store, writes: writes).endpoints, atPath: "/articles")
    router.addRoutes(DirectoryController<AppRequestContext, _, _>(tagsOf: store).endpoints, atPath: "/tags")
    router.addRoutes(DirectoryController<AppRequestContext, _, _>(sourcesOf: store).endpoints, atPath: "/sources")
    router.addRoutes(MetaController(store: store).endpoints)

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
        "/openapi.yaml": [.get, .head],
    ]

    public static var paths: [String] { methods.keys.sorted() }
}

extension Router {
    /// Registers a 405 problem for every common method not in `allowed`.
    func rejectingOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method: HTTPRequest.Method in [.get, .post, .put, .patch, .delete, .options] where !allowed.contains(method)
        {
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
