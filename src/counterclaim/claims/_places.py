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

__all__ = ["find_places", "place_kind", "PLACE_PREPS", "PLACE_NOUNS"]

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


_NON_PLACES: frozenset[str] | None = None


def _non_places() -> frozenset[str]:
    """Capitalised words that are never places (social networks, agencies): the categories lexicon's list."""
    global _NON_PLACES
    if _NON_PLACES is None:
        from ._lexicon import load_lexicon
        _NON_PLACES = frozenset(str(w).lower() for w in load_lexicon("categories").get("non_places", []))
    return _NON_PLACES


def _not_a_place(toks: Tokens, i: int, e: int, res: ConflictRes, lex: Lexicons) -> bool:
    """A capitalised run that names a weapon ("Osa", "BM-21 Grad"), a network, an actor or a person,
    or that is cut from a longer organisation name ("Donetsk People's [Republic]")."""
    low, text = toks.low, toks.text
    stop = _non_places()
    for k in range(i, e):
        if low[k] in stop or low[k].rstrip("'s").rstrip("’") in stop:
            return True
        m = lex.categories.match(low, k)
        if m and m[1][1] == "equipment":
            return True
        if res.names.match(low, k):
            return True
    if e < len(low) and _is_cap(text[e]) and low[e] in _STOP and low[e] not in ("and", "the", "in", "on", "at", "but") \
            and text[e - 1].endswith(("'s", "’s")):
        return True
    return False


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
            if e > i + m[0] and _not_a_place(toks, i + m[0], e, res, lex):
                e = i + m[0]            # "Fuzuli Grad battery": the gazetteer name only
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
            if listed and prev == "," and any(lex.kinds.match(low, x) for x in range(max(0, p - 5), p)):
                listed = False      # "the mayor of Kherson, Ihor Kolykhaiev": a person in apposition to a title
            if ((i > 0 and (prev in PLACE_PREPS or listed)) or after in PLACE_NOUNS) \
                    and not _not_a_place(toks, i, e, res, lex):
                name = " ".join(text[i:e])
                if name.lower() not in seen:
                    seen.add(name.lower())
                    out.append((name, i, e))
                last_end = e
            i = e
            continue
        i += 1
    return out


_KIND_NOUNS = {"village": "village", "villages": "village", "settlement": "village", "hamlet": "village",
               "town": "town", "city": "town", "height": "height", "hill": "height", "peak": "height"}


def place_kind(name: str, text: str, res: ConflictRes) -> str | None:
    """The territory category the article gives a named place: the conflict's town list, else how the
    text itself calls it ("the village of Madagiz", "Robotyne village", "the city of Kherson"), else None.

    Why: a denial ("denied that Madagiz had fallen") names the place but not its kind; the spec's
    category for the denied loss is the kind of place it is.
    """
    import re
    esc = re.escape(name)
    best: str | None = "town" if res.towns.match(name.lower().split(), 0) else None
    kinds = "village|town|city|settlement|hamlet|height|hill|peak"
    for m in re.finditer(rf"\b({kinds})s?\s+of\s+{esc}\b|\b{esc}\s+({kinds})\b"
                         # apposition: "Madagiz, a village in northern Karabakh", "Hadrut, the small town"
                         rf"|\b{esc},\s+(?:a|an|the)\s+(?:[a-z][\w-]*\s+){{0,2}}?({kinds})\b", text[:200_000],
                         re.IGNORECASE):
        kind = _KIND_NOUNS.get((m.group(1) or m.group(2) or m.group(3)).lower())
        if kind:
            return kind             # the article's own words first ("the village of Robotyne")
    return best
