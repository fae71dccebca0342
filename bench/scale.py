"""Scale benchmark: articles/s and peak memory at growing corpus sizes, three ways.

    python bench/scale.py [--sizes 1000,10000,100000] [--modes inproc,pool,spark]

For each size a synthetic corpus is generated (streamed to a temporary directory, one
article in memory at a time) from the sample corpus (``examples/corpus``): its cleaned
sentences are sampled across articles and varied (numbers, dates, places, the two sides'
demonyms swapped), written as text, Markdown and HTML files, with syndicated copies
injected (a new headline, added boilerplate, sometimes a trimmed intro). Then each mode
runs in its own subprocess while this process samples the memory of that process tree
(sum of each process's PSS from /proc, every 0.1 s; PSS so that pages forked workers share
are counted once):

``inproc``  ``read_sources`` -> ``pipeline.process_many(workers=1)`` -> MinHash signature ->
            claims JSONL (the in-process pipeline on one core, no database)
``pool``    the same with ``process_many(workers=0)`` (a process pool on all cores)
``spark``   ``counterclaim.batch.run_batch(master="local[*]")``: the whole batch job
            (processing, MinHashLSH syndication, Parquet tables, ledger)
``ingest``  ``service.ingest_sources`` into a fresh SQLite file (one core; opt-in)

The table gives the rate at each size and its ratio to the rate at the smallest size
(1.00 = linear). Numbers are medians over ``--repeat`` runs. No timed assertions: this
prints figures (see docs/scale.md for measured ones).
"""
from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

# -- the synthetic corpus ------------------------------------------------------------------
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")
_NUM = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b")
_MONTHS = ("January February March April May June July August September October November December").split()
_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2})\b")
_OUTLETS = ("Caucasus Wire", "Frontline Daily", "Steppe Monitor", "Black Sea Herald", "Regional Observer",
            "Capital Courier", "Evening Dispatch", "Border Times")
_BOILER = ("Support independent reporting: donate today.", "Share this article with your friends.",
           "Subscribe to our newsletter for daily updates.", "Comments are closed for this story.")


def _corpus_sentences() -> tuple[list[str], list[str]]:
    """Sentences and titles of the sample corpus, cleaned by the library's own ingest."""
    from counterclaim.errors import CounterclaimError
    from counterclaim.ingest import prepare, read_sources
    sentences: list[str] = []
    titles: list[str] = []
    if CORPUS.is_dir():
        for raw in read_sources([str(CORPUS)]):
            if isinstance(raw, Exception):
                continue
            try:
                art = prepare(raw)
            except CounterclaimError:
                continue
            if art.title:
                titles.append(art.title)
            for para in art.text.split("\n"):
                sentences += [s.strip() for s in _SENT.split(para) if len(s.split()) >= 6]
    if not sentences:
        raise SystemExit("bench/scale.py: examples/corpus has no readable articles to build the corpus from")
    return sentences, titles or ["Fighting continues along the front"]


def _swaps() -> tuple[list[str], dict[str, str]]:
    """Place names and demonym swaps (a side's first demonym <-> its enemy's) of every conflict."""
    from counterclaim.conflicts import list_conflicts, load_conflict
    places: list[str] = []
    swap: dict[str, str] = {}
    for cid in list_conflicts():
        c = load_conflict(cid)
        places += [p for p in c.places if p[:1].isupper()]
        for side in c.sides.values():
            enemy = c.sides.get(side.enemy or "")
            if enemy and side.demonyms and enemy.demonyms:
                swap[side.demonyms[0]] = enemy.demonyms[0]
    return sorted(set(places)), swap


