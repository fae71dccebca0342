"""Composition: ``extract(article) -> list[Claim]``, the named stages run over one document.

sentences -> (prefilter) -> numbers -> noun phrase/category -> metric -> attribution/actors
(+ discourse: pronouns and side-less titles continue the previous speaker) -> subject side ->
stance (denials) -> places -> date -> scope; then loss lists; then one claim per thing per
article. Pure: the same article always gives the same claims.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

from ..conflicts import Conflict, load_conflict
from ..records import Article, Claim
from ._actors import ActorRef, ConflictRes, actor_for_kind, conflict_resources
from ._attribution import Anchor, find_anchors, owner_of
from ._dates import article_year, find_dates, heading_date
from ._doc import _APOS, Sentence, Tokens, head_tokens, lower_text
from ._lexicon import Lexicons, lexicons
from ._lists import find_named_lists, find_place_takings, read_loss_lists
from ._metrics import NounPhrase, _list_between, find_metric, noun_before, read_noun_phrase, sentence_person_category
from ._numbers import Quantity, find_quantities
from ._places import find_places
from ._sentences import split_sentences
from ._stance import _ANAPHORIC, find_denials
from ._subject import agent_before, subject_side

_log = logging.getLogger("counterclaim.claims")

__all__ = ["extract", "detect_conflict", "EXTRACTOR_VERSION"]

EXTRACTOR_VERSION = "0.4.0"
_PERSON_METRICS = {"killed", "wounded", "killed_or_wounded", "captured", "missing"}


@dataclass
class _State:
    """Discourse across sentences: the previous speaker and the side in focus."""

    last: ActorRef | None = None
    last_sent: int = -10
    focus: str | None = None
    focus_sent: int = -10
    day: str | None = None
    history: list | None = None  # resolved actors, most recent last
    voice: ActorRef | None = None   # the article's own partisan voice (press release, state media), if any
    statement: ActorRef | None = None   # the speaker of a lead line ending in a colon ("The ministry reports:")

    def remember(self, ref: "ActorRef", sidx: int) -> None:
        self.last, self.last_sent = ref, sidx
        if self.history is None:
            self.history = []
        self.history.append(ref)
        del self.history[:-20]


def detect_conflict(article: Article) -> str | None:
    """The conflict id an article is about (by actor, demonym and place hits), or None.

    Same count as ``detect_conflict_text`` (the conflict with most hits, at least 2), but the scan
    runs over the lower-cased text with case-sensitive copies of the detectors: about 4x faster
    than ``re.IGNORECASE`` on every character of every article.
    """
    from ._actors import _detectors
    sample = ((article.title or "") + "\n" + article.text)[:12000].lower()
    best: str | None = None
    best_score: float = 1.0
    for res in _detectors():
        pat = res.detect_re
        low = _LOWER_DETECT.get(pat)
        if low is None:
            if len(_LOWER_DETECT) > 64:
                _LOWER_DETECT.clear()
            low = _LOWER_DETECT.setdefault(pat, re.compile(pat.pattern, pat.flags & ~re.IGNORECASE))
        score: float = float(len(low.findall(sample)))
        if score == 1 and best is None and _loss_list_heading(sample):   # claims-quality
            score = 1.5     # a bare loss list naming one conflict's actor once: enough to read it
        if score > best_score:
            best, best_score = res.conflict.id, score
    return best


def _loss_list_heading(sample: str) -> bool:  # claims-quality
    """Whether the lower-cased text carries a daily loss-list heading ("total combat losses of the enemy")."""
    return any(h in sample for h in lexicons().list_headings)


_LOWER_DETECT: dict[re.Pattern, re.Pattern] = {}


def _phrases_re(phrases) -> re.Pattern:
    """One regex over the article's normal form (``lower_text``) matching any of the phrases where no
    letter touches either end (a trie: C-speed). Looser than token matching on purpose: a false hit
    only costs time, a miss would lose a claim."""
    from ._trie import trie_pattern
    body = trie_pattern(p.replace("’", "'") for p in phrases if p[:1].isalnum())
    return re.compile(r"(?<![^\W\d_])(?:%s)(?![^\W\d_])" % body if body else r"(?!x)x")


def _prefilter_re(lex: Lexicons, res: ConflictRes) -> re.Pattern:
    """Claim cues: loss/capture verbs, counted nouns, denial cues and the conflict's own vocabulary.
    A sentence without one can hold no claim (the fast path skips everything but discourse state)."""
    from ._lexicon import load_lexicon
    met = load_lexicon("metrics")
    st = load_lexicon("stance")
    phrases = [str(w) for c in met["cues"] for w in c["words"]]
    phrases += [str(w) for c in met["counted_nouns"] for w in c["words"]]
    phrases += [str(w) for w in st["deny_cues"]] + [str(w) for w in st["territory_denials"]]
    phrases += [w for ws in res.conflict.vocabulary.values() for w in ws]
    phrases.append("hands")         # "remained in Ukrainian hands" (a denial read in code: _stance)
    return _phrases_re(phrases)


def _speech_re(lex: Lexicons) -> re.Pattern:
    """Attribution cues (speech verbs, "according to", "Baku's figures"): a sentence with one may set
    the speaker that later sentences continue, so it is tokenised even without a claim cue."""
    from ._attribution import _FIGURE_NOUNS
    from ._lexicon import load_lexicon
    att = load_lexicon("attribution")
    return _phrases_re([str(w) for w in att["speech_verbs"]] + [str(w) for w in att["according_to"]]
                       + sorted(_FIGURE_NOUNS))


_PREFILTER: dict = {}

#: Skip sentences without a cue before tokenising them (the fast path). Tests switch it off to prove
#: the skip changes no claim (``tests/test_claims_fastpath.py``); nothing else should touch it.
FAST_PATH = True


_LOCAL_TITLES = {"mayor", "governor", "administration", "head"}   # claims-quality: local officials speak for their place


def _resolve(ref: ActorRef | None, state: _State, res: ConflictRes, lex: Lexicons, sidx: int,
             place_side=None, quoted: bool = False) -> ActorRef | None:
    """Fill pronouns and side-less titles from the discourse; None for unnamed sources."""
    if ref is None or ref.how == "unnamed":
        return None
    if ref.how == "pronoun":
        if ref.raw.lower() in ("we", "our", "us") and state.voice is None and not quoted:
            return None     # "We have confirmed eighteen deaths": the writer's own organisation (an NGO report)
        if ref.raw.lower() in ("he", "she") and state.history:
            persons = [h for h in state.history if h.how == "name" and h.side and " " in h.raw.strip() or
                       (h.how == "name" and h.side and h.raw[:1].isupper() and h.raw.lower() not in ("baku", "yerevan",
                                                                                                      "moscow", "kyiv"))
                       or (h.how == "kind" and h.side and any(w in lex.person_titles for w in h.raw.lower().split()))]
            if persons:
                p = persons[-1]
                return ActorRef(p.id, p.side, ref.raw, p.kind, "pronoun", ref.start, ref.end)
        if state.focus and state.focus_sent == sidx - 1 and state.last_sent < state.focus_sent:
            return ActorRef(actor_for_kind(res, state.focus, "gov", lex), state.focus, ref.raw, "gov", "focus",
                            ref.start, ref.end)
        if state.last is not None:
            return ActorRef(state.last.id, state.last.side, ref.raw, state.last.kind, "pronoun", ref.start, ref.end)
        return None
    if ref.side is None:
        same_kind = [h for h in (state.history or []) if h.kind == ref.kind and h.side]
        # claims-quality: "the ministry" goes to the latest actor called a ministry, not "Ukraine's military"
        head = ref.raw.lower().split()[-1] if ref.raw.strip() else ""
        same_word = [h for h in same_kind if head and head in h.raw.lower().split()]
        same_kind = same_word or same_kind
        side = same_kind[-1].side if same_kind else None
        if side is None and place_side is not None and ref.kind in ("milad", "gov") and (ref.kind == "milad" or (
                ref.raw.strip() and ref.raw.lower().split()[-1] in _LOCAL_TITLES)):
            side = place_side()     # claims-quality: "A Russian missile hit Kramatorsk. The regional administration ..."
        if side is None and ref.kind:
            side = res.kind_owner.get(ref.kind)     # a kind of body only one side has ("regional military administration")
        if side is None:
            side = state.last.side if state.last is not None else state.focus
        if side is None and state.voice is not None:
            side = state.voice.side
        if side is None:
            return None
        return ActorRef(actor_for_kind(res, side, ref.kind, lex), side, ref.raw, ref.kind, "continuation",
                        ref.start, ref.end)
    if ref.id is None:
        ref.id = actor_for_kind(res, ref.side, ref.kind, lex)
    return ref


def _scope(toks: Tokens, lex: Lexicons) -> str | None:
    low = toks.low
    cum = inc = False
    inc_f, cum_f = lex.increment.first, lex.cumulative.first
    if inc_f.keys().isdisjoint(low) and cum_f.keys().isdisjoint(low):
        return None                     # no scope word at all (most sentences): one C-level set test
    for k in range(len(low)):
        if low[k] not in inc_f and low[k] not in cum_f:
            continue
        if lex.increment.match(low, k):
            inc = True
        elif lex.cumulative.match(low, k):
            cum = True
    return "increment" if inc else "cumulative" if cum else None


def _valid(q: Quantity, np: NounPhrase, lex: Lexicons, toks: Tokens) -> bool:
    if q.kind == "the" and not np.named and not any(m[0] in ("enemy", "side") and m[2] == q.i + 1 for m in np.markers) \
            and not (np.group == "person" and q.i > 0 and toks.low[q.i - 1] in ("killing", "killed", "wounding", "wounded",
                                                                                 "injuring", "injured", "capturing")):
        return False
    if np.category in lex.named_only and q.kind in ("the", "single") and not np.named:
        return False
    if q.kind in ("single", "the") and not np.singular:
        return False
    if q.kind == "none" and np.metric and not np.before:
        return False
    if q.kind == "digits" and ((q.ni > 0 and toks.low[q.ni - 1] in lex.months)
                               or (q.nj < len(toks) and toks.low[q.nj] in lex.months)):
        return False
    if q.kind == "digits" and q.value is not None and 1900 <= q.value <= 2100 and "," not in toks.text[q.ni]:
        if q.ni > 0 and (toks.low[q.ni - 1] in lex.months or toks.low[q.ni - 1] in ("in", "of", "since", "until")):
            return False
    return True


def _claim_date(dates: list[tuple[int, int, str]], pos: int, state: _State) -> str | None:
    before = [d for d in dates if d[1] <= pos]
    if before:
        return before[-1][2]
    if dates:
        return dates[0][2]
    return state.day


def extract(article: Article, *, conflict: str | Conflict | None = None) -> list[Claim]:
    """Every claim in an article's cleaned text, with provenance (pure; lexicons cached)."""
    text = article.text or ""
    if not text.strip():
        return []
    if isinstance(conflict, Conflict):
        conf = conflict
    else:
        cid = conflict or detect_conflict(article)
        if cid is None:
            return []
        conf = load_conflict(cid)
    res = conflict_resources(conf)
    lex = lexicons()
    pre = _PREFILTER.get((id(lex), id(res)))
    if pre is None:
        if len(_PREFILTER) > 64:
            _PREFILTER.clear()
        pre = _PREFILTER.setdefault((id(lex), id(res)), _prefilter_re(lex, res))
    speech_re = _PREFILTER.get(("speech", id(lex)))
    if speech_re is None:
        speech_re = _PREFILTER.setdefault(("speech", id(lex)), _speech_re(lex))
    year = article_year(article.published, text)
    state = _State()
    claims: list[Claim] = []

    def make(sent: Sentence, actor: ActorRef | None, subject: str, metric: str, category: str, value, vmax, approx,
             stance, places, date, rule, nspan, scope, conf_: float, increment=None, span=None) -> None:
        cl_side: str = (actor.side or "") if actor else "OUTLET"
        cl_id: str = (actor.id or actor.side or "") if actor else "OUTLET"
        a, b = span or (sent.start, sent.end)
        claims.append(Claim(doc=article.doc, claimant_side=cl_side, claimant=cl_id, subject_side=subject,
                            metric=metric, category=category, value=value, value_max=vmax, approx=approx,
                            stance=stance, places=places, date=date, evidence=text[a:b], article_id=article.id,
                            conflict=conf.id, span=(a, b), number_span=nspan, rule=rule,
                            actor_raw=actor.raw if actor else None, scope=scope, increment=increment,
                            confidence=conf_))

    prev_claimant: ActorRef | None = None
    prev_had_anchor = False
    bullet_ctx: dict | None = None
    place_cat: dict[str, str] = {}
    _home: list = []

    def home_side() -> str | None:
        """The belligerent whose country the article names most (where an organisation's civilian toll falls)."""
        if not _home:
            counts = {}
            for s in conf.sides.values():
                if s.enemy:
                    counts[s.code] = 3 * sum(text.count(nm) for nm in (*s.places, *s.capitals) if len(nm) > 3) + sum(
                        text.count(f"in {nm}") for nm in s.names if len(nm) > 3)
            best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
            _home.append(best[0] if best[1] else None)
        return _home[0]
    # A press release titled by its author ("Ministry of Defence of X: information on ...") speaks in that voice.
    voice: ActorRef | None = None
    if article.title:
        from ._doc import tokenize as _tok
        from ._actors import resolve_actor as _ra
        tt = _tok(article.title[:200])
        cut = next((k for k, w in enumerate(tt.low) if w in (":", "-", "–", "—", "|")), len(tt))
        v = _ra(tt, 0, cut, res, lex, near=0) if cut < len(tt) else None
        if v is not None and v.side and v.how in ("name", "kind") and v.start == 0:
            v.id = v.id or actor_for_kind(res, v.side, v.kind, lex)
            voice = v
            state.statement = v         # the text under an author's title is the author's statement
        elif any(w in lex.enemy_markers.first for w in tt.low):
            # "Azerbaijani Army liberates heights, the enemy suffers losses": partisan headline voice
            sides_t = {m[1] for k in range(len(tt)) if (m := res.sides.match(tt.low, k)) and conf.enemy(m[1])
                       and tt.text[k][:1].isupper()}
            if len(sides_t) == 1:
                s0 = sides_t.pop()
                voice = ActorRef(actor_for_kind(res, s0, "gov", lex), s0, "", "gov", "title-voice")
    state.voice = voice
    low_text: str | None = text.lower().translate(_APOS)
    if len(low_text or "") != len(text):
        low_text = None                     # rare (e.g. "İ"): sentences lower-case themselves, as tokenize does
    fast = FAST_PATH
    head_n = 5 + res.sides.maxlen
    for sent in split_sentences(text):
        n_before = len(claims)
        try:
            sidx = sent.index
            if sent.line_start and sent.line_end:
                hd = heading_date(sent.text, year)
                if hd:
                    state.day = hd
                    continue
            is_item = sent.line_start and sent.text[:1] in "-•*–·" or (sent.line_start and sent.text[:1].isdigit()
                                                                         and len(sent.text) < 120)
            if bullet_ctx is not None and not is_item:
                bullet_ctx = None
            if low_text is not None:
                sent.lower = low_text[sent.start:sent.end]
            has_cue = True
            if fast and bullet_ctx is None:
                ltext = sent.lower if sent.lower is not None else lower_text(sent.text)
                has_cue = pre.search(ltext) is not None
                if not has_cue and speech_re.search(ltext) is None:
                    # No claim cue and no attribution cue: the full path would find no anchor and no claim,
                    # so only its discourse updates remain: the side named up front takes the focus, and
                    # the previous sentence no longer holds an anchor.
                    ht = head_tokens(sent.text, head_n, sent.start, sent.lower)
                    for k in range(min(5, len(ht))):
                        m = res.sides.match(ht.low, k)
                        if m and ht.text[k][:1].isupper():
                            state.focus, state.focus_sent = m[1], sidx
                            break
                    prev_had_anchor = False
                    continue
            toks = sent.toks()
            anchors = find_anchors(toks, res, lex)
            if state.voice is None and state.last is None and any(
                    an.actor is not None and an.actor.side is None and an.actor.how in ("kind", "pronoun") for an in anchors):
                state.voice = _sentence_voice(toks, res, lex)
            resolved: list[ActorRef | None] = []
            for an in anchors:
                if resolved and an.actor is not None and an.actor.how == "pronoun" and not an.inherit \
                        and an.actor.raw.lower() in ("it", "he", "she", "they"):
                    # "Amnesty International ... said it had documented 72", "Lysak reported 61, a figure he later
                    # lowered to 57": the pronoun is the speaker just named in the same sentence
                    resolved.append(resolved[-1])
                    continue
                r = _resolve(an.actor, state, res, lex, sidx, place_side=lambda an=an: _place_side_before(
                    text, toks.start[an.actor.start] if an.actor.start < len(toks) else sent.start, res),
                    quoted=an.actor is not None and an.actor.how == "pronoun" and any(
                        w in _QUOTE_MARKS for w in toks.low[:an.actor.start]))
                resolved.append(r)
                if r is not None and r.side:
                    state.remember(r, sidx)
                elif an.actor is not None and an.actor.how == "unnamed" and an.actor.raw[:1].isupper() \
                        and an.kind == "speech" and not an.inherit:
                    state.last, state.last_sent = None, sidx     # a named non-party (an NGO) now holds the floor
            said = [r for r in resolved if r is not None and r.side]
            if said and sent.text.rstrip().endswith(":") and anchors[-1].j >= len(toks) - 12:
                # "The Ministry of Defence of the Russian Federation reports:" - what follows is its statement
                state.statement = said[-1]
            elif state.statement is not None and any(r.side != state.statement.side for r in said):
                state.statement = None      # another speaker: the statement is over
            if not anchors:
                for k in range(min(5, len(toks))):
                    m = res.sides.match(toks.low, k)
                    if m and toks.text[k][:1].isupper():
                        state.focus, state.focus_sent = m[1], sidx
                        break
            if not has_cue:
                # attribution only: what the full path would leave behind after finding no claim
                if anchors:
                    last_ok = [r for r in resolved if r is not None]
                    prev_claimant = last_ok[-1] if last_ok else None
                prev_had_anchor = bool(anchors) and prev_claimant is not None
                continue
            barriers = frozenset(p for an in anchors for p in range(an.i, an.j))
            quants = find_quantities(toks, lex)
            dates = find_dates(sent.text, year, sent.start)
            scope = _scope(toks, lex)
            places_all = find_places(toks, res, lex)
            sent_claims_start = len(claims)
            qpos: dict[int, int] = {}
            used_metrics: dict[str, list[int]] = {}

            def claimant_for(pos: int) -> tuple[ActorRef | None, Anchor | None]:
                an = owner_of(anchors, pos)
                if an is None:
                    return None, None
                if an.i > pos:
                    # a later anchor owns the number only as a closing attribution (", the ministry said"),
                    # not when it starts a new coordinated clause (", and the ministry said that ...")
                    a0 = an.actor.start if an.actor is not None and an.actor.how != "unnamed" else an.i
                    if any(toks.low[k] in ("and", "but", "while", ";", "whereas") for k in range(max(pos, a0 - 3), a0)):
                        return None, None
                return resolved[anchors.index(an)], an

            def place_names(lo: int, hi: int | None = None) -> list[str]:
                if hi is None:
                    return [p[0] for p in places_all]
                return [p[0] for p in places_all if p[1] >= lo and p[2] <= hi]

            items: list[tuple[Quantity, NounPhrase, list[str] | None]] = []
            np: NounPhrase | None
            names: list[str] | None
            for nl in find_named_lists(toks, lex):
                q = Quantity(nl.i, nl.j, nl.i, nl.j, len(nl.names), None, "exact", "list")
                np = NounPhrase(nl.category, nl.group, nl.noun[0], nl.noun[1], True, False, True, [])
                names = [" ".join(toks.text[a:b]) for a, b in nl.names]
                items.append((q, np, names))
            listed = {k for q, _, _ in items for k in range(q.i, q.j)}
            parts = _partitions(toks, quants, lex)
            for q in quants:
                if q.i in listed:
                    continue
                np = read_noun_phrase(toks, q, res, lex)
                if np is None and q.kind in ("digits", "words", "vague"):
                    np = noun_before(toks, q, res, lex)
                if q.i in parts[1]:
                    continue            # "of the 90 drones launched, 64 were shot down": the whole is no claim
                if np is None and q.i in parts[0]:
                    np = parts[0][q.i]
                low_ = toks.low
                if q.i >= 2 and low_[q.i - 1] in ("them", "whom") and low_[q.i - 2] in ("among", "of", "including") \
                        and (items or any(x.value for x in quants if x.i < q.i and x.kind in ("digits", "words", "vague"))):
                    continue            # "four soldiers, among them two officers": a breakdown adds nothing
                    # (but "hit military objects, among them a command post" counts what nothing else counted)
                if np is None and q.j + 1 < len(toks) and low_[q.j] == "of" and low_[q.j + 1] in ("them", "those", "these"):
                    if any(x[0].value for x in items):
                        continue        # "12 soldiers ..., two of them officers": a breakdown of a stated count
                    # "... hid Grad launchers and two of them were destroyed": the count refers back to a bare plural
                    ante = next(((k, m_) for k in range(q.i - 1, -1, -1)
                                 if (m_ := lex.categories.match(low_, k)) is not None and m_[1][2]), None)
                    if ante is None:
                        continue
                    cat_ = ante[1][1]
                    if ante[0] > 0 and (m_ := lex.categories.match(low_, ante[0] - 1)) is not None and m_[1][1] == cat_[1]:
                        cat_ = m_[1]     # "Grad launchers": the model names the kind
                    np = NounPhrase(cat_[0], cat_[1], q.j, q.j + 2, True, False, False, [])
                if np is None or not _valid(q, np, lex, toks):
                    continue
                if q.j + 1 < len(toks) and low_[q.j] == "of" and low_[q.j + 1] in ("them", "whom", "those", "these") \
                        and np.start != q.j and any(x[0].value for x in items):
                    continue            # "two of them civilians", "several of them"
                if np.group == "person" and np.end + 1 < len(toks) and low_[np.end] == "among" and low_[np.end + 1] in (
                        "them", "the", "whom") and any(x[1] is not None and x[1].group == "person" and x[0].value
                                                       for x in items):
                    continue            # "four people were wounded, a 9-year-old girl among them": a breakdown
                if q.i >= 2 and low_[q.i - 1] == "the" and low_[q.i - 2] == "of" and q.i >= 3 and low_[q.i - 3][:1].isdigit():
                    continue            # "20 of the 31 drones": the second number is the whole, not a claim
                tail = " ".join(low_[np.end:np.end + 4]) if not np.before else " ".join(low_[q.j:q.j + 4])
                if q.kind in ("the", "single") and q.i > 0 and low_[q.i - 1] in (
                        "in", "near", "at", "around", "from", "of", "outside", "on", "onto", "into", "inside", "across",
                        "toward", "towards") \
                        and not lex.metric_cues.match_ending(low_, q.i) \
                        and not (low_[q.i - 1] == "of" and lex.metric_cues.match_ending(low_, q.i - 1)):  # claims-quality
                    continue            # "a position in the Hadrut region": a place, not a thing taken
                if np.group == "person" and q.i > 0 and any(low_[k] in ("including", "among") for k in
                                                            range(max(0, q.i - 2), q.i)) and any(
                        x[1] is not None and x[1].group == "person" for x in items):
                    continue            # "five people were killed, including a girl": a breakdown
                incl = next((k for k in range(q.i - 1, -1, -1) if low_[k] in ("including", "includes")), None)
                if incl is not None and not np.before and any(
                        x[1] is not None and x[0].i < incl and x[1].category == np.category and x[0].value is not None
                        for x in items) and not any(low_[k] in (";", ".") for k in range(incl, q.i)):
                    continue            # "60 air defence systems, including several S-300s and dozens of Osas"
                if tail.startswith(("on both sides", "for both sides", "on the two sides", "from both sides")) or \
                        _both_sides_after(low_, max(q.j, np.end)):
                    continue            # totals for both sides at once are not claims
                if q.i >= 1 and low_[q.i - 1] in ("including", "includes") and items and items[-1][1] is not None \
                        and items[-1][1].category == np.category:
                    continue            # "7 drones, including a Bayraktar": a breakdown of the same kind
                if q.kind == "single" and items and items[-1][1] is not None and items[-1][1].group == np.group == "person" \
                        and items[-1][0].kind not in ("single",) and q.i > 0 and toks.low[q.i - 1] == "," \
                        and items[-1][1].end == q.i - 1:
                    continue            # "two civilians, a woman and her grandson": a breakdown adds nothing
                items.append((q, np, None))
            # elliptical counts: "had lost 84 servicemen and Azerbaijan had lost more than 400"
            for q in quants:
                if q.kind not in ("digits", "words") or q.i in listed or any(x[0] is q for x in items):
                    continue
                nxt_ = q.j + 1 if q.j < len(toks) and toks.low[q.j] in ("more", "others", "other") else q.j
                if nxt_ < len(toks) and (toks.low[nxt_][:1].isalpha() and toks.low[nxt_] not in (
                        "since", "on", "in", "at", "during", "over", "along")):
                    continue
                prev_np = next((x[1] for x in reversed(items) if x[0].i < q.i and x[1] is not None), None)
                revised = q.i > 1 and toks.low[q.i - 1] in ("then", "later", "now") and toks.low[q.i - 2] == ","
                if prev_np is not None and q.i > 0 and (revised or lex.metric_cues.match_ending(
                        toks.low, q.i - (1 if q.approx == "exact" else 0)) or (  # claims-quality: ", then four",
                        q.i > 1 and toks.low[q.i - 2] in ("and", ",") and lex.metric_cues.match_ending(toks.low, q.i))):
                    # "killed three civilians and injured 11": a second verb with a bare count shares the noun
                    items.append((q, NounPhrase(prev_np.category, prev_np.group, q.i, q.j, True, False, False,
                                                [("prev", "", q.i)] if revised else []), None))
            # a town named right after a capture verb: "liberated Shusha", "took full control of Kherson" (one town)
            if res.towns is not None and not res.towns.first.keys().isdisjoint(toks.low):
                tf = res.towns.first
                covered_t = {k for q_, np_, _ in items if np_ is not None for k in range(q_.i, max(q_.j, np_.end))}
                for k in range(1, len(toks)):
                    if toks.low[k] not in tf or k in covered_t or not toks.text[k][:1].isupper():
                        continue
                    m = res.towns.match(toks.low, k)
                    if not m:
                        continue
                    cue = lex.metric_cues.match_ending(toks.low, k) or res.vocab.match_ending(toks.low, k)
                    if cue is None and toks.low[k - 1] in ("of", "over"):
                        cue = lex.metric_cues.match_ending(toks.low, k - 1) or res.vocab.match_ending(toks.low, k - 1)
                    if cue is None or cue[1].get("territory") != "territory_captured":
                        continue
                    if cue[0] > 0 and toks.low[cue[0] - 1] in ("in", "of", "from", "near", "across", "the", "newly"):
                        continue        # "in occupied Zaporizhzhia", "the liberated Kherson": an adjective (claims-quality)
                    q = Quantity(k, k, k, k + m[0], 1, None, "exact", "named")
                    np = NounPhrase("town", "territory", k, k + m[0], False, True, True, [])
                    items.append((q, np, [" ".join(toks.text[k:k + m[0]])]))
            # claims-quality: a named place as the subject of a capture ("Madagiz was taken by ...", "Shusha is under
            # Azerbaijani control"): one place, its kind from the conflict's town list or the article
            if any(toks.low[k] in ("was", "is", "were", "has", "had") and toks.text[k - 1][:1].isupper()
                   for k in range(1, len(toks))):
                covered_p = {k for q_, np_, _ in items if np_ is not None for k in range(q_.i, max(q_.j, np_.end))}
                for a_, b_, cat_p, mk_p, ci_, cj_ in find_place_takings(toks, res, find_places(toks, res, lex), text, lex):
                    if a_ not in covered_p:
                        items.append((Quantity(a_, a_, a_, b_, 1, None, "exact", "named"),
                                      NounPhrase(cat_p, "territory", a_, b_, False, True, True, mk_p,
                                                 inner_cue=(ci_, cj_, {"territory": "territory_captured"})),
                                      [" ".join(toks.text[a_:b_])]))
            # bare plurals governed by a loss/capture verb in an attributed sentence: "took control of heights",
            # "destroyed Armenian artillery pieces and vehicles" -> value null, approx none
            if anchors:
                last_bare = None
                covered = {k for q_, np_, _ in items if np_ is not None for k in range(q_.i, max(q_.j, np_.end))}
                cf = lex.categories.first
                for k in (range(len(toks)) if not cf.keys().isdisjoint(toks.low) else ()):
                    if toks.low[k] not in cf or k in covered:
                        continue
                    m = lex.categories.match(toks.low, k)
                    if not m or not m[1][2] or m[1][3] or m[1][0] in lex.named_only:
                        continue
                    s0 = k
                    while s0 > 0 and (res.sides.match(toks.low, s0 - 1) or lex.modifiers.match(toks.low, s0 - 1)) \
                            and toks.low[s0 - 1] not in ("the", "of", "its", "their", "our"):
                        s0 -= 1
                    if s0 > 0 and (toks.low[s0 - 1][:1].isdigit() or toks.low[s0 - 1] in lex.quantity_words.first
                                   or toks.low[s0 - 1] in ("the", "a", "an", "these", "those", "its", "their", "our")):
                        continue
                    q = Quantity(s0, s0, s0, s0, None, None, "none", "none")
                    np = read_noun_phrase(toks, q, res, lex)
                    if np is None or np.start != k or s0 == 0:
                        continue
                    cue = lex.metric_cues.match_ending(toks.low, s0) or res.vocab.match_ending(toks.low, s0)
                    if cue is None and s0 > 1 and toks.low[s0 - 1] in ("and", ",") and last_bare is not None \
                            and last_bare[0] == s0 - 1:
                        cue = last_bare[1]
                    if cue is None or not cue[1].get(np.group):
                        continue
                    if cue[0] >= 2 and toks.low[cue[0] - 1] == "of" and toks.low[cue[0] - 2] in (
                            "list", "lists", "names", "number", "register", "database"):
                        continue        # "its list of killed servicemen": a list, not a claim (claims-quality)
                    last_bare = (np.end, cue)
                    items.append((q, np, None))
                    covered.update(range(s0, np.end))
            items.sort(key=lambda x: x[0].i)
            last_payload = None
            along_end: int | None = None
            list_cue = None
            denials = find_denials(toks, res, lex)     # used by the rejected-report and denial passes below
            enemy_voice = bool(items) and (any(lex.enemy_markers.match(toks.low, k) for k in range(len(toks))
                                               if toks.low[k] in lex.enemy_markers.first) or (any(
                w in ("our", "we", "us") for w in toks.low) and not _writer_we(toks, lex)))
            for q, np, names in items:
                an_pos = q.i
                actor, anchor = claimant_for(an_pos)
                if actor is None and anchor is None and state.statement is not None:
                    st_ = state.statement
                    actor = ActorRef(st_.id, st_.side, st_.raw, st_.kind, "statement")
                if actor is None and (anchor is None or (enemy_voice and (anchor.actor is None or anchor.actor.how == "unnamed"))) \
                        and (enemy_voice or bullet_ctx is not None):   # claims-quality: "according to preliminary information"
                    src = state.last or voice
                    if src is not None:
                        actor = ActorRef(src.id, src.side, src.raw, src.kind, "voice")
                lo = anchor.j if anchor is not None and anchor.j <= q.i else 0
                mc = find_metric(toks, q, np, res, lex, lo=lo, barriers=barriers)
                if mc is None and bullet_ctx is not None and sent.line_start:
                    metric = bullet_ctx.get(np.group)
                    if metric:
                        from ._metrics import MetricCue
                        mc = MetricCue(metric, 0, 0, "list-header")
                if mc is None and last_payload is not None and q.i >= 2 and ((
                        " ".join(toks.low[max(0, q.i - 3):q.i]).endswith(("along with", "as well as", "in addition to",
                                                                          "together with", "plus"))) or (
                        along_end is not None and _list_between(toks, along_end, q.i, res, lex))):
                    metric = last_payload[0].get(np.group)
                    if metric:
                        from ._metrics import MetricCue
                        mc = MetricCue(metric, last_payload[1], last_payload[2], last_payload[3],
                                       last_payload[0].get("agent_is_subject", False))
                        along_end = np.end
                if mc is None and list_cue is not None and q.i > 0 and toks.low[q.i - 1] in (",", "and") \
                        and 0 <= q.i - list_cue[0] <= 8 and not any(toks.low[k] in (";", ":", ".") or k in barriers
                                                                     for k in range(list_cue[0], q.i)):
                    metric = list_cue[1].get(np.group)
                    if metric:
                        from ._metrics import MetricCue
                        mc = MetricCue(metric, list_cue[2], list_cue[3], "before", list_cue[1].get("agent_is_subject", False))
                if mc is None or mc.hypothetical:
                    continue
                if mc.where == "before":
                    pl = lex.metric_cues.match(toks.low, mc.i) or res.vocab.match(toks.low, mc.i)
                    if pl:
                        list_cue = (np.end, pl[1], mc.i, mc.j)
                if mc.where in ("before", "after", "inner"):
                    pm = lex.metric_cues.match(toks.low, mc.i)
                    pb = lex.metric_cues.match_ending(toks.low, q.i) if q.i > 0 else None
                    if pb and len(pb[1]) > len(pm[1] if pm else {}):
                        last_payload = (pb[1], pb[0], q.i, "before")
                    elif pm:
                        last_payload = (pm[1], mc.i, mc.j, mc.where)
                category = np.category
                if mc.metric in _PERSON_METRICS and np.group != "person":
                    continue
                cl_side = actor.side if actor else None
                admission = bool(anchor and anchor.admission)
                prev_person = next((c for c in reversed(claims[sent_claims_start:]) if c.metric in _PERSON_METRICS
                                    and c.stance == "assert"), None)
                if np.metric and np.category == "people" and mc.where == "noun" and prev_person is not None \
                        and all(m[0] == "side" and m[1] == prev_person.subject_side for m in np.markers) \
                        and not any(m[0] == "side" and m[1] != prev_person.subject_side    # claims-quality: "while ...
                                    for m in _loss_owner(toks, q, res, lex)):                # put the Armenian toll at 200"
                    # "18 of its servicemen had been killed, 35 wounded": the bare count shares the noun and side
                    category = prev_person.category
                    np.markers = [("side", prev_person.subject_side, q.i)]
                if not np.markers:
                    np.markers = _loss_owner(toks, q, res, lex)
                    if np.markers and category == "people" and any(
                            m[0] == "side" and m[2] + 1 < len(toks) and toks.low[m[2] + 1] in lex.military_nouns
                            for m in np.markers):
                        category = "personnel"      # "the Armenian forces had lost 540 men" (the spec: people unless said)
                    if not np.markers and np.before and toks.low[np.start] in ("toll", "death", "military", "deaths", "dead",
                                                                              "fatalities", "fallen", "casualties"):
                        np.markers = [("own", "", np.start)]
                if category == "people" and np.metric:     # claims-quality: a toll noun takes the sentence's category
                    category = sentence_person_category(toks, lex, (min(q.i, np.start), max(q.j, np.end))) or category
                if not np.markers and q.i > 0 and mc.where == "after":
                    b = q.i - 1
                    if toks.low[b] in ("lost", "lose", "loses", "losing"):
                        ag = agent_before(toks, b, lo, res, lex)
                        ag = cl_side if ag == "OWN" else (res.conflict.enemy(cl_side) if ag == "ENEMY" and cl_side else ag)
                        if ag in res.conflict.sides:
                            np.markers = [("side", ag, b)]
                            if category == "people":
                                category = "personnel"      # "Russian forces lost 100,000 men"
                if q.kind == "the" and np.group == "person" and toks.low[q.i - 1].endswith("ing") \
                        and len(claims) > sent_claims_start and not np.markers:
                    np.markers = [("side", claims[-1].subject_side, q.i)]
                subj, srule = subject_side(toks, np.markers, mc.i, mc.j, mc.where, mc.agent_is_subject, cl_side,
                                           admission, res, lex, lo=lo, category=category, home_side=home_side(),
                                           civilian_thing=toks.low[np.end - 1] in lex.civilian_things)
                if np.markers and np.markers[0][0] == "prev" and len(claims) > sent_claims_start:
                    subj, srule = claims[-1].subject_side, "subject:revised-figure"   # ", then four": same thing
                if subj is None and actor is None:
                    subj, srule = _outlet_subject(toks, res, mc, q)
                    if subj is None and category == "civilians" and "both" not in toks.low:  # claims-quality
                        subj = _place_side_before(text, sent.start, res)   # "... in the city": the place just named
                        srule = "subject:outlet-previous-place"
                if subj is None:
                    continue
                approx = q.approx
                value = q.value
                stance = "assert"
                if q.kind == "none":
                    approx, value = "none", None
                if mc.where == "before" and mc.i > 0 and any(lex.deny_cues.match(toks.low, k) and toks.low[k] in (
                        "denied", "denies", "deny", "denying") for k in range(max(0, mc.i - 2), mc.i)) and q.kind != "zero":
                    # "denied losing a drone": the thing is denied, not counted
                    stance, value, approx = "deny", None, "none"
                    if mc.agent_is_subject and cl_side:
                        subj = cl_side
                places = names if names is not None else place_names(0)
                nspan = (toks.start[q.ni], toks.end[q.nj - 1]) if q.nj > q.ni else None
                conf_ = 0.9 if actor is not None and actor.how in ("name", "kind") else 0.75 if actor else 0.6
                if approx in ("vague", "none"):
                    conf_ -= 0.1
                if mc.metric == "territory_captured" and category != "area":
                    for pname, a_, b_ in places_all:
                        if (q.i <= a_ <= np.end + 3) or (names and pname in names):
                            place_cat.setdefault(pname.lower(), category)
                subjects = [subj]
                if value is not None and _each_side_after(toks.low, max(q.j, np.end)):
                    # "more than 2,000 had died on each side": one claim per belligerent (the spec)
                    subjects = [s_.code for s_ in conf.sides.values() if s_.enemy]
                    srule = "subject:each-side"
                for subj in subjects:
                    make(sent, actor, subj, mc.metric, category, value, q.value_max if value is not None else None,
                         approx, stance, places,
                         _claim_date(dates, toks.start[q.i], state), f"{q.kind}:{mc.where}:{srule}", nspan, scope, conf_)
                    qpos[id(claims[-1])] = q.i
                used_metrics.setdefault(mc.metric, []).append(q.i)
            # numbers inside a rejected report: the report's owner asserts them, the rejecting side denies
            consumed: set[int] = set()
            for c in list(claims[sent_claims_start:]):
                p0 = qpos.get(id(c))
                if p0 is None or c.stance != "assert":
                    continue
                rep = next((k for k in range(p0 - 1, max(-1, p0 - 13), -1) if toks.low[k] in _REPORT_NOUNS), None)
                if rep is None or any(rep < an.i < p0 for an in anchors):
                    continue
                d = next((d for d in denials if (d.j <= rep and rep - d.j <= 6) or d.i > p0), None)
                if d is None:
                    continue
                owner = None
                near = sorted(range(max(0, rep - 3), min(len(toks), rep + 5)), key=lambda x: abs(x - rep))  # claims-quality
                for k in near + list(range(rep - 4, max(-1, rep - 16), -1)):
                    m = res.sides.match(toks.low, k)
                    if m and toks.text[k][:1].isupper() and res.conflict.enemy(m[1]) and (
                            k >= rep - 3 or (k + m[0] < len(toks) and toks.low[k + m[0]] in _STATEMENT_NOUNS)):
                        owner = m[1]
                        break
                outside = [an for an in anchors if not (rep - 2 <= an.i <= p0) or (
                    an.j <= rep and an.actor is not None and an.actor.side)]   # "Stepanakert denied X reports" (claims-quality)
                an_d = owner_of(outside, d.j)
                denier = resolved[anchors.index(an_d)] if an_d is not None else None
                if denier is None:
                    denier = state.last if (d.i > p0 and state.last is not None) else voice
                if denier is None or not denier.side:
                    continue
                if owner is None and any(lex.enemy_markers.match(toks.low, k) for k in range(max(0, rep - 3), rep)):
                    owner = res.conflict.enemy(denier.side)     # "dismissed the adversary's claims that ..."
                consumed.add(d.i)
                if owner and owner != denier.side:
                    if "claimant-enemy" in c.rule:      # the subject was read as the speaker's enemy: the owner's enemy
                        c.subject_side = res.conflict.enemy(owner) or c.subject_side
                    elif "np-own" in c.rule and denier.side in res.conflict.sides:
                        # "Baku denies Armenian reports that one of its jets was downed": "its" is the denier's
                        c.subject_side = denier.side
                    c.claimant_side, c.claimant = owner, actor_for_kind(res, owner, "gov", lex)
                    c.actor_raw, c.rule = None, c.rule + ":reported"
                else:
                    claims.remove(c)
                make(sent, denier, c.subject_side, c.metric, c.category, None, None, "none", "deny", c.places, c.date,
                     "deny:rejected-report", c.number_span, scope, 0.7)
            # denials
            for d in denials:
                if d.i in consumed or (consumed and d.rule in ("deny:anaphoric", "deny:cue")):
                    continue        # the sentence's rejection was read with the report it rejects
                if d.rule == "deny:anaphoric":
                    if any(not c.stance == "deny" for c in claims[sent_claims_start:]) or any(
                            x.rule != "deny:anaphoric" for x in denials):
                        continue
                    actor, anchor = claimant_for(d.j)
                    if actor is None or not actor.side:
                        continue
                    cands = [c for c in reversed(claims[:sent_claims_start]) if c.claimant_side != actor.side
                             and c.stance == "assert" and c.claimant_side != "OUTLET"]
                    here = {p[0].lower() for p in places_all}
                    terr = _territory_words(toks)
                    # the denied claim names a place this sentence names ("rejected the report on Novoukrainka"):
                    # the name ties them however far apart; else a territorial claim or the lead figure of the
                    # last statement, just made
                    by_place = next((c for c in cands if here & {x.lower() for x in c.places}
                                     and c.span is not None and sent.start - c.span[1] <= 4000), None)
                    # "brushed the tank figure aside": the claim about the kind of thing the sentence names
                    cats_here = {m_[1][0] for k in range(len(toks)) if toks.low[k] in lex.categories.first
                                 and (m_ := lex.categories.match(toks.low, k)) is not None}
                    by_cat = next((c for c in cands[:12] if c.category in cats_here and c.span is not None
                                   and sent.start - c.span[1] <= 900), None) if cats_here else None
                    ref = by_place or by_cat or next(
                        (c for c in cands[:6] if terr and c.metric == "territory_captured"), None) or (
                        [c for c in cands if c.span == cands[0].span][-1] if cands else None)
                    # "Kyiv dismissed the figure as propaganda" right after Moscow's toll of its own civilians: a
                    # side may deny a figure about the other side too (the spec), when it is the figure just given
                    just_given = ref is not None and ref.span is not None and ref.subject_side != actor.side \
                        and ref.claimant_side == res.conflict.enemy(actor.side) and sent.start - ref.span[1] <= 400 \
                        and toks.low[d.thing[0]] in ("figure", "figures", "toll", "tally", "count", "number", "numbers")
                    if ref is None or (ref.subject_side != actor.side and not just_given) or ref.span is None or (
                            ref is not by_place and ref is not by_cat and (
                            text.count("\n\n", ref.span[1], sent.start) > 2 or sent.start - ref.span[1] > 900)):
                        continue        # a rejection of the other side's claim about one's own loss, or of its figure
                    ref_cat = ref.category
                    same_stmt = [c for c in cands if c.span == ref.span and c.metric == ref.metric]
                    if _group(ref.metric) == "equipment" and len({c.category for c in same_stmt}) > 1 and any(
                            w in ("figures", "claims", "reports", "rest", "numbers", "tallies") for w in toks.low):
                        ref_cat = "equipment"       # "dismissed the rest of the figures": a mixed list (claims-quality)
                    if ref.metric == "territory_captured" and ref_cat in ("area", "position"):
                        ref_cat = _territory_kind(toks, [(p, 0, 0) for p in ref.places] + places_all, place_cat, text,
                                                  res) or ref_cat
                    make(sent, actor, ref.subject_side, ref.metric, ref_cat, None, None, "none", "deny", list(ref.places),
                         _claim_date(dates, toks.start[d.i], state), d.rule, (toks.start[d.i], toks.end[d.j - 1]), scope, 0.5)
                    continue
                same = [p for m_, ps in used_metrics.items() if _group(m_) == _group(d.metric) for p in ps]
                if any(d.i <= p <= d.i + 14 for p in same):
                    continue
                actor, anchor = claimant_for(d.j)
                if actor is None:
                    if prev_had_anchor and prev_claimant is not None:
                        actor = prev_claimant
                    else:
                        actor = _statement_owner(toks, d.thing[0], res, lex)
                        if actor is None:
                            continue
                side = actor.side
                subj = None
                for typ, s, _k in d.markers:
                    if typ == "side":
                        subj = s
                        break
                    if typ == "agent" and res.conflict.enemy(s):
                        subj = res.conflict.enemy(s)
                        break
                    if typ == "enemy":
                        subj = res.conflict.enemy(side)
                        break
                    if typ == "own":
                        subj = side
                        break
                if subj is None:
                    subj = side if res.conflict.enemy(side) else None
                if subj is None:
                    continue
                cat_d = d.category
                if d.metric == "territory_captured" and cat_d == "area":
                    for pname, a_, b_ in places_all:
                        if (d.j <= a_ <= d.j + 8 or (d.rule == "deny:territory" and d.i - 6 <= a_ < d.i)) \
                                and pname.lower() in place_cat:
                            cat_d = place_cat[pname.lower()]
                            break
                if d.metric == "territory_captured" and cat_d in ("area", "position"):
                    # claims-quality: the denied place itself ("denied that Madagiz had fallen", "the reports about
                    # Gubadli were not true"), not a place the sentence mentions in passing ("near Talish")
                    denied = [p for p in places_all if (d.j <= p[1] <= d.j + 4 and toks.low[p[1] - 1] not in (
                        "near", "around", "in", "at", "outside")) or (p[1] < d.i and p[1] >= 2 and toks.low[p[1] - 1] in (
                            "about", "on", "of") and toks.low[p[1] - 2] in _REPORT_NOUNS)]
                    denied += [(toks.text[k], k, k + 1) for k in range(d.j, min(len(toks), d.j + 2))
                               if toks.text[k][:1].isupper() and toks.text[k][:1].isalpha()
                               and not res.sides.match(toks.low, k)]
                    # claims-quality: the held place as subject: "saying Novoselivka remained under Ukrainian control"
                    denied += [(toks.text[k], k, k + 1) for k in range(1, len(toks) - 1)
                               if toks.low[k + 1] in ("remained", "remains", "remain", "stayed", "stays")
                               and toks.text[k][:1].isupper() and toks.text[k][:1].isalpha()
                               and not res.sides.match(toks.low, k)]
                    cat_d = _territory_kind(toks, denied, place_cat, text, res, nouns=False) or cat_d
                    obj = next((w for w in toks.low[d.j:d.j + 3] if w not in ("the", "this", "that", "these", "those")),
                               "")
                    if cat_d == "area" and not denied and not _territory_words(toks) and (
                            toks.low[d.thing[1] - 1] in _ANAPHORIC or (d.thing[1] <= d.i and obj in _ANAPHORIC)):
                        # "dismissed the announcement", "denied it": the loss just claimed by the other side
                        just = next((c for c in reversed(claims[:sent_claims_start]) if c.stance == "assert"
                                     and c.metric == "territory_captured" and c.subject_side == subj
                                     and c.claimant_side not in (side, "OUTLET") and c.span is not None
                                     and sent.start - c.span[1] <= 900), None)
                        if just is not None:
                            cat_d = just.category
                make(sent, actor, subj, d.metric, cat_d, None, None, "none", "deny", place_names(0),
                     _claim_date(dates, toks.start[d.i], state), d.rule, (toks.start[d.i], toks.end[d.j - 1]), scope,
                     0.7 if anchor is not None else 0.55)
                used_metrics.setdefault(d.metric, []).append(d.i)
            _merge_singles(claims, sent_claims_start, text)
            if sent.text.rstrip().endswith(":") and not is_item:
                head_cue = None
                for k in range(len(toks) - 1, -1, -1):
                    m = lex.metric_cues.match(toks.low, k)
                    if m:
                        head_cue = m[1]
                        break
                bullet_ctx = head_cue
            if anchors:
                last_ok = [r for r in resolved if r is not None]
                prev_claimant = last_ok[-1] if last_ok else None
            prev_had_anchor = bool(anchors) and prev_claimant is not None
        except Exception as err:  # noqa: BLE001 - a rule's bug costs one sentence, not the article
            if os.environ.get("COUNTERCLAIM_DEBUG"):
                raise
            _log.warning("claims: rule error in %s, sentence %d (skipped): %s: %s", article.doc, sent.index,
                         type(err).__name__, err)
            del claims[n_before:]
            prev_had_anchor, bullet_ctx = False, None

    try:
        claims.extend(_list_claims(article, text, conf, res, lex, year))
    except Exception as err:  # noqa: BLE001 - as above: the prose claims stand without the list
        if os.environ.get("COUNTERCLAIM_DEBUG"):
            raise
        _log.warning("claims: list reading failed in %s (skipped): %s: %s", article.doc, type(err).__name__, err)
    return _dedupe(claims)


