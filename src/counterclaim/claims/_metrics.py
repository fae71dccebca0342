"""Stage: what a quantity counts (category, from the noun) and what happened to it (metric, from the cue).

The noun phrase after a quantity is read through modifiers ("22 battle tanks", "dozens pieces
of Armenian military equipment", "4 of its service members"), collecting side markers on the
way. The metric comes from a cue word of the metric lexicon (plus the conflict's vocabulary),
mapped by the noun's group (person / equipment / territory): a cue directly before the
quantity ("destroyed 12 tanks"), else a passive or participle cue after the noun phrase
("30 armoured vehicles and 20 drones were destroyed"), else the nearest cue before it in the
same clause ("lost at least 20 soldiers, a battle tank"). "The number of X is N" and "the toll
rose to N" read the noun before the number.
"""
from __future__ import annotations

from dataclasses import replace, dataclass, field

from ._actors import ConflictRes
from ._doc import Tokens
from ._lexicon import Lexicons, lexicons
from ._numbers import Quantity

__all__ = ["NounPhrase", "read_noun_phrase", "MetricCue", "find_metric"]

_QUOTES = {"\"", "“", "”", "'", "‘", "’", "«", "»"}
_POST = {"of", "among", "from", "belonging", "on"}
_AUX = {"\"", "“", "”", "'", "‘", "’", "is", "are", "was", "were", "be", "been", "being", "had", "have", "has", "get", "got", "reportedly",
        "reported", "confirmed", "believed", "feared", "said", "to", "also", "all", "later", "allegedly", "thought",
        "presumed", "now", "already", "either", "successfully", "completely", "totally", "fully", "partially",
        "partly", "severely", "seriously", "lightly", "slightly", "badly", "gravely", "moderately", "reportedly", "critically", "fatally", "mortally", "earlier", "then", "just",
        "ultimately", "eventually"}
_BARRIER = {";", ":", "that", "which", "who", "whom", "whose", "while", "but", "whereas", "although", "though",
            "because", "after", "before", "when", "since", "if", "unless", "according", "where", "as", "until",
            "despite", "amid", "following"}
_LINK = {"had", "has", "have", "is", "was", "are", "were", "stands", "stood", "reached", "reaches", "rose", "risen", "climbed", "increased",
         "grew", "totals", "totalled", "totaled", "hit", "hits", "amounts", "amounted", "exceeded", "exceeds", "at",
         "to", "now", "stand", "reach", "topped", "passed", "surpassed", "jumped", "of", "from", "raised", "put",
         # hedges and reporting links: "casualties were probably between ...", "losses are believed to be ..."
         "probably", "likely", "possibly", "already", "estimated", "believed", "thought", "reportedly", "be", "been",
         "still", "numbered", "number", "totalling", "totaling", "standing", "reaching", "exceeding"}
_MUNITIONS = {"rockets", "rocket", "missiles", "missile", "shells", "shell", "bombs", "bomb", "munitions", "rounds",
              "projectiles", "grenades", "mines"}
_INTRANSITIVE = {"surrendered", "died", "perished", "fell", "fallen", "lost their lives", "disappeared", "gone", "went", "missing",
                "became", "martyred"}
_STOP_NP = {",", ".", ";", ":", "and", "or", "(", ")"}


@dataclass
class NounPhrase:
    """What a quantity counts: the category, its group and the side markers around it."""

    category: str
    group: str
    start: int                 # noun token range
    end: int
    plural: bool
    singular: bool
    named: bool = False        # a capitalised name stands in the phrase ("the Murov height", "the town of Hadrut")
    markers: list[tuple[str, str, int]] = field(default_factory=list)   # (type, side/"", token) type: side|own|enemy
    metric: str | None = None  # set when the noun carries its own metric ("12 dead", "40 casualties")
    before: bool = False       # the noun stands before the number ("the number of villages is 7")
    inner_cue: tuple | None = None   # a participle inside the phrase ("40 downed drones"): (i, j, payload)


