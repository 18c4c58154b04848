"""The extraction library: bytes of one page in, one clean article record out.

`extract.extract_page` decodes and parses a page once (`decode`, `document`) and runs one small function per
field over that parse (`titles`, `authors`, `dates`, `body`, `links`, `metadata`, ...), then `classify` says
whether the page is an article. Everything here is plain Python over lxml: it imports no Scrapy and no
storage, so the `extract` command, re-extraction and tests use it without a crawl.
"""
