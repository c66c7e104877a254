"""What the performance work changed must not change results: forms written by
worker processes equal those written in one process, the guard's fast scan
finds what its full scan finds, a write after a read reuses the read only when
the file is unchanged, and the progress callbacks count every step.
(Speed itself is measured in bench/, not here.)"""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import qingdan.split as split_module
import qingdan.update as update_module
import qingdan.words as W
import qingdan.workbook as workbook_module
from qingdan.guard import _CELL_REFS, _ROW_REFS, _extent, _head
from qingdan.pool import WorkerFailed, Workers, run_all
from qingdan.report import report
from qingdan.split import split
from qingdan.update import log_line
from qingdan.workbook import read_master

NOW = dt.datetime(2023, 6, 20, 9, 0)


def cells(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def test_forms_from_worker_processes_equal_forms_from_one_process(master, tmp_path, monkeypatch):
    monkeypatch.setattr(split_module, "PARALLEL_FORMS", 10**6)
    one = split(master, "2023Q2", out=tmp_path / "one", now=NOW)
    monkeypatch.setattr(split_module, "PARALLEL_FORMS", 1)
    monkeypatch.setattr("qingdan.pool.cpus", lambda: 2)
    many = split(master, "2023Q2", out=tmp_path / "many", now=NOW)
    assert [f.office for f in many.forms] == [f.office for f in one.forms]
    assert not many.failed and len(many.forms) > 2
    for a, b in zip(one.forms, many.forms):
        assert a.path.name == b.path.name
        with zipfile.ZipFile(a.path) as za, zipfile.ZipFile(b.path) as zb:
            assert za.namelist() == zb.namelist()
            for name in za.namelist():  # every part, byte for byte
                assert za.read(name) == zb.read(name), (a.path.name, name)


def test_a_form_that_cannot_be_written_by_a_worker_is_named_and_the_rest_are_written(master, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.setattr(split_module, "PARALLEL_FORMS", 1)
    monkeypatch.setattr("qingdan.pool.cpus", lambda: 2)
    out = tmp_path / "forms"
    first = split(master, "2023Q2", out=out, now=NOW).forms[0]
    first.path.unlink()
    first.path.mkdir()  # a folder where the form goes: its atomic replace fails
    result = split(master, "2023Q2", out=out, now=NOW)
    assert [f.office for f in result.failed] == [first.office]
    assert str(first.path) in result.failed[0].error
    assert all(f.path.is_file() for f in result.forms if f is not result.failed[0])


def _boom(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    if n == 5:
        os._exit(9)  # the worker dies mid-job
    return n * n


@pytest.mark.parametrize("workers", [1, 2])
def test_pool_reports_a_raising_job_and_a_dead_worker_and_finishes_the_rest(monkeypatch, workers):
    """With one worker, job 6 is queued in the worker that job 5 kills: it is
    sent again to the next worker, not lost and not blamed."""
    import threading

    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))  # the workers import _boom from here
    got: dict[int, object] = {}
    pool = threading.Thread(target=run_all, daemon=True, args=(
        _boom, [(n,) for n in range(8)], workers, lambda i, result: got.__setitem__(i, result)))
    pool.start()
    pool.join(120)
    assert not pool.is_alive(), f"a job was lost: {sorted(got)}"  # run_all would wait for it forever
    assert sorted(got) == list(range(8))
    assert {i: r for i, r in got.items() if not isinstance(r, WorkerFailed)} == {
        0: 0, 1: 1, 2: 4, 4: 16, 6: 36, 7: 49}
    assert str(got[3]) == "ValueError: three"
    assert str(got[5]) == W.M_WORKER_ENDED.format(kind="EOFError")


def _full_scan(body: bytes) -> tuple[int, int]:
    """The slow path's answer: every spelling read."""
    from qingdan.guard import _DIMENSION_REFS, _letters_number

    found = [f for p in _CELL_REFS + _DIMENSION_REFS for f in p.findall(body)]
    rows = [int(r) for p in _ROW_REFS for r in p.findall(body)]
    max_col = max((_letters_number(c) for c, _ in found), default=0)
    max_row = max([int(r) for _, r in found] + rows, default=0)
    return max_row, max_col


@pytest.mark.parametrize("body, exp", [
    (b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="K1"/></row>', (1, 11)),
    (b'<dimension ref="A1:C9"/><row r="2"><c r="B2"/></row>', (9, 3)),
    (b"<row r='7'><c r='XFD7'/></row>", (7, 16384)),  # single quotes: not the usual spelling
    (b'<x:row r="3"><x:c r="AB3"/></x:row>', (3, 28)),  # a namespace prefix
    (b'<row r="1"><c r="A1"/><c\tr="C1048576"/></row>', (1048576, 3)),  # a tab after the name
    (b'<row r="1"><c s="1" r="Z1"/></row>', (1, 26)),  # r not first
    (b'<row r="1"><c r="a5"/></row>', (5, 1)),  # lower case
    (b'<row spans="1:2" r="40"><c r="A40"/></row>', (40, 1)),
    (b'<row r="1048576"/>', (1048576, 0)),
    (b'<cols><col min="1" max="16384"/></cols><row r="1"><c r="A1"/></row>', (1, 1)),
    (b'<row r="7"><c a=">" r="XFD7"/></row>', (7, 16384)),  # a ">" inside a quoted value
    (b'<row a=">" r="60"/>', (60, 0)),
    (b'<row r="1"><c a="<" r="Z70"/></row>', (70, 26)),  # malformed, yet some readers take it
    (b'<a-b:row r="3"><a-b:c r="AB3"/></a-b:row>', (3, 28)),  # a prefix with a hyphen
    (b'<row r="1"><c r="A1" a=" r=&quot;XFD9&quot;"/></row>', (1, 1)),  # r= inside a value is no reference
    (b'<dimension ref="A1:XFD1048576"/>', (1048576, 16384)),
    (b'<dimension  ref="A1:XFD9"/><row r="1"/>', (9, 16384)),  # two spaces: not the usual spelling
    (b'<x:dimension ref="A1:C3"/><x:row r="1"/>', (3, 3)),
    (b"<dimension ref='A1:D4'/>", (4, 4)),
    (b'<dimension ref="$A$1:$Z$5"/>', (5, 26)),
    (b'<dimension ref="a1:e6"/>', (6, 5)),
    (b'<dimension ref="A1:B2"/><dimension ref="A1:XFD70"/>', (70, 16384)),  # a second one
    (b'<dimension ref="A1:B2"/><row r="1"><c r="A1" t="inlineStr"><is><t>dimension</t></is></c></row>',
     (2, 2)),  # the word in a cell's text
])
def test_fast_extent_matches_the_full_scan(body, exp):
    got = _extent(body)
    assert got == exp
    assert got == _full_scan(body)


@pytest.mark.parametrize("prefix", [b"", b"MZ" + b"\0" * 300])  # a zip may follow other bytes
def test_a_part_s_head_read_from_the_bytes_equals_zipfile_s(tmp_path, prefix):
    parts = {"small.xml": b"<?xml version='1.0'?><a/>", "empty.xml": b"",
             "long.xml": b"<!DOCTYPE a>" + b"a" * 1_000_000,  # 4,096 bytes wanted from a tiny packed part
             "random.xml": os.urandom(20_000)}  # deflate stores it: packed no smaller than it is
    path = tmp_path / "parts.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in parts.items():
            zf.writestr(name, content, zipfile.ZIP_DEFLATED)
        zf.writestr("stored.xml", b"<x>" * 3000, zipfile.ZIP_STORED)
    data = prefix + path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            with zf.open(info) as fh:
                exp = fh.read(4096)
            got = _head(zf, info, data, 4096)
            assert got == exp, info.filename
            assert _head(zf, info, None, 4096) == exp  # without the bytes: through zipfile
    # a part read whole has its CRC checked, as zipfile does: a damaged one is refused
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("stored.xml")
    spoilt = bytearray(data)
    spoilt[info.header_offset + 30 + len(b"stored.xml") + 5] ^= 0xFF
    with zipfile.ZipFile(io.BytesIO(bytes(spoilt))) as zf:
        with pytest.raises(zipfile.BadZipFile):
            zf.open("stored.xml").read(9000)
        with pytest.raises(zipfile.BadZipFile):
            _head(zf, zf.getinfo("stored.xml"), bytes(spoilt), 9000)
        assert _head(zf, zf.getinfo("stored.xml"), bytes(spoilt), 4096) == zf.open("stored.xml").read(4096)


def _crafted_zip(parts: dict[str, tuple[bytes, bytes]]) -> bytes:
    """A zip whose parts are given as (content, its deflate stream as packed), for streams
    no ordinary encoder makes: the records laid out by hand (APPNOTE 4.3)."""
    import zlib

    local, central = io.BytesIO(), io.BytesIO()
    for name, (content, packed) in parts.items():
        raw = name.encode()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 33, zlib.crc32(content), len(packed), len(content), len(raw))
        central.write(struct.pack("<I6H3L5H2L", 0x02014B50, 3 << 8 | 20, *fields[:5], *fields[5:8], len(raw),
                                  0, 0, 0, 0, 0o600 << 16, local.tell()) + raw)
        local.write(struct.pack("<I5H3L2H", 0x04034B50, *fields, 0) + raw + packed)
    count, size, offset = len(parts), central.tell(), local.tell()
    return local.getvalue() + central.getvalue() + struct.pack("<I4H2LH", 0x06054B50, 0, 0, count, count, size,
                                                               offset, 0)


def _deflated(content: bytes, empty_blocks: int = 0) -> bytes:
    import zlib

    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    # an empty stored block: not final, type 0, LEN 0, NLEN 0xFFFF (five bytes, no output)
    return b"\x00\x00\x00\xff\xff" * empty_blocks + packer.compress(content) + packer.flush()


def test_the_dtd_check_is_not_dodged_by_a_stream_that_opens_with_empty_blocks(tmp_path):
    from qingdan.errors import SourceError
    from qingdan.guard import check_workbook

    doctype = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>' + b"<b/>" * 3000 + b"</a>"
    data = _crafted_zip({"xl/styles.xml": (doctype, _deflated(doctype, empty_blocks=1100))})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/styles.xml")
        assert _head(zf, info, data, 4096) == zf.open(info).read(4096)
    with pytest.raises(SourceError) as caught:
        check_workbook(tmp_path / "a.xlsx", data)
    assert "xl/styles.xml" in caught.value.message


def test_a_local_header_that_does_not_match_the_directory_is_refused_as_before(tmp_path):
    from qingdan.errors import SourceError
    from qingdan.guard import check_workbook

    content = b'<?xml version="1.0"?><styleSheet/>'
    data = bytearray(_crafted_zip({"xl/styles.xml": (content, _deflated(content))}))
    data[30:30 + len(b"xl/styles.xml")] = b"xl/stylez.xml"  # the first local header's name
    with pytest.raises(SourceError) as caught:
        check_workbook(tmp_path / "a.xlsx", bytes(data))
    assert "xl/stylez.xml" in caught.value.message


def test_files_flushed_later_are_all_there_and_failures_are_named(tmp_path, monkeypatch):
    from qingdan.files import LaterSync

    with LaterSync() as syncer:  # more files than its queue holds
        for i in range(150):
            syncer.write(tmp_path / "a" / f"{i}.bin", str(i).encode() * 100, i)
        assert syncer.wait() == []
    assert sorted(p.read_bytes() for p in (tmp_path / "a").iterdir()) == sorted(str(i).encode() * 100
                                                                               for i in range(150))
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".qingdan-")]
    calls = []

    def every_other(fd):
        calls.append(fd)
        if len(calls) % 2:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", every_other)
    with LaterSync() as syncer:
        for i in range(6):
            syncer.write(tmp_path / "b" / f"{i}.bin", b"x", i)
        failed = syncer.wait()
    assert sorted(failed) == [(0, "Input/output error"), (2, "Input/output error"), (4, "Input/output error")]
    with pytest.raises(RuntimeError):
        syncer.write(tmp_path / "b" / "late.bin", b"x", 9)  # after wait(): nothing would flush it


