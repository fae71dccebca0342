"""Benchmark of the ingest stage: read_sources + prepare on text and HTML input.

Prints articles/s and ms/article (medians over repeats) for plain-text/Markdown input and
for HTML input, the same for ``trafilatura.extract`` alone on the same HTML pages (in the
same run, so the ratio shows what cleaning and metadata cost on top of extraction), and
the peak RSS of the process.

Input: ``examples/corpus`` when present, else ``tests/fixtures/ingest`` (plus the dev set
texts beside the checkout, when present). Usage: ``.venv/bin/python bench/ingest.py [--repeats N]``.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterclaim.errors import CounterclaimError  # noqa: E402
from counterclaim.ingest import prepare, read_sources  # noqa: E402
from counterclaim.records import RawDoc  # noqa: E402


def _inputs() -> list[RawDoc]:
    corpus = ROOT / "examples" / "corpus"
    sources: list[str] = [str(corpus)] if corpus.is_dir() and any(corpus.iterdir()) else \
        [str(ROOT / "tests" / "fixtures" / "ingest")]
    dev = ROOT.parent / "shared" / "eval" / "dev"
    if dev.is_dir():
        sources += [str(p) for p in sorted(dev.glob("*.txt"))]
    return [d for d in read_sources(sources) if isinstance(d, RawDoc)]


def _time_per_item(items: list, fn, repeats: int) -> list[float]:
    """Seconds per item for each repeat over the whole list (one figure per repeat)."""
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for it in items:
            try:
                fn(it)
            except CounterclaimError:
                pass
        out.append((time.perf_counter() - t0) / max(1, len(items)))
    return out


def _row(label: str, per_item: list[float], n: int) -> float:
    med = statistics.median(per_item)
    print(f"{label:<34} {n:>5} docs  {1.0 / med if med else float('inf'):>9.1f} articles/s  {med * 1000:>9.2f} ms/article")
    return med


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    import trafilatura

    docs = _inputs()
    text_docs = [d for d in docs if d.format in ("text", "markdown")]
    html_docs = [d for d in docs if d.format == "html"]
    # warm-up: load rules, stopwords, trafilatura
    for d in docs[:3]:
        try:
            prepare(d)
        except CounterclaimError:
            pass
    failed = 0
    for d in docs:
        try:
            prepare(d)
        except CounterclaimError:
            failed += 1
    print(f"counterclaim ingest benchmark: {len(docs)} inputs ({failed} refused by prepare), "
          f"median of {args.repeats} repeats")
    if text_docs:
        _row("prepare, text/markdown", _time_per_item(text_docs, prepare, args.repeats), len(text_docs))
    if html_docs:
        ours = _row("prepare, html", _time_per_item(html_docs, prepare, args.repeats), len(html_docs))
        pages = [d.data.decode("utf-8", "replace") for d in html_docs]
        alone = _row("trafilatura.extract alone, html", _time_per_item(pages, trafilatura.extract, args.repeats),
                     len(pages))
        print(f"{'ratio prepare / trafilatura.extract':<34} {ours / alone if alone else float('nan'):>9.2f}x")
    t0 = time.perf_counter()
    n = sum(1 for _ in read_sources([str(ROOT / "tests" / "fixtures" / "ingest")]))
    print(f"{'read_sources, fixtures dir':<34} {n:>5} items {(time.perf_counter() - t0) * 1000:>9.2f} ms total")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {peak_kb / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
