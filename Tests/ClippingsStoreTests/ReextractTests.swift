import ClippingsExtraction
import Foundation
import GRDB
import Testing

@testable import ClippingsStore

/// Several writers per article, raw documents kept with the archive, and `reextract` over them.
@Suite("Authors and re-extraction")
struct ReextractTests {
    /// A page written for these tests: two writers in JSON-LD, a tag, three paragraphs.
    static func page(_ headline: String, words: String) -> String {
        """
        <html lang="en"><head><title>\(headline) | Fjord Post</title>
        <meta property="og:site_name" content="Fjord Post">
        <meta property="article:tag" content="Harbours">
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"\(headline)",
          "datePublished":"2024-05-02T09:00:00Z","author":[{"@type":"Person","name":"Ingrid Dahl"},
          {"@type":"Person","name":"Omar Haddad"}]}</script></head>
        <body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>\(headline)</h1>
        <div class="entry-content"><p>The harbour board met on Thursday and agreed, after a long debate, to \(words).</p>
        <p>Residents who spoke at the meeting said that the plan had been changed several times since the spring.</p>
        <p>A final decision is expected in June, when the council votes on the budget for the coming year.</p>
        </div></article></body></html>
        """
    }

    /// An archive holding two extracted pages (with their documents) and one article given as fields.
    static func archive() async throws -> (AppDatabase, [Int64]) {
        let database = try AppDatabase.inMemory()
        var prepared: [PreparedArticle] = []
        for (headline, words) in [("Quay plan approved", "extend the quay"), ("Ferry fares frozen", "freeze fares")] {
            let input = DocumentInput(text: page(headline, words: words), fileName: "page.html")
            prepared.append(PreparedArticle(try DocumentExtractor().extract(input), document: input))
        }
        prepared.append(PreparedArticle(Sample.article("Given as JSON", author: "Kari Nordmann")))
        let ids = try await database.importArticles(prepared).map(\.articleID)
        return (database, ids)
    }

    @Test("several writers: `authors` in order, `author` their names joined, `author=` matches any one or all")
    func authors() async throws {
        let (database, ids) = try await Self.archive()
        let article = try #require(try await database.article(id: ids[0]))
        #expect(article.summary.authors == ["Ingrid Dahl", "Omar Haddad"])
        #expect(article.summary.author == "Ingrid Dahl, Omar Haddad")
        for name in ["omar haddad", "Ingrid Dahl", "ingrid dahl, omar haddad"] {
            var query = ArticleQuery()
            query.authors = [name]
            #expect(try await database.articles(query).items.count == 2, "\(name)")
        }
        var nobody = ArticleQuery()
        nobody.authors = ["Dahl"]
        #expect(try await database.articles(nobody).items.isEmpty)

        var edit = ArticleChanges()
        edit.authors = ["Ada Lund"]
        #expect(try await database.updateArticle(id: ids[0], edit))
        let edited = try #require(try await database.article(id: ids[0]))
        #expect(edited.summary.authors == ["Ada Lund"] && edited.summary.author == "Ada Lund")
        var byline = ArticleChanges()
        byline.author = .some(nil)
        #expect(try await database.updateArticle(id: ids[1], byline))
        let cleared = try #require(try await database.article(id: ids[1]))
        #expect(cleared.summary.authors.isEmpty && cleared.summary.author == nil)
        #expect(try await database.integrityProblems().isEmpty)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE article SET author = 'Someone Else' WHERE id = ?", arguments: [ids[0]])
        }
        #expect(try await database.integrityProblems().map(\.check) == ["article_authors"])
    }

    @Test("reextract rewrites what a fresh extraction changes, keeping ids and slugs; search follows")
    func rewritesChangedArticles() async throws {
        let (database, ids) = try await Self.archive()
        let before = try #require(try await database.article(id: ids[0]))
        // What an older extractor might have stored: a site suffix in the title, no tags, a lost paragraph.
        try await database.writer.write { db in
            try db.execute(
                sql:
                    "UPDATE article SET title = 'Quay plan approved | Fjord Post', body = 'Only the lead.' WHERE id = ?",
                arguments: [ids[0]]
            )
            try db.execute(sql: "DELETE FROM article_tag WHERE article_id = ?", arguments: [ids[0]])
        }
        var dry = try await database.reextract(dryRun: true)
        #expect(dry.changed == 1 && dry.fieldChanges == ["title": 1, "body": 1, "tags": 1])
        #expect(try await database.article(id: ids[0])?.summary.title == "Quay plan approved | Fjord Post")

        let report = try await database.reextract(batchSize: 1)
        #expect(report.articles == 3)
        #expect(report.withoutDocument == 1)
        #expect(report.reextracted == 2)
        #expect(report.changed == 1)
        #expect(report.changedIDs == [ids[0]])
        #expect(report.fieldChanges == ["title": 1, "body": 1, "tags": 1])
        let after = try #require(try await database.article(id: ids[0]))
        #expect(after.summary.id == before.summary.id && after.summary.slug == before.summary.slug)
        #expect(after.summary.title == before.summary.title)
        #expect(after.paragraphs == before.paragraphs)
        #expect(after.summary.tags == before.summary.tags)
        var search = ArticleQuery()
        search.search = try SearchQuery("council votes")
        search.sort = .relevance
        #expect(try await database.articles(search).items.map(\.id).contains(ids[0]))
        // Nothing left to change: a second run rewrites nothing; the file is whole.
        dry = try await database.reextract()
        #expect(dry.changed == 0 && dry.reextracted == 2)
        #expect(try await database.integrityProblems().isEmpty)
    }

    @Test("importing a document again gives an article stored without one its document, once")
    func documentsForOlderArticles() async throws {
        let database = try AppDatabase.inMemory()
        let input = DocumentInput(text: Self.page("Quay plan approved", words: "extend the quay"))
        let article = try DocumentExtractor().extract(input)
        let id = try await database.importArticles([PreparedArticle(article)])[0].articleID
        #expect(try await database.reextract().withoutDocument == 1)
        let again = try await database.importArticles([PreparedArticle(article, document: input)])
        #expect(again == [.duplicate(id)])
        let report = try await database.reextract()
        #expect(report.withoutDocument == 0 && report.reextracted == 1 && report.changed == 0)
    }

    @Test("a damaged document is counted and its article left as it is")
    func damagedDocument() async throws {
        let (database, ids) = try await Self.archive()
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE article_document SET deflated = x'00ff00ff' WHERE article_id = ?",
                arguments: [ids[1]]
            )
        }
        let report = try await database.reextract()
        #expect(report.failed == 1 && report.reextracted == 1)
        #expect(try await database.article(id: ids[1])?.summary.title == "Ferry fares frozen")
    }

    @Test("documents are kept deflated and inflate to the same bytes; oversized ones are not kept")
    func documentsRoundTrip() throws {
        let text = Self.page("Quay plan approved", words: "extend the quay")
        let document = try #require(
            SourceDocument(DocumentInput(text: text, fileName: "a.html", url: "https://x.example/a"))
        )
        #expect(document.deflated.count < text.utf8.count)
        let input = try #require(document.input)
        #expect(input.data == Data(text.utf8) && input.fileName == "a.html" && input.url == "https://x.example/a")
        let huge = DocumentInput(data: Data(count: SourceDocument.maximumSize + 1))
        #expect(SourceDocument(huge) == nil)
    }
}

