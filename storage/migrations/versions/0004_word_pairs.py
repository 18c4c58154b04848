"""PostgreSQL: an index of the pairs of words that follow each other in an article, for phrase searches.

The GIN index on search_vector knows which words an article holds, not where: a phrase was checked on
every candidate's tsvector, read out of line (TOAST). article_word_pairs(search_vector) lists each pair of
lexemes at adjacent positions of the tsvector as 'first second' (the parser never puts a space inside a
lexeme), so the phrase "a b" is the one key 'a b' of a GIN index on it. The pairs come from the stored
tsvector's own positions, so they agree with the `<->` operator, across the title's end and the body's
start too. An expression index needs no new column and leaves the rows as they are. The function costs
about 0.3 ms for an article of 360 words, so searches never have it computed for each row scanned
(storage.dialects.index_window_id). Its COST is left at the default on purpose: saying how dear it is
makes every plan using the index look dear too (its recheck condition is priced for each row, though
only lossy pages run it), which sends such plans through JIT compilation and parallel workers. Lexemes
over 255 bytes are in no pair (storage.wordpairs.MAX_PAIRED_LEXEME), keeping every key inside a GIN entry.
SQLite's FTS5 index holds positions already: nothing to do there.

Revision ID: 0004_word_pairs
Revises: 0003_published_day
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0004_word_pairs"
down_revision = "0003_published_day"
branch_labels = None
depends_on = None

PAIRS_FUNCTION = """
CREATE FUNCTION article_word_pairs(vector tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (
        SELECT word.lexeme, position
        FROM pg_catalog.unnest(vector) AS word, pg_catalog.unnest(word.positions) AS position
        WHERE pg_catalog.octet_length(word.lexeme) <= 255
    )
    SELECT coalesce(pg_catalog.array_agg(DISTINCT first.lexeme || ' ' || second.lexeme), '{}')
    FROM words AS first JOIN words AS second ON second.position = first.position + 1
$$
"""


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(PAIRS_FUNCTION)
    op.execute("CREATE INDEX ix_articles_word_pairs ON articles USING gin (article_word_pairs(search_vector))")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_articles_word_pairs")
    op.execute("DROP FUNCTION article_word_pairs(tsvector)")
