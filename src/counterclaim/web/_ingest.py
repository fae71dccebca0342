"""Ingestion from the web app: pasted text or a URL, through the pipeline into the Store.

URLs go through ``counterclaim.ingest.read_sources``, which carries the SSRF guard
(no loopback/private addresses unless ``allow_private``) and the size and time limits.
"""
from __future__ import annotations

import hashlib
import threading
from typing import Any

from ..errors import EmptyInput, InputError
from ..records import RawDoc

__all__ = ["ingest"]

_store_lock = threading.Lock()


def _store(st: Any) -> Any:
    """The web state's Store (opened once, lazily; it also migrates the schema)."""
    with _store_lock:
        store = getattr(st, "_store", None)
        if store is None:
            from ..store import Store
            store = Store(st.db_url, settings=st.settings)
            st._store = store
        return store


def _raw_from_url(url: str, settings: Any) -> RawDoc:
    from ..ingest import read_sources
    for item in read_sources([url], settings=settings):
        if isinstance(item, InputError):
            raise item
        return item
    raise EmptyInput("nothing could be read from the URL", source=url)


def ingest(st: Any, *, text: str | None = None, url: str | None = None, title: str | None = None,
           outlet: str | None = None, published: str | None = None, conflict: str | None = None) -> dict[str, Any]:
    """Process one article (pasted ``text`` or fetched ``url``) and store it with its claims.

    Returns ``{"article_id", "status", "cluster", "claims", "conflict"}``; raises
    :class:`~counterclaim.errors.InputError` subclasses for bad input (the API answers 4xx).
    """
    from ..pipeline import process

    hints: dict[str, Any] = {k: v for k, v in dict(title=title, outlet=outlet, published=published).items() if v}
    if url:
        raw = _raw_from_url(url, st.settings)
        raw.hints = {**(raw.hints or {}), **hints}
    else:
        data = (text or "").encode("utf-8")
        if not data.strip():
            raise EmptyInput("the pasted text is empty", source="pasted text")
        doc = f"pasted-{hashlib.sha256(data).hexdigest()[:12]}.txt"
        raw = RawDoc(source=doc, doc=doc, data=data, format="text", hints=hints)
    try:
        processed = process(raw, conflict=conflict, settings=st.settings)
    except Exception as err:  # noqa: BLE001 - a stage bug becomes one InputError (422), never a 500
        from ..pipeline import as_input_error
        raise as_input_error(err, raw.source) from None
    res = _store(st).add(processed)
    st.invalidate()
    return {"article_id": res.article_id, "status": res.status, "cluster": res.cluster, "claims": res.claims,
            "conflict": getattr(processed, "conflict", None)}
