import ArgumentParser
import ClippingsAPI
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clippings health`: asks a running server's `/health` and exits 0 only on a 200.
///
/// For the container's `HEALTHCHECK`: the slim runtime image has no curl, and this needs nothing but a
/// socket (Foundation's URL loading would pull libcurl into the image).
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check a running server's /health; exit status 0 if it answers 200."
    )

    @Option(help: "Server address (default 127.0.0.1).")
    var host = "127.0.0.1"

    @Option(help: "Server port (env CLIPPINGS_PORT, default \(ServerConfiguration().port)).")
    var port: Int?

    @Option(help: "Seconds to wait for the answer.")
    var timeout = 3

    func run() throws {
        let served = try? ServerConfiguration.resolve(
            flags: [:],
            environment: ProcessInfo.processInfo.environment,
            only: ["port"]
        )
        let port = port ?? served?.port ?? ServerConfiguration().port
        let status = try Self.status(host: host, port: port, path: "/health", timeout: timeout)
        print("GET http://\(host):\(port)/health -> \(status)")
        guard status == 200 else { throw ExitCode.failure }
    }

    /// The status code of a plain HTTP/1.0 GET.
    static func status(host: String, port: Int, path: String, timeout: Int) throws -> Int {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var addresses: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &addresses) == 0, let address = addresses else {
            throw CommandError("cannot resolve \(host)")
        }
        defer { freeaddrinfo(addresses) }
        let socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard socket >= 0 else { throw CommandError("cannot open a socket") }
        defer { close(socket) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw CommandError("cannot connect to \(host):\(port)")
        }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        guard send(socket, request, request.count, 0) == request.count else { throw CommandError("cannot send") }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(socket, &buffer, buffer.count, 0)
        guard count > 12 else { throw CommandError("no answer from \(host):\(port)") }
        // "HTTP/1.1 200 OK": the code is the second word of the status line.
        let line = String(decoding: buffer[..<count], as: UTF8.self)
        guard let code = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw CommandError("not an HTTP answer")
        }
        return code
    }
}