def _marker_at(toks: Tokens, k: int, res: ConflictRes, lex: Lexicons) -> tuple[int, tuple[str, str, int]] | None:
    low = toks.low
    m = lex.enemy_markers.match(low, k)
    if m:
        return m[0], ("enemy", "", k)
    m = lex.own_markers.match(low, k)
    if m:
        return m[0], ("own", "", k)
    m = res.sides.match(low, k)
    if m and (toks.text[k][:1].isupper() or low[k].startswith("pro-")):
        return m[0], ("side", m[1], k)
    return None


def _post_markers(toks: Tokens, e: int, res: ConflictRes, lex: Lexicons) -> tuple[list, bool]:
    """Markers after the noun: "of Armenian forces", "among Azerbaijani troops", "of the enemy"; and "of <Name>"."""
    low, n = toks.low, len(toks.low)
    out = []
    named = False
    if e < n and low[e] in _POST:
        k = e + 1
        if low[e] == "belonging" and k < n and low[k] == "to":
            k += 1
        while k < n and low[k] in ("the", "its", "their", "our") and k - e < 3:
            if low[k] in ("its", "our", "their"):
                out.append(("own", "", k))
            k += 1
        if k < n:
            mk = _marker_at(toks, k, res, lex)
            if mk:
                out.append(mk[1])
            elif low[e] == "of" and toks.text[k][:1].isupper() and toks.text[k][:1].isalpha():
                named = True
    return out, named


def read_noun_phrase(toks: Tokens, q: Quantity, res: ConflictRes, lex: Lexicons | None = None) -> NounPhrase | None:
    """The noun phrase a quantity counts, or None when no category noun follows it."""
    lex = lex or lexicons()
    low, text = toks.low, toks.text
    n = len(low)
    if q.kind == "zero" and " ".join(low[q.i:q.j]) in ("nobody", "no one"):
        return NounPhrase("people", "person", q.i, q.j, True, True, False, [])     # "nobody was killed"
    if q.i >= 2 and low[q.i - 1] == "of" and low[q.i - 2][:1].isdigit():
        return None                  # "shot down 31 of 35 drones": the second number is the whole, not a claim
    if q.j + 1 < n and low[q.j] == "of" and low[q.j + 1][:1].isdigit() and q.kind == "digits":
        whole = replace(q, i=q.j + 1, j=q.j + 2, ni=q.j + 1, nj=q.j + 2)
        np = _read_np(toks, whole, res, lex)
        if np is not None:
            return np                # "31 of 35 drones": the part counts the whole's noun
    return _read_np(toks, q, res, lex)


