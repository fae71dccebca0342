"""Boilerplate removal for plain text: the cleaned text every later stage reads.

Web pages reach counterclaim wrapped in furniture (donation widgets, share prompts,
disclaimers, fair-use notices, newsletter boxes, related-article lists, bylines and tag
lines). :func:`clean` removes it line by line with the rules of
``data/boilerplate.yaml`` (a versioned data file, not code), captures the metadata some
of those lines carry (tags, author, dates, the credited original source, media links)
and rebuilds paragraphs: one blank line between paragraphs, single newlines inside a
prose paragraph folded into spaces (list-like paragraphs keep their lines), and a
paragraph broken in the middle of a sentence joined again.

Claim character offsets refer to the text this module returns, so it is deterministic
and keeps every story sentence as it stands (spacing inside a line is not touched).
All patterns are compiled once; matching is bounded (lines longer than
``max_line_chars`` are never boilerplate) so a pathological input stays linear.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import yaml

from .errors import DataFileError

__all__ = ["clean", "clean_text", "Cleaned", "Removal", "Rule", "load_rules", "match_line",
           "is_media_url", "is_masthead", "RULES_FILE", "NEXT_LINE_CONDITIONS", "CAPTURE_KINDS"]

#: The rules file, relative to the package's ``data`` directory.
RULES_FILE = "boilerplate.yaml"

_MATCH_KINDS = {"full", "phrase"}
_ZONES = {"any", "header"}
_SCOPES = {"line", "list"}
_RULE_KEYS = {"id", "doc", "match", "pattern", "case", "max_words", "zone", "scope", "examples", "keep", "requires",
              "unless_next", "captures"}

#: What a rule's ``captures`` field may declare, each with the named groups its pattern
#: must define. clean() gathers ``tags`` and ``link`` itself (:attr:`Cleaned.tags`,
#: :attr:`Cleaned.media`, :attr:`Cleaned.links`); counterclaim.ingest._meta reads the
#: others through :meth:`Cleaned.captures`.
CAPTURE_KINDS: dict[str, tuple[str, ...]] = {
    "tags": ("value",),              # a tag list ("Tags: a, b")
    "link": ("url",),                # a lone media or page link
    "author": ("name",),             # the article's author
    "published": ("date",),          # the publication date
    "name-date": ("name", "date"),   # a header "outlet, date" line: publisher first, credited original second
    "original-source": ("name",),    # the outlet that first published the article (also name2, name3, ...)
    "outlet": ("name",),             # the site's name
}

#: Removals clean() makes itself, not rules of the file: their ``rank`` follows the
#: file's rules in this order, and what each captures.
_OWN_REMOVALS: dict[str, str | None] = {"masthead": "outlet", "meta-name": "outlet", "meta-piece": None,
                                        "title": None, "duplicate-line": None}

_MEDIA_EXT = re.compile(r"\.(?:mp4|webm|mov|m4v|mkv|avi|m3u8|mp3|ogg|jpe?g|png|gif|webp|svg|avif)(?:[?#]|$)", re.I)
_MEDIA_HOST = re.compile(r"^(?:https?://)?(?:[\w-]+\.)*(?:youtube\.com|youtu\.be|vimeo\.com|rumble\.com|bitchute\.com|"
                         r"odysee\.com|dailymotion\.com|t\.me|twitter\.com/\S+/status|x\.com/\S+/status)", re.I)
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_LIST_MARKER = re.compile(r"^\s{0,6}(?:[-*•–—+]\s|\d{1,3}[.)]\s|[a-z][.)]\s)")
_WORD = re.compile(r"\S+")
_HEAD_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[|·•]\s?)+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_FUNCTION_END = re.compile(r"(?:^|\s)(?:the|a|an|of|to|in|on|at|by|for|from|with|and|or|but|that|which|who|as|its|their|"
                           r"his|her|this|these|those|than|into|onto|over|under|about|after|before|between|among)$",
                           re.I)


@dataclass(frozen=True)
class Rule:
    """One compiled boilerplate rule (see the header of ``data/boilerplate.yaml``)."""

    id: str
    doc: str
    match: str
    regex: re.Pattern[str]
    max_words: int | None = None
    zone: str = "any"
    scope: str = "line"
    examples: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    unless_next: str | None = None
    captures: str | None = None
    rank: int = 0

    def matches(self, line: str, folded: str | None = None) -> re.Match[str] | None:
        """The match of this rule on an already normalised line (``folded``: its lower case), or None."""
        if self.requires:
            folded = line.lower() if folded is None else folded
            if not any(w in folded for w in self.requires):
                return None
        if self.match == "full":
            return self.regex.fullmatch(line)
        return self.regex.search(line)


@dataclass(frozen=True)
class Rules:
    """The loaded rules file: rules in order, the line-length bound and provenance."""

    rules: tuple[Rule, ...]
    max_line_chars: int
    provenance: dict[str, Any]
    masthead_words: frozenset[str] = frozenset()


@dataclass
class Removal:
    """A line :func:`clean` removed: which rule, the line as written, its captured groups.

    ``captures`` is what the rule declares it captures (a :data:`CAPTURE_KINDS` name, or
    None); ``rank`` is the rule's place in the rules file (clean's own removals come
    after every rule), which decides between captures of the same kind.
    """

    rule: str
    line: str
    fields: dict[str, str] = field(default_factory=dict)
    lineno: int = 0
    header: bool = False
    captures: str | None = None
    rank: int = 0


@dataclass
class Cleaned:
    """The result of :func:`clean`: the text, what was removed, and captured metadata."""

    text: str
    removed: list[Removal] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def captured(self, rule: str) -> list[Removal]:
        """The removals made by one rule, in text order."""
        return [r for r in self.removed if r.rule == rule]

    def captures(self, kind: str, *, ranked: bool = False) -> list[Removal]:
        """The removals whose rule captures ``kind`` (its ``captures`` field), in text order.

        ``ranked`` puts the removals of a rule earlier in the rules file first (then text
        order), so that for a one-value field the more specific rule wins: a "Published:"
        line over a bare date line, a byline over an author-archive link.
        """
        found = [r for r in self.removed if r.captures == kind]
        return sorted(found, key=lambda r: r.rank) if ranked else found


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    for _ in range(10):
        new = re.sub(r"\{([A-Z][A-Z0-9_]*)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    left = re.search(r"\{([A-Z][A-Z0-9_]*)\}", pattern)
    if left:
        raise DataFileError(f"{where}: unknown macro {{{left.group(1)}}}")
    return pattern


def _check_groups(regex: re.Pattern[str], captures: str | None, where: str) -> None:
    """Check that a rule's named groups and its ``captures`` field agree.

    A pattern with named groups but no ``captures`` would capture values nothing reads,
    and a ``captures`` whose groups are missing would capture nothing: both are errors.
    """
    groups = sorted(regex.groupindex)
    if captures is None:
        if groups:
            raise DataFileError(f"{where}: pattern has named group(s) {groups} but no captures field "
                                f"(one of {sorted(CAPTURE_KINDS)})")
        return
    missing = [g for g in CAPTURE_KINDS[captures] if g not in regex.groupindex]
    if missing:
        raise DataFileError(f"{where}: captures {captures!r} needs named group(s) {missing} in the pattern")


def _own_removal(name: str, line: str, fields: dict[str, str], lineno: int, header: bool,
                 rules: Rules) -> Removal:
    """A removal clean() makes itself (``name`` from :data:`_OWN_REMOVALS`), ranked after
    every rule of the file so that a rule's capture wins over clean's own guess."""
    rank = len(rules.rules) + list(_OWN_REMOVALS).index(name)
    return Removal(name, line, fields, lineno, header, _OWN_REMOVALS[name], rank)


def _compile_rules(doc: Any, name: str) -> Rules:
    if not isinstance(doc, dict):
        raise DataFileError(f"{name}: expected a mapping at the top level")
    prov = doc.get("provenance")
    if not isinstance(prov, dict) or not all(prov.get(k) for k in ("source", "licence", "version")):
        raise DataFileError(f"{name}: provenance must give source, licence and version")
    if doc.get("kind") != "boilerplate":
        raise DataFileError(f"{name}: kind must be 'boilerplate'")
    max_chars = doc.get("max_line_chars", 3000)
    if not isinstance(max_chars, int) or max_chars <= 0:
        raise DataFileError(f"{name}: max_line_chars must be a positive integer")
    masthead = doc.get("masthead_words") or []
    if not isinstance(masthead, list) or not all(isinstance(w, str) and w == w.lower() and w for w in masthead):
        raise DataFileError(f"{name}: masthead_words must be a list of lower-case words")
    macros = doc.get("macros") or {}
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise DataFileError(f"{name}: macros must map names to pattern strings")
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise DataFileError(f"{name}: rules must be a non-empty list")
    seen: set[str] = set()
    out: list[Rule] = []
    for i, r in enumerate(raw_rules):
        where = f"{name}: rules[{i}]"
        if not isinstance(r, dict):
            raise DataFileError(f"{where}: expected a mapping")
        unknown = set(r) - _RULE_KEYS
        if unknown:
            raise DataFileError(f"{where}: unknown field(s) {sorted(unknown)}")
        rid = r.get("id")
        if not isinstance(rid, str) or not rid:
            raise DataFileError(f"{where}: id is required")
        where = f"{name}: rule {rid!r}"
        if rid in seen:
            raise DataFileError(f"{where}: duplicate id")
        if rid in _OWN_REMOVALS:
            raise DataFileError(f"{where}: id is reserved for clean's own removals {sorted(_OWN_REMOVALS)}")
        seen.add(rid)
        for key in ("doc", "pattern"):
            if not isinstance(r.get(key), str) or not r[key]:
                raise DataFileError(f"{where}: {key} must be a non-empty string")
        match = r.get("match")
        if match not in _MATCH_KINDS:
            raise DataFileError(f"{where}: match must be one of {sorted(_MATCH_KINDS)}")
        case = r.get("case", "insensitive")
        if case not in ("insensitive", "sensitive"):
            raise DataFileError(f"{where}: case must be 'insensitive' or 'sensitive'")
        zone = r.get("zone", "any")
        if zone not in _ZONES:
            raise DataFileError(f"{where}: zone must be one of {sorted(_ZONES)}")
        scope = r.get("scope", "line")
        if scope not in _SCOPES:
            raise DataFileError(f"{where}: scope must be one of {sorted(_SCOPES)}")
        mw = r.get("max_words")
        if mw is not None and (not isinstance(mw, int) or mw <= 0):
            raise DataFileError(f"{where}: max_words must be a positive integer")
        examples, keep = r.get("examples", []), r.get("keep", [])
        if not isinstance(examples, list) or not examples or not all(isinstance(x, str) for x in examples):
            raise DataFileError(f"{where}: examples must be a non-empty list of strings")
        if not isinstance(keep, list) or not all(isinstance(x, str) for x in keep):
            raise DataFileError(f"{where}: keep must be a list of strings")
        requires = r.get("requires", [])
        if not isinstance(requires, list) or not all(isinstance(x, str) and x and x == x.lower() for x in requires):
            raise DataFileError(f"{where}: requires must be a list of non-empty lower-case strings")
        unless_next = r.get("unless_next")
        if unless_next is not None and (not isinstance(unless_next, str) or unless_next not in NEXT_LINE_CONDITIONS):
            raise DataFileError(f"{where}: unless_next must be one of {sorted(NEXT_LINE_CONDITIONS)}, "
                                f"not {unless_next!r}")
        captures = r.get("captures")
        if captures is not None and (not isinstance(captures, str) or captures not in CAPTURE_KINDS):
            raise DataFileError(f"{where}: captures must be one of {sorted(CAPTURE_KINDS)}, not {captures!r}")
        flags = re.UNICODE | (re.IGNORECASE if case == "insensitive" else 0)
        try:
            regex = re.compile(_expand(r["pattern"], macros, where), flags)
        except re.error as err:
            raise DataFileError(f"{where}: invalid pattern: {err}") from None
        _check_groups(regex, captures, where)
        out.append(Rule(rid, r["doc"], match, regex, mw, zone, scope, tuple(examples), tuple(keep), tuple(requires),
                        unless_next, captures, i))
    return Rules(tuple(out), max_chars, dict(prov), frozenset(masthead))


@lru_cache(maxsize=1)
def _bundled_rules() -> Rules:
    return _load_rules(None)


def load_rules(path: str | None = None) -> Rules:
    """Load and check the boilerplate rules (the bundled file, cached, or ``path``).

    Raises :class:`~counterclaim.errors.DataFileError` naming the file and the problem
    when the file breaks the schema (fields, kinds, regex syntax, unknown macros).
    """
    return _bundled_rules() if path is None else _load_rules(path)


def _load_rules(path: str | None) -> Rules:
    """Read, parse and compile a rules file (no cache).

    Raises :class:`~counterclaim.errors.DataFileError` naming the file and the problem
    when the file breaks the schema (fields, kinds, regex syntax, unknown macros).
    """
    if path is None:
        name = f"data/{RULES_FILE}"
        text = resources.files("counterclaim").joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    else:
        name = path
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as err:
            raise DataFileError(f"{path}: cannot read: {err.strerror}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise DataFileError(f"{name}: not valid YAML: {' '.join(str(err).split())[:200]}") from None
    return _compile_rules(doc, name)


def _normalise(line: str) -> str:
    """The form of a line the rules see: no heading/quote markers, no edge emphasis."""
    s = _HEAD_MARK.sub("", line.strip()) or line.strip()
    return s.strip(" \t*_") or s


def _word_count(s: str, cap: int = 400) -> int:
    n = 0
    for _ in _WORD.finditer(s):
        n += 1
        if n > cap:
            break
    return n


def match_line(line: str, *, header: bool = True, rules: Rules | None = None) -> tuple[Rule, re.Match[str]] | None:
    """The first rule that removes ``line`` (with its match), or None if the line is kept.

    ``header`` says whether the line lies in the header zone (before the first prose
    paragraph), where header-only rules such as datelines also apply. A rule's
    ``unless_next`` veto needs the following lines, so :func:`clean` applies it, not this.
    """
    rules = rules or load_rules()
    if len(line) > rules.max_line_chars:
        return None
    s = _normalise(line)
    if not s:
        return None
    words = _word_count(s)
    folded = s.lower()
    for rule in rules.rules:
        if rule.max_words is not None and words > rule.max_words:
            continue
        if rule.zone == "header" and not header:
            continue
        m = rule.matches(s, folded)
        if m:
            return rule, m
    return None


def is_media_url(url: str) -> bool:
    """Whether a URL points at an image or video (by extension or video host)."""
    return bool(_MEDIA_EXT.search(url) or _MEDIA_HOST.match(url))


def _is_prose(line: str) -> bool:
    """A sentence-like line of the story (ends the header zone): long, punctuated, not Title Case."""
    s = line.strip()
    if len(s) < 70 or _word_count(s, 20) < 10 or not _TERMINAL.search(_normalise(s[-80:])):
        return False
    words = s[:400].split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised * 2 < len(words)


def _list_like(line: str) -> bool:
    s = line.strip()
    if _LIST_MARKER.match(s):
        return True
    return _word_count(s, 30) <= 20 and not _TERMINAL.search(s)


def _fold_key(s: str) -> str:
    return " ".join(_normalise(s).split()).casefold()


def _prepare_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return [ln.rstrip() for ln in text.split("\n")]


def _tally_line(line: str) -> bool:
    return len(line) < 60 and any(ch.isdigit() for ch in line)


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` continues the wrapped line ``prev`` (so the newline becomes a space)."""
    if _LIST_MARKER.match(line) or (_tally_line(prev) and _tally_line(line)):
        return False
    if prev.endswith(":"):
        return False
    if line[:1].islower() or prev.endswith(","):
        return True
    if _TERMINAL.search(prev):
        return len(prev) >= 45
    return len(prev) >= 45 or bool(_FUNCTION_END.search(prev[-40:]))