_REPORT_NOUNS = {"reports", "report", "information", "claims", "claim", "tally", "figures", "figure", "allegations",
                 "statements", "statement", "footage", "video", "announcement", "estimates", "estimate", "data",
                 "rumours", "rumors", "assertions", "assertion", "account", "accounts", "version", "suggestion",
                 "suggestions"}
_STATEMENT_NOUNS = {"side", "sources", "source", "claims", "claim", "statements", "statement", "reports", "report",
                    "media", "officials", "ministry", "military", "propaganda", "allegations", "figures", "data"}


def _statement_owner(toks: Tokens, before: int, res: ConflictRes, lex: Lexicons) -> ActorRef | None:
    """The rejecting side of an unattributed rejection of another side's statements
    ("statements from the Armenian side about ... were denounced as fake"): the other side."""
    low = toks.low
    for k in range(0, before):
        m = res.sides.match(low, k)
        if m and toks.text[k][:1].isupper() and k + m[0] < len(low) and low[k + m[0]] in _STATEMENT_NOUNS:
            other = res.conflict.enemy(m[1])
            if other:
                return ActorRef(actor_for_kind(res, other, "gov", lex), other, "", "gov", "rejection-of-other-side")
    return None


def _sentence_voice(toks: Tokens, res: ConflictRes, lex: Lexicons) -> ActorRef | None:
    """Whose institution "the ministry" is when nothing earlier says: the side the sentence is about,
    or, when the sentence speaks of "our" positions, the other side of the one it names."""
    sides = []
    for k in range(len(toks)):
        m = res.sides.match(toks.low, k)
        if m and toks.text[k][:1].isupper() and res.conflict.enemy(m[1]):
            sides.append(m[1])
    if not sides:
        return None
    own = any(w in ("our", "we", "us") for w in toks.low)
    side = (res.conflict.enemy(sides[0]) or sides[0]) if own and len(set(sides)) == 1 else sides[0]
    return ActorRef(actor_for_kind(res, side, "gov", lex), side, "", "gov", "sentence-voice")


