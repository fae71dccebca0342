"""Number reading: digits, words, ranges, qualifiers, quantity words, zeros, singles."""
from __future__ import annotations

import pytest

from counterclaim.claims import find_quantities, tokenize


def q(text):
    return [(x.value, x.value_max, x.approx) for x in find_quantities(tokenize(text)) if x.kind not in ("single", "the")]


@pytest.mark.parametrize("text,want", [
    ("five hundred and forty soldiers", (540, None, "exact")),
    ("forty-five tanks", (45, None, "exact")),
    ("two dozen howitzers", (24, None, "exact")),
    ("a dozen drones", (12, None, "vague")),
    ("6,674 troops", (6674, None, "exact")),
    ("between 350 and 360 fighters", (350, 360, "exact")),
    ("10-12 trucks", (10, 12, "exact")),
    ("at least 15 launchers", (15, None, "at_least")),
    ("more than 2,000 soldiers", (2000, None, "at_least")),
    ("up to 40 servicemen", (40, None, "at_most")),
    ("nearly 90 people", (90, None, "about")),
    ("some eighty residents", (80, None, "about")),
    ("100+ vehicles", (100, None, "at_least")),
    ("several heights", (3, None, "vague")),
    ("dozens of villages", (24, None, "vague")),
    ("hundreds of troops", (200, None, "vague")),
    ("scores of civilians", (40, None, "vague")),
    ("some positions", (None, None, "none")),
    ("1.5 thousand men", (1500, None, "exact")),
])
def test_quantities(text, want):
    assert q(text)[0] == want


def test_not_numbers():
    assert q("at 14:05 local time") == []
    assert q("a donation of $5,000") == []
    assert q("the road 10 km away") == []


def test_zero_and_negated_single():
    assert q("it has not lost a single jet") == [(0, None, "exact")]
    assert q("the side suffered no losses") == [(0, None, "exact")]
    assert q("it had not lost any aircraft") == [(0, None, "exact")]