class Generator:
    """Synthetic articles from the sample corpus's sentences, varied; streamed to files."""

    def __init__(self, seed: int = 1, syndicated: float = 0.05):
        self.rng = random.Random(seed)
        self.sentences, self.titles = _corpus_sentences()
        self.places, self.swap = _swaps()
        self.syndicated = syndicated
        self._place_re = (re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(self.places, key=len,
                                                                                       reverse=True)) + r")\b")
                          if self.places else None)
        self._swap_re = (re.compile(r"\b(" + "|".join(map(re.escape, self.swap)) + r")\b") if self.swap else None)

    def _vary(self, s: str, swap: bool) -> str:
        rng = self.rng

        def number(m: re.Match) -> str:
            v = int(m.group(0).replace(",", ""))
            if 1900 <= v <= 2100:  # a year: keep
                return m.group(0)
            return f"{max(1, round(v * rng.uniform(0.3, 3.0))):,}"

        s = _NUM.sub(number, s)
        s = _DATE.sub(lambda m: f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}", s)
        if self._place_re is not None:
            s = self._place_re.sub(lambda m: rng.choice(self.places), s)
        if swap and self._swap_re is not None:
            s = self._swap_re.sub(lambda m: self.swap[m.group(0)], s)
        return s

    def article(self, i: int) -> tuple[str, str, list[str]]:
        """(title, published date, paragraphs) of synthetic article ``i``."""
        rng = self.rng
        swap = rng.random() < 0.5
        day = f"{rng.choice((2016, 2020, 2022, 2023))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        picked = [self._vary(rng.choice(self.sentences), swap) for _ in range(rng.randint(8, 20))]
        paras, k = [], 0
        while k < len(picked):
            n = rng.randint(2, 4)
            paras.append(" ".join(picked[k:k + n]))
            k += n
        title = self._vary(rng.choice(self.titles), swap) + f" ({i})"
        return title, day, paras

    @staticmethod
    def render(fmt: str, title: str, day: str, outlet: str, paras: list[str]) -> str:
        if fmt == "html":
            body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
            return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                    f"<meta property='og:site_name' content='{html.escape(outlet)}'>"
                    f"<meta name='date' content='{day}'></head><body><nav><a href='/'>Home</a></nav>"
                    f"<article><h1>{html.escape(title)}</h1><p>Published: {day}</p>\n{body}</article>"
                    f"<footer>© {outlet}</footer></body></html>\n")
        head = f"# {title}\n\n" if fmt == "md" else f"{title}\n\n"
        return head + f"Published: {day}\nBy {outlet} staff\n\n" + "\n\n".join(paras) + "\n"

    def write(self, out: Path, n: int) -> dict[str, int]:
        """Write ``n`` files (copies included) under ``out`` in shards of 1,000; return counts."""
        rng = self.rng
        counts = {"articles": 0, "copies": 0}
        i = 0
        while i < n:
            shard = out / f"{i // 1000:05d}"
            shard.mkdir(parents=True, exist_ok=True)
            title, day, paras = self.article(i)
            outlet = rng.choice(_OUTLETS)
            fmt = rng.choices(("txt", "md", "html"), weights=(6, 2, 2))[0]
            (shard / f"a{i:07d}.{fmt}").write_text(self.render(fmt, title, day, outlet, paras), encoding="utf-8")
            counts["articles"] += 1
            i += 1
            if i < n and rng.random() < self.syndicated:
                copy = list(paras[1:] if len(paras) > 3 and rng.random() < 0.3 else paras)
                copy.append(rng.choice(_BOILER))
                other = rng.choice([o for o in _OUTLETS if o != outlet])
                (shard / f"a{i:07d}.txt").write_text(
                    self.render("txt", "Republished: " + title, day, other, copy), encoding="utf-8")
                counts["copies"] += 1
                i += 1
        return counts


# -- the modes (each runs in a child process: python bench/scale.py --_run MODE ...) ------------
def _iter_jsonl(processed: Iterator, out: Path) -> dict:
    from counterclaim.errors import InputError
    from counterclaim.syndication import make_signature
    n = errors = claims = 0
    first_error = None
    with open(out, "w", encoding="utf-8") as fh:
        for p in processed:
            if isinstance(p, InputError):
                errors += 1
                first_error = first_error or p.one_line()
                continue
            make_signature(p.article.text)
            for c in p.claims:
                fh.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
                claims += 1
            n += 1
    return {"articles": n, "errors": errors, "claims": claims, "first_error": first_error}


def _run_mode(mode: str, src: str, out: str) -> dict:
    from counterclaim.ingest import read_sources
    from counterclaim.pipeline import process_many
    t0 = time.perf_counter()
    if mode in ("inproc", "pool"):
        workers = 1 if mode == "inproc" else 0
        res = _iter_jsonl(process_many(read_sources([src]), workers=workers), Path(out) / "claims.jsonl")
        res["seconds"] = time.perf_counter() - t0
        res["job_seconds"] = res["seconds"]
    elif mode == "spark":
        from counterclaim.batch import make_session, run_job
        spark = make_session("local[*]", "bench-scale")
        started = time.perf_counter()
        try:
            s = run_job(spark, [src], out + "/batch")
        finally:
            spark.stop()
        res = {"articles": s.articles, "errors": s.errors, "claims": s.claims, "syndicated": s.syndicated,
               "first_error": s.error_samples[0] if s.error_samples else None,
               "seconds": time.perf_counter() - t0, "job_seconds": s.seconds,
               "startup": started - t0, "timings": s.timings}
    elif mode == "ingest":
        from counterclaim.service import ingest_sources
        s = ingest_sources([src], db=f"sqlite:///{out}/bench.db")
        res = {"articles": s.new + s.syndicated + s.unchanged, "errors": s.failed,
               "seconds": time.perf_counter() - t0}
        res["job_seconds"] = res["seconds"]
    else:
        raise SystemExit(f"unknown mode {mode}")
    return res


