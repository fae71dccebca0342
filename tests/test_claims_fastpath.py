"""The fast path (sentence prefilter, lazy tokens) changes no claim: extraction with it switched off
(every sentence through every stage) gives exactly the same claims, on the project corpus, the test
fixtures, the dev set and invented texts whose discourse state runs across skipped sentences."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.claims import _extract, extract
from counterclaim.claims._doc import Sentence, head_tokens, lower_text, tokenize
from counterclaim.errors import InputError
from counterclaim.ingest import prepare, read_sources
from counterclaim.records import Article, article_id

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = {".txt", ".md", ".html", ".htm"}


def _articles(paths: list[Path]) -> list[Article]:
    out = []
    for item in read_sources([str(p) for p in paths]):
        if isinstance(item, InputError):
            continue
        try:
            out.append(prepare(item))
        except InputError:
            continue
    return out


def _both(article: Article, monkeypatch, conflict: str | None = None) -> tuple[list[dict], list[dict]]:
    monkeypatch.setattr(_extract, "FAST_PATH", True)
    fast = [c.to_dict() for c in extract(article, conflict=conflict)]
    monkeypatch.setattr(_extract, "FAST_PATH", False)
    slow = [c.to_dict() for c in extract(article, conflict=conflict)]
    monkeypatch.setattr(_extract, "FAST_PATH", True)
    return fast, slow


def _files(*dirs: Path) -> list[Path]:
    return sorted(p for d in dirs for p in d.rglob("*") if p.suffix in SUFFIXES and p.name != "README.md")


def test_same_claims_on_corpus_and_fixtures(monkeypatch):
    arts = _articles(_files(ROOT / "examples" / "corpus", ROOT / "tests" / "fixtures"))
    assert len(arts) >= 40
    total = 0
    for a in arts:
        fast, slow = _both(a, monkeypatch)
        assert fast == slow, a.doc
        total += len(fast)
    assert total > 100            # the comparison is over real claims, not two empty lists


def test_same_claims_on_dev_set(monkeypatch, dev_dir):
    arts = _articles(sorted(dev_dir.glob("*.txt")))
    assert arts
    for a in arts:
        fast, slow = _both(a, monkeypatch)
        assert fast == slow, a.doc


def _art(text: str) -> Article:
    return Article(id=article_id(text), doc="fp.txt", source="test", format="txt", text=text,
                   published="2020-10-12", language="en")


# Invented texts where a sentence without any claim cue sits between a speaker and its continuation,
# or sets the side in focus that a pronoun then refers to.
DISCOURSE_TEXTS = [
    "Azerbaijani forces pressed on towards the south overnight.\nIt said 14 Armenian tanks were destroyed.",
    "The Armenian Defence Ministry spokeswoman briefed reporters in Yerevan on Friday.\n"
    "The weather over the mountains was cold and wet.\n"
    "It added that seven Azerbaijani drones were shot down.",
    "The Defence Army said its units held their lines. Fighting went on all night. "
    "Reports of the capture of the village by Azerbaijani troops are not true.",
    "Baku's figures tell a different story. They put Armenian losses at 2,300 servicemen killed.",
    "Azerbaijan's Defence Ministry said calm returned to the front.\n\nIt added: 4 Armenian howitzers "
    "and 11 servicemen were lost by the enemy.",
    "Residents of Ganja queued for bread on Sunday.\nAccording to Baku, 9 civilians were killed by Armenian shelling.",
]


@pytest.mark.parametrize("text", DISCOURSE_TEXTS)
def test_same_claims_across_skipped_sentences(text, monkeypatch):
    fast, slow = _both(_art(text), monkeypatch, conflict="nk")
    assert fast == slow


def test_fast_path_really_skips_tokenisation(monkeypatch):
    """The switch is not a no-op: the fast path tokenises fewer sentences than the full path."""
    text = "\n".join(["The weather was calm and the roads were quiet in the morning."] * 20
                     + ["The ministry said 12 Armenian tanks were destroyed."])
    calls = {"n": 0}
    orig = Sentence.toks

    def counting(self):
        calls["n"] += 1
        return orig(self)

    monkeypatch.setattr(Sentence, "toks", counting)
    monkeypatch.setattr(_extract, "FAST_PATH", False)
    slow = extract(_art(text), conflict="nk")
    n_slow, calls["n"] = calls["n"], 0
    monkeypatch.setattr(_extract, "FAST_PATH", True)
    fast = extract(_art(text), conflict="nk")
    assert [c.to_dict() for c in fast] == [c.to_dict() for c in slow]
    assert fast                                  # the cue sentence still gives its claim
    assert calls["n"] < n_slow / 4


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZİß’'- .,5Σς\n\tщ")), max_size=60), st.integers(0, 30))
def test_head_tokens_is_a_prefix_of_tokenize(text, n):
    full = tokenize(text, 7)
    head = head_tokens(text, n, 7)
    assert head.text == full.text[:n] and head.low == full.low[:n]
    assert head.start == full.start[:n] and head.end == full.end[:n]
    assert len(lower_text(text)) == len(text)
    assert tokenize(text, 7, lower_text(text)) == full


def test_detect_conflict_matches_the_case_insensitive_count():
    """detect_conflict's lower-cased scan picks what the IGNORECASE detectors pick, article by article."""
    from counterclaim.claims import detect_conflict
    from counterclaim.claims._actors import detect_conflict_text
    arts = _articles(_files(ROOT / "examples" / "corpus", ROOT / "tests" / "fixtures"))
    got = [detect_conflict(a) for a in arts]
    assert got == [detect_conflict_text((a.title or "") + "\n" + a.text) for a in arts]
    assert {"nk", "ru-ua"} <= set(got)
    odd = _art("KYIV — Ukrainian and Russian forces; ZAPORIZHZHIA, Kharkiv and İzmir.")
    assert detect_conflict(odd) == detect_conflict_text("\n" + odd.text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZİß’'-.,5Σς \n\tщ")), max_size=60), st.integers(0, 30))
def test_tokenize_matches_its_definition(text, offset):
    """Lazy offsets and findall texts give what one span per TOKEN_RE match defines."""
    from counterclaim.claims._doc import TOKEN_RE
    toks = tokenize(text, offset)
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    low = lower_text(text)
    assert toks.text == [text[a:b] for a, b in spans]
    assert toks.low == [low[a:b] for a, b in spans]
    assert toks.start == [a + offset for a, _ in spans] and toks.end == [b + offset for _, b in spans]
    assert len(toks) == len(spans)


def test_prefilter_finds_every_cue_phrase_as_tokens_see_it():
    """Every cue phrase of the lexicons and the conflict, written with capitals, curly apostrophes and
    odd spacing, is found by the prefilter over the article's normal form: no cue can be skipped."""
    from counterclaim.claims._attribution import _FIGURE_NOUNS
    from counterclaim.claims._actors import conflict_resources
    from counterclaim.claims._lexicon import lexicons, load_lexicon
    from counterclaim.conflicts import load_conflict
    lex = lexicons()
    met, stc, att = load_lexicon("metrics"), load_lexicon("stance"), load_lexicon("attribution")
    for cid in ("nk", "ru-ua"):
        res = conflict_resources(load_conflict(cid))
        pre, speech = _extract._prefilter_re(lex, res), _extract._speech_re(lex)
        cues = [str(w) for c in met["cues"] for w in c["words"]] + [str(w) for c in met["counted_nouns"] for w in c["words"]]
        cues += [str(w) for w in stc["deny_cues"]] + [str(w) for w in stc["territory_denials"]]
        cues += [w for ws in res.conflict.vocabulary.values() for w in ws]
        spoken = [str(w) for w in att["speech_verbs"]] + [str(w) for w in att["according_to"]] + sorted(_FIGURE_NOUNS)
        assert len(cues) > 50 and len(spoken) > 20
        for pat, phrases in ((pre, cues), (speech, spoken)):
            for p in phrases:
                if not p[:1].isalnum():
                    continue
                written = "  ".join(p.split()).replace("'", "’").title()
                line = f"(5 {written}, 7)"
                assert pat.search(lower_text(line)), (cid, p)


def _ref_match(items: list[tuple[str, object]], low: list[str], i: int):
    """Longest phrase at token i, by definition (first listed wins among equal phrases)."""
    from counterclaim.claims._lexicon import norm_tokens
    best = None
    for phrase, payload in items:
        t = norm_tokens(phrase)
        if t and low[i:i + len(t)] == t and (best is None or len(t) > best[0]):
            best = (len(t), payload)
    return best


_PHRASES = ["tank", "tanks", "battle tank", "main battle tank", "main", "armoured vehicle", "armoured",
            "killed in action", "killed", "in action", "t-72", "of the", "of"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["tank", "tanks", "battle", "main", "armoured", "vehicle", "killed", "in",
                                 "action", "t-72", "of", "the", "x"]), max_size=12), st.data())
