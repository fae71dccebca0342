"""Bytes to text: decoding with BOM/UTF-16 detection and fallbacks; Markdown to text."""
from __future__ import annotations

import codecs
import re

from ..errors import BinaryInput, EmptyInput

__all__ = ["decode", "looks_like_markdown", "markdown_to_text", "declared_charset", "split_front_matter"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 control characters (bar whitespace), surrogates and private-use characters
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first bytes (meta tag or XML prolog)."""
    m = _META_CHARSET.search(head[:4096])
    if not m:
        m = re.match(rb"""\s*<\?xml[^>]{0,100}encoding=["']([A-Za-z0-9_.:-]{1,40})""", head[:200])
    return m.group(1).decode("ascii", "replace") if m else None


def _utf16_guess(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.4 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.4 and z_odd < 0.05:
        return "utf-16-be"
    return None


def _known(enc: str | None) -> str | None:
    if not enc:
        return None
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return None


def decode(data: bytes, *, declared: str | None = None, source: str | None = None) -> tuple[str, str]:
    """Decode an input's bytes; returns ``(text, encoding)``.

    Order: byte-order mark; UTF-16 without BOM (by its NUL pattern); the declared
    charset (HTTP header or HTML meta) when it decodes cleanly; UTF-8; cp1252; Latin-1.
    Raises :class:`EmptyInput` for empty/whitespace input and :class:`BinaryInput` for
    NUL bytes or mostly non-printable content.
    """
    if not data.strip():
        raise EmptyInput("empty input (no text)", source=source)
    text: str | None = None
    enc = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, enc = data[len(bom):].decode(name), name
            except UnicodeDecodeError:
                text, enc = data[len(bom):].decode(name, "replace"), name
            break
    if text is None:
        guess = _utf16_guess(data)
        if guess:
            try:
                text, enc = data.decode(guess), guess
            except UnicodeDecodeError:
                text = None
    if text is None:
        if b"\x00" in data:
            raise BinaryInput("binary content (NUL bytes), not text", source=source)
        for name in filter(None, (_known(declared), "utf-8", "cp1252", "latin-1")):
            try:
                text, enc = data.decode(name), name
                break
            except UnicodeDecodeError:
                continue
    assert text is not None  # latin-1 decodes anything
    if "\x00" in text:
        raise BinaryInput("binary content (NUL characters), not text", source=source)
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if sample and bad / len(sample) > 0.02:
        raise BinaryInput(f"binary content ({bad} control characters in the first {len(sample)}), not text",
                          source=source)
    if not text.strip():
        raise EmptyInput("empty input (no text)", source=source)
    return text, enc


_MD_SIGNS = re.compile(r"\[[^\]\n]{1,300}\]\([^)\s]{0,1000}\)|^\s{0,3}#{1,6}\s\S|^\s{0,3}!\[|<https?://[^>\s]{1,500}>|"
                       r"^\s{0,3}\*\*\S", re.M)


def looks_like_markdown(text: str) -> bool:
    """Whether plain text carries Markdown syntax (links, headings, images, autolinks)."""
    return _MD_SIGNS.search(text[:200000]) is not None


_ESC = "\ue000"  # private-use placeholder for escaped characters
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'$])")
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,500})\]\(\s{0,3}<?([^()\s<>]{0,2000})>?(?:\s{1,3}\"[^\"\n]{0,300}\")?\s{0,3}\)")
_LINK = re.compile(r"\[([^\[\]\n]{0,1000})\]\(\s{0,3}<?([^()\s<>]{0,2000})>?(?:\s{1,3}\"[^\"\n]{0,300}\")?\s{0,3}\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,100}\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]\n]{1,100}\]:\s{1,5}\S{1,2000}(?:\s{1,3}\"[^\"\n]{0,300}\")?\s*$")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:|www\.)[^<>\s]{1,2000})>")
_EMPH_STAR = re.compile(r"(?<![\w*])\*{1,3}(?=[^\s*])|(?<=[^\s*])\*{1,3}(?![\w*])")
_EMPH_UND = re.compile(r"(?<![\w_])_{1,3}(?=[^\s_])|(?<=[^\s_])_{1,3}(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)|(?<=\S)~~")
_CODE = re.compile(r"`{1,3}([^`\n]{0,2000})`{1,3}")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_HEADING_TAIL = re.compile(r"\s+#{1,6}\s*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?){1,6}")
_BULLET = re.compile(r"^(\s{0,6})[*+]\s")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_HTML_BR = re.compile(r"<br\s{0,3}/?>", re.I)
_LINK_ONLY_SEP = re.compile(r"[\s,|·•/\-–—]*")
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_TERMINAL = re.compile(r"[.!?…][\"'”’)]*$")
_INLINE_SIGNS = re.compile(r"[\[*_<`~\ue000]")


