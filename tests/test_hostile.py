"""Hostile and broken returns: a corpus the tests make (no binaries committed),
each merged beside a good return.  Every file is refused with its message or
merged, the good one always goes in, the run stays within time and memory, and
docs/hostile-files.md states the same outcomes."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import resource
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import ROOT, convert
from filling import fill, progress, rewrite_part
from openpyxl.drawing.image import Image
from PIL import Image as PILImage

from qingdan.isolate import Reader

FORMS = Path("output") / "2023Q2" / "下发"
OFFICE = FORMS / "办公室.xlsx"
GOOD = FORMS / "规财处.xlsx"
DOC = ROOT / "docs" / "hostile-files.md"
TIME_LIMIT = 60  # seconds for one merge of the bad file and a good one
MEMORY_LIMIT_MB = 250  # growth of this process's peak memory during that merge


def filled(tmp: Path, name: str = "办公室.xlsx", **kwargs) -> Path:
    return fill(OFFICE, tmp / name, **kwargs)


def _zip_with(src: Path, dst: Path, extra: dict[str, bytes]) -> Path:
    data = zipfile.ZipFile(src)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in data.infolist():
            z.writestr(info.filename, extra.pop(info.filename, data.read(info.filename)))
        for name, content in extra.items():
            z.writestr(name, content)
    dst.write_bytes(out.getvalue())
    return dst


def truncated(tmp, out):
    data = filled(tmp).read_bytes()
    (out / "截断.xlsx").write_bytes(data[: len(data) // 2])


def zero(tmp, out):
    (out / "空文件.xlsx").write_bytes(b"")


def encrypted(tmp, out):
    from msoffcrypto.format.ooxml import OOXMLFile

    target = out / "有密码.xlsx"
    with open(filled(tmp), "rb") as plain, open(target, "wb") as sealed:
        OOXMLFile(plain).encrypt("123456", sealed)


def html(tmp, out):
    (out / "网页.xls").write_text("<html><body><table><tr><td>编号</td><td>完成状态</td></tr></table></body></html>",
                                 encoding="utf-8")


def text(tmp, out):
    (out / "文本.xls").write_bytes("编号,完成状态\n1-01,已完成\n".encode("gb18030"))


def wps(tmp, out):
    (out / "办公室.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)


def sparse(tmp, out):
    book = xlsxwriter.Workbook(out / "稀疏.xlsx")
    book.add_worksheet().write(0, 0, "编号")
    book.close()
    rewrite_part(out / "稀疏.xlsx", "xl/worksheets/sheet1.xml",
                 lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml))


def size_bomb(tmp, out):
    src = filled(tmp, answers={"1-01": {"完成状态": "推进中", "进展情况": "BOMBMARK"}})
    rewrite_part(src, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"BOMBMARK", b"A" * 30_000_000))
    shutil.copy(src, out / "压缩炸弹.xlsx")


def many_sheets(tmp, out):
    book = xlsxwriter.Workbook(out / "两千个表.xlsx")
    for _ in range(2000):
        book.add_worksheet()
    book.close()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")


def _body(xml: bytes) -> bytes:
    """An XML part without its declaration."""
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def billion_laughs(tmp, out):
    src = filled(tmp)
    rewrite_part(src, "xl/worksheets/sheet1.xml", lambda xml: LAUGHS + _body(xml))
    shutil.copy(src, out / "笑声.xlsx")


def external_entity(tmp, out):
    src = filled(tmp)
    rewrite_part(src, "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in zipfile.ZipFile(src).namelist()
                 else "xl/worksheets/sheet1.xml",
                 lambda xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                 + _body(xml))
    shutil.copy(src, out / "外部实体.xlsx")


def traversal(tmp, out):
    _zip_with(filled(tmp), out / "路径穿越.xlsx", {"../../evil.txt": b"x"})


def nested(tmp, out):
    _zip_with(filled(tmp), out / "嵌套.xlsx", {"xl/embeddings/inner.zip": b"PK\x05\x06" + b"\0" * 18})


def control(tmp, out):
    src = filled(tmp, answers={"1-01": {"完成状态": "推进中", "进展情况": "CTLMARK"}})
    rewrite_part(src, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"CTLMARK", b"a&#7;b\x0bc&#x1F;d"))
    shutil.copy(src, out / "控制字符.xlsx")


def long_cell(tmp, out):
    src = filled(tmp, answers={"1-01": {"完成状态": "推进中", "进展情况": "LONGMARK"}, "1-04": {"完成状态": "推进中"}})
    rewrite_part(src, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"LONGMARK", "长".encode() * 40_000))
    shutil.copy(src, out / "超长.xlsx")


def formulas(tmp, out):
    filled(out, "公式.xlsx", answers={
        "1-01": {"完成状态": "推进中", "进展情况": "=cmd|' /C calc'!A0"},
        "1-04": {"完成状态": "推进中", "进展情况": '=HYPERLINK("http://x.example","点")'},
        "1-09": {"完成状态": "推进中", "进展情况": "@SUM(1,1)"}})


def thousand_rows(tmp, out):
    def more(sheet):
        for i in range(1000):
            sheet.cell(11 + i, 1).value = f"9-{i:04d}"
            sheet.cell(11 + i, 8).value = "推进中"
            sheet.cell(11 + i, 9).value = "多出来的一行"
    filled(out, "一千行.xlsx", edit=more)


def merged_and_picture(tmp, out):
    picture = tmp / "章.png"
    PILImage.new("RGB", (30, 30), (200, 0, 0)).save(picture)

    def edit(sheet):
        sheet.merge_cells("I7:I8")
        sheet.add_image(Image(str(picture)), "M2")
    filled(out, "合并单元格和图片.xlsx", edit=edit)


# (builder, file name, outcome, what the output says)
CASES = [
    (truncated, "截断.xlsx", "拒收", "文件不完整（可能下载或发送时被截断）"),
    (zero, "空文件.xlsx", "拒收", "文件是空的（0 字节）"),
    (encrypted, "有密码.xlsx", "拒收", "文件已设置密码，请取消密码后再发送"),
    (html, "网页.xls", "拒收", "这其实是网页（HTML）文件"),
    (text, "文本.xls", "拒收", "这其实是文本文件（如 CSV）"),
    (wps, "办公室.et", "拒收", "请另存为 .xlsx 后再合并"),
    (sparse, "稀疏.xlsx", "拒收", "的内容一直延伸到 XFD1048576"),
    (size_bomb, "压缩炸弹.xlsx", "拒收", "超出上限（可能是“压缩炸弹”）"),
    (many_sheets, "两千个表.xlsx", "拒收", "文件里有 2000 个工作表"),
    (billion_laughs, "笑声.xlsx", "拒收", "含有 XML 实体声明（DOCTYPE/ENTITY）"),
    (external_entity, "外部实体.xlsx", "拒收", "含有 XML 实体声明（DOCTYPE/ENTITY）"),
    (traversal, "路径穿越.xlsx", "拒收", "可疑的部件名“../../evil.txt”"),
    (nested, "嵌套.xlsx", "拒收", "嵌着另一个压缩文件或文档“xl/embeddings/inner.zip”"),
    (control, "控制字符.xlsx", "成功", "控制字符去掉后合并"),
    (long_cell, "超长.xlsx", "部分成功", "超过 Excel 单元格上限 32767 字"),
    (formulas, "公式.xlsx", "成功", "以 = 开头的内容作为文字合并"),
    (thousand_rows, "一千行.xlsx", "部分成功", "编号“9-0999”不在总表“清单”中"),
    (merged_and_picture, "合并单元格和图片.xlsx", "部分成功", "填报区域有合并单元格（I7:I8）"),
]


@pytest.fixture
def forms(run, master) -> Path:
    assert run("split", "--period", "2023Q2").exit_code == 0
    return FORMS


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


QUICK = {"截断.xlsx", "有密码.xlsx", "网页.xls", "笑声.xlsx", "路径穿越.xlsx", "控制字符.xlsx", "公式.xlsx",
         "超长.xlsx"}  # one of each kind of outcome in the quick run; the heavy builders only in the full one


@pytest.mark.parametrize("build, name, outcome, says", [
    pytest.param(*case, marks=() if case[1] in QUICK else pytest.mark.slow, id=case[1]) for case in CASES])
def test_hostile_file_beside_a_good_one(run, master, forms, tmp_path, build, name, outcome, says):
    inbox = Path("收件")
    inbox.mkdir()
    fill(GOOD, inbox / "规财处.xlsx")
    build(tmp_path, inbox)
    before_master = master.read_bytes()
    start, peak = time.monotonic(), peak_mb()
    result = run("merge", inbox)
    elapsed = time.monotonic() - start
    assert elapsed < TIME_LIMIT, elapsed
    assert peak_mb() - peak < MEMORY_LIMIT_MB
    out = result.output
    row = next(line for line in out.splitlines() if line.startswith("│") and name in line)
    assert f" {outcome} " in row, row
    if not says.startswith(("控制字符", "以 =")):
        assert says in out.replace("\n", "")
    assert result.exit_code == (0 if outcome == "成功" else 1)
    got = {(r["编号"], r["责任处室"]): r for r in progress(master)}
    assert ("1-04", "规财处") in got and ("1-24", "规财处") in got  # the good return went in
    assert master.read_bytes() != before_master
    if name == "控制字符.xlsx":
        assert got[("1-01", "办公室")]["进展情况"] == "abcd"
    if name == "公式.xlsx":
        cells = {c.value: c for r in openpyxl.load_workbook(master)["进展"].iter_rows() for c in r}
        assert cells["=cmd|' /C calc'!A0"].data_type == "s"


def test_the_docs_table_says_the_same(tmp_path):
    doc = DOC.read_text(encoding="utf-8")
    for _, name, outcome, says in CASES:
        row = next((line for line in doc.splitlines() if line.startswith(f"| {name} |")), None)
        assert row is not None, name
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
        assert cells[2] == outcome and says in cells[3], row


def test_an_xls_declaring_a_huge_area(run, master, forms, tmp_path, libreoffice):
    book = xlsxwriter.Workbook(tmp_path / "大表.xlsx")
    sheet = book.add_worksheet()
    sheet.write(0, 0, "编号")
    sheet.write(65535, 255, "x")  # IV65536, the last cell of an .xls
    book.close()
    inbox = Path("收件")
    inbox.mkdir()
    shutil.copy(convert(libreoffice, tmp_path / "大表.xlsx", "xls", tmp_path / "lo"), inbox / "大表.xls")
    result = run("merge", inbox)
    assert result.exit_code == 1
    assert "的内容一直延伸到 IV65536（65536 行 × 256 列）" in result.output.replace("\n", "")


def test_a_file_that_kills_or_hangs_the_reader_is_refused_and_the_next_is_read(forms, tmp_path):
    good = fill(GOOD, tmp_path / "规财处.xlsx")
    data = good.read_bytes()
    with Reader(timeout=60, memory_mb=10) as reader:  # too little memory for any reading
        with pytest.raises(Exception) as info:
            reader.read(good, data)
        assert "读取时读取程序异常退出" in str(info.value)
    with Reader(timeout=0.001) as reader:
        with pytest.raises(Exception) as info:
            reader.read(good, data)
        assert "读取超过 0.001 秒仍未完成" in str(info.value)
        reader.timeout = 60  # the worker is started again for the next file
        assert reader.read(good, data).sheet == "填报"
        assert reader.restarts == 1
    with Reader() as reader:  # one worker for many files
        for _ in range(3):
            assert reader.read(good, data).rows
        assert reader.restarts == 0


def test_saved_time_in_the_future_is_kept(run, master, forms):
    """Not hostile, but odd: a clock far off still orders files by what they say.
    A return saved in 2030 is merged with that time, and it supersedes one of the
    same office saved in 2023 that is read after it."""
    inbox = Path("收件")
    fill(GOOD, inbox / "a.xlsx", saved=dt.datetime(2030, 1, 1),
         answers={"1-04": {"完成状态": "已完成", "进展情况": "时钟快了"}})
    fill(GOOD, inbox / "b.xlsx", saved=dt.datetime(2023, 7, 4, 16, 0),
         answers={"1-04": {"完成状态": "推进中", "进展情况": "时钟准"}})
    result = run("merge", inbox)
    assert result.exit_code == 0, result.output
    got = {(r["编号"], r["责任处室"]): r for r in progress(master)}
    assert list(got) == [("1-04", "规财处")]
    row = got[("1-04", "规财处")]
    assert (row["完成状态"], row["进展情况"]) == ("已完成", "时钟快了")
    assert row["报送时间"] == "2030-01-01 00:00:00"
    assert row["来源文件"] == "收件/a.xlsx"


def test_a_reader_that_dies_refuses_the_file_by_name_and_the_run_goes_on(run, master, forms):
    """With too little memory the reader dies on every file: each is refused by
    name, the run finishes, and the master keeps only its 日志 lines."""
    inbox = Path("收件")
    fill(GOOD, inbox / "规财处.xlsx")
    fill(OFFICE, inbox / "办公室.xlsx")
    Path("qingdan.toml").write_text("[merge]\nmemory_mb = 10\ntimeout = 30\n", encoding="utf-8")
    result = run("merge", inbox)
    assert result.exit_code == 1
    out = result.output.replace("\n", "")
    for name in ("规财处.xlsx", "办公室.xlsx"):
        assert f"收件/{name}：读取时读取程序异常退出" in out
    assert progress(master) == []
    assert "读取失败" in result.output
    Path("qingdan.toml").unlink()
    again = run("merge", inbox)  # the same files, with the default limits: read again, not skipped
    assert again.exit_code == 0, again.output
    assert len(progress(master)) == 7


def _one_sheet(tmp: Path) -> Path:
    book = xlsxwriter.Workbook(tmp / "表.xlsx")
    book.add_worksheet().write(0, 0, "编号")
    book.close()
    return tmp / "表.xlsx"


@pytest.mark.parametrize("change", [
    lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b"<dimension ref='A1:XFD1048576'/>", xml),  # other quotes
    lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension  ref = "a1:xfd1048576"/>', xml),  # spaces, case
    lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<sheetPr>' + b" " * 20000 + b'</sheetPr>'
                       b'<dimension ref="A1:XFD1048576"/>', xml),  # far from the start
    lambda xml: xml.replace(b'<c r="A1"', b"<c r='XFD1048576'"),  # a cell, not the dimension
], ids=["quotes", "spaces", "far", "cell"])
def test_the_extent_guard_cannot_be_dodged(tmp_path, change):
    from qingdan.errors import SourceError
    from qingdan.returns import check_return

    path = _one_sheet(tmp_path)
    rewrite_part(path, "xl/worksheets/sheet1.xml", change)
    with pytest.raises(SourceError) as info:
        check_return(path, path.read_bytes())
    assert "超出可处理的范围" in info.value.message


def test_a_sheet_part_outside_the_usual_folder_is_checked(tmp_path):
    from qingdan.errors import SourceError
    from qingdan.returns import check_return

    path = _one_sheet(tmp_path)
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/elsewhere/s.xml"
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
            data = data.replace(b"worksheets/sheet1.xml", b"elsewhere/s.xml")
            z.writestr(name, data)
    path.write_bytes(out.getvalue())
    with pytest.raises(SourceError) as info:
        check_return(path, path.read_bytes())
    assert "超出可处理的范围" in info.value.message


def test_a_tag_longer_than_a_chunk(tmp_path):
    from qingdan.errors import SourceError
    from qingdan.returns import check_return

    path = _one_sheet(tmp_path)
    # the cell reference sits behind 1.5 MB of attribute: it straddles the 1 MB reading chunks
    rewrite_part(path, "xl/worksheets/sheet1.xml",
                 lambda xml: xml.replace(b'<c r="A1"', b'<c x="' + os.urandom(750_000).hex().encode()
                                         + b'" r="XFD1048576"'))  # random: the ratio guard lets it by
    with pytest.raises(SourceError) as info:
        check_return(path, path.read_bytes())
    assert "超出可处理的范围" in info.value.message


@pytest.mark.slow  # a 400,000-row workbook
def test_answers_stay_with_their_files_when_the_reader_dies_midway(forms, tmp_path):
    """good, one that needs more memory than allowed, good, good: each answer is
    the answer for its own file, and the reader comes back for the rest."""
    big = tmp_path / "大.xlsx"
    book = xlsxwriter.Workbook(big, {"constant_memory": True})
    sheet = book.add_worksheet("填报")
    sheet.write_row(0, 0, ["编号", "完成状态", "进展情况"])
    for r in range(1, 400_000):
        sheet.write_row(r, 0, [f"9-{r}", "推进中", f"第{r}行的进展情况文字"])
    book.close()
    goods = [fill(f, tmp_path / f.name) for f in sorted(FORMS.glob("*.xlsx"))[:3]]
    jobs = [(p, p.read_bytes()) for p in (goods[0], big, goods[1], goods[2])]
    with Reader(timeout=120, memory_mb=150) as reader:
        answers = list(reader.read_many(jobs))
    assert [i for i, _ in answers] == [0, 1, 2, 3]
    assert "读取时读取程序异常退出" in str(answers[1][1])
    for (path, _), (_, answer) in zip(jobs, answers):
        if path != big:
            assert answer.path == path  # never another file's contents


def test_a_hung_reader_never_blocks_the_next_big_file(forms, tmp_path):
    good = fill(FORMS / "办公室.xlsx", tmp_path / "办公室.xlsx")
    big = tmp_path / "大附件.xlsx"
    big.write_bytes(good.read_bytes() + os.urandom(3_000_000))  # larger than any pipe buffer
    start = time.monotonic()
    with Reader(timeout=0.001) as reader:
        answers = list(reader.read_many([(good, good.read_bytes()), (big, big.read_bytes())]))
    assert len(answers) == 2 and time.monotonic() - start < 30


def test_the_guard_is_linear_on_unclosed_tags(tmp_path):
    from qingdan.errors import SourceError
    from qingdan.returns import check_return

    path = _one_sheet(tmp_path)
    junk = b"".join(b"<c " + os.urandom(5).hex().encode() for _ in range(60_000))  # no ">" anywhere
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + junk))
    start = time.monotonic()
    try:
        check_return(path, path.read_bytes())
    except SourceError:
        pass
    assert time.monotonic() - start < 5


def test_an_ods_spreading_its_size_over_rows_and_columns(tmp_path):
    from qingdan.errors import SourceError
    from qingdan.returns import check_return

    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    rows = ('<table:table-row><table:table-cell table:number-columns-repeated="16383"/>' + cell + "</table:table-row>"
            + ("<table:table-row>" + cell + "</table:table-row>") * 5000)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'<table:table table:name="填报">{rows}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    path = tmp_path / "分散.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    with pytest.raises(SourceError) as info:
        check_return(path, path.read_bytes())
    assert "超出可处理的范围" in info.value.message


def test_a_file_over_the_size_cap_is_never_read(run, master, forms):
    inbox = Path("收件")
    fill(GOOD, inbox / "规财处.xlsx")
    Path("qingdan.toml").write_text("[merge]\nmax_mb = 1\n", encoding="utf-8")
    with open(inbox / "大.xlsx", "wb") as fh:  # sparse: 2 MB on paper
        fh.write(b"PK\x03\x04")
        fh.seek(2 * 1024 * 1024)
        fh.write(b"\0")
    result = run("merge", inbox)
    assert result.exit_code == 1
    assert "收件/大.xlsx：文件有 2 MB，超过上限 1 MB" in result.output.replace("\n", "")
