"""Sentence splitting keeps offsets and survives abbreviations, decimals, timestamps and huge lines."""
from __future__ import annotations

import time

from counterclaim.claims import split_sentences


def test_offsets_and_abbreviations():
    text = "Maj. Gen. Ivanov said 1.5 thousand men fled. The U.S. envoy left.\n14:05 Shelling resumed near the town."
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["Maj. Gen. Ivanov said 1.5 thousand men fled.", "The U.S. envoy left.",
                                       "14:05 Shelling resumed near the town."]
    for s in sents:
        assert text[s.start:s.end] == s.text


def test_headline_is_its_own_sentence():
    sents = split_sentences("Baku claims gains\n\nThe ministry said more.")
    assert sents[0].text == "Baku claims gains" and sents[0].line_start and sents[0].line_end


def test_huge_line_is_bounded():
    text = ("word " * 1_000_000)
    t = time.perf_counter()
    sents = split_sentences(text)
    assert time.perf_counter() - t < 20
    assert max(s.end - s.start for s in sents) <= 1500
