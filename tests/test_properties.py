"""Parsers never raise and always return known types, whatever text they get."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from qingdan.deadlines import parse_deadline
from qingdan.offices import safe_filename, split_offices

KINDS = {"限时完成", "持续推进", "定期", "时限待定"}
# text built from the characters deadline wording is made of, plus anything at all
WORDING = st.text(alphabet="0123456789２０一二三四五六七八九十年月日底前内末上下半季度第每持续推进常态化*＊至-. ")
ANY = st.text()


@settings(max_examples=400)
@given(st.one_of(WORDING, ANY), st.one_of(st.none(), st.integers(1900, 2100)))
def test_deadline_parser_never_raises(text, year):
    got = parse_deadline(text, year)
    assert got.kind in KINDS
    assert got.date is None or isinstance(got.date, dt.date)
    assert (got.date is not None) == (got.kind == "限时完成")
    assert got.problem is None or isinstance(got.problem, str)


@settings(max_examples=300)
@given(st.one_of(ANY, st.text(alphabet="办公室人事处等、，,；;/（）() \n")))
def test_office_splitter_never_raises(text):
    got = split_offices(text)
    assert all(isinstance(n, str) and n and n == n.strip() for n in got.names)
    assert len(got.names) == len(set(got.names))
    assert split_offices(got.cell()).names == got.names  # the cell reads back the same


@settings(max_examples=300)
@given(ANY)
def test_safe_filename_is_always_safe(name):
    got = safe_filename(name)
    assert got and len(got) <= 81
    assert not set(got) & set('/\\:*?"<>|') and not got.startswith(".")
    assert all(ord(ch) >= 32 for ch in got)


LIST_ALPHABET = "一二三、（）()1234567890.．：:责任处室牵头领导时间进度安排完成时限月底前年第部分附件等*\n \t任务清单"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=LIST_ALPHABET, max_size=300))
def test_document_parser_never_raises_anything_but_a_message(tmp_path_factory, text):
    from qingdan.document import parse_document
    from qingdan.errors import SourceError

    path = tmp_path_factory.mktemp("p") / "清单.txt"
    path.write_text(text, encoding="utf-8")
    try:
        parsed = parse_document(path)
    except SourceError as exc:
        assert str(exc).startswith(str(path))
        return
    assert parsed.tasks
    codes = [t.code for t in parsed.tasks]
    assert len(codes) == len(set(codes))
    assert all(t.kind in KINDS for t in parsed.tasks)
