"""Stage: subject side — whose losses a claim counts.

In order: a side marker on the counted noun phrase ("550 Armenian soldiers", "equipment of
Armenian forces", "its own", "the enemy"); the agent of "lose" ("Azerbaijan lost 20
soldiers": the loser); the agent of an active destroy/capture verb ("its forces captured",
"Azerbaijan captured some positions": the other side of the agent) or of a passive one
("captured by X"); else the stance default: an admission is about the claimant's own side,
anything else about the claimant's enemy.
"""
from __future__ import annotations

from ._actors import ConflictRes
from ._doc import Tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["subject_side", "agent_before"]

_AGENT_NOUNS = {"forces", "troops", "army", "military", "units", "side", "soldiers", "servicemen", "fighters",
                "artillery", "aviation", "drones", "air", "defence", "defense", "armed", "unit", "force", "troop",
                "drone", "jet", "jets", "aircraft", "helicopter", "helicopters", "tank", "tanks", "soldier", "sniper",
                "snipers", "missile", "missiles", "strike", "strikes", "shell", "shells", "rocket", "rockets", "fire",
                "shelling", "gunners", "pilots", "navy", "special", "sabotage", "marines", "paratroopers", "f-16",
                "bayraktar", "warplane", "warplanes", "bomber", "bombers", "battalion", "brigade", "division", "group"}
_OWN_AGENTS = {"it", "we", "they", "our", "its", "their", "us"}


def agent_before(toks: Tokens, cue: int, lo: int, res: ConflictRes, lex: Lexicons | None = None) -> str | None:
    """The side acting before a verb at ``cue``: a side word, or "OWN" for it/we/its forces; None if unsaid."""
    lex = lex or lexicons()
    low = toks.low
    for k in range(cue - 1, max(lo, cue - 7) - 1, -1):
        if low[k] in (",", ";", ":", "that", "and", "but", "while"):
            break                   # a coordinated verb shares the clause subject, not the previous object
        if low[k] in ("it", "we", "they", "us"):
            return "OWN"
        if low[k] in ("its", "our", "their", "his", "her") and k + 1 < cue and low[k + 1] in _AGENT_NOUNS:
            return "OWN"
        m = res.sides.match(low, k)
        if m and toks.text[k][:1].isupper():
            nxt = k + m[0]
            if nxt >= cue or low[nxt] in _AGENT_NOUNS or low[nxt] in ("has", "had", "have", "also"):
                return m[1]
        if lex.enemy_markers.match(low, k):
            return "ENEMY"
    return None


def _by_agent(toks: Tokens, j: int, res: ConflictRes) -> str | None:
    low, n = toks.low, len(toks.low)
    for k in range(j, min(n, j + 16)):
        if low[k] in (";", ":", "while", "but", "whereas") or (k > j + 2 and low[k] in ("said", "says", "according")):
            break
        if low[k] == "by":
            kk = k + 1
            while kk < n and low[kk] in ("the",):
                kk += 1
            if kk < n:
                if low[kk] in ("our", "its", "their"):
                    return "OWN"
                m = res.sides.match(low, kk)
                if m and toks.text[kk][:1].isupper():
                    return m[1]
    return None


def subject_side(toks: Tokens, markers: list, cue_i: int | None, cue_j: int | None, cue_where: str,
                 agent_is_subject: bool, claimant_side: str | None, admission: bool, res: ConflictRes,
                 lex: Lexicons | None = None, *, lo: int = 0, category: str | None = None,
                 home_side: str | None = None) -> tuple[str | None, str]:
    """(subject side, rule) for one claim; side None when nothing fixes it."""
    lex = lex or lexicons()
    conflict = res.conflict
    enemy = conflict.enemy(claimant_side) if claimant_side else None
    for typ, side, _k in markers:
        if typ == "side":
            return side, "subject:np-side"
        if typ == "own" and claimant_side:
            return claimant_side, "subject:np-own"
        if typ == "enemy" and enemy:
            return enemy, "subject:np-enemy"

    def resolve(agent: str | None) -> str | None:
        if agent == "OWN":
            return claimant_side
        if agent == "ENEMY":
            return enemy
        return agent

    if cue_i is not None and cue_j is not None:
        # "held in Azerbaijan", "taken prisoner by Armenian forces": the holder's enemy lost them
        for k in range(cue_j, min(len(toks), cue_j + 4)):
            if toks.low[k] in ("in", "by") and k + 1 < len(toks):
                m = res.sides.match(toks.low, k + 1)
                if m and toks.text[k + 1][:1].isupper() and conflict.enemy(m[1]) and toks.low[cue_i] in (
                        "held", "being", "captive", "detained", "captured", "imprisoned", "prisoner"):
                    return conflict.enemy(m[1]), "subject:held-by"
    if cue_i is not None:
        if cue_where == "before":
            agent = resolve(agent_before(toks, cue_i, lo, res, lex))
            if agent:
                if agent_is_subject:
                    return agent, "subject:loser"
                other = conflict.enemy(agent)
                if other:
                    return other, "subject:agent-other"
        elif cue_where == "after" and cue_j is not None:
            agent = resolve(_by_agent(toks, cue_j, res))
            if agent:
                if agent_is_subject:
                    return agent, "subject:loser"
                other = conflict.enemy(agent)
                if other:
                    return other, "subject:agent-other"
            if agent_is_subject and claimant_side and claimant_side in conflict.sides and conflict.enemy(claimant_side):
                return claimant_side, "subject:passive-loss"
    if claimant_side and claimant_side in conflict.sides and not conflict.enemy(claimant_side) \
            and category in ("civilians", "people"):
        if conflict.sides[claimant_side].demonyms:
            return claimant_side, "subject:third-country-own"
        for k in range(len(toks)):
            m = res.sides.match(toks.low, k)
            if m and toks.text[k][:1].isupper() and conflict.enemy(m[1]):
                return m[1], "subject:organisation-place"
        if home_side:
            return home_side, "subject:organisation-article"
    if claimant_side and conflict.enemy(claimant_side):
        if cue_where in ("after", "inner") and cue_i is not None and toks.low[cue_i] in (
                "died", "perished", "missing", "fell", "fallen", "unaccounted"):
            return claimant_side, "subject:own-deaths"      # "four soldiers had died", "50 remained missing"
        if category in ("civilians", "people"):
            return claimant_side, "subject:civilian-own"       # officials count their own dead and hurt
        if admission:
            return claimant_side, "subject:admission"
        return enemy, "subject:claimant-enemy"
    return None, "subject:unknown"
