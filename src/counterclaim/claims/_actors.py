"""Stage: actor resolution through the conflict dictionary, and conflict detection.

An actor phrase ("Kerim Veliyev, Azerbaijan's deputy defense minister", "pro-Azerbaijani
sources", "Stepanakert") resolves to a normalised actor id and side by, in order: a person or
institution name of the dictionary; an institution/title word (its *kind*: defence ministry,
president, government, foreign ministry, media...) with the side named next to it; a side
name, demonym or seat of government alone. Pronouns and side-less titles ("the ministry") are
left for the discourse (previous speaker) to fill.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..conflicts import Conflict, list_conflicts, load_conflict
from ._doc import Tokens
from ._lexicon import Lexicons, PhraseTable, lexicons

__all__ = ["ActorRef", "ConflictRes", "conflict_resources", "resolve_actor", "side_at", "detect_conflict_text",
           "actor_for_kind"]


@dataclass
class ActorRef:
    """A resolved (or partly resolved) claimant."""

    id: str | None            # actor id, None while only the kind is known
    side: str | None
    raw: str                  # as written
    kind: str | None = None
    how: str = ""             # name | kind | side | pronoun
    start: int = 0            # token range of the actor phrase
    end: int = 0


@dataclass
class ConflictRes:
    """A conflict dictionary compiled for matching."""

    conflict: Conflict
    names: PhraseTable        # person / institution names -> actor id
    sides: PhraseTable        # side names, demonyms, capitals (and possessives) -> side code
    places: PhraseTable       # characteristic place names -> name as written in the dictionary
    vocab: PhraseTable        # conflict vocabulary -> {group: metric}
    side_tokens: frozenset[str]
    detect_re: re.Pattern
    side_places: PhraseTable  # cities of a side, used only to place an official ("the Kharkiv mayor")
    towns: PhraseTable        # towns and cities of the conflict ("liberated Shusha": one town)
    kind_owner: dict[str, str] = field(default_factory=dict)   # kinds of body only one side has -> that side


_GROUP_OF = {"killed": "person", "wounded": "person", "killed_or_wounded": "person", "captured": "person",
             "missing": "person", "destroyed": "equipment", "damaged": "equipment", "seized": "equipment",
             "territory_captured": "territory"}


def _poss(word: str) -> list[str]:
    return [word, word + "'s", word + "’s"] if not word.endswith("s") else [word, word + "'"]


_CACHE: dict[int, ConflictRes] = {}


def _compile(conflict: Conflict) -> ConflictRes:
    got = _CACHE.get(id(conflict))
    if got is not None and got.conflict is conflict:
        return got
    if len(_CACHE) > 64:
        _CACHE.clear()
    res = _build(conflict)
    _CACHE[id(conflict)] = res
    return res


def _build(conflict: Conflict) -> ConflictRes:
    names: list[tuple[str, str]] = []
    surnames: dict[str, set[str]] = {}
    for a in conflict.actors:
        for n in (*a.names, *a.aliases):
            names += [(x, a.id) for x in _poss(n)]
        for p in a.people:
            names += [(x, a.id) for x in _poss(p)]
            parts = p.split()
            if len(parts) >= 2 and len(parts[-1]) > 3:
                surnames.setdefault(parts[-1], set()).add(a.id)
        for t in a.titles:
            names.append((t, a.id))
    for sur, ids in surnames.items():
        sides_of = {ac.side for i in ids if (ac := conflict.actor(i)) is not None}
        if len(ids) == 1 or len(sides_of) == 1:
            names += [(x, sorted(ids)[0]) for x in _poss(sur)]
    sides: list[tuple[str, str]] = []
    for s in conflict.sides.values():
        for n in (*s.names, *s.capitals):
            sides += [(x, s.code) for x in _poss(n)]
        for d in s.demonyms:
            sides.append((d, s.code))
    vocab = []
    for metric, mwords in conflict.vocabulary.items():
        g = _GROUP_OF[metric]
        vocab += [(w, {g: metric, "agent_is_subject": False}) for w in mwords]
    side_table = PhraseTable(sides)
    words: set[str] = set()
    for s in conflict.sides.values():
        if s.enemy:
            words.update(x for x in (*s.names, *s.demonyms, *s.capitals) if len(x) > 2)
    for a in conflict.actors:
        if conflict.sides[a.side].enemy:
            words.update(x for x in (*a.names, *a.people) if len(x) > 3)
    words.update(p for p in conflict.places if len(p) > 3)
    from ._trie import trie_pattern
    detect = re.compile(r"(?<![\w])(?:%s)(?![\w])" % trie_pattern(words), re.IGNORECASE) if words \
        else re.compile(r"(?!x)x")
    side_places = PhraseTable((p, s.code) for s in conflict.sides.values() for p in s.places)
    return ConflictRes(conflict=conflict, towns=PhraseTable((t, t) for t in conflict.towns), side_places=side_places, names=PhraseTable(names), sides=side_table,
                       places=PhraseTable((p, p) for p in conflict.places), vocab=PhraseTable(vocab),
                       side_tokens=frozenset(side_table.first_words()), detect_re=detect,
                       kind_owner=_kind_owners(conflict))


def _kind_owners(conflict: Conflict) -> dict[str, str]:
    """Kinds of body that only one side has ("milad": Ukraine's regional military administrations)."""
    sides: dict[str, set[str]] = {}
    for a in conflict.actors:
        if a.kind:
            sides.setdefault(a.kind, set()).add(a.side)
    return {k: next(iter(s)) for k, s in sides.items() if len(s) == 1}


def conflict_resources(conflict: Conflict) -> ConflictRes:
    """Compiled matchers of a conflict (cached per conflict object)."""
    return _compile(conflict)


def actor_for_kind(res: ConflictRes, side: str, kind: str | None, lex: Lexicons | None = None) -> str:
    """The actor id for a side and kind, following the kind fallback chain; the side code as last resort."""
    lex = lex or lexicons()
    k: str | None = kind or "gov"
    seen: set[str] = set()
    while k and k not in seen and k != "side":
        seen.add(k)
        a = res.conflict.actor_for(side, k)
        if a is not None:
            return a.id
        k = lex.kind_fallback.get(k)
    return side


def side_at(toks: Tokens, i: int, res: ConflictRes) -> tuple[int, str] | None:
    """(length, side) of a side word (name, demonym, capital, possessive) at token ``i``."""
    return res.sides.match(toks.low, i)


_NON_ACTORS = {"analysts", "analyst", "experts", "expert", "observers", "observer", "researchers", "researcher",
               "historians", "witnesses", "commentators", "watch", "amnesty", "icrc", "monitors", "investigators",
               "ngo", "group", "organisation", "organization", "observatory", "monitor", "institute", "isw"}
_SKIP_PRONOUN_ZONE = {"also", "further", "later", "earlier", "then", "has", "had", "have", "was", "were", "is", "are",
                      "in", "turn", "its", "own", "meanwhile", "however", "and", "but", ",", "reportedly", "officially",
                      "previously", "separately", "again", "too", "now", "today", "on", "friday", "monday", "tuesday",
                      "wednesday", "thursday", "saturday", "sunday", "yesterday",
                      "went", "goes", "go", "to", "continued", "proceeded"}     # "She went on to say that ..."


def resolve_actor(toks: Tokens, a: int, b: int, res: ConflictRes, lex: Lexicons | None = None,
                  *, near: int | None = None) -> ActorRef | None:
    """Resolve the actor phrase in tokens ``[a, b)``; ``near`` is the verb position (default ``b``)."""
    lex = lex or lexicons()
    low = toks.low
    near = b if near is None else near
    if a >= b:
        return None
    names, kinds, sides, prons = [], [], [], []
    i = a
    while i < b:
        m = res.names.match(low, i)
        if m and i + m[0] <= b and (toks.text[i][:1].isupper() or not toks.text[i][:1].isalpha()):
            names.append((i, i + m[0], m[1]))
            i += m[0]
            continue
        m = lex.kinds.match(low, i)
        if m and i + m[0] <= b:
            kinds.append((i, i + m[0], m[1]))
            ms = res.sides.match(low, i)
            if ms and ms[0] == m[0] and toks.text[i][:1].isupper():
                sides.append((i, i + m[0], ms[1]))      # a seat of power that is also a side's name: "the Kremlin"
            i += m[0]
            continue
        m = res.sides.match(low, i) or res.side_places.match(low, i)
        if m and i + m[0] <= b and (toks.text[i][:1].isupper() or low[i].startswith("pro-")):
            sides.append((i, i + m[0], m[1]))
            i += m[0]
            continue
        if low[i] in ("it", "he", "she", "they", "we", "i", "him", "her", "them"):
            prons.append(i)
        elif low[i] == "the" and i + 1 < b and low[i + 1] == "same":
            prons.append(i)
        i += 1

    def raw(x: int, y: int) -> str:
        return " ".join(toks.text[x:y])

    if not names and (any(low[k] in _NON_ACTORS for k in range(max(a, near - 3), near)) or any(
            low[k] in lex.ngo_words for k in range(max(a, near - 6), near))):
        return ActorRef(None, None, raw(a, b), None, "unnamed", a, b)      # "military analysts say": no side speaks
    if names:
        s, e, aid = min(names, key=lambda x: abs(near - x[1]))
        actor = res.conflict.actor(aid)
        return ActorRef(aid, actor.side if actor else None, raw(s, e), actor.kind if actor else None, "name", s, e)
    if kinds:
        s, e, kind = min(kinds, key=lambda x: abs(near - x[1]))
        side = None
        if sides:
            # the side named next to the title: before it (adjective/possessive) or after it ("of Azerbaijan")
            def dist(x: tuple[int, int, str]) -> float:
                if x[1] <= s:
                    return s - x[1]             # before the title ("Russia's Defence Ministry": 0)
                if x[0] >= e:
                    return x[0] - e + 0.5       # after it ("the Defence Ministry of Russia")
                return 99.0
            best = min(sides, key=dist)
            side = best[2]
            s, e = min(s, best[0]), max(e, best[1])
        aid = actor_for_kind(res, side, kind, lex) if side else None
        return ActorRef(aid, side, raw(s, e), kind, "kind", s, e)
    sides = [x for x in sides if res.sides.match(low, x[0])]      # a city alone is not a speaker
    if sides:
        s, e, side = sides[0]
        return ActorRef(actor_for_kind(res, side, "gov", lex), side, raw(s, e), "gov", "side", s, e)
    if prons:
        p = prons[0]
        if all(low[k] in _SKIP_PRONOUN_ZONE for k in range(a, p)):
            return ActorRef(None, None, toks.text[p], None, "pronoun", p, p + 1)
        p = prons[-1]
        if all(low[k] in _SKIP_PRONOUN_ZONE for k in range(p + 1, b)) and low[p] not in ("him", "her", "them"):
            return ActorRef(None, None, toks.text[p], None, "pronoun", p, p + 1)
    return None


_DETECT_CACHE: dict = {}


def _detectors() -> list[ConflictRes]:
    """Compiled dictionaries of every conflict, cached until a conflict directory changes."""
    import os
    from ..conflicts import BUNDLED_DIR
    extra = os.environ.get("COUNTERCLAIM_CONFLICTS_DIR", "")
    stamp: list[tuple[str, int | None]] = []
    for d in [*(p for p in extra.split(":") if p), str(BUNDLED_DIR)]:
        try:
            stamp.append((d, os.stat(d).st_mtime_ns))
        except OSError:
            stamp.append((d, None))
    key = tuple(stamp)
    got = _DETECT_CACHE.get(key)
    if got is None:
        got = []
        for cid in list_conflicts():
            try:
                got.append(_compile(load_conflict(cid)))
            except Exception:  # noqa: BLE001 - a broken extra dictionary must not stop detection
                continue
        _DETECT_CACHE.clear()
        _DETECT_CACHE[key] = got
    return got


def detect_conflict_text(text: str, *, limit: int = 12000) -> str | None:
    """The conflict whose actors, demonyms and places the text names most (None below 2 hits)."""
    best: str | None = None
    best_score: float = 1.0
    sample = text[:limit]
    for res in _detectors():
        cid = res.conflict.id
        score: float = float(sum(1 for _ in res.detect_re.finditer(sample)))
        if score == 1 and best is None and any(h in sample.lower() for h in lexicons().list_headings):
            score = 1.5     # a bare loss list naming one conflict's actor once: enough to read it
        if score > best_score:
            best, best_score = cid, score
    return best