def _read_np(toks: Tokens, q: Quantity, res: ConflictRes, lex: Lexicons) -> NounPhrase | None:
    low, text = toks.low, toks.text
    n = len(low)
    if q.j + 1 < n and low[q.j] == "in" and q.kind in ("digits", "words"):
        m = lex.categories.match(low, q.j + 1)
        if m and m[1][1] == "person" and low[q.j + 1] in ("manpower", "personnel", "servicemen", "troops"):
            cat, group, is_pl, is_sg = m[1]    # "losses amounted to 150 in manpower"
            return NounPhrase(cat, group, q.j + 1, q.j + 1 + m[0], is_pl, is_sg, False, [])
    k = q.j
    markers: list[tuple[str, str, int]] = []
    named = False
    inner = None
    while k < n and k - q.j < 8:
        if k + 3 < n and low[k + 1] == "." and low[k + 2] == "-" and low[k + 3] in ("made", "built", "supplied"):
            k += 4              # "U.S.-made" (the tokenizer splits its dots and hyphen): a maker, not the owner
            continue
        m = lex.categories.match(low, k)
        if m:
            L, (cat, group, is_pl, is_sg) = m
            e = k + L
            while e < n and e - k < 6:            # compounds: "T-72 tanks", "Grad multiple rocket launchers"
                m2 = lex.categories.match(low, e)
                if not m2 or m2[1][1] != group:
                    break
                if m2[1][0] != cat and cat not in ("equipment",) and m2[1][0] not in ("equipment",):
                    if lex.wider.get(cat) != m2[1][0]:
                        break
                is_pl, is_sg = m2[1][2], m2[1][3]
                e += m2[0]
            L = e - k
            if e < n and low[e] in _MUNITIONS:
                return None          # "six HIMARS rockets": munitions, not launchers
            if q.kind in ("the", "single") and low[e - 1] in _MASS_PERSON:
                return None          # "the enemy's manpower": a mass noun, not one person
            np = NounPhrase(cat, group, k, k + L, is_pl, is_sg, named, markers, inner_cue=inner)
            post, named2 = _post_markers(toks, k + L, res, lex)
            np.markers = markers + post
            np.named = named or named2
            _wider(toks, np, lex)
            return np
        if low[k] in ("losses", "loss", "casualties") and q.kind == "zero" and k + 1 < n and low[k + 1] in (
                "of", "among", "in"):
            m0 = lex.metric_cues.match(low, k)
            assert m0 is not None       # "losses", "loss" and "casualties" are metric cues
            payload = m0[1]
            kk = k + 2
            mk2: list = []
            while kk < n and kk - k < 7:
                mc = lex.categories.match(low, kk)
                if mc:
                    return NounPhrase(mc[1][0], mc[1][1], kk, kk + mc[0], True, True, False, markers + mk2,
                                      inner_cue=(k, k + 1, payload))   # "no losses of our military equipment"
                mk = _marker_at(toks, kk, res, lex)
                if mk:
                    mk2.append(mk[1])
                    kk += mk[0]
                    continue
                mm = lex.modifiers.match(low, kk)
                if mm:
                    kk += mm[0]
                    continue
                break
        m = lex.counted_nouns.match(low, k)
        if m and q.kind not in ("single", "the"):
            L, (metric, cat) = m
            kk = k + L
            while kk < n and kk - k < 5:
                mc = lex.categories.match(low, kk)
                if mc and mc[1][1] == "person":
                    post, _ = _post_markers(toks, kk + mc[0], res, lex)
                    return NounPhrase(mc[1][0], "person", kk, kk + mc[0], True, True, False,
                                      markers + _pre_markers(toks, kk, k, res, lex) + post, metric=metric)
                mk = _marker_at(toks, kk, res, lex)
                if mk:
                    kk += mk[0]
                    continue
                if low[kk] in ("among", "in") and kk == k + L:
                    kk += 1
                    continue
                mm = lex.modifiers.match(low, kk)
                if mm:
                    kk += mm[0]
                    continue
                break
            post, _ = _post_markers(toks, k + L, res, lex)
            if any(low[x] in ("civilian", "civil") for x in range(q.j, k)):
                cat = "civilians"       # a side marker alone ("300 Azerbaijani dead") leaves it people (the spec)
            return NounPhrase(cat, "person", k, k + L, True, True, False, markers + post, metric=metric)
        mk = _marker_at(toks, k, res, lex)
        if mk:
            markers.append(mk[1])
            k += mk[0]
            nxt = k < n and (lex.categories.match(low, k) or lex.counted_nouns.match(low, k)
                             or _marker_at(toks, k, res, lex) or (lex.modifiers.match(low, k) and k + 1 < n and (
                                 lex.categories.match(low, k + 1) or lex.categories.match(low, k + 2 if k + 2 < n else k + 1))))
            if mk[1][0] == "side" and text[k - 1].endswith("s") and text[k - 1][:1].isupper() and not nxt \
                    and q.kind not in ("single", "the"):
                return NounPhrase("people", "person", k - mk[0], k, True, False, False, markers)   # "62 Armenians"
            continue
        m = lex.modifiers.match(low, k)
        if m:
            k += m[0]
            continue
        if low[k] in _QUOTES or low[k].endswith(("-made", "-built", "-supplied", "-old", "-produced")):
            k += 1
            continue
        if low[k][:1].isdigit() and "-" in low[k] and k > q.j - 1:
            k += 1              # a calibre: "155-mm howitzers"
            continue
        if k + 1 < n and low[k].isalpha() and low[k + 1][:1].isdigit() and toks.end[k] == toks.start[k + 1]:
            k += 2              # a model designation: "M777 howitzers"
            continue
        if low[k][:1].isdigit() and k >= 2 and low[k - 1] == "the" and low[k - 2] == "of":
            k += 1              # "8 of the 13 drones"
            continue
        mc_ = lex.metric_cues.match(low, k) if inner is None and q.kind != "the" else None
        if mc_ and mc_[0] == 1 and low[k].endswith(("ed", "en", "wn")) and k + 1 < n and (
                lex.categories.match(low, k + 1) or _marker_at(toks, k + 1, res, lex) or lex.modifiers.match(low, k + 1)):
            inner = (k, k + 1, mc_[1])      # "40 downed drones", "12 destroyed tanks"
            k += 1
            continue
        if text[k][:1].isupper() and text[k][:1].isalpha() and k > q.j - 1:
            named = True
            k += 1
            continue
        # one unknown modifier word right before a category noun ("an army truck", "a battalion command post")
        if low[k].isalpha() and k + 1 < n and lex.categories.match(low, k + 1) and low[k] not in _STOP_NP:
            k += 1
            continue
        break
    return None


