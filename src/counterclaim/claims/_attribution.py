"""Stage: attribution — who says it. Speech verbs, "according to", quotations, citing, continuations.

An *anchor* is a place in a sentence where a source is named: a speech verb with its subject
("the ministry said", "said the ministry", "Kerim Veliyev, Azerbaijan's deputy defence
minister, said"), "according to X", or a passive speech verb with an agent ("was confirmed by
X"). Nested sources ("state media, citing the spokeswoman") resolve to the innermost owner.
Participles and coordinated verbs ("..., adding that", "admitted ... but denied") inherit the
subject of the sentence's previous anchor; pronouns and side-less titles ("It said", "The
ministry added") are filled from the discourse by the extractor.
"""
from __future__ import annotations

from dataclasses import dataclass

from ._actors import ActorRef, ConflictRes, actor_for_kind, resolve_actor
from ._doc import Tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["Anchor", "find_anchors", "owner_of"]

_AUX = {"is", "are", "was", "were", "be", "been", "being"}
_ADV = {"also", "further", "later", "earlier", "then", "reportedly", "officially", "previously", "separately", "again",
        "too", "now", "had", "has", "have", "will", "would", "even", "had", "just", "already", "repeatedly", "publicly",
        "openly", "initially", "first", "subsequently", "once", "still", "recently", "as", "always", "often", "not",
        "never", "did", "does", "do", "flatly", "categorically", "strongly", "firmly", "immediately", "quickly"}
_BE = frozenset({"was", "were", "is", "are", "been", "be", "am"})
_DET = {"the", "a", "an", "these", "those", "such", "its", "their", "his", "her", "our", "of", "about", "many",
        "unconfirmed", "recent", "media", "earlier", "some", "no", "any", "other", "this", "that", "new", "initial",
        "first", "latest", "in", "by", "previous", "official", "several", "numerous", "local", "press", "news", "to"}
# Words of _DET that are also nouns able to speak: "a senior US official put the figure at ..."
_NOUN_SUBJECTS = frozenset({"official", "media", "press", "news"})
# Finite verbs that make the words after a speech verb a clause, not an inverted speaker
_FINITE = frozenset({"had", "has", "have", "was", "were", "is", "are", "will", "would", "could"})
_PUNCT = {",", ";", ":", "\"", "“", "”", "'", "‘", "’", "(", ")", "—", "–", "-"}
_QUOTE_CLOSE = {"\"", "”", "'", "’"}
# Words that open a reported clause: after "Moscow claims" / "Kyiv reports" they make the word a verb.
_CLAUSE_START = {"that", ":", "its", "their", "it", "they", "he", "she", "we", "the", "his", "her", "our"}


def _is_demonym(word: str, res: ConflictRes) -> bool:
    """Whether a word is one of the conflict's demonyms ("Azerbaijani reports" is a noun phrase)."""
    return any(word == d.lower() for s in res.conflict.sides.values() for d in s.demonyms)


_NOUNISH = {"report", "reports", "claim", "claims", "estimates", "estimate", "count", "counts", "figures", "update",
            "statement", "statements", "data", "tally", "list", "lists", "account", "version", "release", "note"}
_FIGURE_NOUNS = {"figure", "figures", "count", "tally", "estimate", "estimates", "data", "toll", "statement", "version",
                 "numbers", "account", "bulletin", "update", "report", "claim", "claims", "accounting", "reckoning",
                 "tallies", "totals", "assessment", "assessments"}
_FIGURE_MODS = {"own", "latest", "official", "final", "new", "updated", "daily", "initial", "first", "death", "casualty"}


@dataclass
class Anchor:
    """A named source in a sentence: the cue token range, the actor and how it was found."""

    i: int                    # cue start token
    j: int                    # cue end token
    verb: str                 # the cue as written (lower-case)
    kind: str                 # speech | according | passive
    actor: ActorRef | None
    admission: bool = False
    deny: bool = False
    inherit: bool = False     # subject shared with the previous anchor of the sentence


_BOUND = {",", ";", ":", "“", "”", "\"", "(", ")", "that", "while", "whereas"}
_HARD = {";", ":", "that"}


def _zone_left(toks: Tokens, v: int, lo: int, res: ConflictRes, lex: Lexicons) -> ActorRef | None:
    """Resolve the subject before the verb at ``v``, widening past commas (appositives)."""
    low = toks.low
    end = v
    while end > lo and low[end - 1] in _ADV:
        end -= 1
    start = end
    while True:
        p = start - 1
        while p >= lo and low[p] not in _BOUND:
            p -= 1
        ref = None if (p + 1 < end and low[p + 1] in ("which", "who", "whose", "whom")) else \
            resolve_actor(toks, p + 1, end, res, lex)
        if ref is not None and ref.how != "name" and p > lo and low[p] == ",":
            # "Artsrun Hovhannisyan, an adviser to the Armenian defence ministry, told": the named person in apposition
            q = p - 1
            while q >= lo and low[q] not in _BOUND:
                q -= 1
            named = resolve_actor(toks, q + 1, p, res, lex)
            if named is not None and named.how == "name" and named.side in (None, ref.side) and named.end == p:
                return named
        if ref is not None:
            return ref
        if p < lo or low[p] in _HARD:
            return None
        start = p


