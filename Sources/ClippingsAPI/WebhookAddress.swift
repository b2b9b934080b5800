import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a webhook may be sent: SSRF is the classic webhook hole (a callback to `127.0.0.1:6379`, to a
/// cloud's metadata address, to the office network), so callbacks to addresses that are not public are
/// refused unless the server allows them. Checked on the resolved addresses, at subscription and again at
/// every delivery, since a name can point elsewhere by then (DNS rebinding).
enum WebhookAddress {
    /// Why a callback may not be called.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// The callback's URL parts, or a refusal for what is not an absolute http(s) URL.
    static func parts(of text: String) throws(Refusal) -> (scheme: String, host: String, port: Int) {
        guard text.utf8.count <= 2_048, let url = URLComponents(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.fragment == nil
        else {
            throw Refusal(
                description: "must be an absolute http or https URL of at most 2 048 bytes, without credentials"
            )
        }
        return (scheme, host, url.port ?? (scheme == "https" ? 443 : 80))
    }

    /// The addresses the callback's host resolves to; throws unless every one is public, or private ones
    /// are allowed.
    static func check(_ text: String, allowPrivate: Bool) async throws(Refusal) -> [String] {
        let (_, host, port) = try parts(of: text)
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = await resolve(bare, port: port)
        guard !addresses.isEmpty else { throw Refusal(description: "its host '\(host)' does not resolve") }
        if !allowPrivate, let inner = addresses.first(where: { !isPublic($0) }) {
            throw Refusal(
                description: "its host '\(host)' resolves to \(inner), which is not a public address; start the server "
                    + "with --allow-private-webhooks (CLIPPINGS_ALLOW_PRIVATE_WEBHOOKS=true) to call it"
            )
        }
        return addresses
    }

    /// Numeric addresses (IPv4 dotted, IPv6 text) for a host, by the system resolver, off the caller's thread.
    static func resolve(_ host: String, port: Int) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: resolveNow(host, port: port)) }
        }
    }

    private static func resolveNow(_ host: String, port: Int) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                entry.pointee.ai_addr,
                entry.pointee.ai_addrlen,
                &buffer,
                socklen_t(buffer.count),
                nil,
                0,
                NI_NUMERICHOST
            ) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            node = entry.pointee.ai_next
        }
        return addresses
    }

    /// Whether a numeric address is on the public internet: not loopback, private (RFC 1918, RFC 4193),
    /// link-local (cloud metadata lives there), shared (RFC 6598), unspecified, multicast or reserved, and
    /// not one of those inside an IPv4-mapped IPv6 address.
    static func isPublic(_ address: String) -> Bool {
        if let v4 = ipv4(address) { return isPublicV4(v4) }
        guard let v6 = ipv6(address) else { return false }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses are their IPv4 address.
        if v6[0..<10].allSatisfy({ $0 == 0 }), (v6[10] == 0xFF && v6[11] == 0xFF) || (v6[10] == 0 && v6[11] == 0) {
            return isPublicV4(Array(v6[12..<16]))
        }
        let first = v6[0]
        if v6[0..<15].allSatisfy({ $0 == 0 }), v6[15] <= 1 { return false }  // :: and ::1
        if first & 0xFE == 0xFC { return false }  // fc00::/7, unique local
        if first == 0xFE, v6[1] & 0xC0 == 0x80 { return false }  // fe80::/10, link-local
        if first == 0xFE, v6[1] & 0xC0 == 0xC0 { return false }  // fec0::/10, site-local
        if first == 0xFF { return false }  // multicast
        if first == 0x20, v6[1] == 0x01, v6[2] == 0x0D, v6[3] == 0xB8 { return false }  // 2001:db8::/32
        if first == 0x00, v6[1] == 0x64, v6[2] == 0xFF, v6[3] == 0x9B { return false }  // 64:ff9b::/96, NAT64
        return true
    }

    private static func isPublicV4(_ octets: [UInt8]) -> Bool {
        let (a, b) = (octets[0], octets[1])
        switch a {
        case 0, 10, 127: return false  // this network, private, loopback
        case 100 where b & 0xC0 == 64: return false  // 100.64.0.0/10, shared (carrier-grade NAT)
        case 169 where b == 254: return false  // link-local, cloud metadata
        case 172 where b & 0xF0 == 16: return false  // 172.16.0.0/12
        case 192 where b == 168: return false  // 192.168.0.0/16
        case 192 where b == 0 && octets[2] == 0: return false  // 192.0.0.0/24, protocol assignments
        case 198 where b & 0xFE == 18: return false  // 198.18.0.0/15, benchmarking
        case 224...255: return false  // multicast, reserved, broadcast
        default: return true
        }
    }

    private static func ipv4(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        guard inet_pton(AF_INET6, bare, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