def test_a_write_after_a_read_reuses_the_read_only_while_the_file_is_unchanged(master, monkeypatch):
    checked: list[Path] = []
    real = workbook_module.check_workbook
    counted = lambda path, data=None: (checked.append(path), real(path, data))  # noqa: E731
    monkeypatch.setattr(workbook_module, "check_workbook", counted)
    monkeypatch.setattr(update_module, "check_workbook", counted)
    read = read_master(master)
    assert len(checked) == 1
    log_line(master, "下发", "a", "", "成功", "first", NOW, read)
    assert len(checked) == 1  # the bytes were those just read and checked
    log_line(master, "下发", "b", "", "成功", "second", NOW, read)
    assert len(checked) == 2  # the master changed since: checked and parsed again
    logged = [r[5] for r in cells(master)["日志"][1:]]
    assert logged[-2:] == ["first", "second"]  # neither line lost


def test_progress_counts_every_step_of_split_merge_and_report(master, tmp_path):
    from filling import fill

    from qingdan.merge import merge

    seen: dict[str, list[tuple[int, int]]] = {"split": [], "merge": [], "report": []}
    made = split(master, "2023Q2", out=tmp_path / "forms", now=NOW,
                 progress=lambda d, t: seen["split"].append((d, t)))
    returns = tmp_path / "returns"
    returns.mkdir()
    for form in made.forms[:3]:
        fill(form.path, returns / form.path.name)
    merge([returns], master, progress=lambda d, t: seen["merge"].append((d, t)))
    report(master, "2023Q2", as_of="2023-06-30", out=tmp_path / "r.xlsx",
           progress=lambda d, t: seen["report"].append((d, t)))
    for name, calls in seen.items():
        total = calls[-1][1]
        assert [d for d, _ in calls] == list(range(1, total + 1)), name
        assert {t for _, t in calls} == {total}, name
    assert seen["split"][-1][1] == len(made.forms)
    assert seen["merge"][-1][1] == 3


