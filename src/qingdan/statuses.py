"""完成状态: the four words (vocab.STATUSES) and the variants people write for them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import words as W


def normalise_status(value) -> str | None:
    """The word of vocab.STATUSES for a 完成状态 as written (``完成`` → 已完成, ``进行中`` →
    推进中 …); "" for a blank cell; None for anything not recognised."""
    if type(value) is str and len(value) <= 20:
        return _status_of(value)  # the same few words over and over: read once each
    return _status_of.__wrapped__("" if value is None else str(value))


@lru_cache(maxsize=1024)
def _status_of(value: str) -> str | None:
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"\s+", "", text).strip(W.STATUS_TRIM)
    if not text:
        return ""
    return W.STATUS_VARIANTS.get(text)
