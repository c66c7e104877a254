"""qingdan merge and qingdan status on real 填报表: made by split, then changed
as people change them (filled in, reordered, re-saved by another suite, copied,
broken), merged, and the master read back with openpyxl and calamine."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import convert, open_elsewhere
from filling import FIRST_ROW, fill, form_values, log, progress, rewrite_part
from python_calamine import CalamineWorkbook

from qingdan.checks import clean_text
from qingdan.statuses import normalise_status

FORMS = Path("output") / "2023Q2" / "下发"
OFFICE = FORMS / "办公室.xlsx"  # 1-01, 1-04, 1-09, 1-10, 1-24
OFFICE_CODES = ["1-01", "1-04", "1-09", "1-10", "1-24"]
FINANCE = FORMS / "规财处.xlsx"  # 1-04, 1-24


def cells(output: str) -> list[list[str]]:
    """The rows of the rich tables in ``output``, as lists of stripped cell texts."""
    return [[c.strip() for c in line.strip().strip("│").split("│")] for line in output.splitlines()
            if line.startswith("│")]


def has_row(output: str, *values: str) -> bool:  # noqa: D401
    """Whether a table row starts with ``values`` (column padding ignored)."""
    found = any(row[:len(values)] == list(values) for row in cells(output))
    if not found:
        print(output)  # shown by pytest when the assertion fails
    return found


def rows_of(master: Path, office: str | None = None, period: str = "2023Q2") -> dict[str, dict]:
    """编号 → 进展 row of one office (all offices when None) for ``period``."""
    return {(r["编号"] if office else (r["编号"], r["责任处室"])): r for r in progress(master)
            if r["报送期次"] == period and (office is None or r["责任处室"] == office)}


# --- the clean case ---------------------------------------------------------------

def test_clean_return_is_merged(run, master, forms, returns):
    src = fill(OFFICE, returns / "办公室.xlsx", saved=dt.datetime(2023, 7, 3, 9, 30))
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, '办公室.xlsx', '办公室', '2023Q2', '5', '0', '成功')
    assert "已写入总表 workbooks/2023年度局委员会全面从严治党主体责任清单.xlsx 的“进展”表：新增 5 行，更新 0 行。" in result.output
    assert "下一步：qingdan status --period 2023Q2" in result.output
    got = rows_of(master, "办公室")
    assert sorted(got) == OFFICE_CODES
    row = got["1-04"]
    assert row["完成状态"] == "推进中"
    assert row["进展情况"] == "1-04 按计划推进"
    assert row["佐证材料"] == "1-04 文件"
    assert row["填报人"] == "张三" and row["联系电话"] == "025-8888 6666"
    assert row["报送时间"] == "2023-07-03 09:30:00"
    assert row["来源文件"] == "收件/办公室.xlsx"
    fp = row["文件指纹"]
    assert len(fp) == 16
    # archived by fingerprint before the master changed
    archived = list((master.parent / "归档" / "2023Q2").iterdir())
    assert [p.name for p in archived] == [f"{fp}_办公室.xlsx"]
    assert archived[0].read_bytes() == src.read_bytes()
    assert not (master.parent / "归档" / "未识别").exists()  # where it waited while being read
    last = log(master)[-1]
    assert (last["操作"], last["处室"], last["结果"]) == ("合并", "办公室", "成功")
    meta = CalamineWorkbook.from_path(str(OFFICE)).get_sheet_by_name("_meta").to_python()
    list_print = next(row[1] for row in meta if row[0] == "清单指纹")
    assert last["说明"] == (f"2023Q2（2023年第二季度）：采用 5 行，拒收 0 行，未填 0 行；保存于 2023-07-03 09:30:00；"
                          f"指纹 {fp}；清单 {list_print}")


def test_progress_cells_are_text_never_formulas(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", answers={
        "1-01": {"完成状态": "已完成", "进展情况": "=1+1", "完成日期": "2023-06-30"},
        "1-04": {"完成状态": "推进中", "进展情况": '=HYPERLINK("http://evil.example/","点我")',
                 "佐证材料": "+86 025"},
        "1-09": {"完成状态": "推进中", "进展情况": "@SUM(A1)", "佐证材料": "-1"},
    })
    result = run("merge", returns)
    assert result.exit_code == 0, result.output  # 1-10 and 1-24 left blank: not a refusal
    assert "2 项未填写" in result.output
    sheet = openpyxl.load_workbook(master)["进展"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=1+1", '=HYPERLINK("http://evil.example/","点我")', "+86 025", "@SUM(A1)", "-1"):
        assert cells[text].data_type == "s", text
    with zipfile.ZipFile(master) as zf:
        xml = next(zf.read(n) for n in zf.namelist() if b"HYPERLINK" in zf.read(n) and n.startswith("xl/worksheets"))
    assert b"<f>" not in xml and b"<f " not in xml
    assert rows_of(master, "办公室")["1-01"]["完成日期"] == "2023-06-30"


def test_status_after_merge(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", saved=dt.datetime(2023, 7, 3, 9, 30))
    fill(FINANCE, returns / "规财处.xlsx", answers={"1-04": {"完成状态": "已完成"}, "1-24": {"完成状态": "好"}})
    assert run("merge", returns).exit_code == 1
    result = run("status")
    assert result.exit_code == 0, result.output
    assert "2023年第二季度报送情况（报送截止 2023-07-05）" in result.output
    assert "下发记录" not in result.output
    assert has_row(result.output, "办公室", "5", "5", "0", "0", "已报送", "2023-07-03 09:30:00", "办公室.xlsx")
    assert has_row(result.output, '规财处', '2', '1', '1', '1', '部分报送')
    assert has_row(result.output, '人事教育处', '32', '0', '32', '0', '未报送')
    assert "10 个处室：已报送 1 个，部分报送 1 个，未报送、报错期次或退回重报 8 个。" in result.output
    assert ("需催报（8 个处室，未报送、报错期次或报送的表全部被拒收）：人事教育处、机关党委、机关纪委、社会组织管理局、社会救助处、"
            "社会事务处、养老服务处、儿童福利处。") in result.output
    assert "需补报（1 个处室，有任务未报或被拒收）：规财处。\n  规财处：还差 1 项（未报或被拒收）：1-24\n" in result.output
    assert "下一步：qingdan mail --remind --period 2023Q2" in result.output
    # mail --remind writes to exactly the offices status lists to 催报 or 补报
    reminded = run("mail", "--remind")
    assert reminded.exit_code == 0, reminded.output
    assert "已报送、不再催报：办公室" in reminded.output
    drafts = sorted(p.stem for p in (FORMS.parent / "邮件").glob("催报-*.eml"))
    assert drafts == sorted(f"催报-{o}" for o in ["人事教育处", "机关党委", "机关纪委", "社会组织管理局", "社会救助处",
                                                "社会事务处", "养老服务处", "儿童福利处", "规财处"])


def test_status_usage(run, master):
    result = run("status")
    assert result.exit_code == 2
    assert result.output.strip() == "总表的日志中没有下发记录，请用 --period 指定期次（如 2023Q2）。"
    result = run("status", "--period", "2023Q3")
    assert result.exit_code == 0
    assert "2023年第三季度报送情况\n" in result.output
    # a period never split (a typo in the year …) is said so, and no 催报 is suggested:
    # mail --remind would find no forms to send
    assert ("注意：日志中没有 2023年第三季度（2023Q3）的下发记录，这一期还没有下发过填报表（期次是否写错了？）。"
            "下面按清单列出这一期应报的事项。") in result.output
    assert "qingdan mail --remind" not in result.output


# --- what people do to the file ---------------------------------------------------

def test_rows_reordered_and_file_renamed(run, master, forms, returns):
    def reverse(sheet):
        rows = [[c.value for c in sheet[r]] for r in range(FIRST_ROW, FIRST_ROW + 5)]
        for i, values in enumerate(reversed(rows)):
            for c, value in enumerate(values, 1):
                sheet.cell(FIRST_ROW + i, c).value = value

    fill(OFFICE, returns / "回复：2023年二季度清单（办公室）(1).xlsx", edit=reverse)
    assert form_values(returns / "回复：2023年二季度清单（办公室）(1).xlsx")[FIRST_ROW - 1][0] == "1-24"
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    got = rows_of(master, "办公室")
    assert {c: r["进展情况"] for c, r in got.items()} == {c: f"{c} 按计划推进" for c in OFFICE_CODES}


def test_column_inserted_and_rows_added_above(run, master, forms, returns):
    def insert(sheet):
        sheet.insert_cols(8)  # before 完成状态
        sheet.cell(5, 8).value = "备注（处室自加）"
        sheet.insert_rows(1, 3)  # the header moves from row 5 to row 8

    fill(OFFICE, returns / "办公室.xlsx", edit=insert)
    table = form_values(returns / "办公室.xlsx")
    assert table[7][7] == "备注（处室自加）" and table[7][8] == "完成状态"
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    got = rows_of(master, "办公室")
    assert got["1-10"]["完成状态"] == "推进中" and got["1-10"]["进展情况"] == "1-10 按计划推进"


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_resaved_by_libreoffice(run, master, forms, returns, libreoffice, tmp_path, fmt):
    filled = fill(OFFICE, tmp_path / "办公室.xlsx", answers={
        "1-01": {"完成状态": "已完成", "进展情况": "已完成学习", "完成日期": dt.datetime(2023, 6, 30)},
        "1-04": {"完成状态": "推进中", "进展情况": "第一行\n第二行"},
    })
    out = tmp_path / "lo"
    converted = convert(libreoffice, filled, f"{fmt}:Calc MS Excel 2007 XML" if fmt == "xlsx" else fmt, out)
    shutil.copy(converted, returns / converted.name)
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, f"办公室.{fmt}", "办公室", "2023Q2", "2", "0", "成功", "3 项未填写")
    assert "3 项未填写" in result.output
    got = rows_of(master, "办公室")
    assert got["1-01"]["完成日期"] == "2023-06-30"
    assert got["1-04"]["进展情况"] == "第一行\n第二行"
    assert got["1-04"]["填报人"] == "张三"


def test_values_copied_into_a_new_workbook(run, master, forms, returns):
    """_meta is gone: the office and period come from the title line."""
    table = form_values(fill(OFFICE, returns.parent / "filled.xlsx"))
    book = xlsxwriter.Workbook(returns / "新建 Microsoft Excel 工作表.xlsx")
    sheet = book.add_worksheet("Sheet1")
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write_string(r, c, str(value))
    book.close()
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert "处室和期次取自标题行" in result.output
    assert sorted(rows_of(master, "办公室")) == OFFICE_CODES


def test_table_only_copy_named_by_file(run, master, forms, returns):
    """Only the table was copied: the office and period come from the file name."""
    table = form_values(fill(FINANCE, returns.parent / "filled.xlsx"))[4:]
    book = xlsxwriter.Workbook(returns / "规财处-2023Q2.xlsx")
    sheet = book.add_worksheet()
    for r, row in enumerate(table):
        sheet.write_row(r, 0, [str(v) for v in row])
    book.close()
    nameless = returns / "回复.xlsx"
    shutil.copy(returns / "规财处-2023Q2.xlsx", returns.parent / "copy.xlsx")
    book = xlsxwriter.Workbook(nameless)
    book.add_worksheet().write_row(0, 0, ["编号", "完成状态"])
    book.close()
    result = run("merge", returns)
    assert result.exit_code == 1, result.output
    assert "处室和期次取自文件名" in result.output
    assert sorted(rows_of(master, "规财处")) == ["1-04", "1-24"]
    assert ("收件/回复.xlsx：看不出是哪个处室的填报表（表中没有 _meta，标题行和文件名中也没有清单中的处室名称）。"
            "请把文件名改为“处室名称.xlsx”后再合并。") in result.output


# --- words and dates ------------------------------------------------------------------

@pytest.mark.parametrize("exp, got", [
    ("已完成", "已完成"), ("已完成", "完成"), ("已完成", " 已办结。"), ("已完成", "已落实"), ("已完成", "完成 "),
    ("推进中", "推进中"), ("推进中", "进行中"), ("推进中", "正在推进"), ("推进中", "序时推进"),
    ("推进中", "持续推进中"), ("推进中", "持续推进"), ("推进中", "推 进 中"),
    ("未启动", "未启动"), ("未启动", "未开始"), ("未启动", "尚未启动"),
    ("滞后", "滞后"), ("滞后", "进度滞后"), ("滞后", "延期"),
    ("", ""), ("", None), ("", "  "),
    (None, "好"), (None, "已完成一半"), (None, "完成了吗"), (None, "√"), (None, "1"),
])
def test_status_words(exp, got):
    assert normalise_status(got) == exp


@pytest.mark.parametrize("exp, got", [
    ("=1+1", "=1+1"), ("a\nb", "a\r\nb"), ("a\nb", "a\rb"), ("响铃", "响\x07铃"), ("x", "  x \t"),
    ("2023-06-30", dt.datetime(2023, 6, 30)), ("12", 12.0), ("", None),
])
def test_clean_text(exp, got):
    assert clean_text(got) == exp


def test_status_variants_and_an_invalid_status(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", answers={
        "1-01": {"完成状态": "完成"}, "1-04": {"完成状态": "进行中"}, "1-09": {"完成状态": "未开始"},
        "1-10": {"完成状态": "基本完成", "进展情况": "差一点"}, "1-24": {"进展情况": "忘了选状态"}})
    result = run("merge", returns)
    assert result.exit_code == 1, result.output
    assert has_row(result.output, '办公室.xlsx', '办公室', '2023Q2', '3', '2', '部分成功')
    assert has_row(result.output, "办公室.xlsx", "第 9 行 H 列（完成状态）",
                   "完成状态“基本完成”无法识别，只能填：已完成、推进中、未启动、滞后")
    assert has_row(result.output, '办公室.xlsx', '第 10 行 H 列（完成状态）', '填了进展但没有选择完成状态')
    got = rows_of(master, "办公室")
    assert {c: r["完成状态"] for c, r in got.items()} == {"1-01": "已完成", "1-04": "推进中", "1-09": "未启动"}


def test_every_date_form(run, master, forms, returns):
    dates = [dt.datetime(2023, 6, 30), "2023-06-30", "2023.6.30", "2023/6/30", "2023年6月30日", "6月30日",
             "2023-6-30 00:00:00", "20230630", 20230630, 45107]  # a number typed, a date serial pasted
    codes = [r[0] for r in form_values(FORMS / "人事教育处.xlsx")[FIRST_ROW - 1:] if r[0]][:len(dates) + 1]
    answers = {code: {"完成状态": "已完成", "完成日期": d} for code, d in zip(codes, dates)}
    answers[codes[-1]] = {"完成状态": "已完成", "完成日期": "六月底"}
    fill(FORMS / "人事教育处.xlsx", returns / "人事教育处.xlsx", answers=answers)
    result = run("merge", returns)
    assert result.exit_code == 1
    got = rows_of(master, "人事教育处")
    assert {got[c]["完成日期"] for c in codes[:-1]} == {"2023-06-30"}
    assert codes[-1] not in got
    assert "完成日期“六月底”不是日期，请写成 2023-06-30 这样" in result.output


# --- row problems -----------------------------------------------------------------------

def test_row_problems_are_collected_with_file_row_and_column(run, master, forms, returns):
    def add_rows(sheet):
        sheet.cell(11, 1).value = "9-99"  # not in the list
        sheet.cell(11, 8).value = "推进中"
        sheet.cell(12, 1).value = "1-02"  # a task of 人事教育处 only
        sheet.cell(12, 8).value = "推进中"
        sheet.cell(13, 1).value = "1-09"  # 1-09 a second time
        sheet.cell(13, 8).value = "已完成"
        sheet.cell(14, 9).value = "没有编号的一行"
        sheet.cell(7, 3).value = "我们改了任务内容"  # 1-04's 工作任务 (locked)

    fill(OFFICE, returns / "办公室.xlsx", edit=add_rows)
    result = run("merge", returns)
    assert result.exit_code == 1, result.output
    out = result.output
    assert has_row(out, '办公室.xlsx', '第 11 行 A 列（编号）', '编号“9-99”不在总表“清单”中')
    assert has_row(out, '办公室.xlsx', '第 12 行 A 列（编号）', '编号“1-02”的责任处室是“人事教育处”，不是办公室，未采用')
    assert has_row(out, '办公室.xlsx', '第 8 行 A 列（编号）', '编号“1-09”在本表出现了 2 次（第 8、13 行），这几行都未采用，请删去重复的行')
    assert has_row(out, '办公室.xlsx', '第 13 行 A 列（编号）', '编号“1-09”在本表出现了 2 次（第 8、13 行），这几行都未采用，请删去重复的行')
    assert has_row(out, '办公室.xlsx', '第 14 行 A 列（编号）', '填了内容但没有编号')
    assert has_row(out, '办公室.xlsx', '第 7 行', '锁定内容被改动（工作任务），已按总表原文保留，只采用了填报的内容')
    assert has_row(out, '办公室.xlsx', '办公室', '2023Q2', '4', '5', '部分成功')
    got = rows_of(master, "办公室")
    assert sorted(got) == ["1-01", "1-04", "1-10", "1-24"]  # 1-04 taken, its locked text not
    sheet = openpyxl.load_workbook(master)["清单"]
    texts = [r[4] for r in sheet.iter_rows(values_only=True) if r[0] == "1-04"]
    assert texts and "我们改了任务内容" not in texts[0]


def test_merged_cells_over_the_fill_in_area(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", edit=lambda sheet: sheet.merge_cells("I7:I8"))
    result = run("merge", returns)
    assert result.exit_code == 1
    assert has_row(result.output, '办公室.xlsx', '第 7 行', '填报区域有合并单元格（I7:I8），无法确定归属，请取消合并后重新报送')
    assert sorted(rows_of(master, "办公室")) == ["1-01", "1-10", "1-24"]


def test_merged_cells_in_an_ods_return(run, master, forms, returns, libreoffice, tmp_path):
    filled = fill(OFFICE, tmp_path / "办公室.xlsx", edit=lambda sheet: sheet.merge_cells("I9:J10"))
    shutil.copy(convert(libreoffice, filled, "ods", tmp_path / "lo"), returns / "办公室.ods")
    result = run("merge", returns)
    assert result.exit_code == 1
    assert has_row(result.output, "办公室.ods", "第 9 行", "填报区域有合并单元格（I9:J10），无法确定归属，请取消合并后重新报送")
    assert has_row(result.output, "办公室.ods", "第 10 行", "填报区域有合并单元格（I9:J10），无法确定归属，请取消合并后重新报送")
    assert sorted(rows_of(master, "办公室")) == ["1-01", "1-04", "1-09"]


def test_macro_workbook_suffix(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsm")
    result = run("merge", returns / "办公室.xlsm")
    assert result.exit_code == 0, result.output
    assert sorted(rows_of(master, "办公室")) == OFFICE_CODES


def test_a_cell_over_the_excel_limit_is_refused(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", answers={"1-01": {"完成状态": "推进中", "进展情况": "LONGMARK"},
                                                  "1-04": {"完成状态": "推进中"}})
    rewrite_part(returns / "办公室.xlsx", "xl/worksheets/sheet1.xml",  # openpyxl wrote it inline
                 lambda xml: xml.replace(b"LONGMARK", "长".encode() * 40_000))
    result = run("merge", returns)
    assert result.exit_code == 1
    assert has_row(result.output, '办公室.xlsx', '第 6 行 I 列（进展情况）', '内容有 40000 个字，超过 Excel 单元格上限 32767 字')
    assert sorted(rows_of(master, "办公室")) == ["1-04"]


def test_form_sent_back_unsaved(run, master, forms, returns):
    """The office attached the form it received, never opened: with last period's
    answers pre-filled it would pass for this period's return."""
    shutil.copy(OFFICE, returns / "办公室.xlsx")
    result = run("merge", returns)
    assert result.exit_code == 1
    assert ("收件/办公室.xlsx：与下发时的原表完全相同，没有经 Excel 或 WPS 填写保存过（可能发错了附件）。"
            "请让处室填写保存后重新发送。") in result.output
    assert rows_of(master) == {}
    # its office and period are known from _meta: the table and 日志 name them, and
    # status counts the office as 退回重报 (it sent something), not 未报送
    assert has_row(result.output, "办公室.xlsx", "办公室", "2023Q2", "", "", "拒收")
    line = log(master)[-1]
    assert (line["处室"], line["结果"]) == ("办公室", "拒收")
    assert line["说明"].startswith("2023Q2（2023年第二季度）整份拒收：收件/办公室.xlsx：与下发时的原表完全相同")
    status = run("status")
    assert has_row(status.output, "办公室", "5", "0", "5", "0", "退回重报")
    assert "办公室" in status.output.split("需催报")[1].split("\n")[0]
    # read again unchanged, it is known as refused before: the master does not change
    before = master.read_bytes()
    again = run("merge", returns)
    assert "另有 1 个文件此前已合并或处理过，内容未变，这次未再处理：\n  办公室.xlsx：" in again.output
    assert master.read_bytes() == before


