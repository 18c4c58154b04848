"""Persistence and query layer of the archive (SQLAlchemy 2.0 + Alembic); imports neither Scrapy nor pipelines.

Entry points: storage.db.open_archive, storage.repository (reads and writes over a Session),
storage.search.search.
"""
