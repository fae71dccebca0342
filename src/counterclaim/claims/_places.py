"""Stage: places — place names in a claim's own sentence, as written.

A place is a name of the conflict's place list, or a run of capitalised words after a place
preposition ("near Talish", "in the Fuzuli and Jabrayil areas") or before a place noun ("the
Murov height", "Vardenis-Aghdar road"), excluding side names, demonyms, people and titles.
Resolving names to coordinates is the places stage's job (``counterclaim.places``).
"""
from __future__ import annotations

from ._actors import ConflictRes
from ._doc import Tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["find_places", "PLACE_PREPS", "PLACE_NOUNS"]

PLACE_PREPS = frozenset({"in", "near", "at", "around", "outside", "of", "from", "towards", "toward", "to", "into",
                         "across", "between", "along", "inside", "within", "on", "nearby", "over", "beyond",
                         "liberated", "captured", "took", "seized", "retook", "recaptured", "entered", "shelled",
                         "occupied", "freed", "lost", "besieged", "surrounded", "encircled", "capture", "liberation"})
PLACE_NOUNS = frozenset({"village", "villages", "town", "towns", "city", "cities", "height", "heights", "hill", "hills",
                         "area", "areas", "district", "districts", "region", "regions", "settlement", "settlements",
                         "road", "highway", "direction", "sector", "front", "corridor", "mountain", "mountains",
                         "range", "river", "province", "oblast", "rayon", "raion", "peak", "pass", "valley", "hamlet",
                         "heights", "airport", "airfield", "bridge", "dam", "plant"})
_STOP = frozenset({"the", "a", "an", "this", "that", "these", "it", "he", "she", "they", "we", "i", "in", "on", "at",
                   "but", "and", "or", "if", "as", "after", "before", "according", "meanwhile", "however", "also",
                   "moreover", "earlier", "later", "there", "since", "while", "when", "both", "all", "some", "armed",
                   "forces", "defense", "defence", "ministry", "army", "president", "prime", "minister", "general",
                   "major", "colonel", "republic", "state", "government", "news", "video", "map", "photo", "update",
                   "breaking", "global", "research", "south", "front", "note", "copyright", "disclaimer", "theme",
                   "region", "click", "articles", "support", "paypal", "comment", "become", "member", "centre", "center",
                   "international", "united", "nations", "security", "council", "western", "eastern", "northern",
                   "southern", "greater", "middle", "east", "west", "north", "islamic", "european", "union", "nato",
                   "collective", "treaty", "organization", "turkish", "russian", "iranian", "syrian", "washington"})


def _is_cap(w: str) -> bool:
    return w[:1].isupper() and w[:1].isalpha()


def find_places(toks: Tokens, res: ConflictRes, lex: Lexicons | None = None) -> list[tuple[str, int, int]]:
    """(name, start token, end token) of each place name in a sentence, in order, without repeats."""
    lex = lex or lexicons()
    low, text = toks.low, toks.text
    n = len(low)
    out: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    months = lex.months
    i = 0
    last_end = -5
    while i < n:
        if not _is_cap(text[i]):
            i += 1
            continue
        m = res.places.match(low, i)
        if m and _is_cap(text[i]):
            e = i + m[0]
            while e < n and _is_cap(text[e]) and low[e] not in _STOP and e - i < 3 and not res.sides.match(low, e):
                e += 1
            name = " ".join(text[i:e])
            if name.lower() not in seen:
                seen.add(name.lower())
                out.append((name, i, e))
            last_end = e
            i = e
            continue
        if _is_cap(text[i]) and low[i] not in _STOP and low[i] not in months and low[i] not in lex.weekdays \
                and not res.sides.match(low, i) and not res.names.match(low, i) and not lex.kinds.match(low, i):
            e = i + 1
            while e < n and e - i < 3 and _is_cap(text[e]) and low[e] not in _STOP and low[e] not in months \
                    and not res.sides.match(low, e) and not lex.kinds.match(low, e):
                e += 1
            p = i - 1
            while p >= 0 and low[p] in ("the",):
                p -= 1
            prev = low[p] if p >= 0 else ""
            after = low[e] if e < n else ""
            listed = prev in (",", "and") and last_end >= p - 1 and last_end > 0
            if (i > 0 and (prev in PLACE_PREPS or listed)) or after in PLACE_NOUNS:
                name = " ".join(text[i:e])
                if name.lower() not in seen:
                    seen.add(name.lower())
                    out.append((name, i, e))
                last_end = e
            i = e
            continue
        i += 1
    return out
