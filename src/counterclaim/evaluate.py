"""Scoring claims against a gold file, inside the project (same tiers and matching as shared/eval/score.py).

Claims are matched per document on (claimant_side, subject_side, metric, category, value,
stance), each key counted once per document; only documents named in the gold file are
scored. Tiers: ``numbers`` (value stated, approx not vague), ``all``, ``sides-blind`` (all,
ignoring the claimant side). :func:`extract_for_gold` runs the extractor over the gold's
documents through the ingest readers, so the figures are those of the shipped pipeline.
"""
from __future__ import annotations

import json
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .errors import InputError, MalformedRecord

__all__ = ["Score", "score", "load_jsonl", "doc_id", "extract_for_gold", "claim_record", "format_report", "TIERS"]

REQUIRED = ("doc", "claimant_side", "subject_side", "metric", "category", "value", "approx", "stance")
TIERS = ("numbers", "all", "sides-blind")


@dataclass
class Score:
    """Precision, recall and F1 of one tier."""

    tier: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def doc_id(doc: str) -> str:
    """The scorer's document identity: a URL as is, a path by its base name."""
    doc = str(doc).strip()
    return doc if "://" in doc else os.path.basename(doc)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Claim records of a JSONL file; a bad line raises :class:`MalformedRecord` naming it."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise MalformedRecord(f"line {n}: not JSON ({err.msg})", source=str(path)) from None
            if not isinstance(rec, dict) or any(f not in rec for f in REQUIRED):
                raise MalformedRecord(f"line {n}: missing claim fields", source=str(path))
            rec["doc"] = doc_id(rec["doc"])
            out.append(rec)
    return out


def _key(rec: dict, blind: bool = False) -> tuple:
    k = (str(rec["claimant_side"]).upper(), str(rec["subject_side"]).upper(), rec["metric"],
         str(rec["category"]).lower(), rec["value"], rec["stance"])
    return k[1:] if blind else k


def _is_number(rec: dict) -> bool:
    return rec["value"] is not None and rec["approx"] != "vague"


def score(gold: list[dict], pred: list[dict]) -> tuple[dict[str, Score], dict[str, Any]]:
    """Scores per tier and, per document, the missed and spurious claims of the ``all`` tier."""
    docs = {doc_id(g["doc"]) for g in gold}
    results: dict[str, Score] = {}
    errors: dict[str, Any] = {}
    for tier, keep, blind in (("numbers", _is_number, False), ("all", lambda r: True, False),
                              ("sides-blind", lambda r: True, True)):
        gk: dict[str, dict] = defaultdict(dict)
        pk: dict[str, dict] = defaultdict(dict)
        for g in gold:
            if keep(g):
                gk[doc_id(g["doc"])].setdefault(_key(g, blind), g)
        for p in pred:
            d = doc_id(p["doc"])
            if d in docs and keep(p):
                pk[d].setdefault(_key(p, blind), p)
        tp = fp = fn = 0
        places_found = places_total = 0
        for d in sorted(docs):
            g, p = gk.get(d, {}), pk.get(d, {})
            hit = g.keys() & p.keys()
            tp += len(hit)
            fp += len(p.keys() - hit)
            fn += len(g.keys() - hit)
            if tier == "all":
                errors[d] = {"missed": [g[k] for k in g.keys() - hit], "spurious": [p[k] for k in p.keys() - hit]}
                for k in hit:
                    want = {_fold(x) for x in g[k].get("places") or []}
                    have = {_fold(x) for x in p[k].get("places") or []}
                    places_total += len(want)
                    places_found += sum(1 for w in want if any(w in h or h in w for h in have if h))
        results[tier] = Score(tier, tp, fp, fn)
        if tier == "all":
            errors["_places"] = (places_found, places_total)
    return results, errors


def claim_record(claim: Any, doc: str) -> dict[str, Any]:
    """A claim as a spec JSONL record: spec fields first (``doc`` = the input's identity), then extras."""
    from .records import SPEC_FIELDS
    d = claim.to_dict() if hasattr(claim, "to_dict") else dict(claim)
    d["doc"] = doc
    rec = {k: d.get(k) for k in SPEC_FIELDS}
    for k, v in d.items():
        if k not in rec:
            rec[k] = v
    return rec


def extract_for_gold(gold: list[dict], dirs: Iterable[str | Path], *, conflict: str | None = None,
                     settings=None) -> tuple[list[dict], list[str]]:
    """Extract claims from every gold document found in ``dirs`` (ingest readers + prepare + extract).

    Returns (claim records, notices for documents not found or not readable).
    """
    from .claims import extract
    from .ingest import prepare, read_sources
    wanted = {doc_id(g["doc"]) for g in gold}
    dirs = [Path(d) for d in dirs if Path(d).is_dir()]
    notices: list[str] = []
    # direct files first; containers (feeds, JSONL, WARC) in the directories hold URL-named documents
    paths = [str(p / d) for d in sorted(wanted) for p in dirs if "://" not in d and (p / d).is_file()]
    paths += [str(p) for p in dirs]
    preds: list[dict] = []
    done: set[str] = set()
    for item in read_sources(paths, settings=settings):
        if isinstance(item, InputError):
            continue
        d = doc_id(item.doc)
        if d not in wanted or d in done:
            continue
        done.add(d)
        try:
            art = prepare(item, settings=settings)
        except InputError as err:
            notices.append(err.one_line())
            continue
        for c in extract(art, conflict=conflict):
            preds.append(claim_record(c, d))
    notices += [f"{d}: not found in {', '.join(str(x) for x in dirs)}" for d in sorted(wanted - done)]
    return preds, notices


def format_report(results: dict[str, Score], errors: dict[str, Any] | None = None, *, show_errors: bool = False) -> str:
    """The scores as text (and every missed / spurious claim with ``show_errors``)."""
    lines = []
    if show_errors and errors:
        for d, e in errors.items():
            if d.startswith("_") or not (e["missed"] or e["spurious"]):
                continue
            lines.append(f"== {d}")
            for tag, recs in (("MISSED ", e["missed"]), ("SPURIOUS", e["spurious"])):
                for r in recs:
                    ev = " ".join(str(r.get("evidence", "")).split())[:140]
                    lines.append(f"  {tag} {_key(r)}  | {ev}")
        lines.append("")
    lines.append(f"{'tier':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for t in TIERS:
        s = results[t]
        lines.append(f"{t:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
    if errors and "_places" in errors:
        f, n = errors["_places"]
        lines.append(f"places found on matched claims: {f}/{n}")
    return "\n".join(lines)
