"""Compile many literal phrases into one fast regex (a prefix trie as nested alternations).

Python's ``re`` tries each branch of a flat alternation at every position; a trie shares
prefixes so a position is rejected after a character or two. Used for the sentence
prefilter and conflict detection, which scan every character of every article.
"""
from __future__ import annotations

import re
from typing import Iterable

__all__ = ["trie_pattern", "compile_phrases"]


def _build(words: Iterable[str]) -> dict:
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return root


def _emit(node: dict) -> str:
    end = "" in node
    branches = []
    singles = []
    for ch in sorted(k for k in node if k):
        sub = _emit(node[ch])
        esc = re.escape(ch) if ch != " " else r"\s+"
        if sub == "":
            singles.append(esc)
        else:
            branches.append(esc + sub)
    if singles:
        branches.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]"
                        if all(len(s) == 1 for s in singles) else "(?:" + "|".join(singles) + ")")
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if end else body


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regex source matching any of the phrases (lower-case; spaces match any whitespace run)."""
    words = {" ".join(p.lower().split()) for p in phrases if p and p.strip()}
    return _emit(_build(words))


def compile_phrases(phrases: Iterable[str], *, ignore_case: bool = True) -> re.Pattern:
    """Whole-word matcher for the phrases (no letter or digit may touch either end)."""
    body = trie_pattern(phrases)
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w])(?:%s)(?![\w])" % body, flags)