def _link_text(m: re.Match[str]) -> str:
    text, target = m.group(1).strip(), m.group(2).strip()
    if _URLISH.match(text.replace(_ESC, "")) and target.lower().startswith(("http://", "https://")):
        return target
    if target.lower().startswith("mailto:") and not text:
        return target[7:]
    return text


def markdown_to_text(md: str) -> tuple[str, list[str]]:
    """Markdown to plain text; returns ``(text, media)``.

    Link syntax ``[text](url)`` becomes ``text`` (the URL itself when the link text is a
    URL), images are dropped and their sources returned as media, emphasis, heading and
    quote markers are removed, paragraphs and list lines are kept. A line made only of
    links that is not a sentence (tag links, menu rows, "Comment on ..." headings) is
    navigation and is dropped, except the first line, which may be the headline.
    """
    media: list[str] = []
    out: list[str] = []
    first_content = True
    for raw_line in md.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(raw_line) or _REF_DEF.match(raw_line):
            continue
        line = _ESCAPED.sub(lambda m: _ESC + str(ord(m.group(1))) + _ESC, raw_line)
        line = _HTML_BR.sub(" ", line)
        line = _QUOTE.sub("", line)
        if _HEADING.match(line):
            line = _HEADING_TAIL.sub("", _HEADING.sub("", line))
        line = _BULLET.sub(r"\1- ", line)

        def _img(m: re.Match[str]) -> str:
            src = m.group(2).strip()
            if src and src not in media:
                media.append(src)
            return ""

        if not _INLINE_SIGNS.search(line):
            if line.strip():
                first_content = False
            out.append(line.rstrip())
            continue
        line = _IMAGE.sub(_img, line)
        stripped = _EMPH_STAR.sub("", _EMPH_UND.sub("", line)).strip()
        link_only = False
        if stripped and ("](" in stripped or "][" in stripped):
            links = list(_LINK.finditer(stripped)) + list(_REF_LINK.finditer(stripped))
            rest = _REF_LINK.sub("", _LINK.sub("", stripped))
            if links and _LINK_ONLY_SEP.fullmatch(rest):
                joined = " ".join(_link_text(m) for m in links if m.re is _LINK) or " ".join(
                    m.group(1) for m in links)
                any_url = any(_URLISH.match(_link_text(m).replace(_ESC, "")) for m in links if m.re is _LINK)
                link_only = not any_url and not _TERMINAL.search(joined.strip())
        line = _LINK.sub(_link_text, line)
        line = _REF_LINK.sub(r"\1", line)
        line = _AUTOLINK.sub(lambda m: m.group(1)[7:] if m.group(1).startswith("mailto:") else m.group(1), line)
        line = _CODE.sub(r"\1", line)
        line = _STRIKE.sub("", line)
        line = _EMPH_STAR.sub("", line)
        line = _EMPH_UND.sub("", line)
        line = re.sub(_ESC + r"(\d{1,3})" + _ESC, lambda m: chr(int(m.group(1))), line)
        if line.strip():
            if link_only and not first_content:
                continue
            first_content = False
        out.append(line.rstrip())
    return "\n".join(out), media


_FRONT_KEYS = {
    "title": ("title", "headline"),
    "published": ("date", "published", "pubdate", "publish_date", "published_at", "datePublished"),
    "author": ("author", "authors", "byline"),
    "outlet": ("outlet", "site", "site_name", "sitename", "publisher", "source"),
    "tags": ("tags", "categories", "keywords", "topics"),
    "url": ("url", "link", "canonical", "permalink"),
}


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split a leading YAML front-matter block (``---`` ... ``---``) off a text.

    Returns ``(hints, body)``: hints use the RawDoc hint names (``title``, ``published``,
    ``author``, ``outlet``, ``tags``, ``url``); the body has the block replaced by blank
    lines. Text without a well-formed block comes back unchanged with no hints.
    """
    import yaml

    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return {}, text
    end = next((i for i in range(start + 1, min(len(lines), start + 60)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, text
    try:
        data = yaml.safe_load("\n".join(lines[start + 1:end]))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    hints: dict[str, object] = {}
    for hint, keys in _FRONT_KEYS.items():
        for k in keys:
            v = data.get(k)
            if v is None or v == "" or v == []:
                continue
            if hint == "tags":
                if isinstance(v, str):
                    v = [t.strip() for t in v.split(",") if t.strip()]
                if isinstance(v, list):
                    hints[hint] = [str(t) for t in v if isinstance(t, (str, int, float))]
            elif hint == "author" and isinstance(v, list):
                hints[hint] = ", ".join(str(a) for a in v)
            else:
                hints[hint] = str(v)
            break
    body = "\n".join([""] * (end + 1) + lines[end + 1:])
    return hints, body
