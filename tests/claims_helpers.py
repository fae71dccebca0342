"""Setup shared by the claim-rule tests: one sentence (or a few) in, its claims or their keys out.

The rule tests (tests/test_claims_rules.py, tests/test_claims_quality.py) check what
``extract`` makes of short invented texts. Each module binds ``doc`` to its own file name
(``functools.partial``) so the Article it builds is the one it always built.
"""
from __future__ import annotations

from counterclaim.claims import extract
from counterclaim.records import Article, Claim, article_id

#: what the rule tests compare: who claims, about whom, what, how many, asserted or denied
KEY_FIELDS: tuple[str, ...] = ("claimant_side", "subject_side", "metric", "category", "value", "stance")


def article(text: str, title: str | None = None, *, doc: str) -> Article:
    """A plain-text Article holding ``text``, published 2020-10-12 (a date inside both test conflicts)."""
    return Article(id=article_id(text), doc=doc, source=doc, format="text", text=text, title=title,
                   published="2020-10-12")


def claims_of(text: str, conflict: str = "nk", title: str | None = None, *, doc: str) -> list[Claim]:
    """The claims ``extract`` finds in ``text`` under ``conflict``."""
    return extract(article(text, title, doc=doc), conflict=conflict)


def claim_keys(text: str, conflict: str = "nk", title: str | None = None, *, doc: str,
               fields: tuple[str, ...] = KEY_FIELDS) -> set[tuple]:
    """The set of ``fields`` tuples of the claims in ``text``: a test asserts a key is in it, or is not."""
    return {tuple(getattr(c, f) for f in fields) for c in claims_of(text, conflict, title, doc=doc)}
