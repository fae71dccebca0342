"""Shared fixtures. Stage-specific fixtures live in the test module that uses them."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "examples" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    d = SHARED / "eval" / "dev"
    if not d.is_dir():
        pytest.skip("../shared/eval/dev is not beside the checkout")
    return d


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


# -- PostgreSQL (storage engineer): a throwaway server per session, a fresh database per test
def _pg_helpers():
    import importlib.util

    spec = importlib.util.spec_from_file_location("counterclaim_tests_pg", Path(__file__).with_name("pg.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def pg_admin_url():
    """Admin URL of a PostgreSQL server: DATABASE_URL's, else a throwaway cluster (tests/pg.py)."""
    pg = _pg_helpers()
    try:
        ctx = pg.server()
        url = ctx.__enter__()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    try:
        yield url
    finally:
        ctx.__exit__(None, None, None)


@pytest.fixture
def pg_url(pg_admin_url):
    """URL of a fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    pg = _pg_helpers()
    with pg.fresh_database(pg_admin_url) as url:
        yield url


@pytest.fixture(autouse=True)
def _strict_claim_rules(request, monkeypatch):
    """In the claims tests a rule's exception fails the test (outside tests one bad sentence is skipped)."""
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_claims"):
        monkeypatch.setenv("COUNTERCLAIM_DEBUG", "1")