def _territory_words(toks: Tokens) -> str | None:
    """The kind of place a sentence speaks of ("fighting for the town went on"), if it names one."""
    from ._places import _KIND_NOUNS
    for k in range(1, len(toks)):
        if toks.low[k - 1] in ("the", "this", "that") and toks.low[k] in _KIND_NOUNS:
            return _KIND_NOUNS[toks.low[k]]
    return None


def _territory_kind(toks: Tokens, places: list, place_cat: dict, text: str, res: ConflictRes,
                    nouns: bool = True) -> str | None:
    """A denied territorial loss's category: a named place's kind (earlier claims, the town list, how the
    article calls it), else the place noun the sentence uses ("the town"). claims-quality helper."""
    from ._places import place_kind
    for pname, _a, _b in places:
        k = place_cat.get(pname.lower()) or place_kind(pname, text, res)
        if k:
            return k
    return _territory_words(toks) if nouns else None


def _partitions(toks: Tokens, quants: list[Quantity], lex: Lexicons) -> tuple[dict[int, NounPhrase], set[int]]:
    """"Of the 90 drones launched, 64 were shot down": each bare count after the whole takes its noun
    (part index -> noun phrase), and the whole itself is no claim (the set of whole indices)."""
    low = toks.low
    parts: dict[int, NounPhrase] = {}
    wholes: set[int] = set()
    if "of" not in low:
        return parts, wholes
    for w in quants:
        if not (w.i >= 2 and low[w.i - 1] == "the" and low[w.i - 2] == "of" and w.kind in ("digits", "words")
                and (w.i == 2 or low[w.i - 3] in (",", ":", "-", "that"))):
            continue
        m = lex.categories.match(low, w.j)
        if m is None:
            continue
        cat, group, _pl, _sg = m[1]
        for q in quants:
            if q.i > w.j and q.kind in ("digits", "words") and low[q.i - 1] in (",", "and") \
                    and not any(x in (";", ".") for x in low[w.j:q.i]) and lex.categories.match(low, q.j) is None:
                parts[q.i] = NounPhrase(cat, group, w.j, w.j + m[0], True, False, False, [])
                wholes.add(w.i)
    return parts, wholes


