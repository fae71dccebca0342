"""Metadata of plain-text and Markdown articles, dates, language and outlets.

Plain text carries its metadata in header and footer lines that cleaning removes: the
headline (first line), a byline, a publisher dateline ("Example Daily, March 3, 2021"),
a credit of the original outlet with its date ("Example Weekly 2 March 2021", "The
original source of this article is ..."), tag lines, lone media links. The cleaning
rules capture those lines (named groups in ``data/boilerplate.yaml``, each rule
declaring what it captures in its ``captures`` field); this module turns the captures
into :class:`~counterclaim.records.Article` fields, reading them by that kind, never by
rule id.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable
from urllib.parse import urlsplit

import yaml

from ..clean import Cleaned, _meta_line, is_masthead, is_media_url, load_rules, match_line
from ..errors import DataFileError

__all__ = ["parse_date", "detect_language", "find_title", "text_metadata", "outlet_from_url", "load_stopwords"]

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}
_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
            r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s{1,3}(?:of\s)?" + _MONTH_RE + r"\.?,?\s{1,3}(\d{4})", re.I)
_MDY = re.compile(_MONTH_RE + r"\.?\s{1,3}(\d{1,2})(?:st|nd|rd|th)?,?\s{1,3}(\d{4})", re.I)
_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_SLASH_ISO = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat() if 1900 <= y <= 2100 else None
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """The first date written in ``text`` as ISO ``YYYY-MM-DD``, or None.

    Reads ISO dates (with or without a time), "September 29, 2020", "29 September
    2020", "Sept. 29, 2020", "2020/09/29" and day-first numeric dates ("29.09.2020").
    """
    if not text:
        return None
    s = str(text)[:500]
    best: tuple[int, str] | None = None
    for rx, order in ((_ISO, "ymd"), (_SLASH_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy"), (_NUMERIC, "dmy_num")):
        m = rx.search(s)
        if not m:
            continue
        g = m.groups()
        if order == "ymd":
            iso = _iso(int(g[0]), int(g[1]), int(g[2]))
        elif order == "dmy":
            iso = _iso(int(g[2]), _MONTHS[g[1].lower()], int(g[0]))
        elif order == "mdy":
            iso = _iso(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
        else:
            iso = _iso(int(g[2]), int(g[1]), int(g[0])) or _iso(int(g[2]), int(g[0]), int(g[1]))
        if iso and (best is None or m.start() < best[0]):
            best = (m.start(), iso)
    return best[1] if best else None


@lru_cache(maxsize=1)
def load_stopwords() -> tuple[float, dict[str, frozenset[str]]]:
    """The bundled stopword lists ``(min_ratio, {language: words})``; checked and cached."""
    name = "data/stopwords.yaml"
    try:
        doc = yaml.safe_load(resources.files("counterclaim").joinpath("data", "stopwords.yaml").read_text("utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DataFileError(f"{name}: cannot load: {' '.join(str(err).split())[:200]}") from None
    if not isinstance(doc, dict) or doc.get("kind") != "stopwords":
        raise DataFileError(f"{name}: kind must be 'stopwords'")
    prov = doc.get("provenance") or {}
    if not all(prov.get(k) for k in ("source", "licence", "version")):
        raise DataFileError(f"{name}: provenance must give source, licence and version")
    ratio = doc.get("min_ratio")
    if not isinstance(ratio, (int, float)) or not 0 < ratio < 1:
        raise DataFileError(f"{name}: min_ratio must be a number between 0 and 1")
    langs = doc.get("languages")
    if not isinstance(langs, dict) or "en" not in langs:
        raise DataFileError(f"{name}: languages must map codes to word lists and include 'en'")
    out: dict[str, frozenset[str]] = {}
    for code, words in langs.items():
        if not (isinstance(code, str) and re.fullmatch(r"[a-z]{2,3}", code)):
            raise DataFileError(f"{name}: {code!r} is not a language code")
        if not isinstance(words, list) or len(words) < 10 or not all(isinstance(w, str) and w for w in words):
            raise DataFileError(f"{name}: {code}: expected a list of at least 10 words")
        out[code] = frozenset(w.casefold() for w in words)
    return float(ratio), out


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose stopwords cover most of ``text``'s words.

    A small, dependency-free detector good enough to tell English from not-English;
    None when the text is too short or no language reaches the configured ratio.
    """
    min_ratio, langs = load_stopwords()
    words = [w.casefold() for w in _TOKEN.findall(text[:6000])]
    if len(words) < 5:
        return None
    scores = {code: sum(1 for w in words if w in stop) / len(words) for code, stop in langs.items()}
    code, ratio = max(scores.items(), key=lambda kv: kv[1])
    return code if ratio >= min_ratio else None


_TERMINAL = re.compile(r"[.!?…][\"'”’)]*$")


