"""Turning fetched pages into stored records.

`pipelines.extraction` is the Scrapy-free extraction library (a page's bytes in, an article record out).
Beside it sit the Scrapy item pipelines that glue a crawl to it: `extract_stage` (page item -> record),
`dedup` (drops repeats within a run), `store` (hands records to `storage`) and `worker` (runs the stages in
worker processes).
"""
