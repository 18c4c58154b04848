"""Syndicated copies: the same story (an agency wire, a partner's article) stored from several sites.

A body is cut into word shingles (3 words) and summarised by a MinHash signature (128 affine permutations
of 32-bit shingle hashes, the values datasketch's "affine32" MinHash gives: a test checks it); its LSH bands, hashed
with the language, are stored as keys in copy_bands, so finding the candidates of a new article is one
indexed lookup on either database (no in-memory index to rebuild at each process start). Candidates
whose estimated Jaccard similarity reaches THRESHOLD join its cluster; a cluster is numbered by its
smallest article id, and every member but the earliest published is flagged later_copy, which is
what --collapse-copies leaves out. rebuild_copies recomputes everything for an existing archive.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import delete, false, func, insert, or_, select, update

from storage.models import Article, CopyBand, CopySignature, Site

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NUM_PERM = 128
SEED = 7
#: datasketch's 32-bit permutation scheme: signatures stored as uint32, 512 bytes each
SCHEME = "affine32"
SHINGLE_WORDS = 3
#: estimated Jaccard similarity of the shingle sets from which two bodies count as copies
THRESHOLD = 0.5
#: shorter bodies (teasers, stubs) are not compared: a few shared sentences would make them copies
MIN_WORDS = 40
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class CopyInfo:
    article_id: int
    url: str
    title: str | None
    site: str
    published: datetime | None
    #: estimated Jaccard similarity of the two bodies' word shingles (0..1)
    similarity: float


#: LSH bands x rows per band: datasketch's optimum for THRESHOLD and NUM_PERM (MinHashLSH(0.5, 128) picks
#: 25 x 5; a test checks it). Fixed here because computing it imports scipy, two seconds at every start.
LSH_BANDS, LSH_ROWS = 25, 5


def bands() -> tuple[int, int]:
    """(number of bands, rows per band)."""
    return LSH_BANDS, LSH_ROWS


def signature(body: str) -> np.ndarray | None:
    """The MinHash hash values of body's word shingles as uint32, or None when the body is too short.

    The values are those of datasketch's MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32") fed the
    same shingle hashes (a test checks it), computed here so that storing an article does not import
    datasketch (it brings scipy: 60 MB and a second or two in the store worker) or draw its permutations
    again for every article."""
    words = _WORD.findall(body.casefold())
    if len(words) < MIN_WORDS:
        return None
    multipliers, offsets = _permutations()
    hashes = _fmix32(shingle_hashes(words))[:, np.newaxis]
    return (hashes * multipliers + offsets).min(axis=0)  # uint32 arithmetic wraps: modulo 2**32


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine32 scheme's NUM_PERM permutations h -> a*h + b (mod 2**32), a odd, drawn as datasketch
    draws them from a RandomState seeded with SEED."""
    draw = np.random.RandomState(SEED)
    multipliers = draw.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    offsets = draw.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return multipliers, offsets


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which the affine32 scheme applies to each input hash first."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


#: Odd 64-bit multiplier that mixes the word hashes of a shingle (FNV-1a's 64-bit prime).
_MIX = np.uint64(0x100000001B3)


