"""Chinese numerals as lists use them: 一 … 九十九, both ways."""

from __future__ import annotations

DIGITS = "〇一二三四五六七八九"
_VALUES = {**{ch: i for i, ch in enumerate(DIGITS)}, "零": 0, "两": 2}
CHARS = DIGITS + "零两十百"  # every character a numeral may hold, for regex classes
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # ① … ⑳: the 1st … 20th


def to_int(token: str) -> int:
    """``六`` → 6, ``十二`` → 12, ``二十`` → 20, ``二十三`` → 23; Arabic digits pass through.
    Raises KeyError or ValueError for anything else."""
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return _VALUES[token]
    tens, _, ones = token.partition("十")
    return (_VALUES[tens] if tens else 1) * 10 + (_VALUES[ones] if ones else 0)


def from_int(n: int) -> str:
    """6 → ``六``, 12 → ``十二``, 23 → ``二十三``; 100 and above stay Arabic."""
    if 0 <= n < 10:
        return DIGITS[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    return str(n)
