"""The public API: every name in ``counterclaim.__all__`` resolves, and the composed pipeline works."""
from __future__ import annotations

import pytest

import counterclaim


def test_every_public_name_resolves():
    for name in counterclaim.__all__:
        assert getattr(counterclaim, name) is not None, name
    with pytest.raises(AttributeError):
        counterclaim.no_such_thing  # noqa: B018


def test_read_then_process_gives_claims_with_provenance(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text("Ministry: 9 tanks hit\n\nThe Azerbaijani Defence Ministry said on Monday that its units "
                    "had destroyed nine Armenian tanks near Fuzuli.\n", encoding="utf-8")
    raws = list(counterclaim.read_sources([str(path)]))
    assert len(raws) == 1 and isinstance(raws[0], counterclaim.RawDoc)
    result = counterclaim.process(raws[0])
    keys = {c.key() for c in result.claims}
    assert ("AZE", "ARM", "destroyed", "tank", 9, "assert") in keys
    claim = result.claims[0]
    assert result.article.text[claim.span[0]:claim.span[1]] == claim.evidence
    assert claim.rule and claim.article_id == result.article.id
