"""The ledger: each side's tally over time, claims against admissions, denials linked.

A single claim is a data point; the ledger lines them up. For each conflict, period,
subject side, metric and category it gives every claimant's figures over time with their
evidence, each claimant's running estimate (never counting one figure twice), the
admissions against interest apart from the enemy's claims, the denials linked to the
claims they deny, and the divergence between what the enemy claimed and what the side
admitted. It is a pure function over claim dicts, so it runs on exported JSONL, in the
CLI, in the web app and inside the Spark job. The rules: ``docs/ledger.md``.
"""
from __future__ import annotations

from ._build import (DENIAL_WINDOW_DAYS, GROUPS, LEDGER_VERSION, build_ledger, combine_runs, divergence,
                     group_of, infer_parties, mark_duplicates, period_of, running_estimate, undated_summary)
from ._io import (ROW_FIELDS, iter_points, ledger_csv, ledger_rows, load_articles_db, load_claims_db,
                  load_claims_jsonl)

__all__ = [
    "build_ledger", "running_estimate", "combine_runs", "mark_duplicates", "divergence", "group_of",
    "infer_parties", "period_of", "undated_summary",
    "ledger_rows", "ledger_csv", "iter_points", "load_claims_db", "load_articles_db", "load_claims_jsonl",
    "DENIAL_WINDOW_DAYS", "GROUPS", "LEDGER_VERSION", "ROW_FIELDS",
]