def _wider(toks: Tokens, np: NounPhrase, lex: Lexicons) -> None:
    """"two dozen tanks and other armoured vehicles": the wider class counts once."""
    low, n = toks.low, len(toks.low)
    e = np.end
    if e + 1 < n and low[e] in ("and", "or") and low[e + 1] != "other":
        m = lex.categories.match(low, e + 1)
        if m and np.group == "person" and m[1][1] == "person" and m[1][0] != np.category and np.metric is None:
            np.category = "people"          # "servicemen and civilians"
            np.end = e + 1 + m[0]
            return
        if m and lex.wider.get(np.category) == m[1][0]:
            np.category = m[1][0]
            np.end = e + 1 + m[0]
            return
    if e + 2 < n and low[e] in ("and", "or") and low[e + 1] == "other":
        m = lex.categories.match(low, e + 2)
        if m and m[1][1] == np.group and m[1][0] != np.category:
            other = m[1][0]
            if lex.wider.get(np.category) == other:
                np.category = other
                np.end = e + 2 + m[0]


def noun_before(toks: Tokens, q: Quantity, res: ConflictRes, lex: Lexicons | None = None) -> NounPhrase | None:
    """"the number of liberated villages is 7", "the death toll rose to 50": the noun stands before N."""
    lex = lex or lexicons()
    low = toks.low
    if q.i >= 2 and low[q.i - 1] == "of" and low[q.i - 2][:1].isdigit():
        return None                  # the whole of "12 of 14": not a claim of its own
    k = q.i - 1
    if k < 0 or low[k] not in _LINK:
        return None
    while k > 0 and low[k - 1] in _LINK:
        k -= 1
    lo = max(0, k - 16)
    counted = None
    for p in range(k - 1, lo - 1, -1):
        if low[p] in (";", ":"):
            break
        m = lex.categories.match(low, p)
        if m and p + m[0] <= k and m[1][2] and (counted is None or counted[0] - (p + m[0]) <= 2):
            cat, group, is_pl, is_sg = m[1]
            np = NounPhrase(cat, group, p, p + m[0], is_pl, is_sg, False, _pre_markers(toks, p, lo, res, lex),
                            before=True)
            if counted is not None and group == "person":
                np.metric = counted[1][0]
            return np
        m = lex.counted_nouns.match(low, p)
        if m and p + m[0] <= k and counted is None:
            counted = (p, m[1], m[0])
        if counted is not None and counted[0] - p > 3:
            break
    if counted is not None:
        p, (metric, cat), L = counted
        pre = _pre_markers(toks, p, lo, res, lex)
        if any(low[x] in ("military", "army", "soldiers'") for x in range(max(lo, p - 3), p)):
            cat = "personnel"
        elif any(low[x] in ("civilian", "civil") for x in range(max(lo, p - 3), p)):
            cat = "civilians"
        return NounPhrase(cat, "person", p, p + L, True, True, False, pre, metric=metric, before=True)
    return None


def _pre_markers(toks: Tokens, p: int, lo: int, res: ConflictRes, lex: Lexicons) -> list:
    """Side markers just before a noun, nearest first ("Russian casualties", "its own toll")."""
    out = []
    for k in range(p - 1, max(lo, p - 5) - 1, -1):
        if lex.speech.match(toks.low, k) or toks.low[k] in (",", ";", ":"):
            break
        mk = _marker_at(toks, k, res, lex)
        if mk:
            out.append(mk[1])
    return out