def test_phrase_table_match_is_the_longest_phrase(low, data):
    """The bucketed PhraseTable.match / match_ending answer what their definitions say, at every index."""
    from counterclaim.claims._lexicon import PhraseTable
    items = [(p, k) for k, p in enumerate(_PHRASES)]
    table = PhraseTable(items)
    for i in range(len(low) + 2):
        assert table.match(low, i) == (_ref_match(items, low, i) if i < len(low) else None)
        assert table.match(tuple(low), i) == table.match(low, i)       # tuples of tokens too
    end = data.draw(st.integers(0, len(low)))
    got = table.match_ending(low, end)
    want = None
    for L in range(min(table.maxlen, end), 0, -1):                     # longest phrase that ends at `end`
        m = _ref_match(items, low, end - L)                             # and is the longest one at its start
        if m and m[0] == L:
            want = (end - L, m[1])
            break
    assert got == want
    if low:
        assert table.match(low, -1) == _ref_match(items, low, len(low) - 1)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("19a-Z.,'’_ İ٣²\t")), max_size=40))
def test_token_re_matches_its_reference_definition(text):
    """The faster TOKEN_RE (number branches merged) gives exactly the spans of the pattern as first written."""
    import re

    from counterclaim.claims._doc import TOKEN_PATTERN_REFERENCE, TOKEN_RE
    ref = re.compile(TOKEN_PATTERN_REFERENCE)
    assert [m.span() for m in TOKEN_RE.finditer(text)] == [m.span() for m in ref.finditer(text)]
