import ClippingsStore
import HTTPTypes
import Hummingbird

/// The API's paths and their methods, as the router holds them: read from its routes, never listed by
/// hand, so the 405 fallbacks and the contract tests follow every route a controller adds.
public enum APIRoutes {
    /// The order methods are listed in, in `Allow` headers.
    static let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]

    /// Each path (an OpenAPI template, `/articles/{id}`) with the methods it answers, HEAD wherever GET is.
    static func methods(of router: Router<AppRequestContext>) -> [String: [HTTPRequest.Method]] {
        var methods: [String: [HTTPRequest.Method]] = [:]
        for route in router.routes {
            methods[route.path.description, default: []].append(route.method)
        }
        return methods.mapValues { found in
            // The router answers HEAD for every GET (`autoGenerateHeadEndpoints`) without listing it.
            let all = found.contains(.get) && !found.contains(.head) ? found + [.head] : found
            return all.sorted { (order.firstIndex(of: $0) ?? order.count) < (order.firstIndex(of: $1) ?? order.count) }
        }
    }

    /// The paths and methods an app serves, from a router built as `buildRouter` builds it.
    public static func served() throws -> [String: [HTTPRequest.Method]] {
        let router = Router(context: AppRequestContext.self, options: [.autoGenerateHeadEndpoints])
        addEndpoints(
            to: router,
            store: try AppDatabase.inMemory(),
            writes: WritePolicy(),
            metrics: ServerMetrics(),
            maximumPageSize: ServerLimits().maximumPageSize
        )
        return methods(of: router)
    }
}
