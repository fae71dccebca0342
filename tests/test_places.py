"""Places: folding, the curated gazetteers, matching, disambiguation, geolocate, GeoJSON, CLI.

The gazetteer index is built once per cache directory (about 20 s the first time, then
reused): these tests use the configured cache (``COUNTERCLAIM_CACHE_DIR``).
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from counterclaim.cli import cli
from counterclaim.errors import GazetteerError, UnknownConflict
from counterclaim.places import (PRECISIONS, claims_geojson, fold, geocode, geolocate, haversine_km,
                                 place_counts, resolve_place_names, skeleton, variant_key)
from counterclaim.places._gazetteer import (FEATURES, IMPORTS_NAME, Gazetteer, curated_files, load_curated,
                                            open_default)
from counterclaim.places._match import geocode_with, levenshtein_within, parse_forms, resolve_area
from counterclaim.records import Article, Claim

FIX = Path(__file__).resolve().parent / "fixtures" / "places"
KM = 25.0


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return open_default()


def _near(c: dict, lat: float, lon: float, km: float = KM) -> bool:
    return haversine_km(c["lat"], c["lon"], lat, lon) <= km


# ---------------------------------------------------------------- folding

@pytest.mark.parametrize("a,b", [("Füzuli", "Fuzuli"), ("FUZULI", "fuzuli"), ("Cəbrayıl", "cabrayil"),
                                 ("Şuşa", "shusha"), ("Xankəndi", "khankandi"), ("Ağdam", "agdam"),
                                 ("Київ", "kiyiv"), ("Шуша", "shusha"), ("Bakhmut\u200b", "bakhmut"),
                                 ("Mar'inka", "marinka"), ("Kend-Horadiz", "kend horadiz")])
def test_fold(a: str, b: str) -> None:
    assert fold(a) == fold(b) if b[0].isupper() else fold(a) == b


def test_fold_x_is_kh_only_in_azerbaijani_names() -> None:
    assert fold("Xocavənd") == "khocavand"
    assert fold("Xanthi") == "xanthi"


@pytest.mark.parametrize("group", [["Jabrayil", "Jabrail", "Cəbrayıl"], ["Kharkiv", "Kharkiw"],
                                   ["Zaporizhzhia", "Zaporizhzhya", "Zaporizhia"], ["Kupiansk", "Kupyansk"],
                                   ["Artemovskiy", "Artemovsky", "Artemovskii"], ["Khadrut", "Hadrut"]])
def test_variant_key_collapses_romanisations(group: list[str]) -> None:
    assert len({variant_key(fold(n)) for n in group}) == 1


@pytest.mark.parametrize("group", [["Fizuli", "Fuzuli"], ["Kharkov", "Kharkiv"], ["Zaporozhye", "Zaporizhzhia"],
                                   ["Jebrail", "Jabrayil"], ["Kiev", "Kyiv"]])
def test_skeleton_is_a_phonetic_second_tier(group: list[str]) -> None:
    assert len({skeleton(variant_key(fold(n))) for n in group}) == 1
    assert skeleton(variant_key(fold("Fuzuli"))) != skeleton(variant_key(fold("Ganja")))


def test_levenshtein_within() -> None:
    assert levenshtein_within("nuzgar", "ruzgar", 1) == 1
    assert levenshtein_within("abcdef", "abcdef", 1) == 0
    assert levenshtein_within("abcdef", "azcdxf", 1) is None
    assert levenshtein_within("abcdefgh", "abdefgh", 2) == 1
    assert levenshtein_within("abc", "abcdef", 2) is None


def test_parse_forms() -> None:
    assert parse_forms("near Hadrut")[-1][2] == "near"
    assert parse_forms("Fuzuli district")[-1][:3] == ("Fuzuli", frozenset({"district", "region"}), "district")
    assert parse_forms("the Murov height")[-1][1] == frozenset({"height", "range", "pass"})
    assert parse_forms("the Goris-Lachin road")[-1][0] == "Goris|Lachin"
    assert parse_forms("village of Talish")[-1][0] == "Talish"
    assert parse_forms("") == []


# ---------------------------------------------------------------- curated data

def test_curated_files_are_valid_and_sourced() -> None:
    files = curated_files()
    assert {p.name for p in files} >= {"nk.yaml", "ru-ua.yaml"}
    for p in files:
        data = load_curated(p)
        assert data["provenance"]["source"] and data["provenance"]["licence"]
        for e in data["places"]:
            assert e["feature"] in FEATURES and e["precision"] in PRECISIONS and e["source"]


@pytest.mark.parametrize("mutate,problem", [
    (lambda d: d.pop("provenance"), "provenance"),
    (lambda d: d["places"][0].update(lat=147.0), "lat"),
    (lambda d: d["places"][0].update(country="Azerbaijan"), "country"),
    (lambda d: d["places"][0].update(feature="castle"), "feature"),
    (lambda d: d["places"][0].pop("source"), "source"),
    (lambda d: d["places"][0].update(lat=47.14, lon=39.6), "extent"),
    (lambda d: d["places"].append(dict(d["places"][0])), "duplicate"),
])
def test_curated_schema_check_names_the_problem(tmp_path: Path, mutate, problem: str) -> None:
    data = yaml.safe_load((curated_files()[0]).read_text(encoding="utf-8"))
    mutate(data)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GazetteerError, match=problem):
        load_curated(bad)


# ---------------------------------------------------------------- gold

def test_gold_places_resolve_within_25_km(gaz: Gazetteer) -> None:
    gold = yaml.safe_load((FIX / "gold_places.yaml").read_text(encoding="utf-8"))["mentions"]
    assert len(gold) >= 80
    assert all(m.get("source") for m in gold)
    misses = []
    for m in gold:
        found = geocode(m["mention"], conflict=m.get("conflict"), context=m.get("context", ()), limit=1)
        if not (found and found[0]["score"] >= 0.5 and _near(found[0], m["lat"], m["lon"])):
            misses.append((m["mention"], m.get("conflict"), found[:1]))
    rate = 1 - len(misses) / len(gold)
    assert rate >= 0.95, misses


def test_dev_set_places_resolve_in_their_article_context(dev_dir: Path, gaz: Gazetteer) -> None:
    expected = yaml.safe_load((FIX / "dev_places.yaml").read_text(encoding="utf-8"))["places"]
    by_doc: dict[str, list[str]] = {}
    for line in (dev_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            by_doc.setdefault(rec["doc"], []).extend(rec["places"])
    assert by_doc
    for doc, names in by_doc.items():
        resolved = resolve_place_names(names, conflict="nk")
        for name in names:
            assert name in expected, f"{doc}: add {name!r} to fixtures/places/dev_places.yaml"
            geo = resolved[name]
            assert not geo.get("unresolved"), (doc, name)
            assert _near(geo, expected[name]["lat"], expected[name]["lon"]), (doc, name, geo)


def test_fizuli_and_fuzuli_are_the_same_place() -> None:
    a = geocode("Fizuli", conflict="nk")[0]
    b = geocode("Füzuli", conflict="nk")[0]
    assert (a["lat"], a["lon"]) == (b["lat"], b["lon"])
    assert _near(a, 39.60, 47.14, 5)


def test_martuni_goes_to_karabakh_in_an_nk_article_and_to_armenia_without() -> None:
    assert _near(geocode("Martuni", conflict="nk")[0], 39.79, 47.11, 5)
    assert _near(geocode("Martuni", context=["Hadrut", "Shushi", "Askeran"])[0], 39.79, 47.11, 5)
    assert _near(geocode("Martuni")[0], 40.14, 45.30, 5)   # the larger namesake, absent other evidence


def test_tovuz_is_the_azerbaijani_town() -> None:
    for conflict in ("nk", None):
        assert _near(geocode("Tovuz", conflict=conflict)[0], 40.99, 45.63, 5)


def test_explicit_area_overrides() -> None:
    assert geocode("Pokrovsk", countries=["UA"])[0]["country"] == "UA"
    assert geocode("Pokrovsk", bbox=[100, 55, 140, 70])[0]["country"] == "RU"


def test_precision_levels() -> None:
    assert geocode("near Hadrut", conflict="nk")[0]["precision"] == "near"
    assert geocode("Fuzuli district", conflict="nk")[0]["precision"] == "district"
    assert geocode("Syunik province", conflict="nk")[0]["precision"] == "region"
    assert geocode("the Lachin corridor", conflict="nk")[0]["precision"] == "line"
    assert geocode("Azerbaijan")[0]["precision"] == "country"
    line = geocode("the Goris-Kapan road", conflict="nk")[0]
    assert line["precision"] == "line" and line["feature"] == "road"
    assert _near(line, (39.511 + 39.208) / 2, (46.342 + 46.407) / 2, 5)


def test_fuzzy_fallback_is_bounded() -> None:
    found = geocode("Garakhanbeili", conflict="nk")
    assert found and _near(found[0], 39.60, 47.27, 2)
    assert geocode("Qwzxvbnmplk", conflict="nk") == []


def test_candidates_have_the_contract_fields() -> None:
    found = geocode("Kharkov", limit=3)
    assert 1 <= len(found) <= 3
    for c in found:
        assert {"name", "lat", "lon", "country", "precision", "feature", "source", "score"} <= set(c)
        assert c["precision"] in PRECISIONS and 0 <= c["score"] <= 1
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)


def test_unknown_conflict_is_a_clear_error() -> None:
    with pytest.raises(UnknownConflict):
        geocode("Hadrut", conflict="no-such-war")


@pytest.mark.parametrize("bad", ["", " ", "\x00\x01\x02", "x" * 10_000, "Hadrut\x00\x07", "🙂🙂",
                                 "Ереван", "Երևան", "Ağdərə", "漢字", "near near near", "-", "the", "'s",
                                 "the - road", "district", "near", "a" * 201])
def test_odd_input_never_raises(bad: str) -> None:
    out = geocode(bad, conflict="nk")
    assert isinstance(out, list)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gives_a_result_or_nothing(text: str) -> None:
    out = geocode(text, conflict="nk", limit=2)
    assert isinstance(out, list) and len(out) <= 2
    for c in out:
        assert -90 <= c["lat"] <= 90 and -180 <= c["lon"] <= 180


# ---------------------------------------------------------------- geolocate and GeoJSON

def _claim(places: list[str], value: int = 1) -> Claim:
    return Claim(doc="x.txt", claimant_side="AZE", claimant="AZE.MOD", subject_side="ARM",
                 metric="territory_captured", category="village", value=value, value_max=None, approx="exact",
                 stance="assert", places=places, date=None, evidence="(test)", article_id="a1", conflict="nk")


def _article() -> Article:
    return Article(id="a1", doc="x.txt", source="x.txt", format="text", text="(test)")


def test_geolocate_fills_geo_per_place_and_keeps_unresolved() -> None:
    claims = [_claim(["Hadrut", "Martuni"]), _claim(["Qwzxvbnmplk"], 2), _claim([], 3)]
    out = geolocate(claims, article=_article())
    assert claims[0].geo == []          # pure: inputs untouched
    assert [g["name"] for g in out[0].geo] == ["Hadrut", "Martuni"]
    assert _near(out[0].geo[1], 39.79, 47.11, 5)
    assert out[0].geo[0]["precision"] == "exact" and "source" in out[0].geo[0]
    assert out[1].geo == [{"name": "Qwzxvbnmplk", "unresolved": True}]
    assert out[2].geo == []


def test_claims_geojson_is_valid_rfc7946() -> None:
    schema = json.loads((FIX / "geojson.schema.json").read_text(encoding="utf-8"))
    claims = geolocate([_claim(["Hadrut", "Talish"]), _claim(["Qwzxvbnmplk"], 2)], article=_article())
    fc = claims_geojson([c.to_dict() for c in claims])
    jsonschema.validate(fc, schema)
    assert len(fc["features"]) == 2
    assert fc["counterclaim"] == {"claims": 2, "located": 1, "unlocated": 1}
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert _near({"lat": lat, "lon": lon}, 39.52, 47.03, 2)   # [lon, lat] order
    assert fc["features"][0]["properties"]["metric"] == "territory_captured"
    json.dumps(fc)
    with pytest.raises(jsonschema.ValidationError):   # the schema can fail
        jsonschema.validate({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [47.0, 139.5]}, "properties": {}}]},
            schema)


def test_place_counts() -> None:
    claims = geolocate([_claim(["Hadrut", "Hadrud"]), _claim(["Hadrut"], 2), _claim(["Qwzxvbnmplk"], 3)],
                       article=_article())
    rows = place_counts(c.to_dict() for c in claims)
    assert rows[0]["place"] == "Hadrut" and rows[0]["claims"] == 2 and set(rows[0]["names"]) == {"Hadrut", "Hadrud"}
    assert rows[-1] == {"place": "Qwzxvbnmplk", "unresolved": True, "claims": 1, "names": ["Qwzxvbnmplk"]}


# ---------------------------------------------------------------- index, import

def test_index_is_versioned_and_read_only(gaz: Gazetteer) -> None:
    info = gaz.info()
    assert info["version"] in gaz.path.name and int(info["curated_places"]) > 100
    assert int(info["places"]) > 200_000
    with pytest.raises(sqlite3.OperationalError):
        gaz._cons[0].execute("DELETE FROM places")


def test_import_geonames_dump(tmp_path: Path, gaz: Gazetteer) -> None:
    from counterclaim._settings import get_settings
    from counterclaim.places._import import import_dump
    settings = get_settings(env={}, cache_dir=str(tmp_path))
    counts = import_dump(FIX / "AZ_tiny.txt", settings)
    assert counts["places"] == 4                 # the farm (class S) is skipped
    g = Gazetteer(gaz.path, tmp_path / IMPORTS_NAME)
    area = resolve_area("nk")
    found = geocode_with(g, "Zyxvabad", area, (), 3)
    assert found and found[0]["name"] == "Zyxwabad" and "imported" in found[0]["source"]
    assert geocode_with(g, "Зыхвабад", area, (), 1)[0]["name"] == "Zyxwabad"
    assert geocode_with(g, "Testtepe height", area, (), 1)[0]["feature"] == "height"
    fuz = geocode_with(g, "Fuzuli", area, (), 5)   # the dump's copy of a known place is not a second answer
    assert sum(1 for c in fuz if _near(c, 39.60, 47.14, 3)) == 1
    assert geocode_with(gaz, "Zyxvabad", area, (), 1) == []


def test_import_rejects_a_file_that_is_not_a_dump(tmp_path: Path) -> None:
    from counterclaim._settings import get_settings
    from counterclaim.places._import import import_dump
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\nworld\nthis\nis\nnot\na dump\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="not a GeoNames dump"):
        import_dump(bad, get_settings(env={}, cache_dir=str(tmp_path)))
    with pytest.raises(GazetteerError, match="no such file"):
        import_dump(tmp_path / "missing.zip", get_settings(env={}, cache_dir=str(tmp_path)))


def test_import_reads_a_zip(tmp_path: Path, gaz: Gazetteer) -> None:
    import zipfile
    from counterclaim._settings import get_settings
    from counterclaim.places._import import import_dump
    z = tmp_path / "AZ.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "GeoNames readme")
        zf.write(FIX / "AZ_tiny.txt", "AZ.txt")
    cache = tmp_path / "cache"
    assert import_dump(z, get_settings(env={}, cache_dir=str(cache)))["places"] == 4


@pytest.mark.slow
def test_concurrent_builds_end_with_one_complete_index(tmp_path: Path) -> None:
    import functools
    import multiprocessing as mp
    from counterclaim.places._gazetteer import build_index
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        paths = pool.map(functools.partial(build_index, min_population=15000), [str(tmp_path)] * 2)
    assert paths[0] == paths[1] and Path(paths[0]).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gazetteer-")] == []
    g = Gazetteer(paths[0])
    assert _near(geocode_with(g, "Kharkov", resolve_area(None), (), 1)[0], 49.98, 36.25, 5)
    mtime = Path(paths[0]).stat().st_mtime
    assert build_index(str(tmp_path), min_population=15000) == paths[0]
    assert Path(paths[0]).stat().st_mtime == mtime   # up to date: not rebuilt


# ---------------------------------------------------------------- CLI

def test_cli_geocode_json_fizuli_equals_fuzuli() -> None:
    runner = CliRunner()
    a = runner.invoke(cli, ["geocode", "Fizuli", "--conflict", "nk", "--json"])
    b = runner.invoke(cli, ["geocode", "Füzuli", "--conflict", "nk", "--json"])
    assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output
    ja, jb = json.loads(a.output), json.loads(b.output)
    assert (ja[0]["lat"], ja[0]["lon"]) == (jb[0]["lat"], jb[0]["lon"])
    assert abs(ja[0]["lat"] - 39.60) < 0.05 and abs(ja[0]["lon"] - 47.14) < 0.05


def test_cli_geocode_table_and_errors() -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["geocode", "Martuni", "--conflict", "nk"])
    assert r.exit_code == 0 and "Khojavend" in r.output.splitlines()[1]
    r = runner.invoke(cli, ["geocode", "Qwzxvbnmplk"])
    assert r.exit_code == 0 and "unresolved" in r.output
    r = runner.invoke(cli, ["geocode", "Hadrut", "--conflict", "no-such-war"])
    assert r.exit_code == 1 and "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_cli_gazetteer_info_and_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gaz: Gazetteer) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["gazetteer", "info", "--json"])
    assert r.exit_code == 0 and "GeoNames" in json.loads(r.output)["credits"]
    r = runner.invoke(cli, ["gazetteer", "import", str(tmp_path / "missing.txt")])
    assert r.exit_code == 1 and "no such file" in r.output


def test_cli_places_counts_stored_claims(db_url: str) -> None:
    from counterclaim.store import Store
    from counterclaim.pipeline import Processed
    article = Article(id="a1", doc="x.txt", source="x.txt", format="text", text="(test text)", raw="(test text)")
    claims = geolocate([_claim(["Hadrut", "Talish"]), _claim(["Hadrut"], 2), _claim(["Qwzxvbnmplk"], 3)],
                       article=article)
    with Store(db_url) as store:
        store.add(Processed(article=article, claims=claims))
    runner = CliRunner()
    r = runner.invoke(cli, ["places", "--db", db_url, "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows[0]["place"] == "Hadrut" and rows[0]["claims"] == 2
    assert any(x.get("unresolved") and x["place"] == "Qwzxvbnmplk" for x in rows)
    r = runner.invoke(cli, ["places", "--db", db_url])
    assert r.exit_code == 0 and "Hadrut" in r.output and "unresolved" in r.output


def test_cli_export_geojson_is_valid(db_url: str, tmp_path: Path) -> None:
    from counterclaim.pipeline import Processed
    from counterclaim.store import Store
    schema = json.loads((FIX / "geojson.schema.json").read_text(encoding="utf-8"))
    article = Article(id="a2", doc="y.txt", source="y.txt", format="text", text="(other test)", raw="(other test)")
    claims = geolocate([_claim(["Talish", "Murov"]), _claim(["Qwzxvbnmplk"], 2)], article=article)
    claims = [Claim.from_dict({**c.to_dict(), "article_id": "a2", "doc": "y.txt"}) for c in claims]
    with Store(db_url) as store:
        store.add(Processed(article=article, claims=claims))
    out = tmp_path / "claims.geojson"
    r = CliRunner().invoke(cli, ["export", "--db", db_url, "--format", "geojson", "--out", str(out)])
    assert r.exit_code == 0, r.output
    fc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(fc, schema)
    assert len(fc["features"]) == 2 and fc["counterclaim"]["unlocated"] == 1


def test_weak_matches_outside_the_conflict_countries_stay_unresolved() -> None:
    for conflict in ("nk", "ru-ua"):
        out = resolve_place_names(["Telegram", "Twitter", "Hadrut"], conflict=conflict)
        assert out["Telegram"] == {"name": "Telegram", "unresolved": True}
        assert out["Twitter"] == {"name": "Twitter", "unresolved": True}
        assert _near(out["Hadrut"], 39.52, 47.03, 2)   # an exact name still resolves, in any article


def test_two_places_joined_by_a_dash_are_a_line() -> None:
    line = geocode("Goris-Kapan", conflict="nk")[0]
    assert line["precision"] == "line" and line["country"] == "AM"
    across = geocode("Goris-Lachin", conflict="nk")[0]
    assert across["precision"] == "line" and across["country"] is None and across["countries"] == ["AM", "AZ"]
    assert geocode("Boyuk-Marjanly", conflict="nk")[0]["precision"] == "exact"   # a hyphenated name stays a name