def _each_side_after(low: list[str], k: int) -> bool:
    """"more than 2,000 on each side", "... for either army": the figure holds for each belligerent."""
    for p in range(k, min(len(low) - 2, k + 6)):
        if low[p] in (",", ";", ":", "and", "while", "but"):
            return False
        if low[p] in ("on", "for", "from", "among") and low[p + 1] in ("each", "either") and low[p + 2] in (
                "side", "army", "belligerent"):
            return True
    return False


def _both_sides_after(low: list[str], k: int) -> bool:
    """"5,000 people had died on both sides": a both-sides phrase later in the same clause (claims-quality)."""
    for p in range(k, min(len(low) - 2, k + 6)):
        if low[p] in (",", ";", ":", "and", "while", "but"):
            return False
        if low[p] in ("on", "for", "from", "among") and low[p + 1] == "both" and low[p + 2] in ("sides", "armies"):
            return True
        if low[p] in ("on", "for", "from", "among") and p + 3 < len(low) and low[p + 1] == "the" \
                and low[p + 2] == "two" and low[p + 3] in ("sides", "armies"):
            return True         # "... had died on the two sides combined"
    return False




def _writer_we(toks: Tokens, lex: Lexicons) -> bool:
    """"We have been able to confirm ...", "Our researchers verified ...": the writing organisation (an NGO, the
    outlet) reports its own findings, not a belligerent's "our units" voice."""
    low = toks.low
    for k, w in enumerate(low):
        if w == "our" and k + 1 < len(low) and (low[k + 1] in lex.writer_nouns or (
                low[k + 1] == "own" and k + 2 < len(low) and low[k + 2] in lex.writer_nouns)):
            return True
        if w == "we" and any(x in lex.writer_verbs for x in low[k + 1:k + 7]):
            return True
    return False


