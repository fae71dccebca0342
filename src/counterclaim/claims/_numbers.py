"""Stage 2: reading numbers and quantities in a sentence.

Digits with separators ("6,674", "1.5 thousand"), number words ("five hundred and forty",
"forty-five", "two dozen"), ranges ("between 350 and 360", "10-12"), qualifiers before and
after ("at least", "up to", "about", "100+"), vague quantity words with the spec's values
("several" 3, "dozens" 24), quantities with no number ("some", "a number of"), zeros ("no",
"none", "not a single") and single things ("a", "an", "the X height"). Every rule reads a
bounded number of tokens, so the stage is linear in the sentence length.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._doc import Tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["Quantity", "find_quantities", "parse_number_words", "parse_digits"]

_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_PLAIN = re.compile(r"\d{1,9}")
_DECIMAL = re.compile(r"\d{1,6}\.\d{1,3}")
_RANGE_SEP = {"-", "–", "—", "to"}
_NEG = {"not", "n't", "never", "no", "nor", "without", "didn't", "hasn't", "haven't", "wasn't", "weren't", "hadn't",
        "cannot", "can't", "couldn't", "doesn't", "don't"}


@dataclass
class Quantity:
    """A quantity in a sentence: token range ``[i, j)``, number tokens ``[ni, nj)``, value and approx."""

    i: int
    j: int
    ni: int
    nj: int
    value: int | None
    value_max: int | None
    approx: str
    kind: str            # digits | words | vague | none | zero | single | the


def parse_digits(tok: str) -> int | None:
    """Integer value of a digit token ("6,674" -> 6674); None for malformed groupings."""
    if _THOUSANDS.fullmatch(tok):
        return int(tok.replace(",", ""))
    if _PLAIN.fullmatch(tok):
        return int(tok)
    return None


def parse_number_words(low: list[str], k: int, lex: Lexicons | None = None) -> tuple[int, int] | None:
    """Read number words starting at token ``k``: (value, end token) or None.

    Handles "forty-five", "five hundred and forty", "a hundred", "two dozen", "three thousand".
    """
    lex = lex or lexicons()
    n = len(low)
    total = current = 0
    last: str | None = None
    j = k
    if j < n and low[j] in ("a", "one") and j + 1 < n and low[j + 1] in ("hundred", "thousand", "million"):
        current, j, last = 1, j + 1, "unit"
    while j < n and j - k < 14:
        w = low[j]
        parts = w.split("-")
        small = None
        kind = None
        if len(parts) == 2 and parts[0] in lex.tens and parts[1] in lex.units and 0 < lex.units[parts[1]] < 10:
            small, kind = lex.tens[parts[0]] + lex.units[parts[1]], "tens"
        elif w in lex.units:
            small, kind = lex.units[w], "unit"
        elif w in lex.tens:
            small, kind = lex.tens[w], "tens"
        if small is not None:
            if kind == "unit" and not (last in (None, "hundred", "scale", "and") or (last == "tens" and small < 10
                                                                                    and current % 10 == 0)):
                break
            if kind == "tens" and last not in (None, "hundred", "scale", "and"):
                break
            current += small
            last = kind if not (kind == "unit" and last == "tens") else "unit_done"
        elif w == "hundred" and last in ("unit", "tens", "unit_done"):
            current *= 100
            last = "hundred"
        elif w in lex.scales and w != "hundred" and last in ("unit", "tens", "unit_done", "hundred"):
            total += current * lex.scales[w]
            current = 0
            last = "scale"
        elif w in lex.multipliers and last in ("unit", "tens", "unit_done"):
            current *= lex.multipliers[w]
            j += 1
            last = "mult"
            break
        elif w == "and" and last in ("hundred", "scale") and j + 1 < n and (
                low[j + 1] in lex.units or low[j + 1].split("-")[0] in lex.tens):
            last = "and"
        else:
            break
        j += 1
    if last is None:
        return None
    if last == "and":
        j -= 1
    return total + current, j


def _read_number(toks: Tokens, k: int, lex: Lexicons) -> tuple[int, int, str] | None:
    """(value, end, kind) of a number at token k (digits or words), with scale words."""
    low = toks.low
    n = len(low)
    if k >= n:
        return None
    w = low[k]
    if w[0].isdigit():
        if k + 1 < n and low[k + 1] in (":", "/") and k + 2 < n and low[k + 2][:1].isdigit():
            return None                       # a time "14:05" or a fraction/date "27/09"
        if k > 0 and low[k - 1] in ("$", "€", "£", "#", "№", "/", "%"):
            return None
        if k > 1 and low[k - 1] in (":", ".") and low[k - 2][:1].isdigit() and toks.end[k - 2] == toks.start[k - 1]:
            return None                       # the minutes of "14:05"
        val = parse_digits(w)
        j = k + 1
        if j < n and low[j] in ("%", "$", "€", "percent", "per", "km", "kilometres", "kilometers", "miles", "metres",
                                "meters", "mm", "kg", "tonnes", "tons", "dollars", "euros", "manat", "drams", "hryvnias"):
            return None
        if val is None and _DECIMAL.fullmatch(w) and j < n and low[j] in lex.scales:
            val = int(round(float(w) * lex.scales[low[j]]))
            return val, j + 1, "digits"
        if val is None:
            return None
        if j < n and low[j] in lex.scales and low[j] != "hundred":
            val *= lex.scales[low[j]]
            j += 1
        elif j < n and low[j] == "hundred":
            val *= 100
            j += 1
        return val, j, "digits"
    if w not in lex.units and w not in lex.tens and w not in ("a", "one") and "-" not in w:
        return None
    r = parse_number_words(low, k, lex)
    if r is None:
        return None
    return r[0], r[1], "words"


_STARTS: dict[int, frozenset[str]] = {}


def _starts(lex: Lexicons) -> frozenset[str]:
    """Words that can begin a quantity (precomputed: most tokens are skipped by one set lookup)."""
    got = _STARTS.get(id(lex))
    if got is None:
        got = frozenset(set(lex.qual_before.first) | set(lex.quantity_words.first) | set(lex.zero_words.first)
                        | set(lex.units) | set(lex.tens) | {"a", "an", "another", "the", "any", "between"}
                        | {w for w in lex.units_table.first if "-" not in w})
        _STARTS[id(lex)] = got
    return got


_PAIR_WORDS = frozenset({"pair", "brace"})
_TALLY_WORDS = frozenset({"number", "total", "tally", "count", "toll", "figure"})


def find_quantities(toks: Tokens, lex: Lexicons | None = None) -> list[Quantity]:
    """Every quantity in a sentence's tokens, left to right, non-overlapping."""
    lex = lex or lexicons()
    low = toks.low
    n = len(low)
    out: list[Quantity] = []
    i = 0
    starts = _starts(lex)
    while i < n:
        w = low[i]
        if w not in starts and not w[0].isdigit() and w.split("-", 1)[0] not in lex.tens:
            i += 1
            continue
        if w[0].isdigit() and i > 0 and low[i - 1][-1:].isalpha() and toks.end[i - 1] == toks.start[i]:
            i += 1              # a model designation, not a count: "M777", "F16"
            continue
        # "between 350 and 360"
        if w == "between":
            a = _read_number(toks, i + 1, lex)
            if a and a[1] < n and low[a[1]] == "and":
                b = _read_number(toks, a[1] + 1, lex)
                if b and b[0] > a[0]:
                    out.append(Quantity(i, b[1], i + 1, b[1], a[0], b[0], "exact", a[2]))
                    i = b[1]
                    continue
        approx = "exact"
        k = i
        qb = lex.qual_before.match(low, i)
        if qb:
            nxt = _read_number(toks, i + qb[0], lex)
            if nxt is not None:
                approx, k = qb[1], i + qb[0]
            elif i + qb[0] + 1 < n and low[i + qb[0]] in ("a", "an", "one") \
                    and not lex.quantity_words.match(low, i + qb[0]) and low[i + qb[0] + 1] not in lex.multipliers \
                    and low[i + qb[0] + 1] not in lex.scales and low[i + qb[0] + 1] not in _PAIR_WORDS:
                # "no more than a single tank": one, at most (not the zero of "no")
                j = i + qb[0] + 1
                if j < n and low[j] == "single":
                    j += 1
                out.append(Quantity(i, j, i + qb[0], j, 1, None, qb[1], "single"))
                i = j
                continue
        num = _read_number(toks, k, lex)
        if num is not None:
            val, j, kind = num
            vmax = None
            if j + 1 < n and low[j] in _RANGE_SEP and not (low[j] == "to" and i > 0 and low[i - 1] == "from"):
                b = _read_number(toks, j + 1, lex)
                if b and b[0] > val and b[2] == kind:
                    vmax, j = b[0], b[1]
            qa = lex.qual_after.match(low, j) if j < n else None
            end = j
            if qa and approx == "exact":
                approx, end = qa[1], j + qa[0]
            out.append(Quantity(i, end, k, j, val, vmax, approx, "zero" if val == 0 else kind))
            i = end
            continue
        qw = lex.quantity_words.match(low, i)
        if qw and i > 0 and low[i - 1] == "how":
            i += qw[0]          # "how many of its sons have died": a question, not a quantity
            continue
        if qw:
            L, (wval, ap) = qw
            j = i + L
            if wval is not None and j < n and low[j] in ("hundred", "thousand"):
                wval *= lex.scales[low[j]]
                j += 1
                if j < n and low[j] == "of":
                    j += 1
            out.append(Quantity(i, j, i, j, wval, None, ap, "vague" if wval is not None else "none"))
            i = j
            continue
        zw = lex.zero_words.match(low, i)
        if zw:
            e = i + zw[0]
            if e + 1 < n and low[e] == "one" and low[e + 1] == "of":
                e += 1              # "not a single one of its servicemen": one zero, not a count of one
            out.append(Quantity(i, e, i, e, 0, None, "exact", "zero"))
            i = e
            continue
        if w == "a" and i + 2 < n and low[i + 1] in _PAIR_WORDS and low[i + 2] == "of":
            out.append(Quantity(i, i + 3, i, i + 3, 2, None, "exact", "words"))    # "a pair of helicopters": 2
            i += 3
            continue
        if w in ("a", "an", "another"):
            j = i + 1
            if j < n and low[j] == "single":
                j += 1
                if j + 1 < n and low[j] == "one" and low[j + 1] == "of":
                    j += 1              # "not a single one of its servicemen": one zero, not a count of one
            neg = any(x in _NEG for x in low[max(0, i - 4):i])
            if neg and j >= i + 2:
                out.append(Quantity(i, j, i, j, 0, None, "exact", "zero"))
            else:
                out.append(Quantity(i, j, i, j, 1, None, "exact", "single"))
            i = j
            continue
        if w == "any" and any(x in _NEG for x in low[max(0, i - 4):i]):
            out.append(Quantity(i, i + 1, i, i + 1, 0, None, "exact", "zero"))
            i += 1
            continue
        if w == "the" and not (i + 1 < n and low[i + 1] in _TALLY_WORDS):   # "the number of its dead": a tally
            out.append(Quantity(i, i + 1, i, i + 1, 1, None, "exact", "the"))
        i += 1
    return out