def _join_paragraph(lines: list[str]) -> str:
    """One paragraph: wrapped prose lines folded into one line; list items, tallies and
    short headline-like lines keep their own lines."""
    lines = [ln.strip() for ln in lines]
    out = lines[0]
    for prev, line in zip(lines, lines[1:]):
        out += (" " if _continues(prev, line) else "\n") + line
    return out


def _mid_sentence_break(prev: str, nxt: str) -> bool:
    """Whether ``prev`` ends in the middle of a sentence that ``nxt`` continues."""
    if "\n" in prev or "\n" in nxt or _TERMINAL.search(prev) or prev.endswith((":", ";")):
        return False
    if _word_count(prev, 10) < 8 or _word_count(nxt, 5) < 3 or _LIST_MARKER.match(nxt):
        return False
    if not re.match(r"[\w\"“‘'(]", nxt):
        return False
    return bool(nxt[0].islower() or prev.endswith(",") or _FUNCTION_END.search(prev[-40:]))


_META_SEP = re.compile(r"\s{1,3}[·|•]\s{1,3}")
_NAME_LIKE = re.compile(r"[A-Z\u00C0-\u024F\u0400-\u04FF][^.!?]{0,80}")


def is_masthead(line: str, rules: Rules | None = None) -> bool:
    """Whether a short line reads as a site name ("Example Wire Service", "Example Daily")."""
    rules = rules or load_rules()
    words = line.strip(" *_#").split()
    return (0 < len(words) <= 6 and not _TERMINAL.search(line.strip())
            and words[0][:1].isupper() and words[-1].casefold().strip(".,:;") in rules.masthead_words)


