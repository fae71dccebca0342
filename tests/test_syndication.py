"""Syndication: shingles, signatures, the confirmation rule and clustering on our fixture pairs."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
import yaml

from counterclaim import syndication as syn

FIX = Path(__file__).resolve().parent / "fixtures" / "syndication"
PAIRS = yaml.safe_load((FIX / "pairs.yaml").read_text())


def _text(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def test_shingles_fold_case_punctuation_and_accents():
    assert syn.shingles("The Army, it SAID: five tanks!") == syn.shingles("the army it said five tanks")
    assert syn.shingles("Şuşa was shelled again today") == syn.shingles("Susa was shelled again today")
    assert syn.shingles("one two three four five six") == {"one two three four five", "two three four five six"}
    assert syn.shingles("too short") == {"too short"}
    assert syn.shingles(" ,. ") == set()


def test_signature_is_deterministic_and_round_trips():
    text = _text("tovuz_a.txt")
    a, b = syn.signature(text), syn.signature(text)
    assert list(a.hashvalues) == list(b.hashvalues)
    back = syn.signature_from_bytes(syn.signature_bytes(a))
    assert back.jaccard(a) == 1.0
    with pytest.raises(ValueError):
        syn.signature_from_bytes(b"\0" * 16)


def test_band_keys_equal_for_equal_bodies_and_differ_otherwise():
    b, r = syn.lsh_params()
    keys = syn.band_keys(syn.signature(_text("tovuz_a.txt")))
    assert len(keys) == b and len(set(keys)) == b
    assert keys == syn.band_keys(syn.signature(" ".join(_text("tovuz_a.txt").split())))
    other = syn.band_keys(syn.signature(_text("tovuz_b.txt")))
    assert not set(keys) & set(other)


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p['a']}~{p['b']}")
def test_fixture_pairs(pair):
    a, b = syn.make_signature(_text(pair["a"])), syn.make_signature(_text(pair["b"]))
    assert syn.same_story(a, b) is pair["same"], (syn.jaccard(a, b), syn.containment(a, b))
    assert syn.same_story(b, a) is pair["same"]          # symmetric


def test_short_text_inside_long_one_is_not_a_copy():
    long = _text("tovuz_a.txt")
    snippet = " ".join(long.split()[40:60])               # 16 shingles: below the containment floor
    a, b = syn.make_signature(long), syn.make_signature(snippet)
    assert syn.containment(a, b) > 0.8
    assert not syn.same_story(a, b)


def test_canonical_is_earliest_then_smallest_id_undated_last():
    assert syn.canonical([("b", "2020-10-02"), ("a", "2020-10-03")]) == "b"
    assert syn.canonical([("b", "2020-10-02"), ("a", "2020-10-02")]) == "a"
    assert syn.canonical([("a", None), ("z", "2021-01-01")]) == "z"


def test_cluster_groups_copies_and_is_order_independent():
    names = sorted(p.name for p in FIX.glob("*.txt"))
    dates = {n: f"2020-07-{10 + i:02d}" for i, n in enumerate(names)}
    docs = [(n, dates[n], _text(n)) for n in names]
    expected = syn.cluster(docs)
    same = {frozenset((p["a"], p["b"])) for p in PAIRS if p["same"]}
    for x, y in itertools.combinations(names, 2):
        together = expected[x] == expected[y]
        if frozenset((x, y)) in same:
            assert together, (x, y)
        if not together:
            assert frozenset((x, y)) not in same
    assert expected["tovuz_a.txt"] == expected["tovuz_a_trimmed.txt"] == expected["tovuz_a_copy.txt"]
    assert expected["tovuz_b.txt"] == "tovuz_b.txt"
    assert expected["shusha_b.txt"] != expected["shusha_a.txt"]
    assert expected["ukr_tally_b.txt"] != expected["ukr_tally_a.txt"]
    canon = syn.canonical((n, dates[n]) for n in ("tovuz_a.txt", "tovuz_a_copy.txt", "tovuz_a_trimmed.txt"))
    assert expected["tovuz_a.txt"] == canon
    rng = random.Random(7)
    for _ in range(5):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        assert syn.cluster(shuffled) == expected
