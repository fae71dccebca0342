"""Storage benchmark: Store.add per article (article + claims + signature + LSH buckets +
clustering, one transaction each) on SQLite, and on PostgreSQL when DATABASE_URL is set.

    python3 bench/store.py [--n 2000] [--claims 5]

Prints articles/s and the median ms per add, the time of a re-run over the same
articles (all unchanged) and of a full ``recluster``. Synthetic articles: distinct
bodies with one syndicated copy per 20 articles.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from counterclaim.pipeline import Processed  # noqa: E402
from counterclaim.records import Article, Claim, article_id  # noqa: E402
from counterclaim.store import Store  # noqa: E402

WORDS = ("artillery shelling village ministry said soldiers killed wounded drone tank positions front "
         "statement officials reported overnight district border forces attack defence claimed").split()


def body(i: int) -> str:
    import random
    rng = random.Random(i)
    paras = [" ".join(rng.choice(WORDS) for _ in range(60)) + f" report {i}." for _ in range(6)]
    return "\n\n".join(paras)


def items(n: int, per: int) -> list[Processed]:
    out = []
    for i in range(n):
        text = body(i if i % 20 else i - 1) + ("\n\nShare this article." if i % 20 == 0 and i else "")
        a = Article(id=article_id(text), doc=f"{i}.txt", source=f"/bench/{i}.txt", format="text", text=text,
                    raw=text, title=f"Report {i}", published=f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}")
        cl = [Claim(doc=a.doc, claimant_side="AZE", claimant="AZE.MOD", subject_side="ARM", metric="killed",
                    category="personnel", value=k, value_max=None, approx="exact", stance="assert", places=[],
                    date=None, evidence=text[k * 10:k * 10 + 40], article_id=a.id, span=(k * 10, k * 10 + 40))
              for k in range(per)]
        out.append(Processed(a, cl, "nk2020", "bench"))
    return out


def run(url: str, data: list[Processed]) -> None:
    with Store(url) as st:
        times = []
        t0 = time.perf_counter()
        for p in data:
            t = time.perf_counter()
            st.add(p)
            times.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        t1 = time.perf_counter()
        for p in data:
            st.add(p)
        rerun = time.perf_counter() - t1
        t2 = time.perf_counter()
        st.recluster()
        rec = time.perf_counter() - t2
        s = st.stats()
    print(f"{url.split(':')[0]:<22} {len(data):>6} articles  {len(data) / total:8.1f} articles/s  "
          f"median {statistics.median(times) * 1000:6.2f} ms/add  re-run {len(data) / rerun:8.1f} articles/s  "
          f"recluster {rec:6.2f} s  clusters {s['clusters']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--claims", type=int, default=5)
    args = ap.parse_args()
    data = items(args.n, args.claims)
    with tempfile.TemporaryDirectory() as d:
        run(f"sqlite:///{d}/bench.db", data)
    if os.environ.get("DATABASE_URL"):
        run(os.environ["DATABASE_URL"], data)


if __name__ == "__main__":
    main()