def test_master_rows_skip_the_illegal_character_strip_only_for_printable_text():
    """_sheet_data strips only strings that are not printable: that is safe only
    while every character the strip removes is a non-printable one."""
    from qingdan.ooxml import ILLEGAL_XML

    removed = [chr(c) for c in range(0x110000) if ILLEGAL_XML.match(chr(c))]
    assert removed and not any(ch.isprintable() for ch in removed)


def _slow(n: int) -> int:
    import time

    time.sleep(0.3)
    return n


def test_an_interrupted_pool_ends_every_worker_and_starts_no_more(monkeypatch):
    import psutil

    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))  # the workers import _slow from here
    me = psutil.Process()

    def interrupt(index, result):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with Workers(2) as pool:
            pool.run(_slow, [(n,) for n in range(12)], interrupt)
    import time

    time.sleep(0.5)
    assert [p for p in me.children(recursive=True) if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []


def test_a_damaged_part_stops_a_master_write_and_leaves_the_master_as_it_was(master):
    """Kept parts are copied still compressed, but their CRC is checked first."""
    from qingdan.errors import MasterError

    data = bytearray(master.read_bytes())
    with zipfile.ZipFile(master) as zf:
        info = zf.getinfo("xl/styles.xml")
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF  # one byte inside its compressed data
    master.write_bytes(bytes(data))
    with pytest.raises(MasterError) as caught:
        log_line(master, "下发", "a", "", "成功", "x", NOW)
    assert str(master) in caught.value.message
    assert master.read_bytes() == bytes(data)


def test_one_line_chars_is_the_bound_fits_one_line_tests():
    """_sheet_data compares a text's length with one_line_chars instead of calling
    fits_one_line for every cell: both must say the same for every width."""
    from qingdan.layout import fits_one_line, one_line_chars

    for width in [tenth / 10 for tenth in range(-50, 1200)] + [float("inf"), float("-inf"), 1e300]:
        n = one_line_chars(width)
        lengths = range(max(0, n - 3), n + 4) if n < 10**6 else [1, 1000, 10**6]  # inf: any text fits
        for length in lengths:
            text = "字" * length
            assert (0 < length <= n) == (length > 0 and fits_one_line(text, width)), (width, length)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OLD_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C9"/>'
    '<cols><col min="1" max="1" width="30" customWidth="1"/></cols>'
    '<sheetData{attrs}>{rows}</sheetData>'
    '<autoFilter ref="A1:C9"/><pageSetup orientation="landscape"/></worksheet>'
)