@dataclass
class MetricCue:
    """The metric of a quantity and where its cue was found."""

    metric: str
    i: int
    j: int
    where: str                 # before | after | noun
    agent_is_subject: bool = False
    hypothetical: bool = False


def _cue_at(toks: Tokens, k: int, res: ConflictRes, lex: Lexicons):
    m = res.vocab.match(toks.low, k)
    if m:
        m2 = lex.metric_cues.match(toks.low, k)
        if m2 and m2[0] >= m[0]:
            merged = dict(m2[1])
            for g, v in m[1].items():
                if g != "agent_is_subject":
                    merged.setdefault(g, v)
            return m2[0], merged
        return m
    return lex.metric_cues.match(toks.low, k)


def _active_object(toks: Tokens, k: int, lex: Lexicons) -> bool:
    """Whether an object follows a verb at ``k`` ("shot down its Su-25", "destroyed two tanks"): active voice."""
    if k >= len(toks):
        return False
    w = toks.low[k]
    return w in ("its", "their", "his", "her", "our", "the", "a", "an", "two", "three", "several", "dozens", "one") \
        or w[:1].isdigit()


def _hypo(toks: Tokens, k: int, lex: Lexicons) -> bool:
    low = toks.low
    for p in range(max(0, k - 3), k):
        if lex.hypothetical.match(low, p):
            return True
    for p in range(max(0, k - 12), max(0, k - 3)):
        m = lex.hypothetical.match(low, p)
        if m and m[0] >= 3:         # "would have you believe that 10,000 ... die": mocked, not reported
            return True
    return _scare_quoted(toks, k, lex)


def _scare_quoted(toks: Tokens, k: int, lex: Lexicons) -> bool:
    """A cue in scare quotes in the writer's own voice ('the army "liberated" a hamlet'): mocked, not asserted.

    Only when no source speaks in the sentence: a ministry's 'liberated' in quotes is still the ministry's claim.
    """
    low = toks.low
    n = len(low)
    if k == 0 or low[k - 1] not in _QUOTES:
        return False
    m = lex.metric_cues.match(low, k)
    e = k + (m[0] if m else 1)
    if e >= n or low[e] not in _QUOTES:
        return False
    return not any(lex.speech.match(low, x) or lex.according.match(low, x) for x in range(n))


def _metric_for(payload: dict, np: NounPhrase) -> str | None:
    metric = payload.get(np.group)
    if metric == "destroyed" and np.group == "territory":
        if np.category == "position":
            np.category, np.group = "fortification", "equipment"
            return "destroyed"
        return None
    return metric


_LIST_OK = {"that", "this", "axis", "direction", "front", "sector", "along", "with", ",", "and", "or", "including", "includes", "plus", "as", "well", "also", "the", "a", "an", "in", "near",
            "at", "around", "of", "from", "another", "with", "among", "them", "“", "”", "\"", "'", "‘", "’", "(", ")",
            "-", "–", "—", "some", "several", "over", "up", "to", "about", "at", "least", "more", "than", "nearly", "and"}


def _list_between(toks: Tokens, a: int, b: int, res: ConflictRes, lex: Lexicons) -> bool:
    """Whether tokens ``[a, b)`` are only a list of counted things (so a cue before them still governs)."""
    low, text = toks.low, toks.text
    k = a
    unknown = 0
    while k < b:
        w = low[k]
        if w in _LIST_OK or w[:1].isdigit() or (text[k][:1].isupper() and text[k][:1].isalpha()):
            k += 1
            continue
        for table in (lex.categories, lex.modifiers, lex.quantity_words, lex.qual_before, lex.units_table,
                      lex.own_markers, lex.enemy_markers):
            m = table.match(low, k)
            if m:
                k += m[0]
                break
        else:
            m = res.sides.match(low, k)
            if m:
                k += m[0]
                continue
            if w in ("area", "areas", "district", "region", "villages", "village", "direction", "areas"):
                k += 1
                continue
            unknown += 1
            if unknown > 2 or not w.isalpha() or w in _BARRIER or lex.speech.match(low, k) or lex.metric_cues.match(low, k):
                return False
            k += 1
    return True