def _meta_line(line: str, rules: Rules, *, header: bool = True
               ) -> list[tuple[str, tuple[Rule, re.Match[str]] | None]] | None:
    """Split a header line like "Example Daily · Published: 3 May 2021 · 4 min read" into
    pieces, each with the rule that matches it; None unless at least one piece is
    metadata (or a masthead) and every other piece is short (so a story sentence is never
    taken apart). Outside the header every piece must be boilerplate."""
    if len(line) > 400:
        return None
    s = _normalise(line)
    pieces = [p.strip(" *_") for p in _META_SEP.split(s)]
    pieces = [p for p in pieces if p]
    if not 2 <= len(pieces) <= 8:
        return None
    out: list[tuple[str, tuple[Rule, re.Match[str]] | None]] = []
    hits = 0
    for p in pieces:
        h = match_line(p, header=True, rules=rules)
        if h is not None and h[0].scope == "list":
            h = None
        if h is None and (_word_count(p, 10) > 6 or not header):
            return None
        hits += h is not None
        out.append((p, h))
    if hits or any(is_masthead(p, rules) for p, _ in out):
        return out
    return None


_TIMESTAMPED = re.compile(r"\s{0,8}(?:[-*\u2022]\s{0,3})?\d{1,2}[:.]\d{2}\b")


