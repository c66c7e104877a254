"""Parsers of what people type: 报送期次, dates, qingdan.toml."""

from __future__ import annotations

import datetime as dt

import pytest

from qingdan.config import load_config
from qingdan.dates import parse_date
from qingdan.errors import ConfigError, UsageError
from qingdan.periods import parse_period

D = dt.date


@pytest.mark.parametrize("text,exp", [
    ("2023Q2", ("2023Q2", "2023年第二季度", D(2023, 4, 1), D(2023, 6, 30))),
    ("2023q4", ("2023Q4", "2023年第四季度", D(2023, 10, 1), D(2023, 12, 31))),
    ("2023-06", ("2023-06", "2023年6月", D(2023, 6, 1), D(2023, 6, 30))),
    ("2024-2", ("2024-02", "2024年2月", D(2024, 2, 1), D(2024, 2, 29))),
    ("2023.11", ("2023-11", "2023年11月", D(2023, 11, 1), D(2023, 11, 30))),
    ("2023H1", ("2023H1", "2023年上半年", D(2023, 1, 1), D(2023, 6, 30))),
    ("2023h2", ("2023H2", "2023年下半年", D(2023, 7, 1), D(2023, 12, 31))),
    ("2023", ("2023", "2023年度", D(2023, 1, 1), D(2023, 12, 31))),
    ("2023年度", ("2023", "2023年度", D(2023, 1, 1), D(2023, 12, 31))),
    ("2023年第二季度", ("2023Q2", "2023年第二季度", D(2023, 4, 1), D(2023, 6, 30))),
    ("2023年二季度", ("2023Q2", "2023年第二季度", D(2023, 4, 1), D(2023, 6, 30))),
    ("2023年第3季度", ("2023Q3", "2023年第三季度", D(2023, 7, 1), D(2023, 9, 30))),
    ("2023年6月", ("2023-06", "2023年6月", D(2023, 6, 1), D(2023, 6, 30))),
    ("2023年十二月份", ("2023-12", "2023年12月", D(2023, 12, 1), D(2023, 12, 31))),
    ("2023年上半年", ("2023H1", "2023年上半年", D(2023, 1, 1), D(2023, 6, 30))),
    ("２０２３Ｑ１", ("2023Q1", "2023年第一季度", D(2023, 1, 1), D(2023, 3, 31))),
    (" 2023 Q1 ", ("2023Q1", "2023年第一季度", D(2023, 1, 1), D(2023, 3, 31))),
])
def test_periods(text, exp):
    p = parse_period(text)
    got = (p.id, p.label, p.start, p.end)
    assert got == exp


@pytest.mark.parametrize("text", ["2023Q5", "2023Q0", "2023-13", "2023H3", "Q2", "23Q2", "2023年第五季度",
                                  "2023年十三月", "二季度", "", "2023-06-30", "3000"])
def test_bad_periods(text):
    with pytest.raises(UsageError) as info:
        parse_period(text)
    assert info.value.message.startswith(f"报送期次“{text}”看不懂。")
    assert info.value.exit_code == 2


def test_periods_sort_by_end_longer_first():
    ids = ["2023", "2023Q2", "2023-06", "2023H1", "2023Q1", "2023-01", "2022H2"]
    got = [p.id for p in sorted(parse_period(i) for i in ids)]
    assert got == ["2022H2", "2023-01", "2023Q1", "2023H1", "2023Q2", "2023-06", "2023"]


@pytest.mark.parametrize("value,year,exp", [
    ("2023-06-30", None, D(2023, 6, 30)),
    ("2023.6.30", None, D(2023, 6, 30)),
    ("2023/6/30", None, D(2023, 6, 30)),
    ("2023年6月30日", None, D(2023, 6, 30)),
    ("2023 年 6 月 30 日", None, D(2023, 6, 30)),
    ("２０２３年６月３０日", None, D(2023, 6, 30)),
    ("20230630", None, D(2023, 6, 30)),
    ("2023-06-30 00:00:00", None, D(2023, 6, 30)),
    ("6月30日", 2023, D(2023, 6, 30)),
    ("6月30号", 2024, D(2024, 6, 30)),
    ("6月30日", None, None),
    ("2023-02-30", None, None),
    ("下周", 2023, None),
    ("", 2023, None),
    (None, 2023, None),
    (45107.0, 2023, None),  # a bare number is not a date; Excel dates come as dates
    (dt.datetime(2023, 6, 30, 8, 0), None, D(2023, 6, 30)),
    (D(2023, 6, 30), None, D(2023, 6, 30)),
])
def test_dates(value, year, exp):
    got = parse_date(value, year)
    assert got == exp


