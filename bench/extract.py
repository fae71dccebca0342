"""Benchmark: claim extraction vs spaCy's blank English tokenizer on the same text.

Streams the sample corpus (examples/corpus, cleaned by ingest.prepare) repeated until at least
5 MB of text, prints sentences/s, tokens/s, the time ratio extract/tokenize (bar: <= 2.0; as
wall-clock and as process CPU time, medians of ``--repeat`` interleaved runs) and
peak RSS after 1 MB and after the whole run (memory must not grow with corpus size).

It also times the extractor's own first two stages alone (sentence splitting and tokenizing every
sentence, no analysis) as a floor: the part of the ratio no rule optimisation can remove.

``--profile N`` prints the N functions with most own time over one pass of 1 MB (where the
remaining time goes).

    .venv/bin/python bench/extract.py [--mb 5] [--repeat 3] [--profile 25]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_articles(corpus: Path):
    from counterclaim.errors import InputError
    from counterclaim.ingest import prepare, read_sources
    arts = []
    for item in read_sources([str(corpus)]):
        if isinstance(item, InputError):
            continue
        try:
            arts.append(prepare(item))
        except InputError:
            continue
    return arts


def stream(arts, total_bytes: int):
    """Articles repeated until ``total_bytes`` of text, one at a time (nothing accumulates)."""
    done = 0
    k = 0
    while done < total_bytes:
        a = arts[k % len(arts)]
        k += 1
        done += len(a.text.encode("utf-8"))
        yield replace(a, doc=f"{a.doc}#{k}")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", default=str(ROOT / "examples" / "corpus"))
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N functions (own time)")
    args = ap.parse_args(argv)
    import spacy
    from counterclaim.claims import extract, split_sentences, tokenize
    arts = load_articles(Path(args.corpus))
    if not arts:
        print("no articles in corpus", file=sys.stderr)
        return 1
    total = int(args.mb * 1_000_000)
    nlp = spacy.blank("en")
    for a in arts[:3]:
        extract(a)                      # warm caches (lexicons, conflict tables)
    nbytes = sum(len(a.text.encode()) for a in stream(arts, total))
    ntok = sum(len(nlp.tokenizer(a.text)) for a in arts)
    nsent = sum(len(split_sentences(a.text)) for a in arts)
    per = sum(len(a.text.encode()) for a in arts)
    scale = nbytes / per
    ext_t, tok_t, ext_c, tok_c, floor_c = [], [], [], [], []
    rss_small = None
    small = min(1_000_000, total // 5)       # the first checkpoint: 1 MB (a fifth of smaller runs)
    for r in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        n_claims = 0
        seen = 0
        for a in stream(arts, total):
            n_claims += len(extract(a))
            seen += len(a.text)
            if rss_small is None and seen > small:
                rss_small = rss_mb()
        ext_t.append(time.perf_counter() - t0)
        ext_c.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        for a in stream(arts, total):
            nlp.tokenizer(a.text)
        tok_t.append(time.perf_counter() - t0)
        tok_c.append(time.process_time() - c0)
        c0 = time.process_time()
        for a in stream(arts, total):
            for s in split_sentences(a.text):
                tokenize(s.text, s.start)
        floor_c.append(time.process_time() - c0)
    e, t = statistics.median(ext_t), statistics.median(tok_t)
    ec, tc = statistics.median(ext_c), statistics.median(tok_c)
    print(f"text: {nbytes / 1e6:.1f} MB ({len(arts)} articles repeated), {ntok * scale:,.0f} tokens, "
          f"{nsent * scale:,.0f} sentences, {n_claims} claims")
    print(f"extract:          {e:.2f} s median  ({nsent * scale / e:,.0f} sentences/s, {ntok * scale / e:,.0f} tokens/s)")
    print(f"spaCy tokenizer:  {t:.2f} s median  ({ntok * scale / t:,.0f} tokens/s)")
    print(f"ratio extract / tokenizer: {e / t:.2f} wall-clock, {ec / tc:.2f} CPU time  (bar <= 2.0; "
          f"CPU {ec:.2f} s / {tc:.2f} s: steadier than wall-clock on a shared machine)")
    paired = statistics.median(x / y for x, y in zip(ext_c, tok_c))
    print(f"paired CPU ratio (median over runs of each run's extract/tokenizer): {paired:.2f}")
    fl = statistics.median(floor_c)
    print(f"floor (split + tokenize every sentence, no analysis): {fl:.2f} s CPU, ratio {fl / tc:.2f}; "
          f"analysis stages: ratio {(ec - fl) / tc:.2f}")
    print(f"peak RSS after {small / 1e6:g} MB: {rss_small:.0f} MB; after {nbytes / 1e6:.1f} MB x{args.repeat}: {rss_mb():.0f} MB")
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        for a in stream(arts, min(total, 1_000_000)):
            extract(a)
        prof.disable()
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
