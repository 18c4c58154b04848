"""The fake news site engine: one server, router and set of discovery files for every fake site we crawl.

A configuration supplies content and templates; the engine supplies the rest:

- `server.SiteServer`    HTTP on loopback, the request log, conditional GET, one-off 500/429 hazards
- `routing`              `Response`, `Request`, a route table with pagination and slash redirects
- `feeds`                robots.txt, sitemaps (plain, index, gzipped, Google News), RSS, Atom, JSON Feed
- `store.ArticleStore`   live and deleted articles, the newest-first index by section, tag and author
- `markup`               escaping, JSON-LD, slugs and bylines for templates

Two configurations use it: the bundled demo (`scraper.demo_site`, fixed content from TOML files) and the
generated site of the test suite (`tests.sitegen`, N articles generated from a seed, with its traps).
"""
