"""Stage 1: sentence splitting with character offsets.

Lines are units first (headlines, list items, live-blog timestamps and day headings stand on
their own lines); inside a line, a sentence ends at ``.``/``!``/``?`` (with closing quotes or
brackets) followed by space and an upper-case letter, digit or opening quote, unless the dot
ends a known abbreviation ("Maj.", "Gen.", "U.S.") or an initial. Decimals never split (no
space). Very long runs without punctuation are cut at bounded length so later stages stay
linear on hostile input.
"""
from __future__ import annotations

import re

from ._doc import Sentence

__all__ = ["split_sentences", "MAX_SENTENCE_CHARS"]

MAX_SENTENCE_CHARS = 1500
_END_RE = re.compile(r"[.!?]+[\"'”’»)\]]*[ \t\u00a0]+(?=[\"'“‘«(\[]?[A-Z0-9\u0400-\u04FF])")
_LINE_RE = re.compile(r"[^\n]+")
_ABBREV = frozenset("""mr mrs ms dr prof gen lt col maj capt cpt sgt cpl pte adm brig cmdr cdr gov sen rep st
no nos vs etc approx jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp jr sr fig est dept
u.s u.k u.n e.g i.e a.m p.m mt ft""".split())


def _is_abbrev(line: str, dot: int) -> bool:
    """Whether the '.' at ``line[dot]`` ends an abbreviation or an initial."""
    j = dot
    while j > 0 and (line[j - 1].isalpha() or line[j - 1] == "."):
        j -= 1
    word = line[j:dot].lower()
    if not word:
        return False
    if len(word) == 1 and line[j].isupper():       # an initial: "J. Smith"
        return True
    return word in _ABBREV or word.rstrip(".") in _ABBREV


def _split_long(text: str, start: int, out: list[tuple[int, int]]) -> None:
    """Cut a span longer than MAX_SENTENCE_CHARS at clause punctuation or spaces."""
    s, end = start, start + len(text)
    while end - s > MAX_SENTENCE_CHARS:
        window = text[s - start: s - start + MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
        cut = cut + 1 if cut > MAX_SENTENCE_CHARS // 3 else MAX_SENTENCE_CHARS
        out.append((s, s + cut))
        s += cut
    if s < end:
        out.append((s, end))


def split_sentences(text: str) -> list[Sentence]:
    """Split cleaned article text into :class:`Sentence` spans (stripped, non-empty).

    Why a custom splitter: news text mixes headlines, bullet lists, timestamps and quotes;
    spans must index the original text exactly for provenance.
    """
    spans: list[tuple[int, int, bool, bool]] = []
    for lm in _LINE_RE.finditer(text):
        line, base = lm.group(), lm.start()
        pieces: list[tuple[int, int]] = []
        s = 0
        for m in _END_RE.finditer(line):
            if line[m.start()] == "." and line.count(".", m.start(), m.end()) == 1 and _is_abbrev(line, m.start()):
                continue
            pieces.append((s, m.end()))
            s = m.end()
        pieces.append((s, len(line)))
        n = len(pieces)
        for k, (a, b) in enumerate(pieces):
            seg = line[a:b]
            lstrip = len(seg) - len(seg.lstrip())
            seg2 = seg.strip()
            if not seg2:
                continue
            st = base + a + lstrip
            sub: list[tuple[int, int]] = []
            _split_long(seg2, st, sub)
            for i, (x, y) in enumerate(sub):
                spans.append((x, y, k == 0 and i == 0, k == n - 1 and i == len(sub) - 1))
    out = []
    for i, (a, b, ls, le) in enumerate(spans):
        seg = text[a:b]
        b = a + len(seg.rstrip())
        out.append(Sentence(start=a, end=b, text=text[a:b], index=i, line_start=ls, line_end=le))
    return out
