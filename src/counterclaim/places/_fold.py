"""Folding place names to match keys: Unicode, scripts and romanisation variants.

Three keys of decreasing strictness, each computed from the previous one:

``fold(name)``
    NFKC, control characters dropped, case-folded, Azerbaijani letters spelt out
    (ə->a, ı->i, ğ->g, ş->sh, ç->ch, ö->o, ü->u; x->kh in a name that has an
    Azerbaijani letter), Cyrillic and Armenian transliterated (table in
    ``data/places/translit.yaml``), NFKD with combining marks stripped, apostrophes and
    soft signs dropped, any other punctuation a single space. ``Füzuli`` -> ``fuzuli``,
    ``Cəbrayıl`` -> ``cabrayil``, ``Київ`` -> ``kiyiv``.
``variant_key(folded)``
    Romanisation variants collapsed (spaces and hyphens removed, kh/x->h, dzh/dj/zh/c->j,
    ts/tz/ch->c, sh/shch/sch->s, q/gh->g, w->v, ph->f, y->i, ye->e, yu/iu->u, ya/ia->a,
    yo/io->o, double letters single, -skiy/-sky/-ski alike). ``Jabrayil``, ``Jabrail``,
    ``Cəbrayıl`` -> ``jabrail``.
``skeleton(vkey)``
    The first letter and the consonants of the variant key, doubles collapsed: a
    phonetic-ish key for a second tier (``Fizuli``/``Fuzuli`` -> ``fzl``,
    ``Kharkov``/``Kharkiv`` -> ``hrkv``, ``Zaporozhye``/``Zaporizhzhia`` -> ``zprj``).

The keys are pure functions of their input (no data beyond the transliteration table),
so the index and the query side always agree.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import GazetteerError

__all__ = ["fold", "variant_key", "skeleton", "keys", "TRANSLIT_PATH", "translit_table",
           "MAX_NAME_CHARS"]

#: Longest name (in characters) that is folded; longer input is cut (bounded work).
MAX_NAME_CHARS = 200

TRANSLIT_PATH = resources.files("counterclaim") / "data" / "places" / "translit.yaml"


@lru_cache(maxsize=1)
def translit_table() -> dict[str, Any]:
    """The transliteration table (loaded once), schema-checked."""
    try:
        data = yaml.safe_load(TRANSLIT_PATH.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GazetteerError(f"{TRANSLIT_PATH}: cannot read transliteration table: {err}") from None
    if not isinstance(data, dict) or "provenance" not in data:
        raise GazetteerError(f"{TRANSLIT_PATH}: missing provenance header")
    for section in ("latin", "cyrillic", "armenian"):
        table = data.get(section)
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and k and isinstance(v, str) for k, v in table.items()):
            raise GazetteerError(f"{TRANSLIT_PATH}: section {section!r} must map letters to strings")
    if not isinstance(data.get("azerbaijani_x"), list):
        raise GazetteerError(f"{TRANSLIT_PATH}: azerbaijani_x must be a list of letters")
    return data


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[int, str], list[tuple[str, str]], frozenset[str]]:
    data = translit_table()
    single: dict[int, str] = {}
    multi: list[tuple[str, str]] = []
    for section in ("latin", "cyrillic", "armenian"):
        for k, v in data[section].items():
            if len(k) == 1:
                single[ord(k)] = v
            else:
                multi.append((k, v))
    multi.sort(key=lambda kv: -len(kv[0]))
    return single, multi, frozenset(data["azerbaijani_x"])


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Fold a place name to its first-tier match key (see the module docstring).

    Never raises on text: anything that is not a letter or digit after folding becomes
    a space; a name in a script with no table folds to what NFKD leaves of it (usually
    the empty string, i.e. "no key").
    """
    if not isinstance(name, str):
        return ""
    s = name[:MAX_NAME_CHARS]
    s = unicodedata.normalize("NFKC", s)
    s = "".join(ch for ch in s if unicodedata.category(ch)[0] != "C")
    s = s.casefold()
    single, multi, aze = _compiled()
    azeri = any(ch in aze for ch in s)
    for k, v in multi:
        if k in s:
            s = s.replace(k, v)
    s = s.translate(single)
    if azeri:
        s = s.replace("x", "kh")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(single)   # letters that NFKD exposed (rare)
    return _NON_ALNUM.sub(" ", s).strip()


# Ordered rewrite rules of the variant key; upper-case letters are placeholders so that
# later rules do not rewrite the output of earlier ones.
_VARIANT_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "S"), ("sch", "S"), ("sh", "S"), ("tch", "C"), ("ch", "C"), ("ts", "C"), ("tz", "C"),
    ("dzh", "J"), ("dj", "J"), ("zh", "J"), ("c", "J"), ("kh", "H"), ("x", "H"), ("gh", "G"),
    ("q", "G"), ("ph", "F"), ("w", "v"), ("ck", "k"),
    ("j", "J"),
)
_VOWEL_GLIDES: tuple[tuple[str, str], ...] = (
    ("iy", "i"), ("yi", "i"), ("yy", "i"),
    ("ye", "e"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("yo", "o"), ("io", "o"),
    ("y", "i"),
)
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def variant_key(folded: str) -> str:
    """Collapse romanisation variants of an already folded name (second-tier key)."""
    s = folded.replace(" ", "")
    for a, b in _VARIANT_RULES:
        s = s.replace(a, b)
    s = s.lower()
    s = s.replace("ss", "s")
    for a, b in _VOWEL_GLIDES:
        s = s.replace(a, b)
    return _DOUBLE.sub(r"\1", s)


_VOWELS = re.compile(r"[aeiouy]")


@lru_cache(maxsize=65536)
def skeleton(vkey: str) -> str:
    """The first letter plus the consonants of a variant key (third-tier, phonetic-ish)."""
    if not vkey:
        return ""
    s = vkey[0] + _VOWELS.sub("", vkey[1:])
    return _DOUBLE.sub(r"\1", s)


def keys(name: str) -> tuple[str, str, str]:
    """All three keys of a name: ``(fold, variant_key, skeleton)``."""
    f = fold(name)
    v = variant_key(f)
    return f, v, skeleton(v)
