"""Claims extraction: who claimed which number about whose losses or gains, in which sentence.

``extract(article, conflict=None) -> list[Claim]`` runs the named stages over the article's
cleaned text (see ``_extract``); each stage is importable and testable alone.
"""
from __future__ import annotations

from ._actors import ActorRef, actor_for_kind, conflict_resources, resolve_actor
from ._attribution import Anchor, find_anchors, owner_of
from ._dates import article_year, find_dates, heading_date
from ._doc import Sentence, Tokens, tokenize
from ._extract import EXTRACTOR_VERSION, detect_conflict, extract
from ._lexicon import lexicons, load_lexicon
from ._lists import find_named_lists, read_loss_lists
from ._metrics import find_metric, read_noun_phrase
from ._numbers import Quantity, find_quantities, parse_number_words
from ._places import find_places
from ._sentences import split_sentences
from ._stance import find_denials
from ._subject import subject_side

__all__ = ["extract", "detect_conflict", "EXTRACTOR_VERSION", "split_sentences", "tokenize", "find_quantities",
           "parse_number_words", "find_anchors", "owner_of", "resolve_actor", "actor_for_kind", "conflict_resources",
           "read_noun_phrase", "find_metric", "subject_side", "find_denials", "find_places", "find_dates",
           "heading_date", "article_year", "read_loss_lists", "find_named_lists", "lexicons", "load_lexicon",
           "Sentence", "Tokens", "Quantity", "Anchor", "ActorRef"]
