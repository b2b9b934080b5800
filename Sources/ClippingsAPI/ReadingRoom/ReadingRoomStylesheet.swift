/// The reading room's one stylesheet, served at `/assets/reading-room.css`: a file of its own rather than
/// inline styles, so the Content-Security-Policy can refuse every inline style and script.
///
/// Colours meet WCAG AA contrast in both schemes (`prefers-color-scheme`); the layout is one column on a
/// phone and puts the facets beside the results from 48em.
enum ReadingRoomStylesheet {
    static let css = #"""
        :root {
          color-scheme: light dark;
          --text: #1b1b1b; --muted: #555; --back: #fdfdfb; --panel: #f0efe9; --line: #d4d2c8;
          --link: #0b4f9c; --visited: #5a2d8c; --mark: #ffe58a; --bar: #2f6db5; --focus: #c2410c;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --text: #ecebe6; --muted: #b4b2aa; --back: #17181a; --panel: #222326; --line: #3a3b3f;
            --link: #8cc4ff; --visited: #c9a8ff; --mark: #6b5400; --bar: #6fa8e8; --focus: #ffb077;
          }
        }
        * { box-sizing: border-box; }
        html { font-size: 100%; }
        body {
          margin: 0; background: var(--back); color: var(--text);
          font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
        }
        a { color: var(--link); }
        a:visited { color: var(--visited); }
        a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
          outline: 3px solid var(--focus); outline-offset: 2px;
        }
        mark { background: var(--mark); color: inherit; padding: 0 .1em; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--back); padding: .5rem; }
        .skip:focus { left: .5rem; }
        header.site, main, footer.site { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        main { overflow-wrap: anywhere; }
        header.site { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center;
          border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; color: var(--text); }
        .brand:visited { color: var(--text); }
        form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; flex: 1 1 20rem; }
        form.search label { font-weight: 600; }
        form.search input { flex: 1 1 12rem; min-width: 0; font: inherit; padding: .45rem .6rem;
          border: 1px solid var(--muted); border-radius: .3rem; background: var(--back); color: var(--text); }
        form.search button { font: inherit; padding: .45rem .9rem; border-radius: .3rem; cursor: pointer;
          border: 1px solid var(--link); background: var(--link); color: var(--back); }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; }
        h3 { font-size: 1.05rem; margin: 0 0 .2rem; overflow-wrap: anywhere; }
        ol.hits, ul.hits { list-style: none; padding: 0; margin: 0; }
        .hits li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
        .meta { color: var(--muted); font-size: .9rem; margin: 0 0 .3rem; }
        .meta a, .meta a:visited { color: inherit; }
        .hits p { margin: .2rem 0; }
        .lead { font-size: 1.05rem; color: var(--muted); }
        .layout { display: grid; gap: 1.5rem; }
        .layout > * { min-width: 0; }
        @media (min-width: 48em) {
          .layout { grid-template-columns: minmax(0, 1fr) 16rem; }
        }
        aside.facets h2 { font-size: 1rem; margin: 1rem 0 .3rem; }
        aside.facets ul, ul.chips { list-style: none; padding: 0; margin: 0; }
        aside.facets li { display: flex; justify-content: space-between; gap: .5rem; padding: .15rem 0; }
        aside.facets .count { color: var(--muted); font-variant-numeric: tabular-nums; }
        ul.chips { display: flex; flex-wrap: wrap; gap: .4rem; }
        ul.chips li { border: 1px solid var(--line); border-radius: 1rem; padding: .1rem .6rem; background: var(--panel); }
        nav.pages { display: flex; flex-wrap: wrap; gap: .4rem 1rem; margin: 1.25rem 0; }
        nav.pages a { font-weight: 600; }
        article.read { max-width: 42rem; }
        article.read p { margin: 0 0 1rem; }
        article.read ul.chips { margin: 0 0 1rem; }
        figure.chart { margin: 1rem 0; padding: .75rem; background: var(--panel); border-radius: .4rem; }
        figure.chart svg { display: block; width: 100%; height: 8rem; }
        figure.chart .bar { fill: var(--bar); }
        figure.chart .axis { display: flex; justify-content: space-between; margin: .2rem 0;
          color: var(--muted); font-size: .8rem; }
        figure.chart .baseline { stroke: var(--line); }
        figcaption { font-weight: 600; margin-bottom: .4rem; }
        details { margin-top: .5rem; }
        table { border-collapse: collapse; margin: .5rem 0; }
        th, td { text-align: left; padding: .2rem .8rem .2rem 0; border-bottom: 1px solid var(--line); }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        .filters { margin: 0 0 1rem; }
        footer.site { color: var(--muted); border-top: 1px solid var(--line); font-size: .9rem; }
        """#
}
