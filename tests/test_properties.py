"""Parsers never raise and always return known types, whatever text they get."""

import datetime as dt

import pytest
from hypothesis import example, given, settings
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
    # arbitrary text: a date is found or not, both right; the next line ties which to the kind
    assert got.date is None or isinstance(got.date, dt.date)
    assert (got.date is not None) == (got.kind == "限时完成")
    assert got.problem is None or isinstance(got.problem, str)  # a problem is said, or there is none


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


# the marks the readers of real lists act on: notices, brackets, bullets, collective addressees …
REAL_ALPHABET = LIST_ALPHABET + "关于印发通知号〔〕《》各有关区县市及牵头配合负责整改单位●①②工作目标措施：:，。；、"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=REAL_ALPHABET, max_size=400))
@example("②")  # a circled number opening a line once raised IndexError
@example("1.任务\n①子项\n● 问题\n整改责任单位：A\n")
def test_real_list_shapes_never_raise_anything_but_a_message(tmp_path_factory, text):
    test_document_parser_never_raises_anything_but_a_message.hypothesis.inner_test(tmp_path_factory, text)


@settings(max_examples=300)
@given(st.one_of(WORDING, ANY, st.text(alphabet=REAL_ALPHABET)), st.one_of(st.none(), st.integers(1900, 2100)))
def test_deadline_in_a_sentence_never_raises(text, year):
    from qingdan.deadlines import deadline_in_text

    got = deadline_in_text(text, year)
    if got is not None:
        phrase, deadline = got
        assert phrase and deadline.kind in KINDS


@settings(max_examples=300)
@given(st.one_of(ANY, st.text(alphabet=REAL_ALPHABET)))
def test_field_splitter_keeps_the_text_it_does_not_take(line):
    from qingdan.fields import split_fields

    head, fields = split_fields(line)
    assert all(isinstance(role, str) and isinstance(value, str) for role, value in fields)
    if not fields:
        assert head == line  # nothing taken: nothing changed


@settings(max_examples=300)
@given(st.one_of(ANY, st.sampled_from(["已完成", "完成", "推进中", "进行中", "未启动", "滞后", " 已办结。"]), st.none(),
                 st.integers(), st.floats(allow_nan=True)))
def test_status_normaliser_never_raises(value):
    from qingdan.statuses import normalise_status

    got = normalise_status(value)
    # any value: not a status (None) or one of the four (or blank); both are right answers here
    assert got is None or got in {"", "已完成", "推进中", "未启动", "滞后"}


@settings(max_examples=300)
@given(st.one_of(ANY, st.none(), st.integers(-10**12, 10**12), st.floats(), st.datetimes(), st.dates()))
def test_returned_values_never_raise(value):
    from qingdan.checks import clean_text, returned_date
    from qingdan.periods import parse_period

    text = clean_text(value)
    assert isinstance(text, str)
    assert not any(ord(ch) < 32 and ch not in "\n\t\r" for ch in text)
    got = returned_date(value, parse_period("2023Q2"))
    assert got is None or isinstance(got, dt.date)  # any value: no date in it, or a date


@settings(max_examples=300)
@given(st.lists(st.one_of(ANY, st.sampled_from(["CON", "aux", "办公室", "办公室/", "办公室:", "a" * 300, ".", ".."])),
                min_size=1, max_size=12, unique=True))
def test_file_names_from_office_names_are_unique_and_safe(offices):
    from qingdan.offices import unique_filenames

    got = unique_filenames(offices)
    assert set(got) == set(offices)
    names = [n.casefold() for n in got.values()]
    assert len(names) == len(set(names))
    reserved = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
    for name in got.values():
        assert name and not set(name) & set('/\\:*?"<>|') and not name.startswith(".")
        assert name.split(".")[0].casefold() not in reserved
        assert ".." not in name.split("/")


@settings(max_examples=200)
@given(st.binary(max_size=2048))
def test_sniff_never_raises(data):
    from qingdan.guard import HTML, OLE, TEXT, UNKNOWN, ZIP, sniff

    assert sniff(data) in {ZIP, OLE, HTML, TEXT, UNKNOWN}


@settings(max_examples=200)
@given(ANY)
def test_period_and_office_from_a_file_name_never_raise(text):
    from qingdan.checks import _office_in, _period_in_name, _period_in_title

    # any text: it names no period (None), or one with an id; no office, or one of those given
    assert _period_in_name(text) is None or _period_in_name(text).id
    assert _period_in_title(text) is None or _period_in_title(text).id
    assert _office_in(text, ["办公室", "规财处"]) in (None, "办公室", "规财处")


@pytest.mark.parametrize("exp,data", [
    ("text", ("中" * 2000).encode("utf-8")),  # the 4 KB sample ends inside a character
    ("text", ("中" * 2000).encode("gb18030")),
    ("text", "任务，处室\n".encode("utf-8") * 500),
    ("unknown", bytes(range(32)) * 200),  # control bytes, cut anywhere
])
def test_sniff_text(exp, data):
    from qingdan.guard import sniff

    got = sniff(data)
    assert got == exp
