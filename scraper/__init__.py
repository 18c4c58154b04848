"""The crawl: the Scrapy project (settings, the `news` spider, middlewares), the `newsarchive` command and
the web workbench.

A page is fetched and discovered here; it becomes a record in `pipelines.extraction` and rows through
`pipelines` and `storage`. Fields are never parsed here: spiders yield page and failure items
(`items.py`), and Scrapy names the item pipelines only as dotted strings in `settings.py`. `cli/` holds
the command (one module per group of commands), `web/` the read-only workbench and JSON API over
`storage`, `demo_site/` the fake-site engine and the bundled demo site.
"""