def find_title(text: str) -> tuple[str | None, bool, str | None]:
    """The title of a plain-text article: ``(title, is_headline_line, masthead)``.

    The first line that is not boilerplate, without Markdown heading marks. When it reads
    as a headline (no full stop at the end, at most 30 words) it is the title and is
    removed from the body; when the text starts straight with a sentence, the title is
    that sentence shortened and the body keeps it. A short first line ending in a
    masthead word ("... Wire Service", "... Daily") followed by another header line is
    the site's name (returned as ``masthead``) and the next line is the headline.
    """
    rules = load_rules()
    candidates: list[str] = []
    for line in text.split("\n")[:80]:
        s = line.strip().lstrip("#").strip().strip("*_").strip()
        if not s or match_line(s, header=True) or _meta_line(s, rules) or (candidates and is_masthead(s, rules)):
            continue
        if len(candidates) == 0 and not (len(s) <= 300 and len(s.split()) <= 30 and not _TERMINAL.search(s)):
            first = re.split(r"(?<=[.!?])\s", s, maxsplit=1)[0]
            return (first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "..."), False, None
        candidates.append(s)
        if len(candidates) == 2 or len(s) >= 60 and len(s.split()) >= 10 and _TERMINAL.search(s):
            break
    if not candidates:
        return None, False, None
    first = candidates[0]
    words = first.split()
    if (len(candidates) == 2 and len(words) <= 6 and words[-1].casefold().strip(".,") in rules.masthead_words
            and not _TERMINAL.search(candidates[1]) and len(candidates[1].split()) <= 30
            and len(candidates[1].split()) > len(words)):
        return candidates[1], True, first
    return first, True, None


def outlet_from_url(url: str | None) -> str | None:
    """The outlet a URL belongs to: its host without ``www.`` (``example.org``)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = host.lower().removeprefix("www.")
    return host or None


def _first(values: Iterable[Any]) -> Any:
    for v in values:
        if v:
            return v
    return None


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.strip(" .,:;*_").split())
    return name or None


def _tags(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = re.split(r"\s*[,;|]\s*", value)
    out: list[str] = []
    for t in value:
        t = " ".join(str(t).split()).strip(" .#")
        if t and t.casefold() not in {x.casefold() for x in out}:
            out.append(t)
    return out


def merge_tags(*lists: Iterable[str]) -> list[str]:
    """Tags from several sources, first spelling kept, duplicates (case-folded) dropped."""
    out: list[str] = []
    for lst in lists:
        for t in _tags(list(lst)):
            if t.casefold() not in {x.casefold() for x in out}:
                out.append(t)
    return out


def text_metadata(cleaned: Cleaned, *, title: str | None, hints: dict[str, Any], url: str | None,
                  media: Iterable[str] = ()) -> dict[str, Any]:
    """Article fields from what cleaning captured, container hints and the URL.

    Hints (JSONL fields, feed entries, WARC headers) win over what the text says, the
    text wins over the URL's domain. Two header "name, date" lines (``name-date``
    captures, in text order) mean the first is the publisher (outlet and publication
    date) and the second the credited original. For one-value fields the capture of the
    rule higher in the rules file wins (see :meth:`~counterclaim.clean.Cleaned.captures`).
    """
    caps = {k: cleaned.captures(k, ranked=True) for k in ("author", "published", "original-source", "outlet")}
    header_dates = [(c.fields.get("name"), c.fields.get("date")) for c in cleaned.captures("name-date")]
    original = _clean_name(_first(n for c in caps["original-source"]
                                  for n in [c.fields.get("name") or c.fields.get("name2") or c.fields.get("name3")
                                            or c.fields.get("name4")] if n and n[:1].isupper()))
    outlet = published = None
    original_published = None
    if header_dates:
        outlet, published = _clean_name(header_dates[0][0]), parse_date(header_dates[0][1])
        for name, when in header_dates[1:]:
            if original is None:
                original = _clean_name(name)
            if _clean_name(name) == original:
                original_published = parse_date(when)
        if original and _clean_name(header_dates[0][0]) == original and len(header_dates) == 1:
            original_published = published
    if published is None:
        published = _first(parse_date(c.fields.get("date")) for c in caps["published"])
    author = _clean_name(_first(c.fields.get("name") for c in caps["author"]))
    if outlet is None:
        outlet = _clean_name(_first(c.fields.get("name") for c in caps["outlet"]))
    all_media: list[str] = []
    for m in list(media) + cleaned.media + [u for u in cleaned.links if is_media_url(u)]:
        if m not in all_media:
            all_media.append(m)
    return {
        "title": hints.get("title") or title,
        "author": hints.get("author") or author,
        "outlet": hints.get("outlet") or outlet or outlet_from_url(url),
        "published": parse_date(hints.get("published")) or published,
        "original_source": original,
        "original_published": original_published,
        "tags": merge_tags(_tags(hints.get("tags")), cleaned.tags),
        "media": all_media,
    }