def test_empty_return(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", answers={})
    before = master.read_bytes()
    result = run("merge", returns)
    assert result.exit_code == 1
    assert has_row(result.output, '办公室.xlsx', '办公室', '2023Q2', '0', '0', '未填写', '5 项未填写')
    assert "总表“进展”表没有变化，只在“日志”表记下了本次处理的文件。" in result.output
    assert rows_of(master) == {}
    assert log(master)[-1]["结果"] == "未填写"  # only the 日志 line was added
    assert master.read_bytes() != before


# --- files over time --------------------------------------------------------------------

def test_file_of_another_period(run, master, forms, returns, workdir):
    assert run("split", "--period", "2023Q1", "--office", "办公室", "-o", workdir / "q1").exit_code == 0
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0  # Q2 is the latest
    fill(workdir / "q1" / "办公室.xlsx", returns / "办公室（一季度）.xlsx")
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, '办公室（一季度）.xlsx', '办公室', '2023Q1', '5', '0', '成功',
                   '记入2023年第一季度，不是最近下发的2023年第二季度')
    assert sorted(rows_of(master, "办公室", "2023Q1")) == OFFICE_CODES
    assert rows_of(master, "办公室", "2023Q2") == {}


def test_the_same_file_twice_changes_nothing(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    shutil.copy(returns / "办公室.xlsx", returns / "办公室 - 副本.xlsx")
    first = run("merge", returns)
    assert first.exit_code == 0, first.output
    assert "与本次的 办公室 - 副本.xlsx 内容完全相同（成功），未重复处理" in first.output
    after_first = master.read_bytes()
    second = run("merge", returns / "办公室.xlsx")
    assert second.exit_code == 0, second.output
    assert (f"  办公室.xlsx：{log(master)[-1]['时间']} 已处理过同样内容的文件（办公室 - 副本.xlsx，结果：成功），未改动"
            in second.output)
    assert "没有需要写入总表的内容，总表未改动。" in second.output
    assert master.read_bytes() == after_first
    assert len(list((master.parent / "归档" / "2023Q2").iterdir())) == 1


def test_a_later_file_supersedes_an_earlier_one(run, master, forms, returns, tmp_path):
    early = fill(OFFICE, tmp_path / "a" / "办公室.xlsx", saved=dt.datetime(2023, 7, 1, 9, 0))
    late = fill(OFFICE, tmp_path / "b" / "办公室（更正）.xlsx", saved=dt.datetime(2023, 7, 4, 16, 0),
                answers={"1-01": {"完成状态": "已完成", "进展情况": "更正后", "完成日期": "2023-07-03"}})
    # the later file merged first: the earlier one then takes nothing it holds
    assert run("merge", late).exit_code == 0
    result = run("merge", early)
    assert result.exit_code == 0, result.output
    assert "1 项已有较新的报送（办公室（更正）.xlsx，2023-07-04 16:00:00），这些项未采用本文件的内容" in result.output
    got = rows_of(master, "办公室")
    assert got["1-01"]["进展情况"] == "更正后" and Path(got["1-01"]["来源文件"]).name == "办公室（更正）.xlsx"
    assert got["1-04"]["进展情况"] == "1-04 按计划推进" and Path(got["1-04"]["来源文件"]).name == "办公室.xlsx"
    assert len(got) == 5  # one row per 编号 × 处室 × 期次


def test_both_versions_in_one_run(run, master, forms, returns):
    fill(OFFICE, returns / "v2.xlsx", saved=dt.datetime(2023, 7, 4, 16, 0),
         answers={"1-01": {"完成状态": "已完成", "进展情况": "第二版"}})
    fill(OFFICE, returns / "v1.xlsx", saved=dt.datetime(2023, 7, 1, 9, 0),
         answers={"1-01": {"完成状态": "推进中", "进展情况": "第一版"}})
    run("merge", returns)
    assert rows_of(master, "办公室")["1-01"]["进展情况"] == "第二版"
    assert len(progress(master)) == 1


# --- broken files and the master's safety ---------------------------------------------------

def test_a_broken_file_beside_good_ones(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    (returns / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (returns / "空文件.xlsx").write_bytes(b"")
    (returns / "规财处.et").write_bytes(b"\xd0\xcf\x11\xe0 wps")
    (returns / "~$办公室.xlsx").write_bytes(b"\x05owner")  # Excel's lock file: skipped
    (returns / "佐证材料.pdf").write_bytes(b"%PDF-1.4")  # not a return: skipped
    result = run("merge", returns)
    assert result.exit_code == 1, result.output
    out = result.output
    assert has_row(out, "办公室.xlsx", "办公室", "2023Q2", "5", "0", "成功")
    assert "收件/坏文件.xlsx：文件不完整（可能下载或发送时被截断），未读取。请让处室重新发送。" in out
    assert "收件/空文件.xlsx：文件是空的（0 字节），可能下载或保存失败。请让处室重新发送。" in out
    assert "收件/规财处.et：这是 WPS 表格专用的 .et 格式，qingdan 读不了。请另存为 .xlsx 后再合并" in out
    assert "~$" not in out and "佐证材料.pdf" not in out
    assert "3 个文件未能合并：\n" in out
    assert sorted(rows_of(master, "办公室")) == OFFICE_CODES
    results = {Path(r["文件"]).name: r["结果"] for r in log(master) if r["操作"] == "合并"}
    assert results == {"办公室.xlsx": "成功", "坏文件.xlsx": "拒收", "空文件.xlsx": "拒收", "规财处.et": "拒收"}
    # kept before it was read; the .et and the empty file were refused before that
    assert [p.name.split("_", 1)[1] for p in (master.parent / "归档" / "未识别").iterdir()] == ["坏文件.xlsx"]


def test_backups_and_archives_inside_a_folder_are_skipped(run, master, forms, returns):
    """`qingdan merge .` over a project (another one's copy, a demo …): the 备份 and
    归档 folders qingdan keeps hold old masters and returns already merged; they
    are not returns of this run."""
    fill(OFFICE, returns / "办公室.xlsx")
    other = returns / "旧项目"
    (other / "备份").mkdir(parents=True)
    shutil.copy(master, other / "备份" / "总表-20230701.xlsx")
    (other / "归档" / "2023Q2").mkdir(parents=True)
    fill(FINANCE, other / "归档" / "2023Q2" / "规财处.xlsx")
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert "合并 1 个文件" in result.output and "旧项目" not in result.output
    assert sorted(rows_of(master)) == [(code, "办公室") for code in OFFICE_CODES]
    # named on purpose, a file there is read
    assert run("merge", other / "归档" / "2023Q2" / "规财处.xlsx").exit_code == 0
    assert sorted(rows_of(master, "规财处")) == ["1-04", "1-24"]


def test_dry_run_writes_nothing(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    before = master.read_bytes()
    backups = sorted((master.parent / "备份").iterdir())  # split made one
    result = run("merge", "--dry-run", returns)
    assert result.exit_code == 0, result.output
    assert "试运行：合并 1 个文件（未写入）" in result.output
    assert has_row(result.output, '办公室.xlsx', '办公室', '2023Q2', '5', '0', '成功')
    assert "试运行：以上是合并的结果预览，总表和归档都没有改动。去掉 --dry-run 即正式合并。" in result.output
    assert "下一步" not in result.output  # the next step is the merge itself
    assert master.read_bytes() == before
    assert not (master.parent / "归档").exists()
    assert sorted((master.parent / "备份").iterdir()) == backups


def test_refused_while_the_master_is_open(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    lock = master.with_name("~$" + master.name)
    lock.write_bytes(b"\x05owner")
    before = master.read_bytes()
    result = run("merge", returns)
    assert result.exit_code == 1
    assert result.output.strip() == open_elsewhere(master.relative_to(Path.cwd()), lock.name)
    assert master.read_bytes() == before
    assert not (master.parent / "归档").exists()


def test_usage_errors(run, master, forms):
    result = run("merge", "没有这个文件夹")
    assert result.exit_code == 2
    assert result.output.strip() == "找不到 没有这个文件夹。请检查文件或文件夹的路径。"
    Path("空文件夹").mkdir()
    result = run("merge", "空文件夹")
    assert result.exit_code == 2
    assert result.output.strip() == "在 空文件夹 中没有找到可合并的文件（.xlsx、.xlsm、.xls、.ods）。"
    result = run("merge")
    assert result.exit_code == 2


def test_crash_between_temp_write_and_swap(run, master, forms, returns, monkeypatch):
    fill(OFFICE, returns / "办公室.xlsx")
    before = master.read_bytes()
    import qingdan.files

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(qingdan.files.os, "replace", fail)
        result = run("merge", returns)
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "原文件未改动" in result.output
    assert master.read_bytes() == before
    assert not [p for p in master.parent.iterdir() if p.name.startswith(".qingdan-")]  # no temp file left
    # the next run is not blocked and merges the file (archived once already)
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert sorted(rows_of(master, "办公室")) == OFFICE_CODES


def test_an_archive_copy_that_cannot_be_flushed_to_disk_is_not_merged(run, master, forms, returns, monkeypatch):
    """Archive copies are flushed to disk in the background; one that fails is
    refused before the master changes, and the other files are merged."""
    fill(OFFICE, returns / "办公室.xlsx")
    fill(FINANCE, returns / "规财处.xlsx")
    import qingdan.files

    real = qingdan.files.os.fsync
    calls = []

    def first_fails(fd):
        calls.append(fd)
        if len(calls) == 1:  # the first file's archive copy (files are taken in name order)
            raise OSError(5, "Input/output error")
        return real(fd)

    with monkeypatch.context() as patch:
        patch.setattr(qingdan.files.os, "fsync", first_fails)
        result = run("merge", returns)
    assert result.exit_code == 1
    assert has_row(result.output, "办公室.xlsx", "办公室", "2023Q2", "", "", "读取失败")
    assert "无法把 收件/办公室.xlsx 归档到 workbooks/归档/2023Q2（Input/output error），为免丢失，没有合并这个文件。" \
        in result.output
    assert [p.name for p in (master.parent / "归档" / "2023Q2").iterdir()][0].endswith("_规财处.xlsx")
    assert has_row(result.output, "规财处.xlsx", "规财处", "2023Q2", "2", "0", "成功")
    assert not rows_of(master, "办公室")
    assert sorted(rows_of(master, "规财处")) == ["1-04", "1-24"]
    result = run("merge", returns)  # read again next time (the copy is there now, whole)
    assert result.exit_code == 0, result.output
    assert sorted(rows_of(master, "办公室")) == OFFICE_CODES


def test_a_copy_that_gives_way_to_an_earlier_whole_one_is_not_this_run_s(tmp_path):
    """When the period folder already holds a whole copy, this run's copy is dropped and the
    earlier one kept; a flush failure of the dropped copy must then not remove the kept one."""
    from qingdan.files import LaterSync
    from qingdan.merge import FileResult, _keep, _move

    data = b"PK" + b"x" * 100
    kept = tmp_path / "归档" / "2023Q2" / "abc_办公室.xlsx"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(data)  # an earlier run's copy
    with LaterSync() as syncer:
        result = FileResult(tmp_path / "办公室.xlsx")
        result.archived = tmp_path / "归档" / "未识别" / "abc_办公室.xlsx"
        assert _keep(result, data, syncer) and result.archived_now
        _move(result, kept, syncer)
        assert result.archived == kept and not result.archived_now
        assert not (tmp_path / "归档" / "未识别").exists()
        other = FileResult(tmp_path / "规财处.xlsx")  # no copy there yet: this run's own
        other.archived = tmp_path / "归档" / "未识别" / "def_规财处.xlsx"
        assert _keep(other, data, syncer)
        _move(other, tmp_path / "归档" / "2023Q2" / "def_规财处.xlsx", syncer)
        assert other.archived_now and other.archived.read_bytes() == data
    assert kept.read_bytes() == data


def test_process_killed_while_writing(run, master, forms, returns, monkeypatch):
    """A kill in the middle of the write (BaseException, not caught) leaves the old master."""
    fill(OFFICE, returns / "办公室.xlsx")
    before = master.read_bytes()
    import qingdan.files

    class Killed(BaseException):
        pass

    def die(src, dst):
        raise Killed

    with monkeypatch.context() as patch, pytest.raises(Killed):
        patch.setattr(qingdan.files.os, "replace", die)
        run("merge", returns)
    assert master.read_bytes() == before
    assert run("merge", returns).exit_code == 0


def test_progress_is_reported_per_file(run, master, forms, returns):
    from qingdan.merge import merge

    fill(OFFICE, returns / "办公室.xlsx")
    fill(FINANCE, returns / "规财处.xlsx")
    calls = []
    merge([returns], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


# --- what the review found -------------------------------------------------------------------

def test_forms_in_the_split_folder_are_not_returns(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    result = run("merge", "output")  # the whole output folder: 下发 holds the forms sent out
    assert result.exit_code == 0, result.output
    assert "跳过了下发文件夹中的 10 份原表（output/2023Q2/下发）：它们是发出去的表，不是报送回来的。" in result.output
    assert sorted(rows_of(master)) == []  # 收件 was not given
    result = run("merge", FINANCE)
    assert result.exit_code == 1
    assert f"{FINANCE}：这是 qingdan 下发的原表（在下发文件夹 {FINANCE.parent.resolve()} 中），不是报送回来的文件。" \
        in result.output
    assert run("merge", returns).exit_code == 0
    assert sorted(rows_of(master, "办公室")) == OFFICE_CODES


def copied_without_meta(src: Path, dst: Path, subtitle: str | None = None) -> Path:
    """The form's values pasted into a new workbook (no _meta), optionally with another subtitle."""
    table = form_values(src)
    if subtitle is not None:
        table[1][0] = subtitle
    book = xlsxwriter.Workbook(dst)
    sheet = book.add_worksheet()
    for r, row in enumerate(table):
        sheet.write_row(r, 0, [str(v) for v in row])
    book.close()
    return dst


def test_period_from_the_title_and_the_file_name(run, master, forms, returns, tmp_path):
    filled = fill(OFFICE, tmp_path / "filled.xlsx")
    # spaces inside the period, as people type it
    copied_without_meta(filled, returns / "回复.xlsx", "填报处室：办公室　　报送期次：2023 年第二季度　　报送截止：2023年7月5日")
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, "回复.xlsx", "办公室", "2023Q2", "5", "0", "成功", "处室和期次取自标题行")


def test_a_period_only_the_title_states_must_be_the_latest(run, master, forms, returns, tmp_path):
    filled = fill(FINANCE, tmp_path / "filled.xlsx")
    copied_without_meta(filled, returns / "规财处回复.xlsx", "填报处室：规财处　　报送期次：2023年第一季度")
    result = run("merge", returns)
    assert result.exit_code == 1
    assert ("收件/规财处回复.xlsx：从标题行认出的期次是2023年第一季度，而最近下发的是2023年第二季度。为免记错期次，没有合并。"
            "如确是2023年第一季度的填报表，请在文件名中注明期次（如“规财处-2023Q1.xlsx”）后再合并。") in result.output
    assert rows_of(master, "规财处", "2023Q1") == {}
    (returns / "规财处回复.xlsx").rename(returns / "规财处-2023Q1.xlsx")  # the clerk's correction
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, "规财处-2023Q1.xlsx", "规财处", "2023Q1", "2", "0", "成功")
    assert sorted(rows_of(master, "规财处", "2023Q1")) == ["1-04", "1-24"]


def test_list_title_in_a_file_name_is_not_a_period(run, master, forms, returns, tmp_path):
    filled = fill(FINANCE, tmp_path / "filled.xlsx")
    copied_without_meta(filled, returns / "2023年度局委员会清单（规财处）.xlsx")
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, "2023年度局委员会清单（规财处）.xlsx", "规财处", "2023Q2", "2", "0", "成功")


def test_two_versions_in_one_run_are_counted_once(run, master, forms, returns):
    fill(OFFICE, returns / "v1.xlsx", saved=dt.datetime(2023, 7, 1, 9, 0),
         answers={"1-01": {"完成状态": "推进中", "进展情况": "第一版"}})
    fill(OFFICE, returns / "v2.xlsx", saved=dt.datetime(2023, 7, 4, 16, 0),
         answers={"1-01": {"完成状态": "已完成", "进展情况": "第二版"}})
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert has_row(result.output, "v1.xlsx", "办公室", "2023Q2", "0", "0", "已有较新报送",
                   "已有较新的报送（v2.xlsx，2023-07-04 16:00:00），本文件不再采用，其中的问题无需处理")
    assert has_row(result.output, "v2.xlsx", "办公室", "2023Q2", "1", "0", "成功")
    assert "新增 1 行，更新 0 行" in result.output
    merged = {Path(r["文件"]).name: r["说明"] for r in log(master) if r["操作"] == "合并"}
    assert merged["v1.xlsx"].startswith("2023Q2（2023年第二季度）：采用 0 行")


def test_same_saved_time_different_answers_takes_neither(run, master, forms, returns):
    when = dt.datetime(2023, 7, 2, 10, 0)
    fill(OFFICE, returns / "a.xlsx", saved=when, answers={"1-01": {"完成状态": "推进中"}, "1-04": {"完成状态": "推进中"}})
    fill(OFFICE, returns / "b.xlsx", saved=when, answers={"1-01": {"完成状态": "已完成"}, "1-04": {"完成状态": "推进中"}})
    result = run("merge", returns)
    assert result.exit_code == 1
    tie = "也报了这一项，两份文件保存时间相同（2023-07-02 10:00:00）而内容不同，都未采用。请确认以哪份为准，单独合并那一份"
    assert has_row(result.output, "a.xlsx", "第 6 行", "b.xlsx " + tie)
    assert has_row(result.output, "b.xlsx", "第 6 行", "a.xlsx " + tie)
    assert has_row(result.output, "a.xlsx", "办公室", "2023Q2", "1", "1", "部分成功", "3 项未填写")
    assert has_row(result.output, "b.xlsx", "办公室", "2023Q2", "1", "1", "部分成功", "3 项未填写")
    assert sorted(rows_of(master, "办公室")) == ["1-04"]  # the same answer in both: taken once


def test_an_old_xls_does_not_beat_a_newer_xlsx(run, master, forms, returns, libreoffice, tmp_path):
    old = fill(OFFICE, tmp_path / "办公室.xlsx", saved=dt.datetime(2023, 7, 1, 9, 0),
               answers={"1-01": {"完成状态": "推进中", "进展情况": "旧的"}})
    shutil.copy(convert(libreoffice, old, "xls", tmp_path / "lo"), returns / "办公室（旧）.xls")
    fill(OFFICE, returns / "办公室（新）.xlsx", saved=dt.datetime(2023, 7, 3, 9, 0),
         answers={"1-01": {"完成状态": "已完成", "进展情况": "新的"}})
    (returns / "办公室（旧）.xls").touch()  # downloaded last: its file time is the newest
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert rows_of(master, "办公室")["1-01"]["进展情况"] == "新的"


def test_a_refused_file_merged_again_changes_nothing(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", answers={"1-01": {"完成状态": "差不多", "完成日期": "六月底"}})
    shutil.copy(returns / "办公室.xlsx", returns / "办公室2.xlsx")
    first = run("merge", returns)
    assert first.exit_code == 1
    # one row with two problems is one row refused
    assert has_row(first.output, "办公室.xlsx", "办公室", "2023Q2", "0", "1", "失败")
    assert has_row(first.output, "办公室2.xlsx", "办公室", "2023Q2", "", "", "重复文件")
    before = master.read_bytes()
    second = run("merge", returns)
    assert second.exit_code == 0, second.output
    assert "另有 1 个文件此前已合并或处理过" in second.output and "\n  办公室.xlsx：" in second.output
    assert "没有需要写入总表的内容，总表未改动。" in second.output
    assert master.read_bytes() == before


def test_a_duplicate_of_a_refused_file_is_refused_too(run, master, forms, returns):
    (returns / "a.xlsx").write_bytes(b"not a workbook")
    (returns / "b.xlsx").write_bytes(b"not a workbook")
    result = run("merge", returns)
    assert result.exit_code == 1
    assert has_row(result.output, "b.xlsx", "", "", "", "", "重复文件", "与本次的 a.xlsx 内容完全相同（拒收），未重复处理")


def test_columns_the_clerk_added_to_progress_survive(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", saved=dt.datetime(2023, 7, 1, 9, 0))
    assert run("merge", returns).exit_code == 0
    book = openpyxl.load_workbook(master)
    sheet = book["进展"]
    sheet["M1"] = "核对意见"
    for r in range(2, 7):
        sheet.cell(r, 13).value = f"已核 {sheet.cell(r, 1).value}"
    book.save(master)
    fill(OFFICE, returns / "办公室（更正）.xlsx", saved=dt.datetime(2023, 7, 2, 9, 0),
         answers={"1-01": {"完成状态": "已完成", "进展情况": "更正"}})
    fill(FINANCE, returns / "规财处.xlsx")
    assert run("merge", returns).exit_code == 0
    got = {(r["编号"], r["责任处室"]): r for r in progress(master)}
    assert got[("1-01", "办公室")]["核对意见"] == "已核 1-01" and got[("1-01", "办公室")]["进展情况"] == "更正"
    assert got[("1-24", "办公室")]["核对意见"] == "已核 1-24"
    assert got[("1-04", "规财处")]["核对意见"] is None


def test_an_office_whose_whole_return_was_refused_is_reminded(run, master, forms, returns):
    fill(FINANCE, returns / "规财处.xlsx", answers={"1-04": {"完成状态": "好"}, "1-24": {"完成状态": "好"}})
    fill(OFFICE, returns / "办公室.xlsx")
    assert run("merge", returns).exit_code == 1
    result = run("status")
    assert has_row(result.output, "规财处", "2", "0", "2", "2", "退回重报")
    assert "规财处" in result.output.split("需催报")[1].split("\n")[0]
    reminded = run("mail", "--remind")
    assert (FORMS.parent / "邮件" / "催报-规财处.eml").exists()
    assert not (FORMS.parent / "邮件" / "催报-办公室.eml").exists(), reminded.output


def test_reporter_below_the_table(run, master, forms, returns):
    def move(sheet):
        sheet["C4"] = None
        sheet["A13"] = "填报人：李四"
    fill(FINANCE, returns / "规财处.xlsx", edit=move)
    assert run("merge", returns).exit_code == 0
    assert {r["填报人"] for r in rows_of(master, "规财处").values()} == {"李四"}
