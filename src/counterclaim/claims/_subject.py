"""Stage: subject side — whose losses a claim counts.

In order: a side marker on the counted noun phrase ("550 Armenian soldiers", "equipment of
Armenian forces", "its own", "the enemy"); the agent of "lose" ("Azerbaijan lost 20
soldiers": the loser); the agent of an active destroy/capture verb ("its forces captured",
"Azerbaijan captured some positions": the other side of the agent) or of a passive one
("captured by X"); else the stance default: an admission is about the claimant's own side,
anything else about the claimant's enemy, except that a party's toll of personnel with no side
on the noun, framed as its own loss (published the names of, had been killed, mourned, "in the
war") and with no enemy-action cue (destroyed, neutralised, "the enemy"), is its own ("own-loss
frame"; cue lists in the stance lexicon). "its" right after "the adversary" is the adversary's.
"""
from __future__ import annotations

from ._actors import ConflictRes
from ._doc import Tokens
from ._lexicon import Lexicons, lexicons

__all__ = ["subject_side", "agent_before", "loss_frame"]

_FRAMES: dict = {}


def _frame_tables():
    """The own-loss and enemy-action cue tables of the stance lexicon (loaded once)."""
    if not _FRAMES:
        from ._lexicon import PhraseTable, load_lexicon
        st = load_lexicon("stance")
        _FRAMES["own"] = PhraseTable((str(w).lower(), True)
                                     for w in st.get("own_loss_cues", []))
        _FRAMES["enemy"] = PhraseTable((str(w).lower(), True) for w in st.get("enemy_action_cues", []))
    return _FRAMES["own"], _FRAMES["enemy"]


def _enemy_antecedent(toks: Tokens, k: int, lo: int, lex: Lexicons) -> bool:
    """Whether "its"/"their" at ``k`` refers back to "the enemy"/"the adversary" as the nearest earlier
    agent in the sentence (no own-side word or speaker in between)."""
    low = toks.low
    for p in range(k - 1, max(lo, k - 14) - 1, -1):
        if low[p] in ("our", "we", "us", "said", "says", "told", "added", "reported", ";"):   # ":" elaborates
            return False
        if lex.enemy_markers.match(low, p):
            return True
    return False


def _names_side(toks: Tokens, res: ConflictRes, side: str | None) -> bool:
    """Whether the sentence names ``side`` (a capitalised side word: "Azerbaijani forces", "Armenia")."""
    if side is None:
        return False
    low = toks.low
    for k in range(len(low)):
        m = res.sides.match(low, k)
        if m and m[1] == side and toks.text[k][:1].isupper():
            return True
    return False


def _none_among(toks: Tokens, cue_i: int | None, cue_where: str) -> bool:
    """"there were no casualties (among ...)": an existential zero, which officials say of their own people
    (claims-quality)."""
    if cue_where not in ("noun", "inner") or cue_i is None or cue_i < 3:
        return False
    low = toks.low
    return low[cue_i - 1] == "no" and low[cue_i - 2] in ("were", "was", "been") and "there" in low[max(0, cue_i - 4):cue_i - 2]


def loss_frame(toks: Tokens, lex: Lexicons | None = None) -> str | None:
    """"own" when a sentence frames people killed as the speaker's own loss (admitted, mourned, the names
    of, had been killed, among its troops) with no enemy-action cue (destroyed, neutralised, the enemy);
    "enemy" when an enemy-action cue or enemy marker is present; None when neither is said.

    Why: a ministry stating a toll with no side on the noun ("said 2,783 servicemen had been killed")
    is counting its own dead; the same ministry counting enemy dead says what its units did to them.
    """
    lex = lex or lexicons()
    own_t, enemy_t = _frame_tables()
    low = toks.low
    own = False
    for k in range(len(low)):
        if lex.enemy_markers.match(low, k) or enemy_t.match(low, k):
            return "enemy"
        if not own and own_t.match(low, k):
            own = True
    return "own" if own else None

_AGENT_NOUNS = {"forces", "troops", "army", "military", "units", "side", "soldiers", "servicemen", "fighters",
                "artillery", "aviation", "drones", "air", "defence", "defense", "armed", "unit", "force", "troop",
                "drone", "jet", "jets", "aircraft", "helicopter", "helicopters", "tank", "tanks", "soldier", "sniper",
                "snipers", "missile", "missiles", "strike", "strikes", "shell", "shells", "rocket", "rockets", "fire",
                "shelling", "gunners", "pilots", "navy", "special", "sabotage", "marines", "paratroopers", "f-16",
                "bayraktar", "warplane", "warplanes", "bomber", "bombers", "battalion", "brigade", "division", "group"}
