"""Stage: stance — denials with no number of their own.

A denial cue ("denied", "rejected", "called ... fake", "dismissed as disinformation") plus
what is denied ("casualties", "advances", "that the road was cut off", "losing the height")
makes a ``deny`` claim: metric and category from the denied thing (a category noun nearby
refines it), value null, approx none. Phrases that deny a loss of ground on their own
("could not enter one centimetre of our land", "still holds full control of the town") do
the same for territory. Zero claims ("lost none", "not a single jet") are asserts and are
read by the quantity stages, not here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ._actors import ConflictRes
from ._doc import Tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["Denial", "find_denials"]

_WINDOW = 14
_CONTINUING = frozenset({"still", "remains", "remained", "remain", "stayed", "stays", "firmly"})
_ANAPHORIC = {"it", "this", "that", "claim", "claims", "announcement", "announcements", "report", "reports",
              "estimates", "estimate", "figures", "figure", "tally", "statement", "statements", "allegation",
              "allegations", "assertion", "assertions", "account", "version", "display", "footage", "video"}


@dataclass
class Denial:
    """A denial in a sentence: cue range, what is denied, and side markers on the denied thing."""

    i: int
    j: int
    metric: str
    category: str
    thing: tuple[int, int]
    markers: list[tuple[str, str, int]] = field(default_factory=list)   # (type, side, token): side | agent
    rule: str = "deny"


def _thing_markers(toks: Tokens, a: int, b: int, res: ConflictRes, lex: Lexicons) -> list[tuple[str, str, int]]:
    """Side markers of a denied thing: "casualties among Azerbaijani forces" (owner), "advances by Azerbaijan" (agent)."""
    low, n = toks.low, len(toks.low)
    out = []
    # owner right before: "Armenian losses", "Azerbaijani casualties"
    if a - 1 >= 0:
        m = res.sides.match(low, a - 1)
        if m and toks.text[a - 1][:1].isupper():
            out.append(("side", m[1], a - 1))
    k = b
    if k < n and low[k] in ("of", "among", "to", "in", "on"):
        kk = k + 1
        while kk < n and low[kk] in ("the", "its", "their") and kk - k < 3:
            kk += 1
        if kk < n:
            m = res.sides.match(low, kk)
            if m and toks.text[kk][:1].isupper():
                out.append(("side", m[1], kk))
            elif lex.enemy_markers.match(low, kk):
                out.append(("enemy", "", kk))
            elif low[kk] in ("our", "its"):
                out.append(("own", "", kk))
    for k2 in range(b, min(n, b + 5)):
        if low[k2] == "by" and k2 + 1 < n:
            kk = k2 + 1
            while kk < n and low[kk] in ("the",) and kk - k2 < 3:
                kk += 1
            m = res.sides.match(low, kk) if kk < n else None
            if m and toks.text[kk][:1].isupper():
                out.append(("agent", m[1], kk))
            break
    # "that Azerbaijan captured", "reports that Armenian forces took": an agent before a capture verb
    for k2 in range(max(0, a - 4), a):
        m = res.sides.match(low, k2)
        if m and toks.text[k2][:1].isupper() and k2 + m[0] <= a:
            nxt = low[k2 + m[0]] if k2 + m[0] < n else ""
            if nxt in ("forces", "troops", "army", "military", "units", "side", "captured", "took", "seized", "had",
                       "has", "have", "advanced", "entered") or k2 + m[0] == a:
                out.append(("agent", m[1], k2))
    return out


def _refine(toks: Tokens, a: int, b: int, metric: str, lex: Lexicons, anchor: int | None = None) -> str | None:
    """A category noun near the denied thing refines the category ("denied losing the height")."""
    low = toks.low
    group = "territory" if metric == "territory_captured" else "equipment" if metric == "destroyed" else "person"
    found = []
    for k in range(a, b):
        m = lex.categories.match(low, k)
        if m and m[1][1] == group:
            found.append((abs(k - anchor) if anchor is not None else 0, k, m[1][0]))
    return min(found)[2] if found else None


def find_denials(toks: Tokens, res: ConflictRes, lex: Lexicons | None = None) -> list[Denial]:
    """Denials in a sentence: each deny cue with the nearest denied thing in its clause."""
    lex = lex or lexicons()
    low = toks.low
    n = len(low)
    out: list[Denial] = []
    i = 0
    dc, td = lex.deny_cues.first, lex.territory_denials.first
    while i < n:
        if low[i] == "in" and 0 < i < n - 2 and low[i - 1] in _CONTINUING:
            sm = res.sides.match(low, i + 1)
            if sm and i + 1 + sm[0] < n and low[i + 1 + sm[0]] == "hands":
                # "the town remained in Ukrainian hands": ground held, named by any side of the conflict
                e = i + 2 + sm[0]
                cat = _refine(toks, max(0, i - 10), min(n, e + 8), "territory_captured", lex, anchor=i) or "area"
                out.append(Denial(i - 1, e, "territory_captured", cat, (i - 1, e), [], "deny:territory"))
                i = e
                continue
        if low[i] not in dc and low[i] not in td:
            i += 1
            continue
        m = lex.deny_cues.match(low, i)
        if m:
            e = i + m[0]
            best = None
            # after the cue first ("denied any advances", "denied that the road was cut off")
            k = e
            while k < n and k - e < _WINDOW and low[k] not in (";", ".") and not (k > e and lex.deny_cues.match(low, k)) \
                    and not (k > e + 1 and low[k - 1] in ("and", "but") and lex.speech.match(low, k)):
                # "denied targeting civilians and said its forces had hit ...": a new statement, not the denied thing
                t = lex.denied_things.match(low, k)
                if t:
                    best = (k, k + t[0], t[1])
                    break
                k += 1
            if best is None:       # before it ("statements about casualties ... were denounced as fake")
                k = i - 1
                while k >= 0 and i - k <= _WINDOW + 6 and low[k] not in (";",):
                    t = lex.denied_things.match(low, k)
                    if t and k + t[0] <= i:
                        best = (k, k + t[0], t[1])
                        break
                    k -= 1
            if best is None:
                # "dismissed the announcement as a fake", "rejected the claim", "denied it": the object refers back
                for k in list(range(e, min(n, e + 4))) + list(range(i - 1, max(-1, i - 9), -1)):
                    if low[k] in _ANAPHORIC:
                        out.append(Denial(i, e, "", "", (k, k + 1), [], "deny:anaphoric"))
                        break
            if best is not None:
                a, b, (metric, cat) = best
                span_a, span_b = (min(a, e), min(n, max(b, e) + 6))
                if low[a] in ("lost", "losing", "lose", "loss") and metric == "territory_captured":
                    # what was lost: after the verb ("losing any tanks") or as its subject before it ("that any
                    # of its aircraft had been lost")
                    for k2 in [*range(b, min(n, b + 6)), *range(a - 1, max(e, a - 7) - 1, -1)]:
                        mc2 = lex.categories.match(low, k2)
                        if mc2 and mc2[1][1] != "territory":
                            metric = "killed" if mc2[1][1] == "person" else "destroyed"
                            cat = mc2[1][0]
                            break
                cat = _refine(toks, max(0, a - 3), min(n, span_b), metric, lex, anchor=a) or cat
                out.append(Denial(i, e, metric, cat, (a, b), _thing_markers(toks, a, b, res, lex), "deny:cue"))
            i = e
            continue
        m = lex.territory_denials.match(low, i)
        if m and low[i] in ("fighting", "battles", "fierce", "still", "continue", "continues", "remains", "remain", "is",
                            "held", "holds", "hold") and not any(
                (toks.text[k][:1].isupper() and k > 0) or (
                    (mc := lex.categories.match(low, k)) is not None and mc[1][1] == "territory")
                for k in range(i + m[0], min(n, i + m[0] + 8))) and not (
                low[i] in ("still", "remains", "remain") and any(
                    (lex.categories.match(low, k) or (None, ("", "")))[1][1] == "territory" for k in range(max(0, i - 10), i))):
            m = None            # "fighting continues" alone is news, not a denial; "... for the town" is
            # (but "our positions ... still remain under its control" holds the ground named before the verb)
        if m:
            e = i + m[0]
            cat = _refine(toks, max(0, i - 10), min(n, e + 8), "territory_captured", lex, anchor=i) or "area"
            out.append(Denial(i, e, "territory_captured", cat, (i, e), [], "deny:territory"))
            i = e
            continue
        i += 1
    return out
