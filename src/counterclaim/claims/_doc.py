"""The document object the stages work over: sentences with character offsets and tokens.

Like a spaCy ``Doc``: the text is never changed; sentences and tokens are spans into it, so
every claim can point at its evidence (``span``) and its number (``number_span``).
"""
from __future__ import annotations

import re
from itertools import islice
from dataclasses import dataclass, field

__all__ = ["TOKEN_RE", "Sentence", "tokenize", "head_tokens", "lower_text", "norm_tokens", "Tokens"]

# Numbers with separators, words (with inner hyphens/apostrophes/dots: "Su-25", "Azerbaijan's", "U.S"),
# or one other non-space character. Linear-time: no nested quantifiers over the same characters.
#: The definition, as first written (kept: tests check TOKEN_RE against it).
TOKEN_PATTERN_REFERENCE = r"\d+(?:-[^\W\d_]+)+|\d+(?:[.,]\d+)*|[^\W\d_]+(?:[-'’.][^\W_]+)*|[^\w\s]"
# The same matches with the two number branches sharing one ``\d+`` (a digit run cannot end before a
# '-' at a shorter length, so the first branch never needed to backtrack into it): digits are read once.
TOKEN_RE = re.compile(r"\d+(?:(?:-[^\W\d_]+)+|(?:[.,]\d+)*)|[^\W\d_]+(?:[-'’.][^\W_]+)*|[^\w\s]")
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


class Tokens:
    """Tokens of one sentence: original text, lower-cased normal form and absolute offsets.

    ``start``/``end`` (absolute character offsets) are built on first use from the match spans:
    only sentences that yield a claim need them, so the others never pay for two more lists.
    """

    __slots__ = ("text", "low", "_start", "_end", "_spans", "_offset")

    def __init__(self, text: list[str], low: list[str], start: list[int] | None = None,
                 end: list[int] | None = None, *, spans: list[tuple[int, int]] | None = None, offset: int = 0):
        if (start is None or end is None) and spans is None:
            raise ValueError("Tokens needs start and end, or spans")
        self.text, self.low = text, low
        self._start, self._end, self._spans, self._offset = start, end, spans, offset

    @property
    def start(self) -> list[int]:
        """Absolute start offset of each token."""
        if self._start is None:
            o = self._offset
            spans = self._spans or []
            self._start = [a + o for a, _ in spans] if o else [a for a, _ in spans]
        return self._start

    @property
    def end(self) -> list[int]:
        """Absolute end offset of each token."""
        if self._end is None:
            o = self._offset
            spans = self._spans or []
            self._end = [b + o for _, b in spans] if o else [b for _, b in spans]
        return self._end

    def __len__(self) -> int:
        return len(self.low)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tokens):
            return NotImplemented
        return (self.text, self.low, self.start, self.end) == (other.text, other.low, other.start, other.end)

    def __repr__(self) -> str:
        return f"Tokens({self.text!r})"


def lower_text(text: str) -> str:
    """The normal form tokens are compared in: lower case, one apostrophe, and the SAME length as
    ``text`` (so a span of the text is the same span of its normal form)."""
    lower = text.lower().translate(_APOS)
    if len(lower) != len(text):            # rare: lower-casing changed the length (e.g. "İ")
        lower = "".join(ch.lower()[:1] or ch for ch in text).translate(_APOS)
    return lower


def tokenize(text: str, offset: int = 0, lower: str | None = None) -> Tokens:
    """Split ``text`` into tokens; offsets are shifted by ``offset`` (the sentence start).

    ``lower`` may pass ``lower_text(text)`` when the caller already has it (a slice of the
    article's normal form), to avoid lower-casing every sentence twice.
    """
    if lower is None:
        lower = lower_text(text)
    spans = [m.span() for m in TOKEN_RE.finditer(text)]      # one regex pass; texts are slices of it
    return Tokens([text[a:b] for a, b in spans], [lower[a:b] for a, b in spans], spans=spans, offset=offset)


def head_tokens(text: str, n: int, offset: int = 0, lower: str | None = None) -> Tokens:
    """The first ``n`` tokens of ``text``, exactly as :func:`tokenize` would give them (the cheap
    look at a sentence's start that skipped sentences still need for discourse state)."""
    if lower is None:
        lower = lower_text(text)
    spans = [m.span() for m in islice(TOKEN_RE.finditer(text), n)]
    return Tokens([text[a:b] for a, b in spans], [lower[a:b] for a, b in spans], spans=spans, offset=offset)


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
    lower: str | None = field(default=None, repr=False)   # lower_text(text) when the splitter's caller has it

    def toks(self) -> Tokens:
        """Tokens of the sentence (computed once, on first use: skipped sentences never pay)."""
        if self.tokens is None:
            self.tokens = tokenize(self.text, self.start, self.lower)
        return self.tokens
