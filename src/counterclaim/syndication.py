"""Syndication: which stored articles are copies of the same story.

A story cross-posted on several sites keeps its body but changes its headline, its
boilerplate (donation widgets, share prompts, disclaimers), its format and sometimes
trims the intro. counterclaim compares bodies, not headlines:

1. :func:`shingles` turns the cleaned body into word 5-shingles after case and
   punctuation folding (THE shingle function: the Spark job reuses it);
2. :func:`signature` is a MinHash (datasketch, 128 permutations, fixed seed and
   scheme) over those shingles;
3. locality-sensitive hashing (datasketch :class:`~datasketch.MinHashLSH` banding at
   :data:`LSH_THRESHOLD`) finds candidate pairs: :func:`band_keys` gives the keys the
   store persists so candidates are one indexed lookup, and :func:`cluster` runs the
   same LSH in memory over a batch;
4. :func:`same_story` confirms a candidate: estimated Jaccard >= the threshold
   (``settings.syndication_threshold``, 0.5) OR containment of the shorter body in the
   longer >= :data:`CONTAINMENT_THRESHOLD` (0.8; so a copy with extra boilerplate or a
   trimmed intro still joins), the latter only when the shorter body has at least
   :data:`MIN_CONTAINED_SHINGLES` shingles.

Clusters are the connected components of confirmed pairs; the cluster id is the
canonical member's id: the earliest by published date (undated last), ties by id
(:func:`canonical`). Connected components do not depend on arrival order, so
ingesting in any order (or re-running a killed ingest) gives the same clusters.
Measured Jaccard of cross-posted and near-miss pairs: ``docs/storage.md``.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = [
    "NUM_PERM", "SEED", "SCHEME", "SHINGLE_SIZE", "LSH_THRESHOLD", "CONTAINMENT_THRESHOLD",
    "MIN_CONTAINED_SHINGLES", "Signature", "fold", "shingles", "signature", "make_signature",
    "signature_bytes", "signature_from_bytes", "lsh_params", "band_keys", "jaccard", "containment",
    "same_story", "canonical", "cluster",
]

NUM_PERM = 128
SEED = 20201027          # fixed: signatures stored in the database must stay comparable
SCHEME = "affine32"      # datasketch >= 2 hashing scheme, pinned for the same reason
SHINGLE_SIZE = 5
#: LSH candidate threshold: lower than the confirmation thresholds so that contained
#: copies (low Jaccard, high containment) are still proposed as candidates.
LSH_THRESHOLD = 0.2
CONTAINMENT_THRESHOLD = 0.8
MIN_CONTAINED_SHINGLES = 30

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> list[str]:
    """The body as a list of case-, accent- and punctuation-folded words."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WORD.findall(text)


def shingles(text: str) -> set[str]:
    """Word 5-shingles of the folded body (a body shorter than 5 words is one shingle).

    This is the one shingle function of the project: in-process ingest and the Spark
    job both call it, so their clusters agree.
    """
    words = fold(text)
    if not words:
        return set()
    if len(words) < SHINGLE_SIZE:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)}


@dataclass(frozen=True)
class Signature:
    """A body's MinHash plus its shingle count (needed to estimate containment)."""

    minhash: MinHash
    size: int


def _minhash(items: Iterable[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    batch = [s.encode("utf-8") for s in items]
    if batch:
        mh.update_batch(batch)
    return mh


def signature(text: str) -> MinHash:
    """MinHash (128 permutations, fixed seed) of :func:`shingles` of ``text``."""
    return _minhash(shingles(text))


def make_signature(text: str) -> Signature:
    """:class:`Signature` of a cleaned body: MinHash and shingle count."""
    sh = shingles(text)
    return Signature(_minhash(sh), len(sh))


def signature_bytes(mh: MinHash) -> bytes:
    """The MinHash hash values as little-endian uint64 (the ``signatures.minhash`` column)."""
    return np.asarray(mh.hashvalues).astype("<u8").tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    """Inverse of :func:`signature_bytes`."""
    values = np.frombuffer(data, dtype="<u8")
    if len(values) != NUM_PERM:
        raise ValueError(f"stored signature has {len(values)} values, expected {NUM_PERM}")
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values)


@functools.lru_cache(maxsize=8)
def lsh_params(threshold: float = LSH_THRESHOLD) -> tuple[int, int]:
    """(bands, rows per band) datasketch's MinHashLSH chooses for ``threshold``."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def band_keys(mh: MinHash, threshold: float = LSH_THRESHOLD) -> list[str]:
    """One LSH bucket key per band: two bodies are candidates when any key is equal.

    Keys are ``<band>:<16 hex digits>``, short enough to index; the store persists
    them (table ``lsh_bands``) so finding candidates is one indexed query that also
    sees other processes' committed articles.
    """
    b, r = lsh_params(threshold)
    values = np.asarray(mh.hashvalues).astype("<u8")
    keys = []
    for i in range(b):
        digest = hashlib.blake2b(values[i * r:(i + 1) * r].tobytes(), digest_size=8).hexdigest()
        keys.append(f"{i:02d}:{digest}")
    return keys


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two bodies' shingle sets."""
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(a.minhash.jaccard(b.minhash))


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the shorter body's shingles found in the longer one."""
    j = jaccard(a, b)
    small = min(a.size, b.size)
    if small == 0:
        return 0.0
    inter = j * (a.size + b.size) / (1.0 + j)
    return min(1.0, inter / small)


def same_story(a: Signature, b: Signature, threshold: float = 0.5) -> bool:
    """Whether two bodies are one story (see the module docstring for the rule)."""
    if jaccard(a, b) >= threshold:
        return True
    return min(a.size, b.size) >= MIN_CONTAINED_SHINGLES and containment(a, b) >= CONTAINMENT_THRESHOLD


def canonical(members: Iterable[tuple[str, str | None]]) -> str:
    """The canonical member of a cluster given ``(id, published)`` pairs: earliest, ties by id."""
    return min(members, key=lambda m: (m[1] is None, m[1] or "", m[0]))[0]


def cluster(docs: Iterable[tuple[str, str | None, str]], *, threshold: float = 0.5) -> dict[str, str]:
    """Cluster ``(id, published, text)`` triples in memory: ``{id: cluster id}``.

    The reference clustering (pure, no database): datasketch MinHashLSH for
    candidates, :func:`same_story` to confirm, connected components, :func:`canonical`
    for the id. The store reaches the same clusters incrementally.
    """
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    sigs: dict[str, Signature] = {}
    published: dict[str, str | None] = {}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, pub, text in docs:
        if doc_id in sigs:
            continue
        sig = make_signature(text)
        sigs[doc_id], published[doc_id], parent[doc_id] = sig, pub, doc_id
        if sig.size:
            for other in lsh.query(sig.minhash):
                if same_story(sig, sigs[other], threshold):
                    parent[find(doc_id)] = find(other)
            lsh.insert(doc_id, sig.minhash)
    groups: dict[str, list[str]] = {}
    for doc_id in sigs:
        groups.setdefault(find(doc_id), []).append(doc_id)
    out: dict[str, str] = {}
    for members in groups.values():
        head = canonical((m, published[m]) for m in members)
        for m in members:
            out[m] = head
    return out
