"""Ledger and report benchmark: claims/s of ``build_ledger`` and seconds of ``write_report``.

    python bench/ledger.py [--sizes 1000,10000,100000] [--repeat 3] [--report-max 20000]

Synthetic claim dicts (two belligerents, a third party and the outlet; daily tallies,
increments, repeats on the same day, syndicated copies a day later, denials) over a
90-day war, a few series per side. Prints medians over ``--repeat`` runs; no assertions.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from counterclaim.ledger import build_ledger  # noqa: E402
from counterclaim.records import Claim  # noqa: E402
from counterclaim.report import write_report  # noqa: E402

SERIES = [("killed", "personnel"), ("destroyed", "tank"), ("destroyed", "drone"), ("wounded", "civilians"),
          ("territory_captured", "village")]
CLAIMANTS = [("AZE", "AZE.MOD"), ("AZE", "AZE.PRES"), ("ARM", "ARM.MOD"), ("ARM", "NKR.GOV"),
             ("RUS", "RUS.GOV"), ("OUTLET", "OUTLET")]
PLACES = ["Fuzuli", "Jabrayil", "Hadrut", "Shusha", "Aghdara", "Talish", "Madagiz", "Stepanakert"]


def synthetic(n: int, seed: int = 6) -> list[dict]:
    """``n`` claim dicts with the shapes the ledger meets in a real store."""
    rnd = random.Random(seed)
    start = date(2020, 9, 27)
    out: list[dict] = []
    tallies: dict[tuple, int] = {}
    while len(out) < n:
        i = len(out)
        side, who = rnd.choice(CLAIMANTS)
        subject = rnd.choice(["ARM", "AZE"])
        metric, category = rnd.choice(SERIES)
        day = start + timedelta(days=rnd.randrange(90))
        key = (who, subject, metric, category)
        stance = "deny" if rnd.random() < 0.05 else "assert"
        scope = rnd.choice(["cumulative", "increment", None])
        tallies[key] = tallies.get(key, 0) + rnd.randint(1, 40)
        value = None if stance == "deny" else (tallies[key] if scope != "increment" else rnd.randint(1, 40))
        c = Claim(doc=f"d{i}.txt", claimant_side=side, claimant=who, subject_side=subject, metric=metric,
                  category=category, value=value, value_max=None, approx="exact" if value is not None else "none",
                  stance=stance, places=rnd.sample(PLACES, rnd.randint(0, 2)),
                  date=day.isoformat() if rnd.random() < 0.6 else None, evidence=f"Synthetic sentence {i}.",
                  article_id=f"a{i // 4}", conflict="nk", scope=scope).to_dict()
        c["cluster"] = f"a{i // 4}"
        c["article_published"] = day.isoformat()
        out.append(c)
        if rnd.random() < 0.1 and len(out) < n:      # a syndicated copy a day later
            d = dict(c, id=c["id"] + "x", article_id=c["article_id"] + "x", date=None,
                     article_published=(day + timedelta(days=1)).isoformat())
            out.append(d)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--report-max", type=int, default=20000, help="largest size the report is timed at")
    args = ap.parse_args()
    print(f"{'claims':>8} {'ledger s':>9} {'claims/s':>10} {'series':>7} {'report s':>9}")
    for n in [int(x) for x in args.sizes.split(",")]:
        rows = synthetic(n)
        times, led = [], None
        for _ in range(args.repeat):
            t = time.perf_counter()
            led = build_ledger(rows)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        rep = "-"
        if n <= args.report_max:
            rtimes = []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    t = time.perf_counter()
                    write_report(rows, [], tmp, conflict="nk")
                    rtimes.append(time.perf_counter() - t)
            rep = f"{statistics.median(rtimes):.2f}"
        print(f"{n:>8} {med:>9.3f} {n / med:>10,.0f} {len(led['series']):>7} {rep:>9}", flush=True)


if __name__ == "__main__":
    main()