@pytest.mark.parametrize("attrs, rows", [
    ("", '<row r="1"><c r="A1" t="inlineStr"><is><t>x &lt;/sheetData&gt;</t></is></c></row>'),
    (' foo="1"', ""),
])
def test_sheet_xml_replaces_only_the_rows_and_updates_both_ranges(attrs, rows):
    from qingdan.sheetxml import sheet_xml

    old = _OLD_SHEET.format(attrs=attrs, rows=rows)
    got = sheet_xml(old.encode(), ["甲", "乙"], [["a&b", "第一行\n第二行"], ["x", ""]]).decode()
    head, rest = got.split("<sheetData>", 1)
    data, tail = rest.split("</sheetData>", 1)
    assert head == old[:old.index("<sheetData")].replace('ref="A1:C9"', 'ref="A1:B3"')
    assert tail == '<autoFilter ref="A1:B3"/><pageSetup orientation="landscape"/></worksheet>'
    assert "sheetData" not in data and "a&amp;b" in data and 'r="B3"' not in data  # a blank cell is left out
    from qingdan.layout import lines_height

    assert f'<row r="2" ht="{lines_height(2)}" customHeight="1">' in data  # two lines
    assert f'<row r="3" ht="{lines_height(1)}" customHeight="1">' in data


def test_sheet_xml_fills_a_self_closed_sheet_data_and_refuses_a_sheet_without_one():
    from qingdan.ooxml import PartError
    from qingdan.sheetxml import sheet_xml

    got = sheet_xml(_OLD_SHEET.format(attrs="", rows="").replace("<sheetData></sheetData>", "<sheetData/>").encode(),
                    ["甲"], [["a"]]).decode()
    assert '<sheetData><row r="1">' in got and got.count("sheetData") == 2 and '<dimension ref="A1:A2"/>' in got
    with pytest.raises(PartError):
        sheet_xml(f'<worksheet xmlns="{_MAIN}"><dimension ref="A1"/></worksheet>'.encode(), ["甲"], [["a"]])
