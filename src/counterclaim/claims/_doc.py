"""The document object the stages work over: sentences with character offsets and tokens.

Like a spaCy ``Doc``: the text is never changed; sentences and tokens are spans into it, so
every claim can point at its evidence (``span``) and its number (``number_span``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["TOKEN_RE", "Sentence", "tokenize", "norm_tokens", "Tokens"]

# Numbers with separators, words (with inner hyphens/apostrophes/dots: "Su-25", "Azerbaijan's", "U.S"),
# or one other non-space character. Linear-time: no nested quantifiers over the same characters.
TOKEN_RE = re.compile(r"\d+(?:-[^\W\d_]+)+|\d+(?:[.,]\d+)*|[^\W\d_]+(?:[-'’.][^\W_]+)*|[^\w\s]")
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass
class Tokens:
    """Tokens of one sentence: original text, lower-cased normal form and absolute offsets."""

    text: list[str]
    low: list[str]
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.low)


def tokenize(text: str, offset: int = 0) -> Tokens:
    """Split ``text`` into tokens; offsets are shifted by ``offset`` (the sentence start)."""
    lower = text.lower().translate(_APOS)
    if len(lower) != len(text):            # rare: lower-casing changed the length (e.g. "İ")
        lower = "".join(ch.lower()[:1] or ch for ch in text).translate(_APOS)
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    t = [text[a:b] for a, b in spans]
    lo = [lower[a:b] for a, b in spans]
    if offset:
        s = [a + offset for a, _ in spans]
        e = [b + offset for _, b in spans]
    else:
        s = [a for a, _ in spans]
        e = [b for _, b in spans]
    return Tokens(t, lo, s, e)


def norm_tokens(phrase: str) -> list[str]:
    """Normalised tokens of a lexicon phrase (same tokenizer as sentences)."""
    return [w.lower().translate(_APOS) for w in TOKEN_RE.findall(phrase)]


@dataclass
class Sentence:
    """One sentence (or heading / list line) of an article: ``text[start:end]``."""

    start: int
    end: int
    text: str
    index: int = 0
    line_start: bool = True        # the sentence begins a line (headings, list items)
    line_end: bool = True          # the sentence ends its line
    tokens: Tokens | None = field(default=None, repr=False)

    def toks(self) -> Tokens:
        """Tokens of the sentence (computed once)."""
        if self.tokens is None:
            self.tokens = tokenize(self.text, self.start)
        return self.tokens
