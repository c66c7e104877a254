"""时间进度安排 → 完成时限 + 时限类型, as an exp/got table."""

import datetime as dt

import pytest

from qingdan.deadlines import parse_deadline

D = dt.date
CASES = [
    # text, expected date, expected kind
    ("2023年6月底前完成", D(2023, 6, 30), "限时完成"),
    ("2023年6月底前", D(2023, 6, 30), "限时完成"),
    ("2023年6月底前（完成）", D(2023, 6, 30), "限时完成"),
    ("6月底前", D(2023, 6, 30), "限时完成"),
    ("10月底前", D(2023, 10, 31), "限时完成"),
    ("2月底前", D(2023, 2, 28), "限时完成"),
    ("2024年2月底前", D(2024, 2, 29), "限时完成"),
    ("十二月底前", D(2023, 12, 31), "限时完成"),
    ("2023年6月30日前", D(2023, 6, 30), "限时完成"),
    ("6月30日前完成", D(2023, 6, 30), "限时完成"),
    ("２０２３年６月３０日前", D(2023, 6, 30), "限时完成"),
    ("2023-06-30", D(2023, 6, 30), "限时完成"),
    ("2023.6.30前", D(2023, 6, 30), "限时完成"),
    ("2023年底前", D(2023, 12, 31), "限时完成"),
    ("年底前", D(2023, 12, 31), "限时完成"),
    ("年底前完成", D(2023, 12, 31), "限时完成"),
    ("2024年底前", D(2024, 12, 31), "限时完成"),
    ("上半年", D(2023, 6, 30), "限时完成"),
    ("下半年", D(2023, 12, 31), "限时完成"),
    ("2024年上半年", D(2024, 6, 30), "限时完成"),
    ("一季度", D(2023, 3, 31), "限时完成"),
    ("二季度", D(2023, 6, 30), "限时完成"),
    ("三季度", D(2023, 9, 30), "限时完成"),
    ("四季度", D(2023, 12, 31), "限时完成"),
    ("第三季度", D(2023, 9, 30), "限时完成"),
    ("年内", D(2023, 12, 31), "限时完成"),
    ("年内完成", D(2023, 12, 31), "限时完成"),
    ("9月中旬", D(2023, 9, 20), "限时完成"),
    ("5月10日至6月底", D(2023, 6, 30), "限时完成"),
    ("每季度报送，年底前完成", D(2023, 12, 31), "限时完成"),
    ("每月", None, "定期"),
    ("每季度", None, "定期"),
    ("每半年", None, "定期"),
    ("每年", None, "定期"),
    ("每季度报送一次", None, "定期"),
    ("持续推进", None, "持续推进"),
    ("长期坚持", None, "持续推进"),
    ("常态化", None, "持续推进"),
    ("常态化开展", None, "持续推进"),
    ("立行立改", None, "持续推进"),
    ("立行立改、长期坚持", None, "持续推进"),
    ("2023年*月底前完成", None, "时限待定"),
    ("*月底前", None, "时限待定"),
    ("2023年6月*日前", None, "时限待定"),
    ("2023年＊月底前完成", None, "时限待定"),
    ("", None, "时限待定"),
]


@pytest.mark.parametrize("text,exp_date,exp_kind", CASES)
def test_deadline_phrases(text, exp_date, exp_kind):
    got = parse_deadline(text, 2023)
    assert (got.date, got.kind) == (exp_date, exp_kind)
    assert got.problem is None


@pytest.mark.parametrize("text", ["2023年*月底前完成", "*月底前", "2023年6月*日前"])
def test_star_is_a_placeholder_not_a_problem(text):
    got = parse_deadline(text, 2023)
    assert got.placeholder and got.problem is None


PROBLEMS = [
    ("春节前", "时间进度安排“春节前”无法识别，时限类型记为“时限待定”，请核对"),
    ("视情况而定", "时间进度安排“视情况而定”无法识别，时限类型记为“时限待定”，请核对"),
    ("2023年2月30日前", "时间进度安排“2023年2月30日前”中的日期不存在，时限类型记为“时限待定”，请核对"),
    ("13月底前", "时间进度安排“13月底前”中的日期不存在，时限类型记为“时限待定”，请核对"),
]


@pytest.mark.parametrize("text,exp", PROBLEMS)
def test_unknown_wording_is_pending_with_a_message(text, exp):
    got = parse_deadline(text, 2023)
    assert (got.date, got.kind, got.problem) == (None, "时限待定", exp)


def test_month_without_any_year_asks_for_year():
    got = parse_deadline("6月底前", None)
    assert got.kind == "时限待定"
    assert got.problem == "时间进度安排“6月底前”没有写年份，文档标题中也没有年份，请用 --year 指定"
    # a text naming its own year needs no default
    assert parse_deadline("2024年6月底前", None).date == D(2024, 6, 30)
