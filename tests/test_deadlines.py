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
    ("2023年", D(2023, 12, 31), "限时完成"),
    ("2024年度", D(2024, 12, 31), "限时完成"),
    ("2024年完成", D(2024, 12, 31), "限时完成"),
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
    ("2023年6月底前完成初稿，12月底前全部完成", D(2023, 12, 31), "限时完成"),
    ("上半年部署，下半年完成", D(2023, 12, 31), "限时完成"),
    ("6月10日前", D(2023, 6, 10), "限时完成"),
    ("2023年11月至次年3月", D(2024, 3, 31), "限时完成"),
    ("次年1月底前", D(2024, 1, 31), "限时完成"),
    ("明年上半年", D(2024, 6, 30), "限时完成"),
    ("次年年底", D(2024, 12, 31), "限时完成"),
    ("2024年1月至6月", D(2024, 6, 30), "限时完成"),
    ("年中", D(2023, 6, 30), "限时完成"),
    ("2023年12月前", D(2023, 12, 31), "限时完成"),
    ("12月份", D(2023, 12, 31), "限时完成"),
    ("第一季度末", D(2023, 3, 31), "限时完成"),
    ("每月", None, "定期"),
    ("每季度末", None, "定期"),
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
    ("即知即改", None, "持续推进"),
    ("全年", D(2023, 12, 31), "限时完成"),
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


PROBLEMS = [
    ("春节前", "时间进度安排“春节前”无法识别，时限类型记为“时限待定”，请核对"),
    ("视情况而定", "时间进度安排“视情况而定”无法识别，时限类型记为“时限待定”，请核对"),
    ("2024年春节前", "时间进度安排“2024年春节前”无法识别，时限类型记为“时限待定”，请核对"),
    ("2023年2月30日前", "时间进度安排“2023年2月30日前”中的日期不存在，时限类型记为“时限待定”，请核对"),
    ("13月底前", "时间进度安排“13月底前”中的日期不存在，时限类型记为“时限待定”，请核对"),
]


RELATIVE = ["3天", "5天内", "15个工作日", "1个月内", "两周内", "三个月", "三年内", "5年内完成"]


@pytest.mark.parametrize("text", RELATIVE)
def test_relative_limits_keep_their_text_and_give_no_date(text):
    got = parse_deadline(text, 2023)
    assert (got.date, got.kind) == (None, "时限待定")
    assert got.problem == (f"时间进度安排“{text}”是从某天起算的期限，没有起算日期，时限类型记为“时限待定”；"
                           "如要按日期跟踪，请在总表“完成时限”列填写日期")


IN_TEXT = [
    # a task's sentence, with no timing line: (phrases for 时间进度安排, deadline) or None
    ("6月底前，完成制度修订。", ("6月底前", D(2023, 6, 30))),
    ("年底前建成10个站点。", ("年底前", D(2023, 12, 31))),
    ("力争9月底前完成改造。", ("9月底前", D(2023, 9, 30))),
    ("2023年6月底前完成制度修订。", ("2023年6月底前", D(2023, 6, 30))),
    ("10月底前完成初稿，12月底前全面完成。", ("10月底前，12月底前", D(2023, 12, 31))),
    ("3月底前出台方案，6月底前印发实施。", ("3月底前，6月底前", D(2023, 6, 30))),
    ("5月至6月底前开展专项检查。", ("6月底前", D(2023, 6, 30))),
    ("年内建成并投入使用。", ("年内", D(2023, 12, 31))),
    ("到2025年底，全市建成区全覆盖。", ("2025年底", D(2025, 12, 31))),
    ("2017年3月底前…2017年6月底前…9月底前…11月底前完成。", ("2017年3月底前，2017年6月底前，9月底前，11月底前",
                                                           D(2017, 11, 30))),
    # dates that are no deadline
    ("到2025年，全市建成10个示范点。", None),
    ("自2023年1月1日起施行。", None),
    ("截至6月底，完成率达到90%。", None),
    ("对2022年度预算执行情况进行审计。", None),
    ("全年地区生产总值增长6%。", None),
    ("2016年末政府债务余额控制在限额内。", None),
    ("三年内认定市级众创空间60家以上。", None),  # a span of years, not this year's end
    ("全年完成固定资产投资超过1650亿元。", None),  # the year's target
    ("力争5年内有10家特色小镇获省级认定。", None),
    ("持续推进营商环境建设。", None),
    ("", None),
]


@pytest.mark.parametrize("text,exp", IN_TEXT)
def test_deadline_inside_a_sentence(text, exp):
    from qingdan.deadlines import deadline_in_text

    got = deadline_in_text(text, 2023)
    assert (None if got is None else (got[0], got[1].date)) == exp
    if got is not None:
        assert got[1].kind == "限时完成"


@pytest.mark.parametrize("text,exp", PROBLEMS)
def test_unknown_wording_is_pending_with_a_message(text, exp):
    got = parse_deadline(text, 2023)
    assert (got.date, got.kind, got.problem) == (None, "时限待定", exp)


def test_month_without_any_year_asks_for_year():
    got = parse_deadline("6月底前", None)
    assert got.kind == "时限待定"
    assert got.problem == "时间进度安排“6月底前”没有写年份，文档标题中也没有年份，请用 --year 指定"
    # a text naming its own year needs no default, and lends it to what follows
    assert parse_deadline("2024年6月底前", None).date == D(2024, 6, 30)
    assert parse_deadline("2023年5月至6月底", None).date == D(2023, 6, 30)


NUMERALS = [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("两", 2), ("7", 7)]


@pytest.mark.parametrize("text,n", NUMERALS)
def test_chinese_numerals_both_ways(text, n):
    from qingdan import numerals

    assert numerals.to_int(text) == n
    if text not in ("两", "7"):
        assert numerals.from_int(n) == text
