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
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 32) { text in
            for half in 0..<2 {
                let bits: UInt64 = generator.next()
                for nibble in 0..<16 {
                    text[half * 16 + nibble] = digits[Int((bits >> (60 - 4 * UInt64(nibble))) & 0xF)]
                }
            }
            return 32
        }
    }
}
