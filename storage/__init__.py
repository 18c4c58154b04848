"""Persistence and query layer of the archive (SQLAlchemy 2.0 + Alembic); imports neither Scrapy nor pipelines.

`db` opens an archive (engine, sessions, migrations, the run lock's database side); `models` is the schema;
`dialects` holds all SQLite-only and PostgreSQL-only SQL. Writes, as plain functions over a Session whose
transaction the caller owns: `articles` (articles, revisions, authors, links), `runs` (crawl runs, failures,
raw pages), `url_states` (the crawl frontier's memory), `sites`. Reads: `reads` (one article, exports, stats)
and `search`. `rows` and `timestamps` are small shared helpers.
"""
