// libFuzzer target for the pure extraction module (`Sources/ClippingsExtraction`).
//
// Not part of the SwiftPM package: `scripts/reliability --only fuzz` compiles this file together with every
// file of Sources/ClippingsExtraction into one module (so it sees the module's internal readers) with
// `swiftc -sanitize=fuzzer,address -parse-as-library`, and runs it over the seeds, the extraction fixtures
// and Fuzz/regressions/. The input's first byte picks how the bytes are read, so every input is a whole
// document and mutating that byte moves it between readers:
//
//   byte % 4 == 0  DocumentExtractor, no hints (the reader is chosen by content, as in production)
//   byte % 4 == 1  DocumentExtractor with a file name and a URL hint
//   byte % 4 == 2  the HTML reader, whatever the content looks like
//   byte % 4 == 3  the plain-text reader, whatever the content looks like
//
// Beyond not crashing, a successful extraction must keep the extractor's promise: at least one paragraph.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Data(bytes: data, count: size)
    switch data[0] % 4 {
    case 0:
        extractWithExtractor(DocumentInput(data: bytes))
    case 1:
        let fileName = data[0] & 0x10 == 0 ? "article.html" : "clipping.txt"
        extractWithExtractor(DocumentInput(data: bytes, fileName: fileName, url: "https://www.nrk.no/norge/sak-1.2345"))
    case 2:
        let input = DocumentInput(data: bytes, fileName: "article.html")
        let (frontMatter, content) = FrontMatter.split(input.text)
        _ = HTMLArticleReader().read(content, frontMatter: frontMatter, input: input)
    default:
        let input = DocumentInput(data: bytes, fileName: "clipping.txt")
        _ = PlainTextReader().read(input.text, input: input)
    }
    return 0
}

private func extractWithExtractor(_ input: DocumentInput) {
    guard let article = try? DocumentExtractor().extract(input) else { return }
    precondition(!article.paragraphs.isEmpty, "an extracted article without paragraphs")
}
