"""The Daily Dispatch: a small fictional news site shipped with the package, served on loopback for crawls.

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