_QUOTE_MARKS = frozenset({'"', "“", "”", "«", "»"})


def _group(metric: str) -> str:
    return "person" if metric in _PERSON_METRICS else "territory" if metric == "territory_captured" else "equipment"


_LOSS_NOUNS = {"losses", "loss", "toll", "casualties", "dead", "deaths", "figure", "tally", "count"}
_LINK_BACK = {"stood", "stands", "at", "was", "were", "is", "are", "reached", "rose", "to", "had", "has", "have",
              "risen", "climbed", "now", "since", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "as", "put"}


def _loss_owner(toks: Tokens, q: Quantity, res: ConflictRes, lex: Lexicons) -> list:
    """Markers on a loss noun before a linked number: "its losses stood at 98 servicemen", "Baku's toll rose to 12"."""
    low = toks.low
    k = q.i - 1
    steps = 0
    while k >= 0 and low[k] in _LINK_BACK and steps < 6:
        k -= 1
        steps += 1
    if k < 0 or low[k] not in _LOSS_NOUNS or steps == 0:
        return []
    out = []
    for p in range(k - 1, max(0, k - 4) - 1, -1):
        if low[p] in ("its", "our", "their", "own"):
            out.append(("own", "", p))
        elif lex.enemy_markers.match(low, p):
            out.append(("enemy", "", p))
        else:
            m = res.sides.match(low, p)
            if m and toks.text[p][:1].isupper():
                out.append(("side", m[1], p))
    return out