def _citing(toks: Tokens, a: int, b: int, res: ConflictRes, lex: Lexicons) -> ActorRef | None:
    """The innermost source after a citing cue inside ``[a, b)`` ("state media, citing the ministry")."""
    low = toks.low
    for k in range(a, b):
        m = lex.citing.match(low, k)
        if m:
            e = k + m[0]
            stop = e
            while stop < b and low[stop] not in (",", ";", ":", "."):
                stop += 1
            ref = resolve_actor(toks, e, stop, res, lex)
            if ref is not None:
                return ref
    return None


def find_anchors(toks: Tokens, res: ConflictRes, lex: Lexicons | None = None) -> list[Anchor]:
    """Every attribution anchor in a sentence, left to right, with its actor (maybe partial)."""
    lex = lex or lexicons()
    low = toks.low
    n = len(low)
    out: list[Anchor] = []
    i = 0
    acc, sp = lex.according.first, lex.speech.first
    colon = next((k for k in range(min(n, 6)) if low[k] == ":"), None)
    if colon is not None and 0 < colon <= 5 and colon + 1 < n:
        # a headline led by its source: "Kyiv: 1,200 Russian troops killed", "Baku's ministry: ..."
        ref = resolve_actor(toks, 0, colon, res, lex, near=colon)
        if ref is not None and ref.side and ref.start == 0 and ref.end == colon:
            out.append(Anchor(colon, colon + 1, ":", "speech", ref))
            i = colon + 1
    while i < n:
        if low[i] not in acc and low[i] not in sp and low[i] not in _FIGURE_NOUNS:
            i += 1
            continue
        m = lex.according.match(low, i)
        if m and (low[i] != "per" or (i + 1 < n and toks.text[i + 1][:1].isupper())):
            e = i + m[0]
            stop = e
            while stop < n and stop - e < 16 and low[stop] not in (",", ";", ".", ":", "(", ")") \
                    and not low[stop][:1].isdigit() and low[stop] not in lex.units and low[stop] not in lex.tens:
                stop += 1
            ref = _citing(toks, e, stop, res, lex) or resolve_actor(toks, e, stop, res, lex, near=e)
            if ref is None:
                ref = ActorRef(None, None, " ".join(toks.text[e:stop]), None, "unnamed", e, stop)
            out.append(Anchor(i, e, " ".join(low[i:e]), "according", ref))
            i = stop
            continue
        if low[i] in _FIGURE_NOUNS and i > 0 and (low[i - 1].endswith("'s") or (low[i - 1] in _FIGURE_MODS and i > 1
                                                                               and low[i - 2].endswith("'s"))):
            k0 = i - 1 if low[i - 1].endswith("'s") else i - 2
            ref = resolve_actor(toks, max(0, k0 - 3), k0 + 1, res, lex, near=k0 + 1)
            if ref is not None and ref.side:
                out.append(Anchor(i, i + 1, low[i], "speech", ref))
                i += 1
                continue
        m = lex.speech.match(low, i)
        if m:
            e = i + m[0]
            w = low[i]
            prev = i - 1
            while prev >= 0 and low[prev] in _ADV:
                prev -= 1
            if prev >= 0 and low[prev] in _AUX and not (w.endswith("ing") and low[prev] in _BE):
                # passive: "was confirmed (by X)" (not the progressive "Baku was announcing")
                if e < n and low[e] == "by":
                    stop = e + 1
                    while stop < n and stop - e < 12 and low[stop] not in (",", ";", ".", ":"):
                        stop += 1
                    ref = resolve_actor(toks, e + 1, stop, res, lex, near=e + 1)
                    if ref is not None:
                        out.append(Anchor(i, e, w, "passive", ref, w in lex.admission))
                        i = stop
                        continue
                i = e
                continue
            if w in ("put", "puts") and "at" not in low[e:e + 12]:
                i = e
                continue
            if w in _NOUNISH and prev >= 0 and _is_demonym(low[prev], res) and e < n and low[e] == "that" \
                    and not low[prev].endswith("'s"):
                # "Ukrainian claims that 5,000 ... died": the side named on the noun owns the reported figure
                ref = resolve_actor(toks, prev, prev + 1, res, lex, near=prev + 1)
                if ref is not None and ref.side:
                    out.append(Anchor(i, e, low[i], "speech", ref))
                i = e
                continue
            if w in _NOUNISH and prev >= 0 and (res.sides.match(low, prev) or low[prev].endswith("'s")) \
                    and not (w.endswith("s") and e < len(low) and (low[e] in _CLAUSE_START or prev == 0)
                             and not _is_demonym(low[prev], res) and not low[prev].endswith("'s")):
                # "Azerbaijan reports that", headline "Russia claims capture of X": a verb
                i = e                                                  # "the Armenian report", "Baku's claims"
                continue
            if prev >= 0 and low[prev] in _DET and not (prev == i - 1 and low[prev] == "that") and not (
                    low[prev] in _NOUN_SUBJECTS and w not in _NOUNISH) and not (
                    low[prev] == "to" and w in ("say", "add") and prev > 0 and low[prev - 1] in (
                        "on", "went", "continued", "proceeded")):   # "she went on to say that"
                i = e                                                  # a noun: "the reports", "its claims"
                continue
            ref = None
            inherit = False
            lo = out[-1].j if out else 0
            coord = prev >= 0 and low[prev] in ("and", "but", "while", "before", "after", "then")
            if (w.endswith("ing") or coord) and out:
                ref, inherit = out[-1].actor, True
            elif out and out[-1].i > 0 and low[out[-1].i - 1] in ("which", "who") and "," in low[out[-1].j:i]:
                ref, inherit = out[-1].actor, True      # "X, which publishes ..., put": the main clause's subject
            if ref is None and w not in lex.object_verbs and prev >= 0 and (low[prev] in (",",) or low[prev] in _QUOTE_CLOSE) \
                    and e < n and not low[e][:1].isdigit() and low[e] not in lex.units and low[e] not in lex.tens \
                    and low[e] not in ("that", "it", "he", "she", "they", "we", ":", ",", "its", "their", "his",
                                                 "her", "our", "on", "in", "at", "after", "before", "yesterday",
                                                 "today", "earlier", "later"):
                # inverted: "..., said the ministry" / "”, said Hikmet Hajiyev"
                stop = e
                while stop < n and stop - e < 12 and low[stop] not in (",", ";", ".", ":"):
                    stop += 1
                clause = any(low[x] in _FINITE or lex.metric_cues.match(low, x) or (
                    low[x].endswith("ed") and len(low[x]) > 4 and toks.text[x].islower() and x > e
                    and low[x - 1] not in _DET) for x in range(e, stop))
                ref = resolve_actor(toks, e, stop, res, lex, near=e) if stop - e <= 9 and not clause and (
                    stop >= n or low[stop] in (",", ";", ".", ":")) else None   # "..., claims Russian troops repelled"
                if ref is not None and (ref.start - e > 2 or ref.end < stop - 4):
                    ref = None          # the words after the verb are a clause, not the speaker
                if ref is None and stop < n and low[stop] == "," and 0 < stop - e <= 4 \
                        and all(toks.text[x][:1].isupper() for x in range(e, stop)):
                    # an unknown name with its title in apposition: "..., said Ivan Petrenko, spokesman for the X"
                    stop2 = stop + 1
                    while stop2 < n and stop2 - stop < 14 and low[stop2] not in (",", ";", ".", ":"):
                        stop2 += 1
                    ref = resolve_actor(toks, stop + 1, stop2, res, lex, near=stop + 1)
            if ref is None:
                zone_lo = lo
                ref = _zone_left(toks, i, zone_lo, res, lex)
                if ref is not None:
                    inner = _citing(toks, ref.start, i, res, lex)
                    if inner is not None:
                        ref = inner
            if ref is None and prev < 0:
                ref = None
            if ref is not None:
                _local_official_side(toks, ref, res)
            out.append(Anchor(i, e, " ".join(low[i:e]), "speech",
                              ref if ref is not None else ActorRef(None, None, "", None, "unnamed", i, i),
                              w in lex.admission, False, inherit))
            i = e
            continue
        i += 1
    return out


_LOCAL_TITLES = {"mayor", "governor", "head", "chief", "administration", "council"}


def _local_official_side(toks: Tokens, ref: ActorRef, res: ConflictRes) -> None:
    """A side-less local title ("Mayor Ihor Terekhov", "the governor") speaks for the party's place it names."""
    if ref.side is not None or ref.how != "kind" or not any(w.lower() in _LOCAL_TITLES for w in ref.raw.split()):
        return
    low = toks.low
    for k in range(len(low)):
        m = res.side_places.match(low, k)
        if m and toks.text[k][:1].isupper() and res.conflict.enemy(m[1]):
            ref.side = m[1]
            ref.id = actor_for_kind(res, m[1], ref.kind)
            return


def owner_of(anchors: list[Anchor], pos: int) -> Anchor | None:
    """The anchor that owns a claim at token ``pos``: the nearest before it, else the nearest after."""
    before = [a for a in anchors if a.j <= pos]
    named = [a for a in before if a.actor is not None and a.actor.how != "unnamed"]
    if before and before[-1].actor is not None and before[-1].actor.how == "unnamed" and named:
        return named[-1]
    if before:
        return before[-1]
    after = [a for a in anchors if a.i >= pos]
    return after[0] if after else None