def find_metric(toks: Tokens, q: Quantity, np: NounPhrase, res: ConflictRes, lex: Lexicons | None = None,
                *, lo: int = 0, barriers: frozenset[int] = frozenset()) -> MetricCue | None:
    """The metric cue of a quantity's noun phrase in the clause, or None (not a claim)."""
    lex = lex or lexicons()
    low = toks.low
    n = len(low)
    # 0. a participle inside the noun phrase ("40 downed drones")
    if np.inner_cue is not None:
        i0, j0, payload = np.inner_cue
        metric = _metric_for(payload, np)
        if metric:
            return MetricCue(metric, i0, j0, "inner", payload.get("agent_is_subject", False))
    # 0b. a participle right after the noun phrase ("47,000 troops killed and wounded"), not an active verb
    # with its own object ("a Turkish jet shot down its Su-25")
    e0 = np.end
    while e0 < n and low[e0] in _QUOTES and e0 - np.end < 2:
        e0 += 1
    if not np.before and e0 < n and not np.metric:
        m = _cue_at(toks, e0, res, lex)
        if m and _active_object(toks, e0 + m[0], lex):
            m = None
        if m:
            metric = _metric_for(m[1], np)
            if metric:
                return MetricCue(metric, e0, e0 + m[0], "after", m[1].get("agent_is_subject", False),
                                 _hypo(toks, e0, lex))
    # 0c. a list after a colon: "the following have been destroyed: 648 aircraft, 283 helicopters, ..."
    colon = next((p for p in range(q.i - 1, lo - 1, -1) if low[p] in (":", ";", ".")), None)
    if colon is not None and low[colon] == ":" and colon > lo and not any(p in barriers for p in range(colon, q.i)):
        m = lex.metric_cues.match_ending(low, colon)
        if m:
            metric = _metric_for(m[1], np)
            if metric:
                return MetricCue(metric, m[0], colon, "before", m[1].get("agent_is_subject", False))
    # 1. a cue directly before the quantity ("destroyed 12 tanks", "killing two civilians")
    back = None
    p = q.i - 1
    steps = 0
    while p >= lo and steps < 30:
        if low[p] == ":" and p > lo:
            m = lex.metric_cues.match_ending(low, p)
            if m:
                metric = _metric_for(m[1], np)
                if metric:
                    return MetricCue(metric, m[0], p, "before", m[1].get("agent_is_subject", False))
        if p in barriers or (low[p] in _BARRIER and not (low[p] in ("that", "this") and p > 0 and low[p - 1] in (
                "on", "in", "at", "along", "over", "from", "near", "across"))):
            break
        m = _cue_at(toks, p, res, lex)
        if m and p + m[0] <= q.i:
            metric = _metric_for(m[1], np)
            if metric:
                back = MetricCue(metric, p, p + m[0], "before", m[1].get("agent_is_subject", False), _hypo(toks, p, lex))
                break
        p -= 1
        steps += 1
    adjacent = back is not None and all(low[x] in ("the", "a", "an", "of", "off", "some", "any") or low[x] in _QUOTES
                                        for x in range(back.j, q.i))
    if back is not None and not adjacent and low[back.i] in _TOLL_WORDS and q.i - back.j <= 12 \
            and any(low[x] in _TOLL_LINKS for x in range(back.j, q.i)):
        adjacent = True     # "the adversary's losses over the past day amounted to 150 servicemen"
    if back is not None and not adjacent and (q.kind == "the" or not _list_between(toks, back.j, q.i, res, lex)):
        back = None
    if adjacent:
        return back
    if np.metric and not np.before:
        return MetricCue(np.metric, np.start, np.end, "noun")
    if np.before:      # "the number of liberated villages is 7": the cue sits in the noun phrase
        for p in range(q.i - 1, max(lo, np.start - 4) - 1, -1):
            m = _cue_at(toks, p, res, lex)
            if m:
                metric = _metric_for(m[1], np)
                if metric:
                    return MetricCue(metric, p, p + m[0], "before", m[1].get("agent_is_subject", False),
                                     _hypo(toks, p, lex))
    # 2. a passive / participle cue after the noun phrase
    k = np.end if not np.before else q.j
    steps = 0
    while k < n and steps < 30:
        if low[k] in ("who", "which", "that") and k == np.end and k + 1 < n and (
                _cue_at(toks, k + 1, res, lex) or low[k + 1] in ("were", "was", "had", "have", "has")):
            k += 1              # "26 servicemen who fell", "tanks which were destroyed"
            steps += 1
            continue
        if low[k] in ("who", "which", "that") and k == np.end:
            # "an aircraft that attempted to strike our positions was destroyed": past the relative clause to
            # the noun's own passive verb
            skip = next((p for p in range(k + 2, min(n - 1, k + 14)) if low[p] in ("was", "were") and (
                _cue_at(toks, p + 1, res, lex) or (low[p + 1] in ("also", "then", "later") and p + 2 < n
                                                   and _cue_at(toks, p + 2, res, lex)))), None)
            if skip is not None and not any(low[x] in (",", ";", ":", ".") for x in range(k, skip)):
                k = skip
                steps += 1
                continue
        if k in barriers or low[k] in _BARRIER:
            break
        m = _cue_at(toks, k, res, lex)
        if m:
            prev = k - 1
            while prev >= 0 and low[prev] in _AUX and low[prev] not in ("is", "are", "was", "were", "be", "been", "being",
                                                                         "had", "have", "has", "get", "got"):
                prev -= 1
            passive = ((k == np.end or (k == np.end + 1 and low[np.end] in ("who", "which", "that")))
                       and not _active_object(toks, k + m[0], lex)) or low[k] in _INTRANSITIVE or (
                prev >= 0 and low[prev] in (
                "is", "are", "was", "were", "be", "been", "being", "get", "got", ",", "and", "or", "remained", "remain",
                "remains", "still", "as"))
            if prev >= 0 and low[prev] in ("had", "have", "has") and not (k + 1 < n and low[k + 1] == "been") \
                    and low[k] not in _INTRANSITIVE:
                passive = False
            if passive:
                metric = _metric_for(m[1], np)
                if metric:
                    return MetricCue(metric, k, k + m[0], "after", m[1].get("agent_is_subject", False),
                                     _hypo(toks, k, lex))
            break
        k += 1
        steps += 1
    if np.metric:
        return MetricCue(np.metric, np.start, np.end, "noun")
    return back


