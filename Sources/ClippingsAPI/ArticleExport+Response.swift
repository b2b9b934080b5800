import ClippingsStore
import Hummingbird

extension ArticleExport {
    /// The streamed HTTP response, named as an attachment.
    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.contentDisposition] = "attachment; filename=\"articles.\(format.rawValue)\""
        let export = self
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                try await export.write { try await writer.write($0) }
                try await writer.finish(nil)
            }
        )
    }
}