def write_config(tmp_path, text: str):
    path = tmp_path / "qingdan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_defaults_when_absent(tmp_path):
    config = load_config(tmp_path / "qingdan.toml")
    assert config.path is None and config.unit == "" and config.password == "" and config.due_days == 5
    assert config.smtp["security"] == "ssl" and "{处室}" in config.mail["subject"]


def test_config_values(tmp_path):
    path = write_config(tmp_path, '\ufeffunit = " 某市民政局 "\nmaster = "workbooks/总表.xlsx"\n'
                                  '[split]\npassword = "abc"\ndue_days = 7\n'
                                  '[smtp]\nhost = "smtp.example.cn"\nport = 587\nsecurity = "starttls"\n'
                                  '[mail]\nsubject = "{期次}：{处室}"\n')
    config = load_config(path)
    assert (config.unit, config.master, config.password, config.due_days) == (
        "某市民政局", "workbooks/总表.xlsx", "abc", 7)
    assert config.smtp["port"] == 587 and config.smtp["security"] == "starttls"
    assert config.mail["subject"] == "{期次}：{处室}"


@pytest.mark.parametrize("text,message", [
    ('uint = "x"\n', "qingdan.toml：不认识的设置“uint”。可用的设置有：unit、master。"),
    ('[split]\npasword = "x"\n', "qingdan.toml：不认识的设置“[split] pasword”。可用的设置有：[split] password、[split] due_days。"),
    ('[split]\ndue_days = "5"\n', "qingdan.toml：设置“[split] due_days”的值“5”不对，应为不小于 0 的整数。"),
    ('[split]\ndue_days = -1\n', "qingdan.toml：设置“[split] due_days”的值“-1”不对，应为不小于 0 的整数。"),
    ('[smtp]\ntimeout = 0\n', "qingdan.toml：设置“[smtp] timeout”的值“0”不对，应为大于 0 的整数。"),
    ('unit = 5\n', "qingdan.toml：设置“unit”的值“5”不对，应为用英文双引号括起来的文字。"),
    ('[smtp]\nsecurity = "tls"\n', "qingdan.toml：设置“[smtp] security”的值“tls”不对，应为 ssl / starttls / none 之一。"),
    ('[mail]\nsubject = "{期数}"\n', "qingdan.toml：设置“[mail] subject”中的“{期数}”不认识。可用的有：{单位}{清单}{期次}{截止日期}{处室}{联系人}{情况}。"),
    ('[mail]\nbody = "{期次"\n', "qingdan.toml：设置“[mail] body”中的大括号不成对。要写大括号本身，请写成 {{ 或 }}。"),
    ('unit = 某市\n', "qingdan.toml 第 1 行第 8 列格式有误。请对照 README 中的 qingdan.toml 示例修改（文字要用英文双引号括起来）。"),
    ('split = "x"\n', "qingdan.toml：“split”应是一个段落（[split]），不是一个值。"),
])
def test_config_mistakes(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.message == message
    assert info.value.exit_code == 2


def test_config_not_utf8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "qingdan.toml").write_bytes('unit = "某市民政局"\n'.encode("gbk"))
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.message == "qingdan.toml：不是 UTF-8 编码。请用记事本打开后“另存为”，编码选择 UTF-8。"


def test_config_error_through_the_cli(run, master, workdir):
    (workdir / "qingdan.toml").write_text('[split]\npassword = 123\n', encoding="utf-8")
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 2
    assert result.output.strip() == "qingdan.toml：设置“[split] password”的值“123”不对，应为用英文双引号括起来的文字。"
