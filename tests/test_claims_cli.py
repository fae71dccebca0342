"""CLI: counterclaim extract / eval / conflicts."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.records import SPEC_FIELDS

FIX = Path(__file__).resolve().parent / "fixtures" / "conflicts"

ARTICLE = ("Baku reports gains\n\nThe Azerbaijani Defence Ministry said on Monday that its forces had destroyed "
           "14 Armenian tanks near Fuzuli.\n\nYerevan admitted that 7 of its servicemen were killed.\n")


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)


def test_extract_jsonl_spec_fields_first(tmp_path):
    p = tmp_path / "war_report.txt"
    p.write_text(ARTICLE)
    r = run("extract", str(p))
    assert r.exit_code == 0, r.output
    recs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert recs and list(recs[0])[:len(SPEC_FIELDS)] == list(SPEC_FIELDS)
    assert all(x["doc"] == "war_report.txt" for x in recs)
    got = {(x["claimant_side"], x["subject_side"], x["metric"], x["category"], x["value"]) for x in recs}
    assert ("AZE", "ARM", "destroyed", "tank", 14) in got and ("ARM", "ARM", "killed", "personnel", 7) in got
    for x in recs:
        assert x["rule"] and x["span"] and x["article_id"]


def test_extract_csv(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    r = run("extract", "--format", "csv", str(p))
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:len(SPEC_FIELDS)] == list(SPEC_FIELDS) and len(rows) >= 3


def test_no_claims_no_output_exit_zero(tmp_path):
    p = tmp_path / "calm.txt"
    p.write_text("The weather in the capital was mild and the markets were open as usual on Monday.\n")
    r = run("extract", str(p))
    assert r.exit_code == 0 and r.stdout == ""


def test_non_english_skipped_with_notice(tmp_path):
    p = tmp_path / "ru.txt"
    p.write_text("Министерство обороны сообщило, что в результате боёв были уничтожены танки противника. "
                 "Сообщается также о потерях среди военнослужащих и мирного населения в нескольких сёлах района.\n" * 3)
    r = run("extract", str(p))
    assert r.exit_code == 0 and r.stdout == ""
    assert "not English" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_unknown_conflict_one_line(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    r = run("extract", "--conflict", "atlantis", str(p))
    assert r.exit_code == 1 and "atlantis" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_conflicts_list_and_check(tmp_path):
    r = run("conflicts")
    assert r.exit_code == 0 and "nk" in r.stdout and "ru-ua" in r.stdout
    r = run("conflicts", "--check", str(FIX / "valoria.yaml"))
    assert r.exit_code == 0 and "ok" in r.stdout
    bad = tmp_path / "valoria.yaml"
    bad.write_text((FIX / "valoria.yaml").read_text().replace("bbox: [1.0, 43.0, 3.0, 45.0]", "bbox: [1.0, 43.0]"))
    r = run("conflicts", "--check", str(bad))
    assert r.exit_code == 1
    line = r.stderr.strip()
    assert "\n" not in line and str(bad) in line and "area.bbox" in line


def test_extract_with_extra_conflict_dir(tmp_path):
    p = tmp_path / "v.txt"
    p.write_text((FIX / "valoria_article.txt").read_text())
    r = run("extract", "--conflict", "valoria", str(p), env={"COUNTERCLAIM_CONFLICTS_DIR": str(FIX)})
    assert r.exit_code == 0 and '"claimant_side": "VAL"' in r.stdout


def test_eval_thresholds(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "a.txt", "claimant_side": "AZE", "claimant": "AZE.MOD", "subject_side": "ARM",
                                "metric": "destroyed", "category": "tank", "value": 14, "value_max": None,
                                "approx": "exact", "stance": "assert", "places": ["Fuzuli"], "date": None,
                                "evidence": "x"}) + "\n")
    r = run("eval", str(gold))
    assert r.exit_code == 0 and "numbers" in r.stdout and "sides-blind" in r.stdout
    r = run("eval", str(gold), "--min-numbers-f1", "0.99", "--min-all-f1", "0.99")
    assert r.exit_code == 1 and "below threshold" in r.stderr
    r = run("eval", str(gold), "--errors")
    assert "SPURIOUS" in r.stdout


def test_eval_missing_gold():
    r = run("eval", "/nonexistent/gold.jsonl")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1
