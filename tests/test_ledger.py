"""The ledger: running estimates, de-duplication, groups, denials, divergence, and the `ledger` command."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.errors import SettingsError
from counterclaim.ledger import (DENIAL_WINDOW_DAYS, ROW_FIELDS, build_ledger, infer_parties, ledger_csv,
                                 ledger_rows, load_claims_db, load_claims_jsonl)
from counterclaim.records import Claim
from counterclaim.store._schema import articles as articles_t
from counterclaim.store._schema import claims as claims_t
from counterclaim.store._schema import SCHEMA_VERSION, metadata
from counterclaim.store._schema import meta as meta_t

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ledger"
PARTIES = ["ARM", "AZE"]


def C(n: int, **kw: Any) -> dict[str, Any]:
    """A claim dict as the store gives it; ``n`` makes each one distinct (its own article by default)."""
    base: dict[str, Any] = dict(doc=f"doc{n}.txt", claimant_side="AZE", claimant="AZE.MOD", subject_side="ARM",
                                metric="killed", category="personnel", value=None, value_max=None, approx="exact",
                                stance="assert", places=[], date=None, evidence=f"Sentence number {n}.",
                                article_id=f"art{n}", conflict="nk", rule="test")
    extra = {k: kw.pop(k) for k in ("cluster", "article_published") if k in kw}
    base.update(kw)
    d = Claim(**base).to_dict()
    d["cluster"] = extra.get("cluster", base["article_id"])
    d["article_published"] = extra.get("article_published")
    return d


def series(led: dict, subject: str = "ARM", metric: str = "killed", category: str = "personnel") -> dict:
    found = [s for s in led["series"] if (s["subject_side"], s["metric"], s["category"]) == (subject, metric, category)]
    assert len(found) == 1, [(s["subject_side"], s["metric"], s["category"]) for s in led["series"]]
    return found[0]


def claimant(s: dict, name: str) -> dict:
    for g in s["groups"].values():
        for cl in g["claimants"]:
            if cl["claimant"] == name:
                return cl
    raise AssertionError(f"no claimant {name}")


# ---------------------------------------------------------------------------- running estimates

def test_cumulative_then_increments_then_new_cumulative():
    led = build_ledger([
        C(1, value=100, scope="cumulative", date="2020-10-01"),
        C(2, value=20, scope="increment", date="2020-10-02"),
        C(3, value=15, scope="increment", date="2020-10-03"),
        C(4, value=140, scope="cumulative", date="2020-10-04"),
        C(5, value=9, scope="increment", date="2020-10-04"),   # same day as a tally: included in it
        C(6, value=5, scope="increment", date="2020-10-05"),
    ], parties=PARTIES)
    run = claimant(series(led), "AZE.MOD")["running"]
    assert [(e["date"], e["estimate"]) for e in run] == [
        ("2020-10-01", 100), ("2020-10-02", 120), ("2020-10-03", 135), ("2020-10-04", 140), ("2020-10-05", 145)]
    ids = {c["value"]: c["id"] for c in [C(4, value=140, scope="cumulative", date="2020-10-04"),
                                           C(6, value=5, scope="increment", date="2020-10-05")]}
    assert run[-1]["basis"] == [ids[140], ids[5]]


def test_increments_alone_add_up_and_cumulative_can_be_revised_down():
    led = build_ledger([
        C(1, value=3, scope="increment", date="2020-10-01"),
        C(2, value=4, scope="increment", date="2020-10-02"),
        C(3, value=50, scope="cumulative", date="2020-10-03"),
        C(4, value=45, scope="cumulative", date="2020-10-04"),
    ], parties=PARTIES)
    assert [e["estimate"] for e in claimant(series(led), "AZE.MOD")["running"]] == [3, 7, 50, 45]


def test_unscoped_figures_take_the_maximum_never_the_sum():
    led = build_ledger([
        C(1, value=200, date="2020-10-01"),
        C(2, value=12, date="2020-10-02"),      # a partial figure: does not lower the tally
        C(3, value=260, date="2020-10-03"),
        C(4, value=30, scope="increment", date="2020-10-04"),
    ], parties=PARTIES)
    assert [e["estimate"] for e in claimant(series(led), "AZE.MOD")["running"]] == [200, 200, 260, 290]


def test_same_day_increments_in_different_places_add_but_versions_do_not():
    led = build_ledger([
        C(1, value=100, scope="cumulative", date="2020-10-01"),
        C(2, value=7, scope="increment", date="2020-10-02", places=["Hadrut"]),
        C(3, value=5, scope="increment", date="2020-10-02", places=["Fuzuli"]),
        C(4, value=6, scope="increment", date="2020-10-03", places=["Hadrut"]),
        C(5, value=8, scope="increment", date="2020-10-03", places=["hadrut"]),   # a revision of the same figure
    ], parties=PARTIES)
    assert [e["estimate"] for e in claimant(series(led), "AZE.MOD")["running"]] == [100, 112, 120]


def test_vague_and_undated_figures_are_shown_but_not_estimated():
    led = build_ledger([
        C(1, value=100, scope="cumulative", date="2020-10-01"),
        C(2, value=24, approx="vague", scope="increment", date="2020-10-02"),
        C(3, value=500, scope="cumulative"),
    ], parties=PARTIES, periods=())
    cl = claimant(series(led), "AZE.MOD")
    assert len(cl["points"]) == 3
    assert [p["counted"] for p in cl["points"]] == [True, False, False]
    assert cl["latest"]["estimate"] == 100


def test_point_date_falls_back_to_the_article_date():
    led = build_ledger([C(1, value=10, article_published="2020-10-05"),
                        C(2, value=11, date="2020-10-06", article_published="2020-10-09")], parties=PARTIES)
    pts = claimant(series(led), "AZE.MOD")["points"]
    assert [(p["date"], p["date_source"]) for p in pts] == [("2020-10-05", "article"), ("2020-10-06", "claim")]


# ---------------------------------------------------------------------------- never twice

def test_repeated_figure_on_the_same_day_counts_once():
    led = build_ledger([
        C(1, value=100, scope="cumulative", date="2020-10-01"),
        C(2, value=20, scope="increment", date="2020-10-02"),
        C(3, value=20, scope="increment", date="2020-10-02", evidence="Another paper, same figure."),
        C(4, value=20, scope="increment", date="2020-10-02", claimant="AZE.GOV"),   # another official, same side
    ], parties=PARTIES)
    s = series(led)
    mod = claimant(s, "AZE.MOD")
    assert mod["latest"]["estimate"] == 120
    twenties = [p for c in s["groups"]["claimed"]["claimants"] for p in c["points"] if p["value"] == 20]
    assert sorted(p["duplicate_reason"] or "kept" for p in twenties) == ["kept", "same_day", "same_day"]
    assert s["groups"]["claimed"]["latest"]["estimate"] == 120
    assert claimant(s, "AZE.GOV")["latest"]["estimate"] == 20   # its own statement stays in its own series


def test_syndicated_pair_counts_once_even_on_another_day():
    led = build_ledger([
        C(1, value=100, scope="cumulative", date="2020-10-01"),
        C(2, value=30, scope="increment", article_published="2020-10-02", cluster="story"),
        C(3, value=30, scope="increment", article_published="2020-10-03", cluster="story", doc="copy.html"),
    ], parties=PARTIES)
    s = series(led)
    mod = claimant(s, "AZE.MOD")
    assert mod["latest"]["estimate"] == 130
    copy = next(p for p in mod["points"] if p["doc"] == "copy.html")
    assert copy["duplicate_reason"] == "syndicated" and copy["counted"] is False
    # without the cluster the same two articles would add up: the rule is what prevents it
    led2 = build_ledger([
        C(1, value=100, scope="cumulative", date="2020-10-01"),
        C(2, value=30, scope="increment", article_published="2020-10-02"),
        C(3, value=30, scope="increment", article_published="2020-10-03"),
    ], parties=PARTIES)
    assert claimant(series(led2), "AZE.MOD")["latest"]["estimate"] == 160


# ---------------------------------------------------------------------------- groups

def test_admission_is_kept_apart_from_enemy_claims():
    led = build_ledger([
        C(1, value=550, date="2020-10-01"),
        C(2, claimant_side="ARM", claimant="ARM.MOD", value=84, date="2020-10-01"),
        C(3, claimant_side="OUTLET", claimant="OUTLET", value=100, date="2020-10-01"),
        C(4, claimant_side="RUS", claimant="RUS.MFA", value=90, date="2020-10-01"),
        C(5, claimant_side="ARM", claimant="ARM.MOD", subject_side="AZE", value=2300, date="2020-10-01"),
    ], parties=PARTIES)
    s = series(led)
    assert [c["claimant"] for c in s["groups"]["claimed"]["claimants"]] == ["AZE.MOD"]
    assert [c["claimant"] for c in s["groups"]["admitted"]["claimants"]] == ["ARM.MOD"]
    assert sorted(c["claimant"] for c in s["groups"]["third_party"]["claimants"]) == ["OUTLET", "RUS.MFA"]
    assert s["groups"]["admitted"]["latest"]["estimate"] == 84
    other = series(led, subject="AZE")
    assert [c["claimant"] for c in other["groups"]["claimed"]["claimants"]] == ["ARM.MOD"]


def test_parties_come_from_the_conflict_dictionary():
    rows = [C(1, claimant_side="TUR", claimant="TUR.GOV", value=5, date="2020-10-01"),
            C(2, claimant_side="ARM", claimant="ARM.MOD", subject_side="TUR", value=4, date="2020-10-01"),
            C(3, claimant_side="ARM", claimant="ARM.MOD", subject_side="AZE", value=9, date="2020-10-01")]
    led = build_ledger(rows)   # nk's dictionary: ARM and AZE are enemies, TUR is a third party
    assert led["parties"]["nk"] == ["ARM", "AZE"]
    assert [c["claimant"] for c in series(led)["groups"]["third_party"]["claimants"]] == ["TUR.GOV"]


def test_parties_are_inferred_when_no_dictionary_says():
    rows = [C(1, value=5), C(2, claimant_side="ARM", claimant="ARM.MOD", value=4),
            C(3, claimant_side="USA", claimant="USA.GOV", value=6),
            C(4, claimant_side="OUTLET", claimant="OUTLET", subject_side="AZE", value=1)]
    for r in rows:
        r["conflict"] = "not-a-known-conflict"
    assert infer_parties(rows)["not-a-known-conflict"] == {"ARM", "AZE"}
    s = series(build_ledger(rows))
    assert [c["claimant"] for c in s["groups"]["claimed"]["claimants"]] == ["AZE.MOD"]
    assert [c["claimant"] for c in s["groups"]["third_party"]["claimants"]] == ["USA.GOV"]


# ---------------------------------------------------------------------------- denials

def test_denial_linked_within_window_and_place():
    took = C(1, metric="territory_captured", category="village", value=1, date="2020-10-10", places=["Talish"])
    far = C(2, metric="territory_captured", category="village", value=1, date="2020-09-20", places=["Talish"])
    elsewhere = C(3, metric="territory_captured", category="village", value=2, date="2020-10-10",
                  places=["Madagiz"])
    deny = C(4, claimant_side="ARM", claimant="ARM.MOD", metric="territory_captured", category="village",
             stance="deny", approx="none", date="2020-10-11", places=["talish village"])
    own = C(5, claimant_side="ARM", claimant="ARM.MOD", metric="territory_captured", category="village",
            value=1, date="2020-10-11", places=["Talish"])  # its own claim is never what it denies
    led = build_ledger([took, far, elsewhere, deny, own], parties=PARTIES, periods=())
    s = series(led, metric="territory_captured", category="village")
    assert len(s["denials"]) == 1
    assert s["denials"][0]["denies"] == [took["id"]]
    pts = {p["id"]: p for g in s["groups"].values() for c in g["claimants"] for p in c["points"]}
    assert pts[took["id"]]["denied_by"] == [deny["id"]]
    assert pts[far["id"]]["denied_by"] == [] and pts[elsewhere["id"]]["denied_by"] == []
    assert DENIAL_WINDOW_DAYS == 3


def test_denial_without_dates_links_only_within_its_article():
    claim = C(1, metric="destroyed", category="tank", value=12, article_id="same")
    deny = C(2, claimant_side="ARM", claimant="ARM.MOD", metric="destroyed", category="tank", stance="deny",
             approx="none", article_id="same")
    other = C(3, metric="destroyed", category="tank", value=30)
    s = series(build_ledger([claim, deny, other], parties=PARTIES), metric="destroyed", category="tank")
    assert s["denials"][0]["denies"] == [claim["id"]]


# ---------------------------------------------------------------------------- divergence

def test_divergence_ratio_per_date_and_at_end():
    led = build_ledger([
        C(1, value=550, scope="cumulative", date="2020-10-01"),
        C(2, claimant_side="ARM", claimant="ARM.MOD", value=100, scope="cumulative", date="2020-10-02"),
        C(3, value=650, scope="cumulative", date="2020-10-03"),
        C(4, claimant_side="ARM", claimant="ARM.MOD", value=0, date="2020-10-01", subject_side="AZE"),
    ], parties=PARTIES)
    div = series(led)["divergence"]
    assert [(e["date"], e["claimed"], e["admitted"], e["ratio"]) for e in div["per_date"]] == [
        ("2020-10-01", 550, None, None), ("2020-10-02", 550, 100, 5.5), ("2020-10-03", 650, 100, 6.5)]
    assert div["end"] == {"date": "2020-10-03", "claimed": 650, "admitted": 100, "ratio": 6.5}
    assert series(led, subject="AZE")["divergence"]["end"]["ratio"] is None


# ---------------------------------------------------------------------------- filters and forms

def test_filters_and_window():
    rows = [C(1, value=100, scope="cumulative", date="2020-10-01"),
            C(2, value=10, scope="increment", date="2020-10-05"),
            C(3, value=10, scope="increment", date="2020-10-09"),
            C(4, metric="destroyed", category="tank", value=3, date="2020-10-05"),
            C(5, value=1, subject_side="AZE", claimant_side="ARM", claimant="ARM.MOD", date="2020-10-05"),
            C(6, value=2, conflict="ua", date="2020-10-05")]
    led = build_ledger(rows, conflict="nk", side="ARM", metric="killed", since="2020-10-03", until="2020-10-06")
    assert len(led["series"]) == 1
    cl = claimant(series(led), "AZE.MOD")
    assert [p["date"] for p in cl["points"]] == ["2020-10-05"]
    assert cl["running"] == [{"date": "2020-10-05", "estimate": 110, "basis": [rows[0]["id"], rows[1]["id"]]}]
    assert led["filters"]["since"] == "2020-10-03"
    with pytest.raises(SettingsError):
        build_ledger(rows, since="last week")


def test_ledger_is_json_and_rows_are_flat():
    rows = load_claims_jsonl(FIXTURES / "claims.jsonl")
    led = build_ledger(rows)
    assert json.loads(json.dumps(led)) == led
    flat = list(ledger_rows(led))
    assert len(flat) == len(rows) == led["claims"]
    assert all(set(r) == set(ROW_FIELDS) for r in flat)
    parsed = list(csv.DictReader(io.StringIO(ledger_csv(led))))
    assert len(parsed) == len(rows)


def test_csv_neutralises_formula_text():
    led = build_ledger([C(1, value=5, date="2020-10-01", evidence="=HYPERLINK(\"http://x\")")], parties=PARTIES)
    row = next(csv.DictReader(io.StringIO(ledger_csv(led))))
    assert row["evidence"].startswith("'=")


def test_fixture_ledger_matches_hand_count():
    led = build_ledger(load_claims_jsonl(FIXTURES / "claims.jsonl"), conflict="nk")
    s = series(led)
    # 550 (tally, repeated the same day by another official) + 190 (increment, syndicated next day)
    assert s["groups"]["claimed"]["latest"]["estimate"] == 740
    assert s["groups"]["admitted"]["latest"]["estimate"] == 104
    assert s["divergence"]["end"]["ratio"] == round(740 / 104, 3)
    assert led["parties"]["nk"] == ["ARM", "AZE"]


# ---------------------------------------------------------------------------- the command

def make_db(url: str, claims: list[dict[str, Any]], arts: list[dict[str, Any]]) -> None:
    """A SQLite database with the project schema holding the given articles and claims."""
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(meta_t.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        for a in arts:
            conn.execute(articles_t.insert().values(
                id=a["id"], doc=a["doc"], source=a["doc"], url=a.get("url"), format="text", title=a.get("title"),
                outlet=a.get("outlet"), published=a.get("published"), tags=[], media=[], conflict=a.get("conflict"),
                cluster=a.get("cluster"), raw="", text="body", ingested_at="2020-10-10T00:00:00+00:00"))
        for c in claims:
            conn.execute(claims_t.insert().values(
                id=c["id"], article_id=c["article_id"], conflict=c["conflict"], doc=c["doc"],
                claimant_side=c["claimant_side"], claimant=c["claimant"], subject_side=c["subject_side"],
                metric=c["metric"], category=c["category"], value=c["value"], value_max=c["value_max"],
                approx=c["approx"], stance=c["stance"], places=c["places"], date=c["date"], evidence=c["evidence"],
                rule=c["rule"], scope=c["scope"], increment=c["increment"], geo=c["geo"]))
    engine.dispose()


@pytest.fixture
def fixture_db(db_url: str) -> str:
    claims = load_claims_jsonl(FIXTURES / "claims.jsonl")
    # the database knows cluster and date through the article: drop them from the claims
    for c in claims:
        c.pop("cluster"), c.pop("article_published")
    make_db(db_url, claims, load_claims_jsonl(FIXTURES / "articles.jsonl"))
    return db_url


def test_load_claims_db_joins_article_cluster_and_date(fixture_db: str):
    rows = load_claims_db(fixture_db, conflict="nk")
    assert len(rows) == 12
    mirror = [r for r in rows if r["article_id"] == "art-mirror-1"]
    assert mirror[0]["cluster"] == "art-caspian-2" and mirror[0]["article_published"] == "2020-10-01"
    assert load_claims_db(fixture_db, conflict="ua") == []


def test_load_claims_db_without_the_store_reader(fixture_db: str, monkeypatch: pytest.MonkeyPatch):
    via_store = load_claims_db(fixture_db)
    monkeypatch.setattr("counterclaim.ledger._io._store_claim_dicts", lambda url, conflict: None)
    via_core = load_claims_db(fixture_db)
    key = lambda r: (r["id"], r["cluster"], r["article_published"], r["value"], r["evidence"])  # noqa: E731
    assert sorted(map(key, via_core)) == sorted(map(key, via_store))
    assert build_ledger(via_core) == build_ledger(via_store)


def test_cli_json(fixture_db: str):
    res = CliRunner().invoke(cli, ["ledger", "--db", fixture_db, "--conflict", "nk", "--json"])
    assert res.exit_code == 0, res.output
    led = json.loads(res.output)
    s = series(led)
    claimed = s["groups"]["claimed"]["claimants"]
    admitted = s["groups"]["admitted"]["claimants"]
    assert {c["claimant_side"] for c in claimed} == {"AZE"} and {c["claimant_side"] for c in admitted} == {"ARM"}
    assert all(p["evidence"] for c in claimed + admitted for p in c["points"])
    assert s["divergence"]["end"]["ratio"] == round(740 / 104, 3)
    assert any(p["outlet"] == "Caspian Wire" for c in claimed for p in c["points"])


def test_cli_csv_and_filters(fixture_db: str):
    res = CliRunner().invoke(cli, ["ledger", "--db", fixture_db, "--csv", "--side", "ARM", "--metric", "killed"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert {r["subject_side"] for r in rows} == {"ARM"} and {r["metric"] for r in rows} == {"killed"}
    assert {r["group"] for r in rows} == {"claimed", "admitted", "third_party"}
    assert len(rows) == 7


def test_cli_table(fixture_db: str):
    res = CliRunner().invoke(cli, ["ledger", "--db", fixture_db, "--side", "ARM", "--metric", "killed"])
    assert res.exit_code == 0, res.output
    assert "losses of ARM" in res.output and "AZE.MOD" in res.output and "admitted" in res.output
    assert "740" in res.output and "7.115" in res.output


def test_cli_from_jsonl_and_errors(tmp_path: Path):
    res = CliRunner().invoke(cli, ["ledger", "--from-jsonl", str(FIXTURES / "claims.jsonl"), "--json",
                                   "--category", "tank"])
    assert res.exit_code == 0, res.output
    assert [s["category"] for s in json.loads(res.output)["series"]] == ["tank"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "x"}\nnot json\n')
    for args in (["--from-jsonl", str(bad)], ["--db", f"sqlite:///{tmp_path / 'none.db'}"],
                 ["--from-jsonl", str(FIXTURES / "claims.jsonl"), "--until", "soon"],
                 ["--from-jsonl", str(FIXTURES / "claims.jsonl"), "--json", "--csv"]):
        r = CliRunner().invoke(cli, ["ledger", *args])
        assert r.exit_code != 0
        assert "Traceback" not in r.output
        assert "Error" in r.output or r.output.startswith("counterclaim: ")
    assert not (tmp_path / "none.db").exists()


def test_running_estimates_stop_at_the_end_of_a_period():
    rows = [C(1, value=4, scope="cumulative", date="2016-04-03"),
            C(2, value=90, scope="cumulative", date="2020-10-01"),
            C(3, value=10, scope="increment", date="2020-10-02"),
            C(4, value=2783, scope="cumulative", date="2021-03-01"),   # a final toll, after the war ended
            C(5, value=5, scope="increment", date="2023-09-19")]
    led = build_ledger(rows, parties=PARTIES)   # nk's dictionary names the periods
    got = [(s["period"]["name"], claimant(s, "AZE.MOD")["latest"]["estimate"]) for s in led["series"]]
    assert got == [("April 2016 escalation", 4), ("Second Karabakh war", 2783), ("September 2023 offensive", 5)]
    assert led["periods"]["nk"][0]["name"] == "April 2016 escalation"
    one = build_ledger(rows, parties=PARTIES, periods=[])
    assert [s["period"] for s in one["series"]] == [None]
    assert claimant(series(one), "AZE.MOD")["latest"]["estimate"] == 2788


def test_group_estimate_is_the_highest_claimant_never_a_sum():
    led = build_ledger([
        C(1, value=300, scope="cumulative", date="2020-10-01"),
        C(2, claimant="AZE.PRES", value=500, date="2020-10-02"),
        C(3, value=40, scope="increment", date="2020-10-03"),    # the ministry's own tally: 340
        C(4, claimant="AZE.PRES", value=600, date="2020-10-04"),
    ], parties=PARTIES)
    run = series(led)["groups"]["claimed"]["running"]
    assert [(e["date"], e["estimate"], e["claimant"]) for e in run] == [
        ("2020-10-01", 300, "AZE.MOD"), ("2020-10-02", 500, "AZE.PRES"), ("2020-10-03", 500, "AZE.PRES"),
        ("2020-10-04", 600, "AZE.PRES")]


def test_undated_figures_are_summarised_apart():
    led = build_ledger([
        C(1, value=2300, approx="at_least"),
        C(2, value=900),
        C(3, value=50, scope="increment"),
        C(4, claimant_side="ARM", claimant="ARM.MOD", value=200),
    ], parties=PARTIES)
    assert series(led)["period"] is None
    s = series(led)
    assert claimant(s, "AZE.MOD")["latest"] is None
    assert claimant(s, "AZE.MOD")["undated"] == {"figures": 3, "max": 2300, "max_id": C(1, value=2300, approx="at_least")["id"]}
    assert s["divergence"]["end"]["ratio"] is None
    assert s["divergence"]["undated"] == {"claimed": 2300, "admitted": 200, "ratio": 11.5}


# ---------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_claim_st = st.builds(
    lambda n, side, scope, value, day, cluster: C(
        n, claimant_side=side, claimant=f"{side}.MOD", value=value, scope=scope,
        date=f"2020-10-{day:02d}", cluster=f"c{cluster}"),
    n=st.integers(0, 10_000), side=st.sampled_from(["ARM", "AZE", "OUTLET"]),
    scope=st.sampled_from([None, "cumulative", "increment"]), value=st.integers(0, 5000),
    day=st.integers(1, 28), cluster=st.integers(0, 5))


def _estimates(led: dict) -> list:
    return [(s["subject_side"], g, (grp["latest"] or {}).get("estimate"))
            for s in led["series"] for g, grp in s["groups"].items()]


@settings(max_examples=60, deadline=None)
@given(st.lists(_claim_st, max_size=25, unique_by=lambda c: c["id"]), st.randoms(use_true_random=False))
def test_order_of_input_does_not_matter(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert build_ledger(rows, parties=PARTIES) == build_ledger(shuffled, parties=PARTIES)


@settings(max_examples=60, deadline=None)
@given(st.lists(_claim_st, max_size=25, unique_by=lambda c: c["id"]), st.integers(1, 5))
def test_syndicated_copies_never_change_estimates(rows, shift):
    copies = []
    for c in rows:
        d = dict(c, id="copy-" + c["id"], article_id="copy-" + c["article_id"], date=None,
                 article_published=f"2020-11-{shift:02d}")
        copies.append(d)
    assert _estimates(build_ledger(rows + copies, parties=PARTIES)) == _estimates(build_ledger(rows, parties=PARTIES))


def test_same_figure_on_two_stated_days_of_one_story_counts_twice():
    led = build_ledger([
        C(1, value=20, scope="increment", date="2020-10-01", cluster="blog"),
        C(2, value=20, scope="increment", date="2020-10-02", cluster="blog"),
    ], parties=PARTIES)
    assert claimant(series(led), "AZE.MOD")["latest"]["estimate"] == 40
