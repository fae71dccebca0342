"""Benchmark the offline geocoder: index build and load time, lookups/s, memory.

Run: ``.venv/bin/python bench/geocode.py [--build]`` (``--build`` also times a full index
build into a temporary directory). Prints medians; asserts nothing.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time

from counterclaim._settings import get_settings
from counterclaim.places import geocode
from counterclaim.places._gazetteer import Gazetteer, build_index, open_default
from counterclaim.places._match import clear_cache

EXACT = ["Hadrut", "Fuzuli", "Jabrayil", "Shusha", "Stepanakert", "Talish", "Kyiv", "Kharkiv", "Bakhmut",
         "Avdiivka", "Ganja", "Tovuz", "Martuni", "Pokrovsk", "Sudzha", "Mariupol"]
VARIANT = ["Fizuli", "Füzuli", "Jebrail", "Cəbrayıl", "Shushi", "Xankəndi", "Kiev", "Kharkov", "Artemivsk",
           "Avdeevka", "Zaporozhye", "Garakhanbeili", "near Hadrut", "Fuzuli district", "the Murov height",
           "the Lachin corridor", "Київ", "Rabotino"]
UNKNOWN = ["Qwzxvbnm", "Florbenville", "Xyzzyton", "Plughkar", "Mcdonaldsk", "Brrrzt"]


def mix(n: int, seed: int = 1) -> list[tuple[str, str | None]]:
    """A realistic mix: 50% exact names, 40% variant spellings and forms, 10% unknown names."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        r = rnd.random()
        pool = EXACT if r < 0.5 else VARIANT if r < 0.9 else UNKNOWN
        out.append((rnd.choice(pool), rnd.choice(["nk", "ru-ua", None])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", action="store_true", help="also time a full index build (about 20 s)")
    ap.add_argument("-n", type=int, default=50_000, help="lookups per warm run")
    args = ap.parse_args()
    settings = get_settings()
    if args.build:
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            build_index(d)
            print(f"index build: {time.perf_counter() - t0:.1f} s")
    open_default(settings)  # make sure the index exists
    loads = []
    for _ in range(5):
        t0 = time.perf_counter()
        g = Gazetteer.open(settings, build=False)
        g.by_key("hadrut")
        loads.append(time.perf_counter() - t0)
        g.close()
    print(f"index load (open + first query): median {statistics.median(loads) * 1000:.1f} ms")
    queries = mix(args.n)
    clear_cache()
    t0 = time.perf_counter()
    distinct = set(queries)
    for name, conflict in distinct:
        geocode(name, conflict=conflict)
    cold = time.perf_counter() - t0
    print(f"cold: {len(distinct)} distinct lookups in {cold:.2f} s ({len(distinct) / cold:.0f}/s)")
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for name, conflict in queries:
            geocode(name, conflict=conflict)
        runs.append(len(queries) / (time.perf_counter() - t0))
    print(f"warm: median {statistics.median(runs):,.0f} lookups/s over {len(queries)} lookups "
          f"(50% exact, 40% variants/forms, 10% unknown)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {rss:.0f} MB")


if __name__ == "__main__":
    main()
