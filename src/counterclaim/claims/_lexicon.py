"""Lexicons as data: loading, schema checks and compiled phrase tables (loaded once, cached).

Every lexicon is a YAML file under ``data/lexicon/`` with a ``provenance`` header (source,
licence, version) and a ``kind``. Phrases are matched on the same tokens the extractor
reads (:func:`counterclaim.claims._doc.tokenize`), so a phrase written in a data file
matches exactly what a sentence would produce.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..errors import ConflictFileError
from ._doc import norm_tokens

__all__ = ["LEXICON_DIR", "load_lexicon", "PhraseTable", "lexicons", "Lexicons", "plural", "check_lexicon"]

LEXICON_DIR = Path(__file__).resolve().parents[1] / "data" / "lexicon"

#: Required top-level keys per lexicon kind (the schema check).
SCHEMA: dict[str, dict[str, type]] = {
    "numbers": {"units": dict, "tens": dict, "scales": dict, "multipliers": dict, "quantity_words": list,
                "qualifiers_before": dict, "qualifiers_after": dict, "zero_words": list},
    "metrics": {"cues": list, "counted_nouns": list, "hypothetical": list},
    "categories": {"categories": dict, "modifiers": list, "named_only": list, "wider": dict,
                   "civilian_things": list, "military_nouns": list},
    "attribution": {"speech_verbs": list, "admission_verbs": list, "according_to": list, "citing": list,
                    "pronouns": list, "kinds": dict, "kind_fallback": dict, "object_verbs": list,
                    "ngo_words": list, "writer_nouns": list, "writer_verbs": list, "person_titles": list},
    "stance": {"deny_cues": list, "territory_denials": list, "denied_things": list, "hypothetical": list,
               "own_markers": list, "enemy_markers": list},
    "scope": {"cumulative": list, "increment": list},
    "dates": {"months": dict, "weekdays": list},
    "lists": {"headings": list, "labels": list, "skip": list},
}
METRICS = ("killed", "wounded", "killed_or_wounded", "captured", "missing", "destroyed", "damaged", "seized",
           "territory_captured")
GROUPS = ("person", "equipment", "territory")


def check_lexicon(data: Any, name: str) -> dict:
    """Validate one lexicon document: provenance header, known kind, required fields and types.

    Why: lexicons are edited by hand; a typo must fail at load time with the file and field
    named, not produce silent misses. Raises :class:`ConflictFileError` (dictionary errors).
    """
    if not isinstance(data, dict):
        raise ConflictFileError(f"{name}: field '(top level)': must be a mapping")
    prov = data.get("provenance")
    if not isinstance(prov, dict) or not all(isinstance(prov.get(k), str) and prov[k] for k in ("source", "licence", "version")):
        raise ConflictFileError(f"{name}: field 'provenance': must give source, licence and version")
    kind = data.get("kind")
    if kind not in SCHEMA:
        raise ConflictFileError(f"{name}: field 'kind': {kind!r} is not one of {', '.join(SCHEMA)}")
    for key, typ in SCHEMA[kind].items():
        if not isinstance(data.get(key), typ):
            raise ConflictFileError(f"{name}: field '{key}': must be a {typ.__name__}")
    if kind == "metrics":
        for i, cue in enumerate(data["cues"]):
            if not isinstance(cue, dict) or not isinstance(cue.get("words"), list):
                raise ConflictFileError(f"{name}: field 'cues[{i}].words': must be a list")
            for g in GROUPS:
                if g in cue and cue[g] not in METRICS:
                    raise ConflictFileError(f"{name}: field 'cues[{i}].{g}': {cue[g]!r} is not a metric")
    if kind == "categories":
        for cat, spec in data["categories"].items():
            if not isinstance(spec, dict) or spec.get("group") not in GROUPS or not isinstance(spec.get("nouns"), list):
                raise ConflictFileError(f"{name}: field 'categories.{cat}': needs a group ({', '.join(GROUPS)}) and nouns")
    if kind == "numbers":
        for i, q in enumerate(data["quantity_words"]):
            if not isinstance(q, dict) or not isinstance(q.get("phrase"), str) or q.get("approx") not in ("vague", "none"):
                raise ConflictFileError(f"{name}: field 'quantity_words[{i}]': needs phrase, value and approx vague|none")
    return data


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> dict:
    """Load ``data/lexicon/<name>.yaml`` once and check its schema."""
    path = LEXICON_DIR / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConflictFileError(f"{path}: field '(yaml)': cannot be read ({type(err).__name__})") from None
    return check_lexicon(data, str(path))


def plural(word: str) -> str:
    """English plural of the last word of a phrase ("battle tank" -> "battle tanks")."""
    head, _, last = word.rpartition(" ")
    low = last.lower()
    if low.endswith(("s", "x", "ch", "sh")):
        p = last + "es"
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        p = last[:-1] + "ies"
    elif low.endswith("man"):
        p = last[:-3] + "men"
    elif low.endswith("child"):
        p = last + "ren"
    else:
        p = last + "s"
    return f"{head} {p}" if head else p


class PhraseTable:
    """Longest-match lookup of multi-token phrases over normalised tokens.

    Speed (this is the most called function of extraction): lookups are bucketed by the first
    token. A first token whose longest phrase is a single token has its answer precomputed
    (one dict lookup, no loop); the others compare only the remaining tokens, as list slices.
    """

    __slots__ = ("_by_first", "maxlen", "first", "_get")

    def __init__(self, items: Iterable[tuple[str, Any]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self.maxlen = 1
        for phrase, payload in items:
            toks = tuple(norm_tokens(phrase))
            if not toks:
                continue
            lst = self._by_first.setdefault(toks[0], [])
            if not any(t == toks for t, _ in lst):
                lst.append((toks, payload))
            self.maxlen = max(self.maxlen, len(toks))
        for lst in self._by_first.values():
            lst.sort(key=lambda x: -len(x[0]))
        self.first = self._by_first
        # ONE lookup per call: first token -> (1, payload) when no longer phrase starts with it (the
        # answer needs no look-ahead), else a list [(remaining tokens, length, result)], longest first
        # (ties in insertion order, as in ``first``).
        table: dict[str, Any] = {}
        for w, lst in self._by_first.items():
            if len(lst[0][0]) == 1:
                table[w] = (1, lst[0][1])
            else:
                table[w] = [(list(t[1:]), len(t), (len(t), p)) for t, p in lst]
        self._get = table.get

    def __contains__(self, word: str) -> bool:
        return word in self._by_first

    def first_words(self) -> set[str]:
        return set(self._by_first)

    def _match_general(self, low: list[str], i: int) -> tuple[int, Any] | None:
        """Reference implementation (any ``i``, including negative indexes)."""
        if i >= len(low):
            return None
        cands = self._by_first.get(low[i])
        if not cands:
            return None
        n = len(low)
        for toks, payload in cands:
            L = len(toks)
            if L == 1 or (i + L <= n and tuple(low[i:i + L]) == toks):
                return L, payload
        return None

    def match(self, low: list[str], i: int) -> tuple[int, Any] | None:
        """(length, payload) of the longest phrase starting at token ``i``, or None."""
        if 0 <= i < len(low):
            r = self._get(low[i])
            if r is None or r.__class__ is tuple:
                return r
            if low.__class__ is not list:              # tuples etc.: slices would not compare equal to lists
                return self._match_general(low, i)
            j = i + 1
            for rest, L, res in r:
                if L == 1 or low[j:i + L] == rest:     # a slice past the end is shorter, so never equal
                    return res
            return None
        return self._match_general(low, i) if i < 0 else None

    def match_ending(self, low: list[str], end: int) -> tuple[int, Any] | None:
        """(start, payload) of the longest phrase ending just before token ``end``."""
        first = self._by_first
        n = len(low)
        for L in range(min(self.maxlen, end), 0, -1):
            s = end - L
            if s < n and low[s] in first:           # most starts hold no phrase: skip the call
                m = self.match(low, s)
                if m and m[0] == L:
                    return s, m[1]
        return None


@dataclass(frozen=True)
class Lexicons:
    """All general lexicons compiled into phrase tables."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    multipliers: dict[str, int]
    quantity_words: PhraseTable
    qual_before: PhraseTable
    qual_after: PhraseTable
    zero_words: PhraseTable
    metric_cues: PhraseTable          # payload: dict group -> metric (+ agent_is_subject)
    counted_nouns: PhraseTable        # payload: (metric, category)
    hypothetical: PhraseTable
    categories: PhraseTable           # payload: (category, group, is_plural, is_singular)
    modifiers: PhraseTable
    named_only: frozenset[str]
    wider: dict[str, str]
    speech: PhraseTable
    admission: frozenset[str]
    according: PhraseTable
    citing: PhraseTable
    pronouns: PhraseTable
    kinds: PhraseTable                # payload: kind
    kind_fallback: dict[str, str]
    deny_cues: PhraseTable
    territory_denials: PhraseTable
    denied_things: PhraseTable        # payload: (metric, category)
    own_markers: PhraseTable
    enemy_markers: PhraseTable
    cumulative: PhraseTable
    increment: PhraseTable
    months: dict[str, int]
    weekdays: frozenset[str]
    list_headings: tuple[str, ...]
    list_labels: PhraseTable          # payload: (metric, category) or None (skip)
    units_table: PhraseTable          # number words (units, tens, scales)
    cue_words: frozenset[str]         # first words of every cue (sentence prefilter)
    civilian_things: frozenset[str] = frozenset()   # hit, the loss of the side where they were ("a car")
    military_nouns: frozenset[str] = frozenset()    # "the Armenian forces had lost 540 men": personnel
    object_verbs: frozenset[str] = frozenset()      # speech verbs whose object follows, never their speaker
    ngo_words: frozenset[str] = frozenset()         # a non-governmental body however long its name
    writer_nouns: frozenset[str] = frozenset()      # "our researchers ...": the writing organisation
    writer_verbs: frozenset[str] = frozenset()      # "we have confirmed ...": the writing organisation
    person_titles: frozenset[str] = frozenset()     # titles of one person ("an adviser to ..."): "he"/"she" later


