"""Conflict dictionaries: bundled files load, the schema rejects bad files with file/field/problem."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from counterclaim._settings import get_settings
from counterclaim.conflicts import list_conflicts, load_conflict, load_conflict_file
from counterclaim.errors import ConflictFileError, UnknownConflict

FIX = Path(__file__).resolve().parent / "fixtures" / "conflicts"


def test_bundled_conflicts_load():
    assert {"nk", "ru-ua"} <= set(list_conflicts())
    nk = load_conflict("nk")
    assert nk.enemy("ARM") == "AZE" and nk.enemy("TUR") is None
    assert nk.actor("AZE.MOD").side == "AZE"
    assert nk.area["countries"] == ["AZ", "AM"] and len(nk.area["bbox"]) == 4
    ru = load_conflict("ru-ua")
    assert ru.actor("UKR.GENSTAFF").kind == "genstaff"


def test_unknown_conflict():
    with pytest.raises(UnknownConflict):
        load_conflict("atlantis")


def test_extra_directory_adds_a_conflict():
    s = get_settings(env={"COUNTERCLAIM_CONFLICTS_DIR": str(FIX)})
    assert "valoria" in list_conflicts(s)
    assert load_conflict("valoria", settings=s).sides["VAL"].enemy == "MAR"


@pytest.mark.parametrize("mutate,field", [
    (lambda d: d["sides"][0].update(code="val"), "sides[0].code"),
    (lambda d: d["actors"][0].update(side="XXX"), "actors[0].side"),
    (lambda d: d["area"].update(bbox=[1, 2, 3]), "area.bbox"),
    (lambda d: d.pop("provenance"), "provenance"),
    (lambda d: d["vocabulary"].update(exploded=["boom"]), "vocabulary.exploded"),
])
def test_invalid_file_names_file_and_field(tmp_path, mutate, field):
    data = yaml.safe_load((FIX / "valoria.yaml").read_text())
    mutate(data)
    p = tmp_path / "valoria.yaml"
    p.write_text(yaml.safe_dump(data))
    with pytest.raises(ConflictFileError) as ei:
        load_conflict_file(p)
    msg = str(ei.value)
    assert str(p) in msg and field in msg and "\n" not in msg


def test_id_must_match_file_stem(tmp_path):
    p = tmp_path / "other.yaml"
    p.write_text((FIX / "valoria.yaml").read_text())
    with pytest.raises(ConflictFileError, match="file name"):
        load_conflict_file(p)


def test_broken_yaml(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("id: [unclosed\n")
    with pytest.raises(ConflictFileError, match="YAML"):
        load_conflict_file(p)


def test_repeated_loads_are_cached_and_see_file_changes(tmp_path, monkeypatch):
    """load_conflict is cached per process, but an edited, added or removed YAML file is seen at once."""
    import os

    monkeypatch.setenv("COUNTERCLAIM_CONFLICTS_DIR", str(tmp_path))
    data = yaml.safe_load((FIX / "valoria.yaml").read_text())
    p = tmp_path / "valoria.yaml"
    p.write_text(yaml.safe_dump(data))
    first = load_conflict("valoria")
    assert load_conflict("valoria") is first                 # unchanged file: the same object, not parsed again
    assert load_conflict("nk") is load_conflict("nk")        # bundled ones too
    from counterclaim import conflicts as C
    scans: list[int] = []
    orig = C._scan
    monkeypatch.setattr(C, "_scan", lambda dirs: scans.append(1) or orig(dirs))
    load_conflict("valoria")
    assert scans == []                                       # an unchanged directory is not listed again

    data["name"] = "Valoria border war (edited)"
    p.write_text(yaml.safe_dump(data))
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # coarse file-system clocks: move mtime on
    edited = load_conflict("valoria")
    assert edited is not first and edited.name == "Valoria border war (edited)"

    copy = dict(data, id="valoria2")                          # a new file in the directory
    (tmp_path / "valoria2.yaml").write_text(yaml.safe_dump(copy))
    assert load_conflict("valoria2").id == "valoria2"

    (tmp_path / "valoria2.yaml").unlink()                     # and a removed one
    with pytest.raises(UnknownConflict):
        load_conflict("valoria2")

    monkeypatch.setenv("COUNTERCLAIM_CONFLICTS_DIR", "")      # the directory setting itself is honoured
    with pytest.raises(UnknownConflict):
        load_conflict("valoria")