_SUFFER_VERBS = {"suffered", "suffers", "suffer", "sustained", "sustains", "sustain", "incurred", "incurs", "took",
                 "takes", "had", "has", "have"}
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
            if nxt >= cue or low[nxt] in _AGENT_NOUNS or low[nxt] in ("has", "had", "have", "also") or (
                    low[nxt].endswith(("'s", "’s")) and low[nxt][:-2] in _AGENT_NOUNS):
                return m[1]         # ... or "the Azerbaijani side's losses"
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
                 home_side: str | None = None, civilian_thing: bool = False) -> tuple[str | None, str]:
    """(subject side, rule) for one claim; side None when nothing fixes it."""
    lex = lex or lexicons()
    conflict = res.conflict
    enemy = conflict.enemy(claimant_side) if claimant_side else None
    for typ, side, _k in markers:
        if typ == "side":
            return side, "subject:np-side"
        poss = toks.low[_k] in ("its", "their") or (
            toks.low[_k] == "of" and _k + 1 < len(toks) and toks.low[_k + 1] in ("its", "their"))
        if typ == "own" and claimant_side and enemy and poss and _enemy_antecedent(toks, _k, lo, lex):
            return enemy, "subject:np-own-enemy"        # "the adversary lost 40 men and five of its tanks"
        if typ == "own" and claimant_side and (conflict.enemy(claimant_side) or toks.low[_k] in _OWN_AGENTS):
            return claimant_side, "subject:np-own"      # a toll noun is "own" only for a party to the war
        if typ == "own" and claimant_side and poss and category not in (None, "personnel", "civilians", "people"):
            return claimant_side, "subject:np-own-equipment"   # a third party's "one of its helicopters"
        if typ == "enemy" and enemy:
            return enemy, "subject:np-enemy"

    def resolve(agent: str | None) -> str | None:
        if agent == "OWN":
            return claimant_side
        if agent == "ENEMY":
            return enemy
        return agent

    if cue_where in ("noun", "inner") and cue_i is not None:
        # "our units suffered no casualties", "the Armenian side sustained 40 casualties": the sufferer's own
        for b in range(cue_i - 1, max(lo, cue_i - 5) - 1, -1):
            if toks.low[b] in (",", ";", ":", "that"):
                break
            if toks.low[b] in _SUFFER_VERBS:
                agent = resolve(agent_before(toks, b, lo, res, lex))
                if agent:
                    return agent, "subject:sufferer"
                break
    if cue_i is not None and cue_j is not None and toks.low[cue_i] == "under":
        # "28 settlements were under Ukrainian control": the side named in the cue holds them now
        for k in range(cue_i + 1, min(len(toks), cue_j + 1)):
            m = res.sides.match(toks.low, k)
            if m and toks.text[k][:1].isupper() and conflict.enemy(m[1]):
                return conflict.enemy(m[1]), "subject:under-control"
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
        first = None
        for k in range(len(toks)):
            m = res.sides.match(toks.low, k) or res.side_places.match(toks.low, k)
            if m and toks.text[k][:1].isupper() and conflict.enemy(m[1]):
                if k > 0 and toks.low[k - 1] in ("in", "across", "inside", "throughout"):
                    return m[1], "subject:organisation-place"     # "civilian deaths in Ukraine"
                first = first or m[1]
        if home_side:
            return home_side, "subject:organisation-article"
        if first:
            return first, "subject:organisation-place"
    if claimant_side and conflict.enemy(claimant_side):
        if cue_where in ("after", "inner") and cue_i is not None and toks.low[cue_i] in (
                "died", "perished", "missing", "fell", "fallen", "unaccounted"):
            return claimant_side, "subject:own-deaths"      # "four soldiers had died", "50 remained missing"
        if category in ("civilians", "people"):
            return claimant_side, "subject:civilian-own"       # officials count their own dead and hurt
        if civilian_thing:
            return claimant_side, "subject:civilian-thing-own"     # "a drone struck a car": the official's own side
        if admission:
            return claimant_side, "subject:admission"
        if _none_among(toks, cue_i, cue_where) and not _names_side(toks, res, enemy) \
                and loss_frame(toks, lex) != "enemy":
            return claimant_side, "subject:no-losses-own"     # claims-quality: "there were no casualties among servicemen"
        if category == "personnel" and cue_i is not None and not _names_side(toks, res, enemy) \
                and (frame := loss_frame(toks, lex)) != "enemy" and (frame == "own" or (
                    cue_where == "after" and toks.low[cue_i] in ("killed", "dead", "died"))) and \
                toks.low[cue_i] not in ("captured", "taken", "prisoner", "prisoners", "captive"):
            return claimant_side, "subject:own-loss-frame"
        return enemy, "subject:claimant-enemy"
    return None, "subject:unknown"