/// What makes two stored articles one: the same text in any Unicode form, and a URL only when it names one
/// article (issue 16).
@Suite("Identity of stored articles")
struct IdentityTests {
    @Test("the same title and body in NFC and NFD are one article, stored in NFC")
    func unicodeForms() async throws {
        let database = try AppDatabase.inMemory()
        let composed = Sample.article("Blåbær på Tromsø", body: "Økonomien i Tromsø vokser, sier Bjørn.")
        var decomposed = composed
        decomposed.title = composed.title.decomposedStringWithCanonicalMapping
        decomposed.paragraphs = composed.paragraphs.map(\.decomposedStringWithCanonicalMapping)
        #expect(!decomposed.title.unicodeScalars.elementsEqual(composed.title.unicodeScalars))  // other scalars
        let outcomes = try await database.importArticles([PreparedArticle(decomposed), PreparedArticle(composed)])
        #expect(outcomes.map(\.articleID) == [outcomes[0].articleID, outcomes[0].articleID])
        let stored = try #require(try await database.article(id: outcomes[0].articleID))
        #expect(stored.summary.title.unicodeScalars.elementsEqual(composed.title.unicodeScalars))
        var edit = ArticleChanges()
        edit.title = "Tromsø".decomposedStringWithCanonicalMapping
        #expect(try await database.updateArticle(id: outcomes[0].articleID, edit))
        let edited = try #require(try await database.article(id: outcomes[0].articleID))
        #expect(
            edited.summary.title.unicodeScalars.elementsEqual(
                "Tromsø".precomposedStringWithCanonicalMapping.unicodeScalars
            )
        )
    }

    @Test("a home or section page as the URL is no identity: different articles stay apart")
    func sharedURLs() async throws {
        let database = try AppDatabase.inMemory()
        for url in ["https://www.site.example/", "https://site.example/news/", "https://site.example"] {
            let first = Sample.article("First story at \(url)", url: url)
            let second = Sample.article("Second story at \(url)", url: url)
            let outcomes = try await database.importArticles([PreparedArticle(first), PreparedArticle(second)])
            #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } }, "\(url)")
        }
        for url in [
            "https://site.example/2024/05/02/quay/", "https://site.example/quay-plan-approved",
            "https://site.example/a-123",
            "https://site.example/?p=4711", "https://site.example/story.html",
        ] {
            let outcomes = try await database.importArticles([
                PreparedArticle(Sample.article("One \(url)", url: url)),
                PreparedArticle(Sample.article("Two \(url)", url: url)),
            ])
            #expect(outcomes.last == .duplicate(outcomes[0].articleID), "\(url)")
        }
    }
}