_MASS_PERSON = frozenset({"manpower", "personnel"})
_TOLL_WORDS = frozenset({"dead", "deaths", "toll", "losses", "casualties", "fatalities", "death"})
_TOLL_LINKS = frozenset({"amount", "amounts", "amounted", "stood", "stand", "stands", "reached", "reach", "reaches",
                         "totalled", "totaled", "totals", "total", "exceeded", "exceed", "exceeds", "rose", "climbed",
                         "were", "was", "are", "is"})


def sentence_person_category(toks: Tokens, lex: Lexicons | None = None, skip: tuple[int, int] = (0, 0)) -> str | None:
    """The one person category a sentence names (``personnel`` or ``civilians``), or None when it names
    neither or both. Why: a toll noun ("its toll rose to 209", "51 more dead") counts people; the spec takes
    the category from the sentence, so "dead among its troops" is personnel and "civilian deaths" civilians."""
    lex = lex or lexicons()
    low = toks.low
    found: set[str] = set()
    cf = lex.categories.first
    for k in range(len(low)):
        if skip[0] <= k < skip[1]:
            continue
        if low[k] in ("military", "civilian") and k + 1 < len(low) and low[k + 1] in _TOLL_WORDS:
            found.add("personnel" if low[k] == "military" else "civilians")     # "its military dead"
            continue
        if low[k] in ("units", "forces", "army", "unit") and k > 0 and low[k - 1] in ("our", "its", "their"):
            found.add("personnel")      # "our units suffered no casualties"
            continue
        if low[k] not in cf:
            continue
        if any(w in ("including", "includes", "them", "whom") for w in low[max(0, k - 4):k]):
            continue            # a breakdown ("including two children") does not name the whole count's kind
        m = lex.categories.match(low, k)
        if m and m[1][0] in ("personnel", "civilians"):
            found.add(m[1][0])
    return found.pop() if len(found) == 1 else None
