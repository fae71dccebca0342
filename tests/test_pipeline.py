"""The per-record pipeline: prepare -> extract -> geolocate, errors as values, pool == in-process.

The claims and places stages are monkeypatched with small generic stand-ins (one claim
per sentence holding a digit) so these tests do not depend on the real extractor."""
from __future__ import annotations

import re

import pytest

from counterclaim import pipeline
from counterclaim.errors import EmptyInput, InputError, NotEnglish, ProcessingError
from counterclaim.records import Claim, RawDoc, article_id

SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


def digit_claims(article, conflict):
    """Stand-in extractor: one claim per sentence with a number in it."""
    out = []
    for m in SENTENCE.finditer(article.text):
        num = re.search(r"\d+", m.group())
        if num:
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            out.append(Claim(doc=article.doc, claimant_side="OUTLET", claimant="OUTLET", subject_side="ARM",
                             metric="killed", category="people", value=int(num.group()), value_max=None,
                             approx="exact", stance="assert", places=[], date=None,
                             evidence=m.group().strip(), conflict=conflict, span=(start, m.end()),
                             number_span=(m.start() + num.start(), m.start() + num.end()), rule="digits"))
    return out


def tag_geolocate(found, article, conflict):
    for c in found:
        c.geo = [{"name": "X", "unresolved": True}]
    return found


@pytest.fixture
def stages(monkeypatch):
    calls = {"detect": 0}

    def detect(article):
        calls["detect"] += 1
        return "nk2020"

    monkeypatch.setattr(pipeline, "_detect_conflict", detect)
    monkeypatch.setattr(pipeline, "_extract", digit_claims)
    monkeypatch.setattr(pipeline, "_geolocate", tag_geolocate)
    monkeypatch.setattr(pipeline, "_extractor_version", lambda: "test-1")
    return calls


def raw(text: str, name: str = "r.txt") -> RawDoc:
    return RawDoc(source=f"/in/{name}", doc=name, data=text.encode("utf-8"), format="text")


BODY = ("Clashes in the north\n\nThe ministry said 7 soldiers were killed on Tuesday. "
        "Officials gave no other details.\n\nLater, 3 more deaths were reported by the same ministry.\n")


def test_process_runs_the_three_stages(stages):
    p = pipeline.process(raw(BODY))
    assert p.article.id == article_id(p.article.text)
    assert p.conflict == "nk2020" and p.extracted_with == "test-1" and stages["detect"] == 1
    assert [c.value for c in p.claims] == [7, 3]
    for c in p.claims:
        assert c.article_id == p.article.id
        assert p.article.text[c.span[0]:c.span[1]] == c.evidence
        assert c.geo == [{"name": "X", "unresolved": True}]


def test_given_conflict_skips_detection(stages):
    p = pipeline.process(raw(BODY), conflict="ukr")
    assert p.conflict == "ukr" and stages["detect"] == 0
    assert {c.conflict for c in p.claims} == {"ukr"}


def test_not_english_keeps_the_article_without_claims(stages, monkeypatch):
    def refuse(article, conflict):
        raise NotEnglish("not English", source=article.source)
    monkeypatch.setattr(pipeline, "_extract", refuse)
    p = pipeline.process(raw(BODY))
    assert p.claims == [] and p.article.text


def test_processed_round_trips_through_dicts(stages):
    p = pipeline.process(raw(BODY))
    back = pipeline.Processed.from_dict(p.to_dict())
    assert back.to_dict() == p.to_dict()
    assert [c.id for c in back.claims] == [c.id for c in p.claims]


def test_process_many_yields_errors_as_values_in_order(stages, monkeypatch):
    def flaky(article, conflict):
        if "explode" in article.text:
            raise ZeroDivisionError("bug in a stage")
        return digit_claims(article, conflict)
    monkeypatch.setattr(pipeline, "_extract", flaky)
    monkeypatch.delenv("COUNTERCLAIM_DEBUG", raising=False)
    reader_error = InputError("could not read", source="/in/broken.bin")
    items = [raw(BODY, "a.txt"), reader_error, raw("", "empty.txt"),
             raw("This text will explode with 1 number.", "b.txt"), raw(BODY + "\nAnd 9 more.", "c.txt")]
    out = list(pipeline.process_many(items))
    assert out[1] is reader_error
    assert isinstance(out[2], EmptyInput) and "empty.txt" in out[2].source
    assert isinstance(out[3], ProcessingError) and out[3].source == "/in/b.txt"
    assert "ZeroDivisionError" in str(out[3])
    assert [c.value for c in out[4].claims] == [7, 3, 9]


def test_debug_lets_stage_bugs_propagate(stages, monkeypatch):
    monkeypatch.setattr(pipeline, "_extract", lambda a, c: 1 / 0)
    monkeypatch.setenv("COUNTERCLAIM_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        list(pipeline.process_many([raw(BODY)]))


@pytest.mark.slow
def test_process_pool_equals_in_process(stages):
    items = [raw(f"Report {i}\n\nThe army said {i} positions were shelled. Calm returned.", f"{i}.txt")
             for i in range(40)]
    items.insert(5, raw("", "empty.txt"))
    one = list(pipeline.process_many(items))
    many = list(pipeline.process_many(items, workers=2, chunksize=3))
    assert len(one) == len(many) == 41
    for a, b in zip(one, many):
        if isinstance(a, InputError):
            assert type(a) is type(b) and a.source == b.source and str(a) == str(b)
        else:
            assert a.to_dict() == b.to_dict()