def _place_side_before(text: str, start: int, res: ConflictRes) -> str | None:  # claims-quality
    """The party whose place or name was written last in the 300 characters before ``start``, or None."""
    from ._doc import tokenize
    toks = tokenize(text[max(0, start - 300):start])
    found = None
    for k in range(len(toks)):
        m = res.side_places.match(toks.low, k) or res.sides.match(toks.low, k)
        if m and toks.text[k][:1].isupper() and res.conflict.enemy(m[1]):
            found = m[1]
    return found


def _outlet_subject(toks: Tokens, res: ConflictRes, mc, q: Quantity) -> tuple[str | None, str]:
    """An unattributed claim's subject: the other side of a side's forces acting in the sentence."""
    low = toks.low
    sides = set()
    for k in range(len(low) - 1):
        m = res.sides.match(low, k)
        if m and toks.text[k][:1].isupper() and k + m[0] < len(low) and low[k + m[0]] in (
                "forces", "troops", "army", "military", "units", "side", "armed"):
            sides.add(m[1])
    sides = {s for s in sides if res.conflict.enemy(s)}
    if not sides and mc.metric in _PERSON_METRICS:
        # an unattributed civilian toll: the side where it happened ("12 civilian deaths in Ganja")
        for k in range(len(low)):
            m = res.side_places.match(low, k) or res.sides.match(low, k)
            if m and toks.text[k][:1].isupper() and res.conflict.enemy(m[1]) and k > 0 and low[k - 1] in (
                    "in", "near", "at", "around", "of"):
                return m[1], "subject:outlet-place"
    if len(sides) == 1:
        s = sides.pop()
        if mc.metric in ("territory_captured", "destroyed", "damaged", "seized", "killed", "captured"):
            return res.conflict.enemy(s), "subject:outlet-agent-other"
    return None, "subject:unknown"


