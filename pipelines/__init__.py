"""Where a fetched page becomes rows.

`pipelines.extraction` is the Scrapy-free extraction library (a page's bytes in, an article record out;
it imports neither Scrapy nor storage). Beside it: the Scrapy item pipelines `extract_stage` (page item ->
record), `dedup` (the article key and repeats within a run), `store` (records -> rows, with fault
accounting) and `worker` (the worker processes); `ingest` (one page's rows, shared by the store pipeline
and `import-warc`), `warc_import`, `warc_read` and `reextract` (stored pages through today's extractor).
"""
