import Mustache

/// The reading room's Mustache templates, compiled into the binary: the page layout and the pieces pages
/// share (an article in a list, the facets, the coverage chart, the next-page link).
///
/// `{{name}}` escapes HTML (`<`, `>`, `&`, both quotes). A few values are written as they are: an article's
/// `{{{meta}}}` and `{{{lead}}}` in a list (escaped piece by piece by `ReadingRoomViews.summary`; the lead is
/// the search's snippet, which the store escapes before marking the matched words) and the chart's `{{{bars}}}` and `{{{rows}}}` (SVG and
/// table rows that `CoverageChart` builds from numbers and escaped labels and addresses).
enum ReadingRoomTemplates {
    /// Every template by name, parsed once.
    static let library: MustacheLibrary = {
        MustacheContentTypes.register(PageHTML(), named: PageHTML.name)
        var library = MustacheLibrary()
        for (name, text) in all {
            // Each template (partials start afresh) escapes with `PageHTML`.
            let text = "{{% CONTENT_TYPE: \(PageHTML.name)}}" + text
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("reading room template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    static let all: [(String, String)] = [
        ("layout", layout), ("summary", summary), ("facets", facets), ("chart", chart), ("pages", pages),
        ("home", home), ("search", search), ("article", article), ("collection", collection), ("error", error),
    ]

    /// Every page: landmarks, the search box, links to the JSON twin. `lang` is English: the interface's
    /// language (an article's own language is set on its text).
    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$title}}Clippings{{/title}}</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/reading-room.css">
        <link rel="alternate" type="application/json" href="{{json}}">
        </head>
        <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="site">
        <a class="brand" href="/">Clippings</a>
        <form class="search" role="search" action="/" method="get">
        <label for="q">Search the archive</label>
        <input id="q" name="q" type="search" value="{{query}}" autocomplete="off">
        <button type="submit">Search</button>
        </form>
        </header>
        <main id="main">
        {{$content}}{{/content}}
        </main>
        <footer class="site">
        <p>This page as <a href="{{json}}" type="application/json">JSON</a> · the <a href="/openapi.yaml">API's contract</a></p>
        </footer>
        </body>
        </html>
        """#

    /// One article in a list: its title linked to its page, where and when, and why it matched. Few keys,
    /// true/false tests: a page lists twenty, and each lookup that climbs the context costs.
    static let summary = #"""
        <li{{#hasLang}} lang="{{lang}}"{{/hasLang}}>
        <h3><a href="{{href}}">{{title}}</a></h3>
        <p class="meta" lang="en">{{{meta}}}</p>
        {{#hasLead}}<p>{{{lead}}}</p>{{/hasLead}}
        </li>
        """#

    /// Facet counts as links that narrow the listing to one value.
    static let facets = #"""
        {{#hasFacets}}<aside class="facets" aria-label="Refine the results">
        {{#facetGroups}}<h2 id="facet-{{name}}">{{label}}</h2>
        <ul aria-labelledby="facet-{{name}}">
        {{#values}}<li><a href="{{href}}">{{text}}</a> <span class="count">{{count}}</span></li>
        {{/values}}</ul>
        {{/facetGroups}}</aside>{{/hasFacets}}
        """#

    /// Articles over time as bars drawn on the server, with the same numbers in a table.
    static let chart = #"""
        {{#chart}}<figure class="chart">
        <figcaption id="chart-caption">{{caption}}</figcaption>
        <p class="axis" aria-hidden="true"><span>{{maximum}}</span></p>
        <svg viewBox="0 0 {{width}} {{height}}" role="img" aria-labelledby="chart-caption" preserveAspectRatio="none" focusable="false">
        <line class="baseline" x1="0" y1="{{baseline}}" x2="{{width}}" y2="{{baseline}}"></line>
        {{{bars}}}</svg>
        <p class="axis" aria-hidden="true"><span>{{firstLabel}}</span><span>{{lastLabel}}</span></p>
        <details>
        <summary>The chart as a table</summary>
        <table>
        <caption>{{caption}}</caption>
        <thead><tr><th scope="col">{{unit}}</th><th scope="col" class="number">Articles</th></tr></thead>
        <tbody>
        {{{rows}}}</tbody>
        </table>
        </details>
        </figure>{{/chart}}
        """#

    /// The link to the next page of a listing, from its cursor.
    static let pages = #"""
        {{#next}}<nav class="pages" aria-label="Pages">
        <a href="{{next}}" rel="next">Next page</a>
        </nav>{{/next}}
        """#
}
