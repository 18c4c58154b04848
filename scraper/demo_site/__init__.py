"""The Daily Dispatch: a small fictional news site shipped with the package, served on loopback for crawls.

It is one configuration of the fake-site engine in `engine/` (server, routing, article store, feeds and
sitemaps; the test suite's generated site, `tests.sitegen`, is the other). The demo's own modules: `content`
(loads `data/*.toml` and the saved `seed/` page), `site` (the article store with edits, and the URL scheme),
`render` (view and date formats), `theme` (WordPress-like shell and template A), `magazine` (template B),
`pages` (home, listings, fixed pages, search, 404) and `server` (`DemoSite`).

URL map (paths end in a slash; a slash-less path gets a 301 to the slashed one):

- ``/``                                        home: top story, latest news, three links per section
- ``/<section>/<slug>/``                       an article (template A, B, or the saved seed page)
- ``/category/<section>/`` (+ ``page/<n>/``)   section listing, six per page
- ``/author/<slug>/`` and ``/tag/<slug>/``     author and tag listings, paginated the same way
- ``/about-us/`` ``/privacy-policy/`` ``/contact-us/`` ``/terms-and-conditions/``   fixed pages
- ``/search/?q=``                              search results (disallowed in robots.txt)
- ``/robots.txt`` ``/sitemap.xml`` ``/feed/``  discovery files; anything else is a 404 page
"""

from scraper.demo_site.server import DemoSite

__all__ = ["DemoSite"]
