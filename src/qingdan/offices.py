"""Office lists: ``人事教育处、机关党委等`` ⇄ names and a trailing-等 flag."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import words as W

_SEPARATORS = set("、，,；;/／\n")
# 及 (以及) joins two offices (市级有关部门及各县区政府), but not in 涉及, 普及, 及时, 及其
_AND = re.compile(r"以及|(?<![涉普])及(?![时其早])")
# 市发改局会同市财政局, 宣传处会办公室: 会同 (会 before 办公室 or a place) between two offices
# joins them — not 工会, 党委会, 会计处, 会务处, 专委会办公室
_WITH = re.compile(r"(?:(?<=[处局室厅科股办委])会同|(?<=[处局室厅科股办])会(?=办公室|[省市区县各]))"
                   r"(?=[^、，,；;\s]{1,20}?(?:处|局|室|办|厅|科|股|中心|委)(?:[、，,；;\s]|$))")
_SPACES = set(" \u3000\t")
_OPEN = "（(【[《"
_CLOSE = "）)】]》"
_OPENERS = re.compile("[" + re.escape(_OPEN) + "]")
_SEPARATORS_AT = re.compile("[" + re.escape("".join(sorted(_SEPARATORS))) + "]")
_SPACES_AT = re.compile("[" + re.escape("".join(sorted(_SPACES))) + "]")
# 等 / 等单位 / 等相关处室 … at the end of a piece means "and others".
_ETC = re.compile(W.ETC + "+" + W.ETC_SUFFIXES + "$")
# 人事处（牵头）, 人事处牵头, 办公室配合: the role is said by the order, not kept in the name
_ROLE = re.compile(r"(?<=.)(?:[（(](?:" + W.OFFICE_ROLE_WORDS + r")(?:单位|处室|部门)?[）)]|(?:"
                   + W.OFFICE_ROLE_PHRASE + r"))$")
_COLLECTIVE = re.compile(W.OFFICE_COLLECTIVE)
# 审计处（牵头）: this one office leads (市发改委、财政厅牵头 says it of them all, in their order)
_LEAD_MARK = re.compile(r"[（(]牵头(?:单位|处室|部门)?[)）]$")
# （由市政务服务管理局牵头…）: 由 is no part of the name
_BY = re.compile(r"^(?:具体|主要|分别)?由(?=.)")
# 请市文明办、市城管局协调解决: 请 asks, it is no part of the first name; only before a level
# word and with a role said at the end, so that 请示办 keeps its 请
_PLEASE = re.compile(r"^请(?=[省市州盟县区旗镇乡街各])(?=.*(?:" + W.OFFICE_ROLE_PHRASE + r")$)")
_LEVEL = re.compile(W.OFFICE_LEVEL_WORDS)
_BODY = re.compile(W.OFFICE_BODY_WORDS)


def is_collective(name: str) -> bool:
    """Whether an entry of 责任处室 names a group (各有关单位, 市直各部门, 各县（市、区）)
    rather than one office: such an entry gets no 填报表 until the clerk writes the
    offices it means."""
    return bool(_COLLECTIVE.search(name))


@dataclass
class OfficeList:
    """The offices of one task, lead office first, and whether a 等 followed them."""

    names: list[str] = field(default_factory=list)  # as listed, collective addressees included
    etc: bool = False

    @property
    def respondents(self) -> list[str]:
        """The offices that get a 填报表: every name but the collective addressees."""
        return [n for n in self.names if not is_collective(n)]

    @property
    def collective(self) -> list[str]:
        """The collective addressees (各有关单位 …), still to be written out as offices."""
        return [n for n in self.names if is_collective(n)]

    def role(self, name: str) -> str:
        """牵头 for the first office named, 配合 for the others."""
        return W.ROLE_LEAD if self.names and name == self.names[0] else W.ROLE_HELP

    def cell(self) -> str:
        """The text of the 责任处室 cell: names joined by 、, the 等 kept."""
        text = W.OFFICE_SEPARATOR.join(self.names)
        return text + W.ETC if self.etc and text else text

    def extend(self, other: "OfficeList") -> None:
        """Append the offices of ``other`` not yet listed."""
        for name in other.names:
            if name not in self.names:
                self.names.append(name)
        self.etc = self.etc or other.etc


def _split(text: str, separators: set[str], pattern: re.Pattern) -> list[str]:
    """Split on the separators (``pattern`` matches one of them), except inside
    brackets: 办公室（含信访、保密）."""
    if not _OPENERS.search(text):  # most lists: no brackets, one regex split
        return pattern.split(text)
    pieces, cur, depth = [], [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in separators and depth == 0:
            pieces.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    pieces.append("".join(cur))
    return pieces


def _pieces(text: str, document: bool) -> list[str]:
    """Office names: split on 、，,；;/ and 及, then on spaces, where runs of single
    characters (``办 公 室``) are one name spaced out, not several; a collective
    addressee written with 、 (``各区、县级市``) stays one."""
    if document and "及" in text:
        text = _AND.sub(W.OFFICE_SEPARATOR, text)
    if document and "会" in text:
        text = _WITH.sub(W.OFFICE_SEPARATOR, text)
    if not _OPENERS.search(text):  # most lists: no brackets, plain regex splits
        pieces = [name for chunk in _SEPARATORS_AT.split(text) for name in _unspaced(_SPACES_AT.split(chunk))]
    else:
        pieces = [name for chunk in _split(text, _SEPARATORS, _SEPARATORS_AT)
                  for name in _unspaced(_split(chunk, _SPACES, _SPACES_AT))]
    return _rejoin_collective(pieces) if "各" in text else pieces


def _rejoin_collective(pieces: list[str]) -> list[str]:
    """``各区`` + ``县级市`` → ``各区、县级市``: after an addressee with 各, a piece that
    is only a level word (县级市, 街道办事处) belongs to it."""
    out: list[str] = []
    for piece in pieces:
        bare = _ROLE.sub("", piece.strip())  # 各区、县级市配合
        if out and "各" in out[-1] and bare and _BODY.fullmatch(bare):
            out[-1] += piece.strip()  # a body spaced off its addressee: 各县区（开发区） 安委会
        elif out and "各" in out[-1] and bare and _LEVEL.fullmatch(bare):
            out[-1] += W.OFFICE_SEPARATOR + piece.strip()
        else:
            out.append(piece)
    return out


def split_offices(text: str | None, document: bool = False) -> OfficeList:
    """Read an office list.  Separators: 、，,；;/ and spaces (and 及, in a list
    ``document``: the master's own cells are joined by 、, and a name a master made
    before kept whole, 办公室及保卫处, keeps its forms); empty pieces are dropped,
    duplicates kept once, a trailing 等 (等单位 …) flagged, never guessed."""
    result = OfficeList()
    leads: list[str] = []
    for name in _pieces(_PLEASE.sub("", (text or "").strip()), document):
        name = name.strip().strip("。.")
        leading = bool(_LEAD_MARK.search(name))
        name = _ROLE.sub("", _BY.sub("", name))
        stripped = _ETC.sub("", name)
        if stripped != name:
            result.etc = True
            name = _ROLE.sub("", stripped.strip())
        if name and name not in result.names:
            result.names.append(name)
            if leading:
                leads.append(name)
    if leads and result.names[:len(leads)] != leads:
        # 财务处、审计处（牵头）: the office marked 牵头 leads, wherever it is named
        result.names = leads + [n for n in result.names if n not in leads]
    return result


def _unspaced(pieces: list[str]) -> list[str]:
    """Join runs of single characters: ``办 公 室`` was one name spaced out, not three."""
    out: list[str] = []
    run = ""
    for piece in filter(None, pieces):
        if len(piece) == 1:
            run += piece
            continue
        if run:
            out.append(run)
            run = ""
        out.append(piece)
    return out + [run] if run else out


def merge_roles(lead: str | None, main: str | None, helpers: str | None) -> OfficeList:
    """牵头单位 first, then 责任处室/责任单位, then 配合单位; no duplicates."""
    result = OfficeList()
    for text in (lead, main, helpers):
        result.extend(split_offices(text, document=True))
    return result


_FORBIDDEN = set('/\\:*?"<>|') | {chr(i) for i in range(32)} | {"\x7f"}
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_NAME = 80  # characters; leaves room for folders under Windows' 260-character paths


def safe_filename(name: str, fallback: str = W.UNNAMED) -> str:
    """A file name (without extension) safe on Windows and Linux: no / \\ : * ? " < > |
    or control characters, no leading dot, no reserved device name, bounded length."""
    text = "".join("_" if ch in _FORBIDDEN else ch for ch in name)
    text = text.strip().lstrip(".").rstrip(". ")[:MAX_NAME].rstrip(". ")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def unique_filenames(names: list[str]) -> dict[str, str]:
    """name → a safe file name (without extension), no two the same even where
    the file system ignores case (Windows): 规划/财务处 and 规划:财务处 both clean
    to 规划_财务处, so the second becomes 规划_财务处（2）."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in names:
        base = safe_filename(name)
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{base[:MAX_NAME - 6]}（{n}）"
        taken.add(candidate.casefold())
        out[name] = candidate
    return out