def _words(items: Iterable[Any]) -> list[str]:
    return [str(w) for w in items]


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """Compile every lexicon file once (module-level cache)."""
    num = load_lexicon("numbers")
    met = load_lexicon("metrics")
    cat = load_lexicon("categories")
    att = load_lexicon("attribution")
    st = load_lexicon("stance")
    sc = load_lexicon("scope")
    dt = load_lexicon("dates")
    ls = load_lexicon("genstaff")

    qb = [(p, a) for a, ps in num["qualifiers_before"].items() for p in ps]
    qa = [(p, a) for a, ps in num["qualifiers_after"].items() for p in ps]
    cues = []
    for c in met["cues"]:
        payload = {g: c[g] for g in GROUPS if g in c}
        payload["agent_is_subject"] = bool(c.get("agent_is_subject"))
        for w in c["words"]:
            cues.append((str(w), payload))
    counted = [(str(w), (c["metric"], c["category"])) for c in met["counted_nouns"] for w in c["words"]]
    cats = []
    both = {"personnel", "equipment", "aircraft", "hardware", "military hardware", "troops", "people", "persons",
            "servicemen", "militiamen", "gunmen", "men", "women", "children", "manpower", "enemy manpower",
            "military equipment", "weaponry", "armour", "armor", "artillery", "special forces", "lives", "babies",
            "military personnel", "service personnel", "army personnel", "infantrymen", "guardsmen", "servicewomen",
            "armed men", "military men", "weapons", "units of equipment", "pieces of equipment", "combat equipment",
            "special equipment", "armoured equipment", "armored equipment", "headquarters", "high ground",
            "units of military equipment", "pieces of military equipment", "members of the armed forces", "men in uniform",
            "vehicles and fuel tanks", "bbm", "mlrs", "uas", "hq"}
    plural_only = {"troops", "people", "persons", "servicemen", "militiamen", "gunmen", "men", "women", "children",
                   "lives", "babies", "infantrymen", "guardsmen", "servicewomen", "armed men", "military men", "weapons",
                   "units of equipment", "pieces of equipment", "units of military equipment", "pieces of military equipment",
                   "members of the armed forces", "men in uniform", "vehicles and fuel tanks"}
    for name, spec in cat["categories"].items():
        g = spec["group"]
        for n in spec["nouns"]:
            n = str(n)
            low = n.lower()
            if low in both:
                cats.append((n, (name, g, True, low not in plural_only)))
                continue
            cats.append((n, (name, g, False, True)))
            cats.append((plural(n), (name, g, True, False)))
            if any(ch.isupper() for ch in n) or any(ch.isdigit() for ch in n):   # acronyms / models: "APCs", "T-72s"
                cats.append((n + "s", (name, g, True, False)))
    kinds = [(w, k) for k, ws in att["kinds"].items() for w in ws]
    denied = [(str(w), (d["metric"], d["category"])) for d in st["denied_things"] for w in d["words"]]
    labels: list[tuple[str, tuple[str, str] | None]] = [(w, None) for w in ls["skip"]]
    labels += [(str(w), (l["metric"], l["category"])) for l in ls["labels"] for w in l["words"]]
    qw = [(q["phrase"], (q["value"], q["approx"])) for q in num["quantity_words"]]

    cue_words: set[str] = set()
    tables = {}
    for key, items in (("metric_cues", cues), ("counted_nouns", counted), ("deny_cues", [(w, True) for w in st["deny_cues"]]),
                       ("territory_denials", [(w, True) for w in st["territory_denials"]])):
        tables[key] = PhraseTable(items)
        cue_words |= tables[key].first_words()
    return Lexicons(
        units={str(k): int(v) for k, v in num["units"].items()},
        tens={str(k): int(v) for k, v in num["tens"].items()},
        scales={str(k): int(v) for k, v in num["scales"].items()},
        multipliers={str(k): int(v) for k, v in num["multipliers"].items()},
        quantity_words=PhraseTable(qw),
        qual_before=PhraseTable(qb), qual_after=PhraseTable(qa),
        zero_words=PhraseTable((w, 0) for w in num["zero_words"]),
        metric_cues=tables["metric_cues"], counted_nouns=tables["counted_nouns"],
        hypothetical=PhraseTable((w, True) for w in met["hypothetical"]),
        categories=PhraseTable(cats), modifiers=PhraseTable((m, True) for m in _words(cat["modifiers"])),
        named_only=frozenset(cat["named_only"]), wider={str(k): str(v) for k, v in cat["wider"].items()},
        speech=PhraseTable((w, True) for w in _words(att["speech_verbs"])),
        admission=frozenset(w.lower() for w in att["admission_verbs"]),
        according=PhraseTable((w, True) for w in att["according_to"]),
        citing=PhraseTable((w, True) for w in att["citing"]),
        pronouns=PhraseTable((w, True) for w in att["pronouns"]),
        kinds=PhraseTable(kinds), kind_fallback={str(k): str(v) for k, v in att["kind_fallback"].items()},
        deny_cues=tables["deny_cues"], territory_denials=tables["territory_denials"],
        denied_things=PhraseTable(denied),
        own_markers=PhraseTable((w, True) for w in st["own_markers"]),
        enemy_markers=PhraseTable((w, True) for w in st["enemy_markers"]),
        cumulative=PhraseTable((w, True) for w in sc["cumulative"]),
        increment=PhraseTable((w, True) for w in sc["increment"]),
        months={str(k): int(v) for k, v in dt["months"].items()},
        weekdays=frozenset(dt["weekdays"]),
        list_headings=tuple(h.lower() for h in ls["headings"]),
        list_labels=PhraseTable(labels),
        units_table=PhraseTable((w, True) for w in [*num["units"], *num["tens"], *num["scales"], *num["multipliers"]]),
        cue_words=frozenset(cue_words),
        civilian_things=frozenset(_words(cat["civilian_things"])),
        military_nouns=frozenset(_words(cat["military_nouns"])),
        object_verbs=frozenset(_words(att["object_verbs"])),
        ngo_words=frozenset(_words(att["ngo_words"])),
        writer_nouns=frozenset(_words(att["writer_nouns"])),
        writer_verbs=frozenset(_words(att["writer_verbs"])),
        person_titles=frozenset(_words(att["person_titles"])),
    )
