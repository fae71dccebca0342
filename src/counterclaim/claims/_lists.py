"""Stage: lists — daily loss lists ("personnel - about 612,700 (+1,250)") and enumerations of named places.

Loss lists: below (or after) a heading such as "total combat losses of the enemy", each
"label - value (+increment)" item is one claim: value the running total (scope cumulative),
``increment`` the bracket; categories come from the list-label lexicon (``genstaff.yaml``).
Named enumerations: "the capture of A, B and C villages" / "the villages of A, B and C" count
the names listed (3).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._doc import Tokens, norm_tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["ListItem", "read_loss_lists", "NamedList", "find_named_lists"]

_ITEM_RE = re.compile(
    r"(?P<label>[^\W\d](?:[^\n\d:;()–—‒-]|-(?=[^\W\d_])){0,60}?)\s*(?:[-–—‒:]+|\s)\s*(?P<about>about|approximately|approx\.?|around|nearly|over)?\s*"
    r"(?P<val>\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d{1,7})\s*(?:\(\s*\+\s*(?P<inc>\d{1,3}(?:[,\u00a0\u202f ]\d{3})*|\d{1,6})\s*\))?")
_SPLIT_RE = re.compile(r"[;\n]|,\s+(?=[^\W\d])")


@dataclass
class ListItem:
    """One line of a loss list."""

    start: int
    end: int
    label: str
    metric: str
    category: str
    value: int
    increment: int | None
    approx: str
    heading_start: int


def _num(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def read_loss_lists(text: str, lex: Lexicons | None = None) -> list[ListItem]:
    """Every item of every loss list in ``text`` (bounded: at most 400 lines per list)."""
    lex = lex or lexicons()
    out: list[ListItem] = []
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    idx = 0
    while idx < len(lines):
        start, line = lines[idx]
        low = line.lower()
        hit = next((h for h in lex.list_headings if h in low), None)
        if hit is None and ("losses:" in low or ("losses" in low and low.rstrip().endswith(":"))):
            hit = "losses"      # "... its morning tally of Russian losses since the start of the invasion:"
        if hit is None:
            idx += 1
            continue
        heading_start = start
        pos = low.index(hit) + len(hit)
        colon = line.find(":", pos)
        segments = []
        if colon != -1:
            segments.append((start + colon + 1, line[colon + 1:]))
        found = 0
        k = idx + 1
        for seg_start, seg in segments:
            found += _parse_segment(seg, seg_start, heading_start, lex, out)[0]
        misses = 0
        while k < len(lines) and k - idx < 400:
            s2, l2 = lines[k]
            got, seen = _parse_segment(l2, s2, heading_start, lex, out)
            found += got
            if seen == 0:
                misses += 1
                if misses > 1:
                    break
            else:
                misses = 0
            k += 1
        idx = k if found else idx + 1
    return out


def _parse_segment(seg: str, seg_start: int, heading_start: int, lex: Lexicons, out: list[ListItem]) -> tuple[int, int]:
    """Read the "label - value (+n)" items of one line into ``out``: (claims added, items seen). An item
    whose label is not a category of the spec ("cruise missiles") still belongs to the list."""
    got = 0
    seen = 0
    pieces = []
    last = 0
    for m in _SPLIT_RE.finditer(seg):
        pieces.append((last, seg[last:m.start()]))
        last = m.end()
    pieces.append((last, seg[last:]))
    for off, piece in pieces:
        im = _ITEM_RE.match(piece.strip(" \t*•·-–—‒"))
        if not im:
            continue
        lead = len(piece) - len(piece.lstrip(" \t*•·-–—‒"))
        label = im.group("label").strip().lower()
        toks = norm_tokens(label)
        seen += 1
        hit = None
        for s in range(len(toks)):
            r = lex.list_labels.match(toks, s)
            if r and s + r[0] == len(toks):
                hit = r
                break
        if hit is None:     # the kind named first: "UAVs of operational-tactical level"
            hit = lex.list_labels.match(toks, 0)
        if hit is None or hit[1] is None:
            continue
        metric, cat = hit[1]
        a = seg_start + off + lead
        b = a + im.end()
        out.append(ListItem(a, b, im.group("label").strip(), metric, cat, _num(im.group("val")),
                            _num(im.group("inc")) if im.group("inc") else None,
                            "about" if im.group("about") else "exact", heading_start))
        got += 1
    return got, seen


@dataclass
class NamedList:
    """An enumeration of named places counted by a plural noun."""

    i: int             # first name token
    j: int             # last name token end
    names: list[tuple[int, int]]
    noun: tuple[int, int]
    category: str
    group: str


def _cap(w: str) -> bool:
    return w[:1].isupper() and w[:1].isalpha()


def _names_back(toks: Tokens, end: int) -> list[tuple[int, int]]:
    """Capitalised names separated by commas / "and", ending just before token ``end``."""
    low, text = toks.low, toks.text
    names: list[tuple[int, int]] = []
    k = end
    while k > 0 and len(names) < 30:
        e = k
        s = e
        while s > 0 and _cap(text[s - 1]) and e - s < 3:
            s -= 1
        if s == e:
            break
        names.append((s, e))
        if s > 0 and low[s - 1] in (",", "and"):
            k = s - 1
            if k > 0 and low[k] == "and" and low[k - 1] == ",":
                k -= 1
            continue
        break
    return list(reversed(names))


def _names_fwd(toks: Tokens, start: int) -> list[tuple[int, int]]:
    low, text, n = toks.low, toks.text, len(toks.low)
    names: list[tuple[int, int]] = []
    k = start
    while k < n and len(names) < 30:
        s = k
        e = s
        while e < n and _cap(text[e]) and e - s < 3:
            e += 1
        if e == s:
            break
        names.append((s, e))
        if e < n and low[e] in (",", "and"):
            k = e + 1
            if k < n and low[k] == "and":
                k += 1
            continue
        break
    return names


_NOT_VERB = frozenset({"the", "a", "an", "of", "near", "in", "at", "around", "on", "from", "to", "towards", "toward",
                       "outside", "inside", "into", "over", "across", "along", "by", "for", "with", "this", "that",
                       "its", "their", "our", "his", "her", "and", "or", "between", "beyond", "behind", "under"})


def find_named_lists(toks: Tokens, lex: Lexicons | None = None) -> list[NamedList]:
    """Enumerations of two or more names with a plural territory noun before or after them."""
    lex = lex or lexicons()
    low = toks.low
    n = len(low)
    out = []
    cf = lex.categories.first
    for k in range(n):
        if low[k] not in cf:
            continue
        m = lex.categories.match(low, k)
        if not m:
            continue
        cat, group, is_pl, is_sg = m[1]
        if group == "territory" and is_sg and not is_pl and cat not in lex.named_only and cat != "area":
            # "had taken Lele Tepe height": one named place of a kind, straight after a verb (no article,
            # no preposition: "near Murov height" is a location, "the Murov height" is read elsewhere)
            names = _names_back(toks, k)
            if len(names) == 1 and names[0][0] > 0 and low[names[0][0] - 1].isalpha() \
                    and low[names[0][0] - 1] not in _NOT_VERB and not _cap(toks.text[names[0][0] - 1]):
                out.append(NamedList(names[0][0], names[0][1], names, (k, k + m[0]), cat, group))
            continue
        if group != "territory" or not is_pl or is_sg or cat in lex.named_only:
            continue
        names = _names_back(toks, k)
        if len(names) >= 2:
            out.append(NamedList(names[0][0], names[-1][1], names, (k, k + m[0]), cat, group))
            continue
        e = k + m[0]
        if e + 1 < n and low[e] == "of":
            names = _names_fwd(toks, e + 1)
            if len(names) >= 2:
                out.append(NamedList(names[0][0], names[-1][1], names, (k, e), cat, group))
    return out


_COPULA = frozenset({"still", "was", "were", "is", "are", "has", "had", "have", "been", "being", "be"})
_ADVERBS = frozenset({"completely", "fully", "now", "reportedly", "effectively", "entirely", "already", "finally",
                      "again", "back", "returning", "once", "firmly", "totally", "officially", "\"", "“", "”", "'",
                      "‘", "’"})


def find_place_takings(toks: Tokens, res, places: list[tuple[str, int, int]], text: str,
                       lex: Lexicons | None = None) -> list[tuple[int, int, str, list, int, int]]:
    """Named places said to change hands with the place as grammatical subject:
    "Madagiz was taken by Armenian forces", "Shusha is now under Azerbaijani control",
    "Kherson was returning under the control of Ukraine", "the town was out of its control".

    Returns (start, end, category, side markers, cue start, cue end) per place; the category is the
    kind of place the conflict or the article gives it (a town of the conflict's list, "the village of X"),
    and places of unknown kind are left out.
    """
    from ._places import place_kind
    lex = lex or lexicons()
    low, text_t, n = toks.low, toks.text, len(toks.low)
    out = []
    for name, a, b in places:
        k = b
        if k >= n or low[k] not in _COPULA:
            continue
        while k < n and (low[k] in _COPULA or low[k] in _ADVERBS):
            k += 1
        if "still" in low[b:k + 1]:
            continue                # "is still under the control of": the status quo, not a change of hands
        if k >= n:
            continue
        markers: list = []
        cue = None
        if low[k] == "under" and k + 1 < n:
            j = k + 1 + (low[k + 1] == "the")
            sm = res.sides.match(low, j) if j < n else None
            if sm and text_t[j][:1].isupper() and j + sm[0] < n and low[j + sm[0]] in ("control", "'s"):
                side = sm[1]
            elif j + 2 < n and low[j] == "control" and low[j + 1] == "of":
                sm = res.sides.match(low, j + 2)
                side = sm[1] if sm and text_t[j + 2][:1].isupper() else None
            else:
                side = None
            if side and res.conflict.enemy(side):
                markers = [("side", res.conflict.enemy(side), j)]
                cue = (k, min(n, j + 3))
        elif low[k] == "out" and k + 3 < n and low[k + 1] == "of" and low[k + 2] in ("its", "their", "our") \
                and low[k + 3] == "control":
            markers = [("own", "", k + 2)]
            cue = (k, k + 4)
        else:
            m = lex.metric_cues.match(low, k) or res.vocab.match(low, k)
            if m and isinstance(m[1], dict) and m[1].get("territory") == "territory_captured":
                cue = (k, k + m[0])
                e = k + m[0]
                if e + 1 < n and low[e] == "by":
                    s0 = e + 1 + (low[e + 1] == "the")
                    sm = res.sides.match(low, s0) if s0 < n else None
                    if sm and text_t[s0][:1].isupper() and res.conflict.enemy(sm[1]):
                        markers = [("side", res.conflict.enemy(sm[1]), s0)]
        if cue is None:
            continue
        cat = place_kind(name, text, res)
        if cat is None:
            continue
        out.append((a, b, cat, markers, cue[0], cue[1]))
    return out
