extension ReadingRoomTemplates {
    /// `/` without a search: the box, the latest stories and articles, the commonest tags and sources.
    static let home = #"""
        {{<layout}}{{$content}}
        <h1>The archive</h1>
        <p class="lead">{{articleCount}} articles from {{sourceCount}} sources. Search them above, or start from the latest coverage.</p>
        <div class="layout">
        <div>
        <section aria-labelledby="latest-stories">
        <h2 id="latest-stories">Latest stories</h2>
        <ul class="hits">
        {{#stories}}<li><h3><a href="{{href}}">{{title}}</a></h3>
        <p class="meta">{{articles}}{{#dates}} · {{dates}}{{/dates}}</p></li>
        {{/stories}}</ul>
        </section>
        <section aria-labelledby="latest-articles">
        <h2 id="latest-articles">Latest articles</h2>
        <ul class="hits">
        {{#articles}}{{>summary}}{{/articles}}
        </ul>
        <nav class="pages" aria-label="More"><a href="/?sort=-published_at">All articles, newest first</a></nav>
        </section>
        </div>
        <aside class="facets" aria-label="Browse">
        <h2 id="browse-tags">Tags</h2>
        <ul aria-labelledby="browse-tags">
        {{#tags}}<li><a href="{{href}}">{{name}}</a> <span class="count">{{count}}</span></li>
        {{/tags}}</ul>
        <h2 id="browse-sources">Sources</h2>
        <ul aria-labelledby="browse-sources">
        {{#sources}}<li><a href="{{href}}">{{name}}</a> <span class="count">{{count}}</span></li>
        {{/sources}}</ul>
        </aside>
        </div>
        {{/content}}{{/layout}}
        """#

    /// `/?q=…` and any `/articles` filter: ranked results, facets, the coverage chart, the next page.
    static let search = #"""
        {{<layout}}{{$title}}{{heading}} · Clippings{{/title}}{{$content}}
        <h1>{{heading}}</h1>
        <p class="lead" role="status">{{totalText}}</p>
        {{#hasFilters}}<div class="filters"><h2 id="active-filters">Filters</h2>
        <ul class="chips" aria-labelledby="active-filters">
        {{#filters}}<li>{{label}} <a href="{{href}}" aria-label="Remove the filter {{label}}">×</a></li>
        {{/filters}}</ul></div>{{/hasFilters}}
        {{>chart}}
        <div class="layout">
        <section aria-labelledby="results-heading">
        <h2 id="results-heading">Results</h2>
        <nav class="pages" aria-label="Order">Order: {{#sorts}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a> {{/sorts}}</nav>
        <ol class="hits">
        {{#articles}}{{>summary}}{{/articles}}
        </ol>
        {{>pages}}
        </section>
        {{>facets}}
        </div>
        {{/content}}{{/layout}}
        """#

    /// `/read/{slug}`: one whole article, its links out, its story and related articles.
    static let article = #"""
        {{<layout}}{{$title}}{{title}} · Clippings{{/title}}{{$content}}
        <article class="read"{{#lang}} lang="{{lang}}"{{/lang}}>
        <h1>{{title}}</h1>
        <p class="meta" lang="en">{{#byline}}By {{byline}}{{/byline}}{{#date}}{{#byline}} · {{/byline}}<time datetime="{{iso}}">{{text}}</time>{{/date}}{{#source}} · <a href="{{href}}">{{name}}</a>{{/source}}{{#wordCount}} · {{wordCount}} words{{/wordCount}}</p>
        {{#hasTags}}<ul class="chips" aria-label="Tags" lang="en">{{#tags}}<li><a href="{{href}}">{{name}}</a></li>{{/tags}}</ul>{{/hasTags}}
        {{#paragraphs}}<p>{{.}}</p>
        {{/paragraphs}}
        </article>
        {{#url}}<p><a href="{{url}}" rel="noopener noreferrer">Read the original at {{host}}</a></p>{{/url}}
        {{#story}}<section aria-labelledby="story-heading">
        <h2 id="story-heading">Its story</h2>
        <p><a href="{{href}}">{{title}}</a>: {{articles}}{{#dates}}, {{dates}}{{/dates}}.</p>
        </section>{{/story}}
        {{#hasLinks}}<section aria-labelledby="links-heading">
        <h2 id="links-heading">Links in the article</h2>
        <ul>{{#links}}<li><a href="{{url}}" rel="noopener noreferrer nofollow">{{text}}</a></li>
        {{/links}}</ul>
        </section>{{/hasLinks}}
        {{#hasImages}}<section aria-labelledby="images-heading">
        <h2 id="images-heading">Images</h2>
        <ul>{{#images}}<li><a href="{{url}}" rel="noopener noreferrer nofollow">{{text}}</a></li>
        {{/images}}</ul>
        </section>{{/hasImages}}
        {{#hasRelated}}<section aria-labelledby="related-heading">
        <h2 id="related-heading">Related articles</h2>
        <ul class="hits">{{#related}}{{>summary}}{{/related}}</ul>
        </section>{{/hasRelated}}
        {{/content}}{{/layout}}
        """#

    /// A story, a tag or a source: what it is, its coverage over time, its articles page by page.
    static let collection = #"""
        {{<layout}}{{$title}}{{heading}} · Clippings{{/title}}{{$content}}
        <h1>{{heading}}</h1>
        <p class="lead">{{lead}}</p>
        {{#summaryText}}<p>{{summaryText}}</p>{{/summaryText}}
        {{#searchHref}}<p><a href="{{searchHref}}">Search within these articles</a></p>{{/searchHref}}
        {{>chart}}
        {{#hasCoverage}}<section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">Coverage</h2>
        {{#coverage}}<table>
        <caption>{{caption}}</caption>
        <thead><tr><th scope="col">{{unit}}</th><th scope="col" class="number">Articles</th></tr></thead>
        <tbody>{{#rows}}<tr><td><a href="{{href}}">{{label}}</a></td><td class="number">{{count}}</td></tr>
        {{/rows}}</tbody>
        </table>
        {{/coverage}}</section>{{/hasCoverage}}
        <section aria-labelledby="articles-heading">
        <h2 id="articles-heading">{{listHeading}}</h2>
        <ul class="hits">
        {{#articles}}{{>summary}}{{/articles}}
        </ul>
        {{>pages}}
        </section>
        {{/content}}{{/layout}}
        """#

    /// Any refusal or absence, in HTML for a reader: the status, what went wrong, a way on.
    static let error = #"""
        {{<layout}}{{$title}}{{heading}} · Clippings{{/title}}{{$content}}
        <h1>{{heading}}</h1>
        <p>{{detail}}</p>
        <p><a href="/">Back to the archive</a></p>
        {{/content}}{{/layout}}
        """#
}