# -- measuring -------------------------------------------------------------------------------
def _pss_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split between their users), kB.

    Forked workers (Spark's Python daemon, a process pool) share copy-on-write pages;
    summing their RSS would count those pages once per process.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def _tree_rss_kb(root: int) -> int:
    """Memory of ``root`` and all its descendants, in kB (sum of PSS, from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo += children.get(pid, [])
    return total


def snapshot_source(work: Path) -> Path:
    """Copy ``src/`` aside so every run of this benchmark measures the same code."""
    dest = work / "src"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT / "src", dest, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def measure(mode: str, src: Path, work: Path, code: Path) -> dict:
    """Run one mode in a child process (importing counterclaim from ``code``); return its
    result with the process tree's peak RSS."""
    out = work / f"out-{mode}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=str(code) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, __file__, "--_run", mode, "--_src", str(src), "--_out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    stdout, _ = proc.communicate()
    stop.set()
    t.join()
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench/scale.py: mode {mode} failed (exit {proc.returncode})")
    res = json.loads(stdout.strip().splitlines()[-1])
    res["peak_rss_mb"] = peak / 1024
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes (articles), comma-separated")
    ap.add_argument("--modes", default="inproc,pool,spark", help="inproc, pool, spark, ingest")
    ap.add_argument("--repeat", type=int, default=1, help="runs per mode and size (median reported)")
    ap.add_argument("--syndicated", type=float, default=0.05, help="share of injected syndicated copies")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default=None, help="where corpora are generated (default: a temp dir)")
    ap.add_argument("--_run", help=argparse.SUPPRESS)
    ap.add_argument("--_src", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._run:
        print(json.dumps(_run_mode(args._run, args._src, args._out)))
        return

    sizes = [int(s) for s in args.sizes.split(",") if s]
    modes = [m for m in args.modes.split(",") if m]
    base = Path(args.workdir or tempfile.mkdtemp(prefix="cc-scale-"))
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  sizes: {sizes}  modes: {modes}", flush=True)
    code = snapshot_source(base)
    t0 = time.perf_counter()  # build/open the caches (gazetteer index) once, outside the timings
    subprocess.run([sys.executable, "-c", "from counterclaim.batch._partition import warm_up; warm_up()"],
                   check=True, env=dict(os.environ, PYTHONPATH=str(code)))
    print(f"caches warm (gazetteer index built or opened) in {time.perf_counter() - t0:.1f} s", flush=True)
    results: dict[tuple[str, int], dict] = {}
    try:
        for n in sizes:
            src = base / f"corpus-{n}"
            shutil.rmtree(src, ignore_errors=True)
            t0 = time.perf_counter()
            counts = Generator(args.seed, args.syndicated).write(src, n)
            print(f"generated {n} files ({counts['copies']} syndicated copies) in {time.perf_counter() - t0:.1f} s",
                  flush=True)
            for mode in modes:
                runs = [measure(mode, src, base, code) for _ in range(args.repeat)]
                rates = [r["articles"] / r["job_seconds"] for r in runs if r["job_seconds"] > 0]
                res = dict(runs[0], rate=statistics.median(rates),
                           seconds=statistics.median(r["seconds"] for r in runs),
                           peak_rss_mb=statistics.median(r["peak_rss_mb"] for r in runs))
                results[(mode, n)] = res
                extra = f"  (startup {res['startup']:.1f} s, {res['timings']})" if "startup" in res else ""
                print(f"  {mode:7s} {n:>7d}: {res['articles']} articles, {res['errors']} errors, "
                      f"{res['seconds']:.1f} s, {res['rate']:.1f} articles/s, "
                      f"peak memory (PSS) {res['peak_rss_mb']:.0f} MB"
                      f"{extra}", flush=True)
                if res.get("first_error"):
                    print(f"    first error: {res['first_error'][:200]}", flush=True)
            shutil.rmtree(src, ignore_errors=True)
    finally:
        if not args.workdir:
            shutil.rmtree(base, ignore_errors=True)

    print()
    print(f"{'mode':8s} {'articles':>9s} {'wall s':>8s} {'articles/s':>11s} {'per core':>9s} "
          f"{'peak PSS MB':>12s} {'rate vs ' + str(sizes[0]):>12s}")
    cores = os.cpu_count() or 1
    for mode in modes:
        first = results.get((mode, sizes[0]))
        for n in sizes:
            r = results.get((mode, n))
            if not r:
                continue
            per_core = r["rate"] / (1 if mode in ("inproc", "ingest") else cores)
            ratio = r["rate"] / first["rate"] if first and first["rate"] else float("nan")
            print(f"{mode:8s} {n:>9d} {r['seconds']:>8.1f} {r['rate']:>11.1f} {per_core:>9.1f} "
                  f"{r['peak_rss_mb']:>12.0f} {ratio:>12.2f}")


if __name__ == "__main__":
    main()