def _opens_with_time(line: str) -> bool:
    """Whether ``line`` opens with a time of day, bulleted or not ("09:10 -- ...", "- 9.05 ...")."""
    return bool(_TIMESTAMPED.match(line))


#: Conditions a rule's ``unless_next`` field may name: each tests the next non-blank line.
NEXT_LINE_CONDITIONS: dict[str, Callable[[str], bool]] = {
    "timestamp": _opens_with_time,
}

#: How many lines after a matched line :func:`_next_holds` looks for the next non-blank one.
_NEXT_LOOKAHEAD = 3


def _next_holds(condition: str, lines: list[str], i: int) -> bool:
    """Whether the next non-blank line after ``lines[i]`` meets the named ``condition``.

    Only the next :data:`_NEXT_LOOKAHEAD` lines are looked at (a bounded look keeps
    cleaning linear); when they are all blank the condition does not hold.
    """
    test = NEXT_LINE_CONDITIONS[condition]
    for nxt in lines[i + 1:i + 1 + _NEXT_LOOKAHEAD]:
        if nxt.strip():
            return test(nxt)
    return False


def clean(text: str, *, title: str | None = None, masthead: str | None = None,
          rules: Rules | None = None) -> Cleaned:
    """Remove boilerplate from plain text and rebuild its paragraphs.

    ``title``, when given, is the article's headline: lines repeating it are removed
    (the headline is metadata, not body); so is the ``masthead`` line (the site name
    above a headline). Header lines made of ``·``/``|``-separated metadata pieces
    ("Example Daily · 3 May 2021 · 4 min read") are removed with each piece's capture. A
    line matched by a rule with ``unless_next`` stays when the next non-blank line meets
    that named condition (a live blog's day heading above timestamped entries). Returns
    the cleaned text with every removed line, the rule that removed it and what it
    captured; the values of rules declaring ``captures: tags`` and ``captures: link`` are
    also gathered into :attr:`Cleaned.tags`, :attr:`Cleaned.media` and
    :attr:`Cleaned.links`. Never raises on odd input; linear in the size of ``text``.
    """
    rules = rules or load_rules()
    lines = _prepare_lines(text)
    keep = [True] * len(lines)
    removed: list[Removal] = []
    tags: list[str] = []
    media: list[str] = []
    links: list[str] = []
    title_key = _fold_key(title) if title else None
    seen_short: set[str] = set()
    header = True
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if header and _is_prose(line):
            header = False
        if masthead is not None and line.strip() == masthead:
            removed.append(_own_removal("masthead", line, {"name": masthead}, i, header, rules))
            keep[i] = False
            masthead = None
            i += 1
            continue
        pieces = _meta_line(line, rules, header=header) if _META_SEP.search(line) else None
        if pieces is not None:
            keep[i] = False
            named = False
            for piece, h in pieces:
                if h is None and is_masthead(piece, rules) and not named:
                    removed.append(_own_removal("masthead", piece, {"name": piece}, i, header, rules))
                    named = True
                elif h is not None:
                    fields = {k: v.strip() for k, v in h[1].groupdict().items() if v}
                    removed.append(Removal(h[0].id, piece, fields, i, header, h[0].captures, h[0].rank))
                elif not named and _NAME_LIKE.fullmatch(piece):
                    removed.append(_own_removal("meta-name", piece, {"name": piece}, i, header, rules))
                    named = True
                else:
                    removed.append(_own_removal("meta-piece", piece, {}, i, header, rules))
            i += 1
            continue
        hit = match_line(line, header=header, rules=rules)
        if hit is not None and hit[0].unless_next and _next_holds(hit[0].unless_next, lines, i):
            hit = None   # the rule's unless_next veto: the line stays (no later rule is tried)
        if hit is not None:
            rule, m = hit
            fields = {k: v.strip() for k, v in m.groupdict().items() if v}
            removed.append(Removal(rule.id, line, fields, i, header, rule.captures, rule.rank))
            keep[i] = False
            if rule.captures == "tags" and "value" in fields:
                for t in re.split(r"\s*[,;|]\s*", fields["value"]):
                    t = t.strip(" .#*_")
                    if t and t.casefold() not in {x.casefold() for x in tags}:
                        tags.append(t)
            if rule.captures == "link" and "url" in fields:
                url = fields["url"]
                target = media if is_media_url(url) else links
                if url not in target:
                    target.append(url)
            if rule.scope == "list":
                j, taken = i + 1, 0
                while j < n and taken < 30:
                    nxt = lines[j]
                    if nxt.strip():
                        if not _list_like(nxt) or len(nxt) > 300:
                            break
                        removed.append(Removal(rule.id, nxt, {}, j, header, None, rule.rank))
                        keep[j] = False
                        taken += 1
                    j += 1
                i = j
                continue
            i += 1
            continue
        key = _fold_key(line) if len(line) <= 500 else None
        if key is not None and title_key and key == title_key:
            removed.append(_own_removal("title", line, {}, i, header, rules))
            keep[i] = False
        elif header and key is not None and is_masthead(_normalise(line), rules):
            removed.append(_own_removal("masthead", line, {"name": _normalise(line)}, i, header, rules))
            keep[i] = False
        elif key is not None and _list_like(line) and not _LIST_MARKER.match(line) and len(key) > 3:
            if key in seen_short:
                removed.append(_own_removal("duplicate-line", line, {}, i, header, rules))
                keep[i] = False
            else:
                seen_short.add(key)
        i += 1

    paragraphs: list[str] = []
    current: list[str] = []
    for line, kept in zip(lines, keep):
        if kept and line.strip():
            current.append(line)
        elif current:
            paragraphs.append(_join_paragraph(current))
            current = []
    if current:
        paragraphs.append(_join_paragraph(current))
    merged: list[str] = []
    for para in paragraphs:
        if merged and _mid_sentence_break(merged[-1], para):
            merged[-1] = merged[-1] + " " + para
        else:
            merged.append(para)
    return Cleaned("\n\n".join(merged), removed, tags, media, links)


def clean_text(text: str) -> str:
    """The cleaned text of ``text`` (see :func:`clean`): boilerplate lines removed,
    paragraphs separated by one blank line, story sentences kept as written."""
    return clean(text).text
