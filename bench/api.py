"""Benchmark the web API at 100,000 claims: p50/p99 latency and requests/s, 16 concurrent clients.

Builds a synthetic but realistic database (two conflicts, both sides claiming and
admitting, varied values, dates, places and categories; article texts assembled from
claim sentences with correct spans), starts ``counterclaim serve --read-only`` on
127.0.0.1 in a subprocess, and drives it from a bounded pool of keep-alive clients
(loopback only, fixed request count). Prints medians; no assertion.

    .venv/bin/python bench/api.py [--claims 100000] [--requests 2000] [--workers 16] [--keep DIR]

Bar (issue 7): p99 < 100 ms for /api/claims?subject_side=ARM&metric=killed.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterclaim.records import article_id  # noqa: E402
from counterclaim.store._rows import claim_day  # noqa: E402

CONFLICTS = {
    "nk": {"sides": ("ARM", "AZE"), "start": date(2020, 9, 27), "days": 45,
           "claimants": {"ARM": ["ARM.MOD", "NKR.GOV", "ARM.GOV"], "AZE": ["AZE.MOD", "AZE.PRES"]},
           "names": {"ARM": "Armenian", "AZE": "Azerbaijani"},
           "places": [("Fuzuli", 39.60, 47.14), ("Jabrayil", 39.40, 47.03), ("Hadrut", 39.52, 47.03),
                      ("Shusha", 39.76, 46.75), ("Stepanakert", 39.82, 46.75), ("Tartar", 40.34, 46.93),
                      ("Martuni", 39.79, 47.11), ("Zangilan", 39.09, 46.65), ("Qubadli", 39.34, 46.58),
                      ("Lachin", 39.64, 46.55), ("Aghdam", 39.99, 46.93), ("Ganja", 40.68, 46.36)]},
    "ua": {"sides": ("UKR", "RUS"), "start": date(2022, 2, 24), "days": 700,
           "claimants": {"UKR": ["UKR.GS", "UKR.MOD", "UKR.PRES"], "RUS": ["RUS.MOD", "RUS.GOV"]},
           "names": {"UKR": "Ukrainian", "RUS": "Russian"},
           "places": [("Bakhmut", 48.59, 38.00), ("Kharkiv", 49.99, 36.23), ("Kherson", 46.64, 32.61),
                      ("Avdiivka", 48.14, 37.74), ("Mariupol", 47.10, 37.55), ("Izium", 49.21, 37.26),
                      ("Lyman", 48.99, 37.81), ("Kupiansk", 49.71, 37.62), ("Zaporizhzhia", 47.84, 35.14),
                      ("Belgorod", 50.60, 36.59), ("Donetsk", 48.02, 37.80), ("Sievierodonetsk", 48.95, 38.49)]},
}
METRICS = [("killed", "personnel", "servicemen", "killed", 0.30), ("wounded", "personnel", "soldiers", "wounded", 0.08),
           ("killed", "civilians", "civilians", "killed", 0.07), ("destroyed", "tank", "tanks", "destroyed", 0.15),
           ("destroyed", "artillery", "artillery pieces", "destroyed", 0.1),
           ("destroyed", "drone", "drones", "shot down", 0.1), ("destroyed", "armored_vehicle", "armoured vehicles",
                                                                 "destroyed", 0.08),
           ("captured", "personnel", "soldiers", "taken prisoner", 0.04),
           ("territory_captured", "village", "villages", "captured", 0.08)]
APPROX = [("exact", ""), ("exact", ""), ("exact", ""), ("at_least", "at least "), ("about", "about "),
          ("at_least", "more than ")]


def _claim_sentence(rng: random.Random, conf: dict, cs: str, claimant: str, ss: str, metric: tuple,
                    value: int, approx_word: str, place: str) -> tuple[str, str]:
    m, cat, noun, verb, _ = metric
    number = f"{value:,}"
    who = {"MOD": "defence ministry", "GS": "General Staff", "GOV": "government", "PRES": "president's office"}[
        claimant.split(".")[1]]
    if metric[0] == "territory_captured":
        s = f"The {conf['names'][cs]} {who} said its forces had {verb} {approx_word}{number} {noun} near {place}."
    elif cs == ss:
        s = f"The {conf['names'][cs]} {who} said {approx_word}{number} of its {noun} had been {verb} near {place}."
    else:
        s = (f"According to the {conf['names'][cs]} {who}, {approx_word}{number} {conf['names'][ss]} {noun} "
             f"were {verb} near {place} over the past day.")
    return s, number


def build(path: Path, n_claims: int, seed: int = 7) -> tuple[str, list[str]]:
    """Write the synthetic database; returns its URL and a sample of article ids."""
    from counterclaim.store import Store
    from counterclaim.store._schema import articles, claims

    url = f"sqlite:///{path}"
    Store(url).close()
    rng = random.Random(seed)
    weights = [m[4] for m in METRICS]
    arts, rows = [], []
    made = 0
    k = 0
    while made < n_claims:
        k += 1
        conflict = "nk" if rng.random() < 0.55 else "ua"
        conf = CONFLICTS[conflict]
        published = conf["start"] + timedelta(days=rng.randrange(conf["days"]))
        outlet = rng.choice(["Example Wire", "Caucasus Example", "Kyiv Example", "Moscow Example", "World Example"])
        n = min(rng.randint(6, 20), n_claims - made)
        sentences, pending = [], []
        for _ in range(n):
            cs = rng.choice(conf["sides"])
            ss = cs if rng.random() < 0.25 else [s for s in conf["sides"] if s != cs][0]
            metric = rng.choices(METRICS, weights)[0]
            value = max(1, int(rng.lognormvariate(3.0 if metric[0] != "territory_captured" else 0.8, 1.4)))
            approx, word = rng.choice(APPROX)
            place, lat, lon = rng.choice(conf["places"])
            claimant = rng.choice(conf["claimants"][cs])
            s, number = _claim_sentence(rng, conf, cs, claimant, ss, metric, value, word, place)
            sentences.append(s)
            pending.append((cs, claimant, ss, metric, value, approx, place, lat, lon, number))
        text = f"Report {k}. " + " ".join(sentences)
        aid = article_id(text)
        arts.append({"id": aid, "doc": f"bench-{k}.txt", "source": f"bench-{k}.txt", "url": f"https://example.org/{k}",
                     "format": "text", "title": f"Daily report {k}", "outlet": outlet,
                     "published": published.isoformat(), "language": "en", "tags": [], "media": [],
                     "conflict": conflict, "cluster": aid, "raw": text, "text": text,
                     "ingested_at": "2026-11-23T09:00:00+00:00", "extracted_with": "bench"})
        pos = len(f"Report {k}. ")
        for s, (cs, claimant, ss, metric, value, approx, place, lat, lon, number) in zip(sentences, pending):
            n0 = pos + s.index(number)
            dated = rng.random() < 0.3
            cdate = (published - timedelta(days=1)).isoformat() if dated else None
            rows.append({"id": f"{aid[:16]}{len(rows):08d}", "article_id": aid, "conflict": conflict,
                         "doc": f"bench-{k}.txt", "claimant_side": cs, "claimant": claimant, "subject_side": ss,
                         "metric": metric[0], "category": metric[1], "value": value, "value_max": None,
                         "approx": approx, "stance": "assert", "places": [place],
                         "date": cdate,
                         "evidence": s, "span_start": pos, "span_end": pos + len(s), "number_start": n0,
                         "number_end": n0 + len(number), "rule": "bench", "actor_raw": claimant,
                         "scope": "increment" if "past day" in s else None, "increment": None, "confidence": 0.8,
                         "geo": [{"name": place, "lat": lat, "lon": lon, "country": None, "precision": "town",
                                  "feature": "P", "source": "bench", "score": 1.0}],
                         "lat": lat, "lon": lon, "place": place,
                         "day": claim_day(cdate, published.isoformat(), None)})  # the Store's rule
            pos += len(s) + 1
        made += n
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for i in range(0, len(arts), 2000):
            conn.execute(sa.insert(articles), arts[i:i + 2000])
        for i in range(0, len(rows), 5000):
            conn.execute(sa.insert(claims), rows[i:i + 5000])
        conn.exec_driver_sql("ANALYZE")  # the read indexes come with the schema (migration 0003)
    engine.dispose()
    return url, [a["id"] for a in rng.sample(arts, min(200, len(arts)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(port: int, paths: list[str], n_requests: int, workers: int) -> dict[str, float]:
    """Send ``n_requests`` GETs (cycling through ``paths``) from ``workers`` keep-alive clients."""
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(n_requests))

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t = time.perf_counter()
            conn.request("GET", paths[i % len(paths)])
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t)
            if resp.status != 200:
                with lock:
                    errors += 1
        conn.close()
        with lock:
            lat.extend(mine)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        for f in [pool.submit(worker) for _ in range(workers)]:
            f.result()
    wall = time.perf_counter() - t0
    lat.sort()
    return {"p50_ms": 1000 * statistics.median(lat), "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))],
            "rps": len(lat) / wall, "errors": errors, "n": len(lat)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--keep", metavar="DIR", help="build (or reuse) the database in DIR instead of a temp dir")
    args = ap.parse_args()

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cc-bench-api-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / f"api-{args.claims}.db"
    t = time.perf_counter()
    if db.exists() and args.keep:
        url = f"sqlite:///{db}"
        from counterclaim.store import Store
        Store(url).close()  # upgrades a database kept from an older schema (backfills claims.day)
        eng = sa.create_engine(url)
        with eng.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
            ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles ORDER BY random() LIMIT 200")]
        eng.dispose()
    else:
        url, ids = build(db, args.claims)
    print(f"database: {args.claims:,} claims, {db.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - t:.1f} s")

    for cache in (False, True):
        run_server_cases(url, ids, tmp, args, cache)


_SERVER = ("import sys, uvicorn; from counterclaim._settings import get_settings; "
           "from counterclaim.web import create_app; "
           "uvicorn.run(create_app(get_settings(), db=sys.argv[1], read_only=True, cache=sys.argv[3] == '1'), "
           "host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")


def run_server_cases(url: str, ids: list[str], tmp: Path, args: argparse.Namespace, cache: bool) -> None:
    """Start a read-only server (query cache on or off) in a subprocess and time each case."""
    port = _free_port()
    env = dict(os.environ, COUNTERCLAIM_CACHE_DIR=str(tmp / "cache"), COUNTERCLAIM_TOKEN="",
               PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, url, str(port), "1" if cache else "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/facets")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {proc.stderr.read().decode()[:500] if proc.stderr else ''}")
            time.sleep(0.2)
        print(f"\n== query cache {'ON (results kept until the data changes)' if cache else 'OFF (every request queries)'}")
        cold = time.perf_counter()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("GET", "/api/ledger?conflict=nk&side=ARM&metric=killed")
        body = c.getresponse().read()
        led = json.loads(body)
        cold = time.perf_counter() - cold
        print(f"ledger nk/ARM/killed first request: {1000 * cold:.0f} ms, {led['claims']:,} figures, "
              f"{len(body) / 1e6:.1f} MB")
        cases = [
            ("/api/claims?subject_side=ARM&metric=killed", ["/api/claims?subject_side=ARM&metric=killed"]),
            ("/api/claims, 2 filters, 12 combinations", [f"/api/claims?subject_side={s}&metric={m}"
                                                         for s in ("ARM", "AZE", "UKR", "RUS")
                                                         for m in ("killed", "destroyed", "wounded")]),
            ("/articles/{id} (article page, 200 articles)", [f"/articles/{i}" for i in ids]),
            ("/api/ledger?conflict=nk&side=ARM&metric=killed", ["/api/ledger?conflict=nk&side=ARM&metric=killed"]),
        ]
        n_ledger = max(50, args.requests // 10)
        print(f"{args.workers} concurrent clients, {args.requests} requests per case ({n_ledger} for the ledger), "
              "loopback")
        print(f"{'case':52} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>6}")
        if not cache:  # an uncached ledger is rebuilt per request (seconds): its first request above says it
            cases = [c for c in cases if "ledger" not in c[0]]
        for label, paths in cases:
            n = n_ledger if "ledger" in label else args.requests
            drive(port, paths, min(50, n), args.workers)  # warm-up
            r = drive(port, paths, n, args.workers)
            print(f"{label:52} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['rps']:8.0f} {r['errors']:6d}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
