"""Stage: dates — the calendar date a claim refers to, when the sentence (or a live blog's day heading) fixes it.

"on September 27", "as of 28 September", "September 27, 2020", "2020-09-27", "27.09.2020". The
year, when not written, comes from the article's published date or the dates in its header.
Relative days ("on Tuesday", "yesterday") give no date.
"""
from __future__ import annotations

import re
from datetime import date

from ._lexicon import lexicons

__all__ = ["find_dates", "article_year", "heading_date"]



def _month_re() -> re.Pattern:
    names = sorted(lexicons().months, key=len, reverse=True)
    alt = "|".join(names)
    return re.compile(
        r"(?i)\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>%s)\.?(?:,?\s+(?P<y1>(?:19|20)\d{2}))?"
        r"|(?P<m2>%s)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>(?:19|20)\d{2}))?"
        r"|(?P<y3>(?:19|20)\d{2})-(?P<mo3>\d{2})-(?P<d3>\d{2})"
        r"|(?P<d4>\d{1,2})\.(?P<mo4>\d{1,2})\.(?P<y4>(?:19|20)\d{2}))\b" % (alt, alt))


_DATE_RE = _month_re()
_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")


def _mk(y: int | None, m: int, d: int) -> str | None:
    if y is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str, year: int | None, offset: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of each calendar date in ``text`` (offsets shifted by ``offset``)."""
    months = lexicons().months
    out = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        if g["m1"]:
            if g["m1"].lower() == "may" and not g["y1"] and text[m.start():m.end()].islower():
                continue
            iso = _mk(int(g["y1"]) if g["y1"] else year, months[g["m1"].lower()], int(g["d1"]))
        elif g["m2"]:
            if g["m2"].lower() == "may" and g["m2"][0].islower():
                continue
            iso = _mk(int(g["y2"]) if g["y2"] else year, months[g["m2"].lower()], int(g["d2"]))
        elif g["y3"]:
            iso = _mk(int(g["y3"]), int(g["mo3"]), int(g["d3"]))
        else:
            iso = _mk(int(g["y4"]), int(g["mo4"]), int(g["d4"]))
        if iso:
            out.append((m.start() + offset, m.end() + offset, iso))
    return out


def article_year(published: str | None, text: str) -> int | None:
    """The year to complete day-month dates: the published date's, else the first full date's in the header."""
    if published and re.match(r"^(19|20)\d{2}", published):
        return int(published[:4])
    head = text[:1500]
    for m in _DATE_RE.finditer(head):
        y = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
        if y:
            return int(y)
    return None


def heading_date(line: str, year: int | None) -> str | None:
    """The date of a live-blog day heading: a short line that is (almost) only a date."""
    s = line.strip().strip("#*_ ").strip()
    if not s or len(s) > 40:
        return None
    ds = find_dates(s, year)
    if len(ds) != 1:
        return None
    a, b, iso = ds[0]
    words = re.sub(r"[\W\d_]+", " ", (s[:a] + s[b:]).lower()).split()
    if all(w in lexicons().weekdays for w in words):
        return iso
    return None
