"""The records that flow between stages.

Stages are pure functions over these records (``RawDoc -> Article``, ``Article ->
list[Claim]``, ``list[Claim] -> list[Claim]`` with places resolved), so the same code
runs in-process, in a process pool and inside Spark ``mapPartitions``. Records are
plain dataclasses that round-trip through ``to_dict``/``from_dict`` (JSON-safe), which
is also how they cross process and Spark boundaries.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["RawDoc", "Article", "Claim", "SPEC_FIELDS", "article_id", "claim_id"]

#: The claim fields of the interchange contract (shared/spec/claims.md), in order.
SPEC_FIELDS = ("doc", "claimant_side", "claimant", "subject_side", "metric", "category", "value",
               "value_max", "approx", "stance", "places", "date", "evidence")


def article_id(text: str) -> str:
    """Content hash of an article's cleaned body: its identity in storage.

    Whitespace runs are folded first so that the same story with different line
    wrapping or trailing blank lines is the same article.
    """
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:24]


@dataclass
class RawDoc:
    """One input before cleaning: what a reader yields.

    ``doc`` is the input's identity as the claims spec defines it (a file's base name,
    or the URL). ``data`` is the undecoded payload; ``format`` is ``text``, ``markdown``,
    ``html`` (or ``None`` to detect). ``hints`` carries metadata a container already
    knows (JSONL fields, feed entry title/date, WARC target URI): ``title``, ``url``,
    ``published``, ``outlet``, ``author``, ``tags``.
    """

    source: str
    doc: str
    data: bytes
    format: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    """A cleaned article with its metadata. Claim offsets refer to ``text``."""

    id: str
    doc: str
    source: str
    format: str
    text: str
    raw: str = ""
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None          # ISO date YYYY-MM-DD
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    original_source: str | None = None    # outlet credited as the original ("South Front")
    original_published: str | None = None
    cluster: str | None = None            # syndication cluster id (canonical member's id)

    def to_dict(self, *, with_raw: bool = True) -> dict[str, Any]:
        d = asdict(self)
        if not with_raw:
            d.pop("raw")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Claim:
    """One number (or denial) one party put forward about one kind of loss or gain.

    The first fields are the interchange contract; the rest are provenance and the
    extras the ledger needs (``scope``, ``increment``) and places (``geo``).
    """

    doc: str
    claimant_side: str
    claimant: str
    subject_side: str
    metric: str
    category: str
    value: int | None
    value_max: int | None
    approx: str
    stance: str
    places: list[str]
    date: str | None
    evidence: str
    # provenance and extras
    article_id: str = ""
    conflict: str | None = None
    span: tuple[int, int] | None = None          # evidence span in Article.text
    number_span: tuple[int, int] | None = None   # span of the number (or cue) in Article.text
    rule: str = ""                               # stage/rule that produced the claim
    actor_raw: str | None = None                 # the claimant as written
    scope: str | None = None                     # cumulative | increment | None
    increment: int | None = None                 # the day's change stated with a cumulative figure
    confidence: float | None = None
    geo: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return claim_id(self)

    def key(self) -> tuple:
        """The scorer's matching key."""
        return (self.claimant_side, self.subject_side, self.metric, self.category, self.value, self.stance)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("span", "number_span"):
            if d[k] is not None:
                d[k] = list(d[k])
        d["id"] = self.id
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        for k in ("span", "number_span"):
            if kw.get(k) is not None:
                kw[k] = tuple(kw[k])
        return cls(**kw)


def claim_id(c: Claim) -> str:
    """Stable id of a claim: its article, key fields and evidence span."""
    basis = json.dumps([c.article_id, c.claimant, *c.key(), c.value_max, c.approx,
                        list(c.span) if c.span else None, list(c.number_span) if c.number_span else None],
                       ensure_ascii=False)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
