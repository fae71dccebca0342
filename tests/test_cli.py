"""The CLI shell: generated docs stay true, settings come from the environment, errors are one line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from counterclaim._settings import get_settings
from counterclaim.cli import cli
from counterclaim.cli._docs import cli_markdown, settings_markdown
from counterclaim.errors import CounterclaimError, SettingsError

ROOT = Path(__file__).resolve().parents[1]


def test_settings_doc_is_generated_and_current():
    assert (ROOT / "docs" / "settings.md").read_text() == settings_markdown(), "run `make docs`"


def test_cli_doc_is_generated_and_current():
    assert (ROOT / "docs" / "cli.md").read_text() == cli_markdown(), "run `make docs`"


def test_env_overrides_default_and_bad_value_is_one_error():
    s = get_settings({"COUNTERCLAIM_DB": "sqlite:///x.db", "COUNTERCLAIM_FETCH_TIMEOUT": "3.5"})
    assert s.db_url == "sqlite:///x.db" and s.fetch_timeout == 3.5
    assert get_settings({}).db_url == "sqlite:///counterclaim.db"
    try:
        get_settings({"COUNTERCLAIM_MAX_INPUT_BYTES": "lots"})
    except SettingsError as err:
        assert "COUNTERCLAIM_MAX_INPUT_BYTES" in err.one_line()
    else:
        raise AssertionError("a bad setting must raise SettingsError")


def test_settings_json_hides_token(monkeypatch):
    monkeypatch.setenv("COUNTERCLAIM_TOKEN", "s3cret")
    out = CliRunner().invoke(cli, ["settings", "--json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["token"] == "***" and "s3cret" not in out.output


def test_error_is_one_line_not_a_traceback():
    err = CounterclaimError("bad\nthing   here", source="a.txt")
    assert err.one_line() == "a.txt: bad thing here"
    proc = subprocess.run([sys.executable, "-m", "counterclaim", "settings"],
                          env={"COUNTERCLAIM_FETCH_TIMEOUT": "soon", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "COUNTERCLAIM_FETCH_TIMEOUT" in proc.stderr
