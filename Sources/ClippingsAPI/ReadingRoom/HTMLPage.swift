import ClippingsStore
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// A rendered reading-room page as a response, with the headers every page carries.
enum HTMLPage {
    /// No script runs and nothing loads from elsewhere: styles only from our stylesheet, no inline script
    /// or style, forms only to this site, never framed. An article's images stay links for that reason.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        + "frame-ancestors 'none'"

    /// Renders `template` over `view` into a response.
    static func response(_ template: String, _ view: View, status: HTTPResponse.Status = .ok) -> Response {
        let html = ReadingRoomTemplates.library.render(PageText.wrapping(view), withTemplate: template) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        // Following a link out tells the publisher nothing of what the reader searched for.
        headers[.referrerPolicy] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page for an error: the same status and explanation the JSON API gives, in HTML.
    static func error(_ problem: Problem, query: String = "") -> Response {
        var response = Self.response(
            "error",
            [
                "heading": "\(problem.status.code) \(problem.status.reasonPhrase)",
                "detail": problem.detail,
                "json": "/openapi.yaml",
                "query": query,
            ],
            status: problem.status
        )
        for field in problem.headers { response.headers.append(field) }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
