"""Reading a .docx as a clerk sees it on screen, in document order.

python-docx's own ``.text`` leaves out what Word shows but stores elsewhere:
automatic list numbers (``1.`` ``一、`` typed by Word, not by the author),
tracked insertions not yet accepted, and paragraphs inside content controls.
Here each paragraph's text is read from its runs, the list number Word would
draw is put in front, and tables keep python-docx's handling of merged cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from docx.oxml.ns import qn

from . import numerals

# Word number formats → how to spell n.  Formats not listed fall back to decimal.
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalFullWidth2": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "chineseCounting": numerals.from_int,
    "chineseCountingThousand": numerals.from_int,
    "chineseLegalSimplified": numerals.from_int,
    "taiwaneseCounting": numerals.from_int,
    "taiwaneseCountingThousand": numerals.from_int,
    "japaneseCounting": numerals.from_int,
    "ideographTraditional": lambda n: _TIANGAN[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: numerals.CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: numerals.CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
}


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


class _Numbering:
    """Counts Word's automatic list numbers as the paragraphs go by."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is auto-numbered
            return
        for abstract in root.iterfind(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                start = _val(lvl, "w:start")
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(start) if start and start.isdigit() else 1,
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "",
                )
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iterfind(qn("w:num")):
            overrides = {}
            for override in num.iterfind(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start and start.isdigit():
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.nums[num.get(qn("w:numId"))] = (_val(num, "w:abstractNumId") or "", overrides)

    @staticmethod
    def _num_pr(p, styles) -> tuple[str | None, int]:
        """(numId, level) of a paragraph, directly or through its style chain."""
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style_id = _val(ppr, "w:pStyle")
        seen = set()
        while num_pr is None and style_id and style_id not in seen and styles is not None:
            seen.add(style_id)
            style = next((s for s in styles.iterfind(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None)
            if style is None:
                break
            sppr = style.find(qn("w:pPr"))
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            style_id = _val(style, "w:basedOn")
        if num_pr is None:
            return None, 0
        level = _val(num_pr, "w:ilvl")
        return _val(num_pr, "w:numId"), int(level) if level and level.isdigit() else 0

    def label(self, p, styles) -> str:
        """The number Word draws before paragraph ``p`` ('' when none)."""
        num_id, level = self._num_pr(p, styles)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(level, levels[level][0])
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = levels[level][2]
        if levels[level][1] in ("bullet", "none"):
            return ""
        for k in range(9, 0, -1):  # %10 never occurs; %1 … %9 name levels 0 … 8
            if f"%{k}" in text:
                lvl = levels.get(k - 1, (1, "decimal", ""))
                n = counters.get(k - 1, overrides.get(k - 1, lvl[0]))
                text = text.replace(f"%{k}", _FORMATS.get(lvl[1], str)(n))
        return text


def paragraph_text(p) -> str:
    """The text of a ``w:p`` element as Word shows it, tracked insertions included."""
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(qn("w:p")))


def read_blocks(file: IO[bytes]) -> Iterator[str | list[list[str]]]:
    """Lines of text and tables (rows of cell texts) of a .docx, in document order."""
    import docx
    from docx.table import Table

    document = docx.Document(file)
    numbering = _Numbering(document)
    try:
        styles = document.part.styles.element
    except Exception:
        styles = None

    def walk(parent) -> Iterator[str | list[list[str]]]:
        for child in parent:
            if child.tag == qn("w:p"):
                yield from (numbering.label(child, styles) + paragraph_text(child)).split("\n")
            elif child.tag == qn("w:tbl"):
                table = Table(child, document)
                yield [[_cell_text(cell._tc) for cell in row.cells] for row in table.rows]
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from walk(content)

    yield from walk(document.element.body)
