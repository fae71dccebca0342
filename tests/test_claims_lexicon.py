"""Lexicon data files: provenance header, schema check, compiled tables."""
from __future__ import annotations

import pytest
import yaml

from counterclaim.claims._lexicon import LEXICON_DIR, check_lexicon, lexicons, plural
from counterclaim.errors import ConflictFileError


@pytest.mark.parametrize("path", sorted(LEXICON_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_lexicon_passes_schema(path):
    data = yaml.safe_load(path.read_text())
    check_lexicon(data, str(path))
    def strings(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k != "agent_is_subject":
                    yield from strings(v)
        elif isinstance(x, list):
            for v in x:
                yield from strings(v)
        else:
            yield x
    # YAML must not turn a word into a boolean ("no", "false")
    assert not any(isinstance(v, bool) for v in strings(data))


def test_schema_rejects_missing_provenance_and_bad_metric():
    with pytest.raises(ConflictFileError, match="provenance"):
        check_lexicon({"kind": "scope", "cumulative": [], "increment": []}, "x.yaml")
    bad = {"provenance": {"source": "s", "licence": "l", "version": "1"}, "kind": "metrics",
           "cues": [{"words": ["boom"], "equipment": "exploded"}], "counted_nouns": [], "hypothetical": []}
    with pytest.raises(ConflictFileError, match="cues\\[0\\].equipment"):
        check_lexicon(bad, "m.yaml")


def test_plural_rules():
    assert plural("battle tank") == "battle tanks"
    assert plural("militiaman") == "militiamen"
    assert plural("ammunition depot") == "ammunition depots"
    assert plural("strategic height") == "strategic heights"
    assert plural("mercenary") == "mercenaries"


def test_tables_are_cached():
    assert lexicons() is lexicons()