def shingle_hashes(words: list[str]) -> np.ndarray:
    """32-bit hashes (uint32) of the distinct shingles of SHINGLE_WORDS words, from one CRC-32 per word mixed
    with numpy: a cryptographic hash per shingle (datasketch's default) cost more than the rest of storing."""
    per_word = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):
        mixed = mixed * _MIX + per_word[offset : offset + count]  # wraps modulo 2**64, as intended
    mixed ^= mixed >> np.uint64(32)
    return np.unique(mixed & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def band_keys(values: np.ndarray, language: str) -> list[int]:
    """One signed 64-bit key per LSH band, the language mixed in so only same-language articles meet."""
    count, rows = bands()
    keys = []
    for band in range(count):
        digest = hashlib.blake2b(
            values[band * rows : (band + 1) * rows].tobytes(), digest_size=8, person=str(band).encode()
        )
        digest.update(language.encode())
        keys.append(int.from_bytes(digest.digest(), "little", signed=True))
    return keys


def similarity(first: bytes | np.ndarray, second: bytes | np.ndarray) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    a = np.frombuffer(first, dtype=np.uint32) if isinstance(first, bytes) else first
    b = np.frombuffer(second, dtype=np.uint32) if isinstance(second, bytes) else second
    return float(np.count_nonzero(a == b)) / len(a)


def _language(value: str | None) -> str:
    """en-GB and en compare with each other: the primary language subtag, lower case."""
    return (value or "").split("-")[0].split("_")[0].strip().lower()


# --- kept up to date as articles are stored ---


def update_copies(session: Session, article_id: int) -> None:
    """(Re)compute the article's signature and copy cluster after its body changed."""
    session.flush()
    body, language = session.execute(
        select(Article.body, Article.language).where(Article.id == article_id)
    ).one()
    _detach(session, article_id)
    add_copies(session, article_id, body, language)


def add_copies(session: Session, article_id: int, body: str | None, language: str | None) -> None:
    """Store the signature of an article that has none (just inserted, or detached) and join it to the
    cluster of the stored articles it copies. A new article needs nothing undone first: it has no bands,
    no signature and no cluster yet, so storing it costs no more queries than that."""
    values = signature(body or "")
    if values is None:
        return
    lang = _language(language)
    keys = band_keys(values, lang)
    session.execute(
        insert(CopySignature).values(article_id=article_id, language=lang, minhash=values.tobytes())
    )
    session.execute(insert(CopyBand), [{"key": key, "article_id": article_id} for key in set(keys)])
    candidates = session.execute(
        select(CopySignature.article_id, CopySignature.minhash).where(
            CopySignature.article_id.in_(
                select(CopyBand.article_id).where(CopyBand.key.in_(keys), CopyBand.article_id != article_id)
            )
        )
    ).tuples()
    matches = [other for other, stored in candidates if similarity(values, stored) >= THRESHOLD]
    if matches:
        _join(session, [article_id, *matches])


def _detach(session: Session, article_id: int) -> None:
    """Forget the article's signature and take it out of its cluster (which is renumbered if need be)."""
    session.execute(delete(CopyBand).where(CopyBand.article_id == article_id))
    session.execute(delete(CopySignature).where(CopySignature.article_id == article_id))
    cluster = session.scalar(select(Article.copy_cluster_id).where(Article.id == article_id))
    if cluster is None:
        return
    session.execute(
        update(Article).where(Article.id == article_id).values(copy_cluster_id=None, later_copy=False)
    )
    rest = session.scalars(select(Article.id).where(Article.copy_cluster_id == cluster)).all()
    if len(rest) < 2:
        session.execute(
            update(Article).where(Article.id.in_(rest)).values(copy_cluster_id=None, later_copy=False)
        )
        return
    if min(rest) != cluster:
        session.execute(update(Article).where(Article.id.in_(rest)).values(copy_cluster_id=min(rest)))
    mark_later_copies(session, min(rest))


def _join(session: Session, ids: Sequence[int]) -> None:
    """Put ids, and every member of their clusters, in one cluster numbered by its smallest member."""
    clusters = set(
        session.scalars(
            select(Article.copy_cluster_id).where(Article.id.in_(ids), Article.copy_cluster_id.is_not(None))
        )
    )
    members = set(ids)
    if clusters:
        members |= set(session.scalars(select(Article.id).where(Article.copy_cluster_id.in_(clusters))))
    cluster = min(members)
    session.execute(update(Article).where(Article.id.in_(members)).values(copy_cluster_id=cluster))
    mark_later_copies(session, cluster)


def mark_later_copies(session: Session, cluster: int) -> None:
    """Flag every member of the cluster but the earliest published (undated ones count as latest)."""
    members = session.execute(
        select(Article.id, Article.published).where(Article.copy_cluster_id == cluster)
    ).all()
    if not members:
        return
    earliest = min(members, key=lambda row: (row.published is None, row.published or datetime.min, row.id)).id
    session.execute(
        update(Article)
        .where(Article.copy_cluster_id == cluster)
        .values(later_copy=Article.id != earliest)
        .execution_options(synchronize_session=False)
    )


# --- for an existing archive ---


def rebuild_copies(session: Session, *, batch: int = 1000) -> tuple[int, int]:
    """Recompute every signature and cluster from the stored bodies; returns (clusters, articles in them)."""
    session.execute(delete(CopyBand))
    session.execute(delete(CopySignature))
    session.execute(
        update(Article)
        .where(or_(Article.copy_cluster_id.is_not(None), Article.later_copy.is_not(false())))
        .values(copy_cluster_id=None, later_copy=False)
    )
    #: band key -> ids of the articles having it: the copy_bands lookup of add_copies, held in memory
    seen: dict[int, list[int]] = {}
    stored: dict[int, np.ndarray] = {}
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    def union(first: int, second: int) -> None:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for rows in _batches(session, batch):
        signatures, band_rows = [], []
        for article_id, body, language in rows:
            values = signature(body or "")
            if values is None:
                continue
            lang = _language(language)
            signatures.append({"article_id": article_id, "language": lang, "minhash": values.tobytes()})
            keys = set(band_keys(values, lang))
            band_rows.extend({"key": key, "article_id": article_id} for key in keys)
            candidates = {other for key in keys for other in seen.get(key, ())}
            for other in candidates:
                if similarity(values, stored[other]) >= THRESHOLD:
                    union(article_id, other)
            for key in keys:
                seen.setdefault(key, []).append(article_id)
            stored[article_id] = values
        if signatures:
            session.execute(insert(CopySignature), signatures)
            session.execute(insert(CopyBand), band_rows)
    clusters: dict[int, list[int]] = {}
    for node in list(parent):
        clusters.setdefault(root(node), []).append(node)
    in_clusters = 0
    for cluster_root, members in clusters.items():
        ids = sorted({cluster_root, *members})
        in_clusters += len(ids)
        session.execute(update(Article).where(Article.id.in_(ids)).values(copy_cluster_id=ids[0]))
        mark_later_copies(session, ids[0])
    return len(clusters), in_clusters


def _batches(session: Session, size: int) -> Iterable[list[tuple[int, str, str | None]]]:
    last_id = 0
    while True:
        rows = session.execute(
            select(Article.id, Article.body, Article.language)
            .where(Article.id > last_id)
            .order_by(Article.id)
            .limit(size)
        ).all()
        if not rows:
            return
        yield [tuple(row) for row in rows]
        last_id = rows[-1].id


# --- reading ---


def copies_of(session: Session, article_id: int) -> list[CopyInfo]:
    """The other articles of the article's copy cluster, earliest published first (undated last)."""
    cluster = session.scalar(select(Article.copy_cluster_id).where(Article.id == article_id))
    if cluster is None:
        return []
    own = session.scalar(select(CopySignature.minhash).where(CopySignature.article_id == article_id))
    rows = session.execute(
        select(
            Article.id,
            Article.canonical_url,
            Article.title,
            Site.name,
            Article.published,
            CopySignature.minhash,
        )
        .join(Site, Article.site_id == Site.id)
        .outerjoin(CopySignature, CopySignature.article_id == Article.id)
        .where(Article.copy_cluster_id == cluster, Article.id != article_id)
    ).all()
    infos = [
        CopyInfo(
            article_id=row.id,
            url=row.canonical_url,
            title=row.title,
            site=row.name,
            published=row.published,
            similarity=similarity(own, row.minhash) if own is not None and row.minhash is not None else 0.0,
        )
        for row in rows
    ]
    return sorted(
        infos, key=lambda info: (info.published is None, info.published or datetime.min, info.article_id)
    )


def cluster_count(session: Session) -> int:
    """How many copy clusters the archive holds."""
    return session.scalar(select(func.count(Article.copy_cluster_id.distinct()))) or 0
