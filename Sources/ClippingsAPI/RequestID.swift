import HTTPTypes

/// The `X-Request-ID` every response carries and every log line of a request names.
enum RequestID {
    static let field = HTTPField.Name("X-Request-ID")!

    /// A client's id, if it is 1–128 characters of letters, digits and `._:-` (nothing to inject into logs).
    static func accepted(_ value: String) -> String? {
        let allowed = value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(byte)
        }
        return allowed && (1...128).contains(value.utf8.count) ? value : nil
    }

    /// 128 random bits in hex.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}
