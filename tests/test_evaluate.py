"""In-project scoring matches the shared scorer's tiers."""
from __future__ import annotations

import json

import pytest

from counterclaim.errors import MalformedRecord
from counterclaim.evaluate import load_jsonl, score


def rec(**kw):
    base = {"doc": "a.txt", "claimant_side": "AZE", "subject_side": "ARM", "metric": "destroyed", "category": "tank",
            "value": 5, "approx": "exact", "stance": "assert", "places": []}
    base.update(kw)
    return base


def test_tiers():
    gold = [rec(), rec(category="drone", value=3, approx="vague"), rec(value=None, approx="none", stance="deny")]
    pred = [rec(), rec(), rec(category="drone", value=3, approx="vague", claimant_side="ARM"),
            rec(doc="other.txt", value=9)]
    res, errors = score(gold, pred)
    assert (res["numbers"].tp, res["numbers"].fp, res["numbers"].fn) == (1, 0, 0)
    assert (res["all"].tp, res["all"].fp, res["all"].fn) == (1, 1, 2)
    assert res["sides-blind"].tp == 2
    assert len(errors["a.txt"]["missed"]) == 2


def test_load_jsonl_bad_line(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps(rec()) + "\n{oops\n")
    with pytest.raises(MalformedRecord, match="line 2"):
        load_jsonl(p)