def _merge_singles(claims: list[Claim], start: int, text: str) -> None:
    """"a woman and a child were killed": listed single people of one kind count together (2)."""
    k = start
    while k + 1 < len(claims):
        a, b = claims[k], claims[k + 1]
        singles = a.rule.startswith("single") + b.rule.startswith("single")
        # claims-quality: "a woman and her two children" (a single beside an exact count) counts together too
        if (((a.value == 1 and b.value == 1 and singles == 2)
             or (singles == 1 and a.approx == b.approx == "exact" and a.value and b.value
                 and a.value + b.value > 2 and (a.value == 1 or b.value == 1)))
                and a.key()[:4] == b.key()[:4] and a.metric in _PERSON_METRICS and a.number_span and b.number_span):
            between = text[a.number_span[1]:b.number_span[0]]
            if len(between) < 40 and re.search(r"(?:,|\band\b)", between) and not re.search(r"[;.]", between):
                a.value = (a.value or 0) + (b.value or 0)
                a.number_span = (a.number_span[0], b.number_span[1])
                del claims[k + 1]
                continue
        k += 1


def _list_claims(article: Article, text: str, conf: Conflict, res: ConflictRes, lex: Lexicons,
                 year: int | None) -> list[Claim]:
    """Claims from daily loss lists: the list owner's claim about its enemy, cumulative with increment."""
    items = read_loss_lists(text, lex)
    if not items:
        return []
    out = []
    for it in items:
        head_end = text.find("\n", it.heading_start)
        head = text[it.heading_start: head_end if head_end != -1 else len(text)]
        owner = None
        from ._doc import tokenize
        htoks = tokenize(head, it.heading_start)
        loser = None
        enemy_word = any(w in ("enemy", "enemy's", "adversary", "adversary's", "occupiers", "invaders")
                         for w in htoks.low)  # claims-quality
        loss_at = next((k for k, w in enumerate(htoks.low) if w == "losses"), len(htoks))  # claims-quality
        for k in range(len(htoks)):
            m = res.sides.match(htoks.low, k)
            if m and conf.enemy(m[1]):
                # claims-quality: "Ukraine's General Staff: losses of the enemy" names the owner, not the loser
                loser = conf.enemy(m[1]) if enemy_word and k < loss_at else m[1]
                break
        near_loss = next((m[1] for k in range(max(0, loss_at - 3), loss_at)
                          if (m := res.sides.match(htoks.low, k)) and conf.enemy(m[1])), None)
        if near_loss is not None and not enemy_word:
            loser = near_loss       # "Ukraine's General Staff ... tally of Russian losses": the side on "losses"
        owner_side = conf.enemy(loser) if loser is not None else None
        if owner_side is not None:
            aid = next((a.id for a in conf.actors if a.side == owner_side and a.kind == "genstaff"), None) \
                or actor_for_kind(res, owner_side, "mod", lex)
            owner = ActorRef(aid, owner_side, "", "mod", "list-heading")
        if owner is None:
            for a in conf.actors:
                if a.kind == "genstaff":
                    owner = ActorRef(a.id, a.side, "General Staff", "genstaff", "list-default")
                    break
        subject = conf.enemy(owner.side) if owner is not None else None
        if owner is None or owner.side is None or subject is None:
            continue
        if owner.id is None:
            owner.id = actor_for_kind(res, owner.side, owner.kind, lex)
        dates = find_dates(head, year, it.heading_start)
        out.append(Claim(doc=article.doc, claimant_side=owner.side, claimant=owner.id, subject_side=subject,
                         metric=it.metric, category=it.category, value=it.value, value_max=None, approx=it.approx,
                         stance="assert", places=[], date=dates[-1][2] if dates else None,
                         evidence=text[it.start:it.end], article_id=article.id, conflict=conf.id,
                         span=(it.start, it.end), number_span=(it.start, it.end), rule="list:loss-line",
                         actor_raw=owner.raw, scope="cumulative", increment=it.increment, confidence=0.9))
    return out


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per thing per article: the same side, subject, metric, category, value, approx and stance."""
    seen: set[tuple] = set()
    out = []
    for c in claims:
        k = (c.claimant_side, c.subject_side, c.metric, c.category, c.value, c.value_max, c.approx, c.stance)
        if k in seen:
            continue
        seen.add(k)
        out.append(c)
    return out
