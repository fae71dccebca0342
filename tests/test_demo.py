"""The main job (`make demo`): the sample corpus in, a summary and the ledger out."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.demo import run_demo
from counterclaim.errors import InputError


@pytest.mark.slow
def test_demo_stores_corpus_and_builds_ledgers(corpus_dir, tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    first = run_demo(db=db, corpus=corpus_dir)
    assert first.summary.failed == 0
    assert first.stats["articles"] >= 40 and first.stats["claims"] >= 150
    assert first.stats["clusters"] >= 4
    assert {"nk", "ru-ua"} <= set(first.ledgers)
    series = [s for s in first.ledgers["nk"]["series"]
              if (s["subject_side"], s["metric"], s["category"]) == ("ARM", "killed", "personnel")]
    assert any(s["groups"]["claimed"]["claimants"] for s in series)
    assert any(s["groups"]["admitted"]["claimants"] for s in series)
    # the main job is idempotent: a second run stores nothing new
    again = run_demo(db=db, corpus=corpus_dir)
    assert again.summary.new == 0 and again.stats == first.stats

    out = CliRunner().invoke(cli, ["demo", "--db", db, "--corpus", str(corpus_dir)])
    assert out.exit_code == 0, out.output
    assert "Ledger overview" in out.output and "counterclaim serve" in out.output.splitlines()[-1]


def test_demo_without_corpus_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="sample corpus not found"):
        run_demo(db=f"sqlite:///{tmp_path / 'x.db'}", corpus=tmp_path / "nowhere")
    out = CliRunner().invoke(cli, ["demo", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--corpus", str(tmp_path / "no")])
    assert out.exit_code == 1 and "sample corpus not found" in out.output
