"""qingdan split on the seed: one locked, print-ready 填报表 per office, read back
with openpyxl, python-calamine and LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import MASTER_NAME, convert, open_elsewhere
from python_calamine import CalamineWorkbook

from qingdan.formlayout import META_HASHES_CELL, pack_hashes, row_hash, unpack_hashes
from qingdan.update import updating

STATUSES = ["已完成", "推进中", "未启动", "滞后"]
FORM_HEADERS = ["编号", "类别", "工作任务", "牵头领导", "时间进度安排", "完成时限", "分工",
                "完成状态", "进展情况", "完成日期", "佐证材料"]
HEADER_ROW = 5  # 1-based row of the table header on 填报
FORMS = Path("output") / "2023Q2" / "下发"


def expected_rows(master: Path) -> dict[str, list[tuple[str, str]]]:
    """office → [(编号, 牵头/配合)], counted here from the master's 清单 independently."""
    ws = openpyxl.load_workbook(master)["清单"]
    rows = list(ws.iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    out: dict[str, list[tuple[str, str]]] = {}
    for row in rows[1:]:
        names = [n for n in (row[col["责任处室"]] or "").replace("等", "").split("、") if n]
        for i, name in enumerate(names):
            out.setdefault(name, []).append((row[col["编号"]], "牵头" if i == 0 else "配合"))
    return out


def form_table(path: Path) -> list[list]:
    """The table of a form's 填报 sheet (header row first), read with calamine."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("填报").to_python(skip_empty_area=False)
    return rows[HEADER_ROW - 1:]


def meta(path: Path) -> tuple[dict[str, str], list[list[str]]]:
    """_meta's key/value pairs, and its [编号, hash] lines (packed into cells below A25)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_meta").to_python(skip_empty_area=False)
    keys = {r[0]: r[1] for r in rows[:24] if r[0]}
    assert rows[24][0] == "编号 锁定内容哈希"
    return keys, [line.split(" ") for r in rows[25:] if r[0] for line in r[0].split("\n")]


def test_one_form_per_office_with_its_rows(run, master, forms):
    expected = expected_rows(master)
    files = sorted(p.name for p in forms.iterdir())
    assert files == sorted(f"{office}.xlsx" for office in expected)
    assert len(files) == 10
    for office, rows in expected.items():
        table = form_table(forms / f"{office}.xlsx")
        assert table[0] == FORM_HEADERS
        got = [(r[0], r[6]) for r in table[1:] if r[0]]
        assert got == rows, office


def test_printed_summary(run, master):
    result = run("split", "--period", "2023Q2")
    out = result.output
    assert "下发 2023年第二季度（报送截止 2023-07-05）" in out
    for line in ["│ 人事教育处     │   32 │   30 │    2 │      0 │ 人事教育处.xlsx     │",
                 "│ 办公室         │    5 │    2 │    3 │      0 │ 办公室.xlsx         │",
                 "│ 合计           │   90 │   32 │   58 │      0 │                     │"]:
        assert line in out
    assert "已生成 10 份填报表，在 output/2023Q2/下发" in out
    assert ("24 项任务没有责任处室，未下发：2-01～2-12、3-01～3-12。请在总表“清单”表补全责任处室后再运行 "
            "qingdan split（可加 --office 只生成新增处室的）。") in out
    assert "5 项任务的责任处室以“等”结尾，只下发给写明的处室：1-09、1-18、1-27、1-28、1-32。" in out


def test_title_period_deadline_and_notes(forms):
    ws = openpyxl.load_workbook(forms / "办公室.xlsx")["填报"]
    assert ws["A1"].value == "2023年度局委员会全面从严治党主体责任清单落实情况填报表"
    assert ws["A2"].value == "填报处室：办公室　　报送期次：2023年第二季度　　报送截止：2023年7月5日"
    assert ws["A3"].value.startswith("填报说明：\n1. 请在浅黄色单元格中填写")
    assert "请于2023年7月5日前将本表回复报送。" in ws["A3"].value
    assert ws["A4"].value == "填报人" and ws["D4"].value == "联系电话"
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 16
    assert ws["C7"].font.name == "仿宋" and ws["A5"].font.name == "黑体"


def test_locked_and_unlocked_cells(forms):
    ws = openpyxl.load_workbook(forms / "人事教育处.xlsx")["填报"]
    assert ws.protection.sheet is True
    # rows and columns may still be resized; nothing else is allowed
    assert ws.protection.formatRows is False and ws.protection.formatColumns is False
    assert ws.protection.formatCells is True and ws.protection.insertRows is True
    assert ws.protection.deleteRows is True
    last = ws.max_row
    assert last == HEADER_ROW + 32
    for row in range(HEADER_ROW + 1, last + 1):
        for col in range(1, 8):
            assert ws.cell(row, col).protection.locked is True, (row, col)
        for col in range(8, 12):
            assert ws.cell(row, col).protection.locked is False, (row, col)
            assert ws.cell(row, col).fill.fgColor.rgb == "FFFFF2CC"
    assert ws["C4"].protection.locked is False  # 填报人
    assert ws["F4"].protection.locked is False  # 联系电话
    for cell in ("A1", "A2", "A3", "A4", "D4", "A5", "H5"):
        assert ws[cell].protection.locked is True, cell


def test_status_drop_down_comes_from_a_range(forms):
    book = openpyxl.load_workbook(forms / "人事教育处.xlsx")
    ws = book["填报"]
    by_type = {dv.type: dv for dv in ws.data_validations.dataValidation}
    status = by_type["list"]
    assert status.formula1 == "完成状态选项"  # a named range, not an inline "a,b,c" string
    assert str(status.sqref) == f"H{HEADER_ROW + 1}:H{HEADER_ROW + 32}"
    assert status.showErrorMessage and status.showInputMessage
    name = book.defined_names["完成状态选项"]
    assert name.attr_text == "_meta!$E$2:$E$5"
    assert [book["_meta"][f"E{r}"].value for r in range(2, 6)] == STATUSES
    done = by_type["date"]
    assert str(done.sqref) == f"J{HEADER_ROW + 1}:J{HEADER_ROW + 32}"
    assert done.operator in (None, "between") and (done.formula1, done.formula2) == ("36526", "73415")
    assert done.promptTitle == "完成日期"
    assert done.prompt == "请填写实际完成的日期，如 2023-06-30；尚未完成的留空。"


def test_meta_is_very_hidden_and_its_hashes_match(forms, master):
    book = openpyxl.load_workbook(forms / "办公室.xlsx")
    assert book.sheetnames == ["填报", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden"
    assert book.active.title == "填报"
    keys, rows = meta(forms / "办公室.xlsx")
    assert keys["处室"] == "办公室" and keys["报送期次"] == "2023Q2" and keys["期次名称"] == "2023年第二季度"
    assert keys["格式版本"] == "3" and keys["总表"] == MASTER_NAME and keys["报送截止"] == "2023-07-05"
    assert len(keys["清单指纹"]) == 16 and dt.datetime.fromisoformat(keys["生成时间"])
    assert keys["表头行"] == "5" and keys["填报人单元格"] == "C4" and keys["联系电话单元格"] == "F4"
    # the master's identity, as its custom property says, and the list it belongs to
    assert keys["总表标识"] == openpyxl.load_workbook(master).custom_doc_props["qingdan_id"].value
    assert keys["清单名称"] == "2023年度局委员会全面从严治党主体责任清单"
    assert len(keys["下发时填报内容哈希"]) == 16
    table = form_table(forms / "办公室.xlsx")[1:]
    assert [r[0] for r in rows] == [r[0] for r in table]
    for (_code, digest), row in zip(rows, table):
        assert digest == row_hash([str(v) for v in row[:7]])
    # an edited task text no longer matches its hash
    edited = list(table[0][:7])
    edited[2] += "。"
    assert row_hash([str(v) for v in edited]) != rows[0][1]


KEYS = [["格式版本", "2"]] + [[""]] * 11  # the key/value rows above the hash list (12 rows before format 3)


@pytest.mark.parametrize("rows, exp", [
    (KEYS + [["编号 锁定内容哈希"], ["1-01 aaaa\n1-04 bbbb"], ["2-01 cccc"]],
     {"1-01": "aaaa", "1-04": "bbbb", "2-01": "cccc"}),
    (KEYS + [["编号 锁定内容哈希"], ["1-01 aaaa\r\n 1-04 bbbb \n\n"]],  # as another suite may give it back
     {"1-01": "aaaa", "1-04": "bbbb"}),
    (KEYS + [["编号 锁定内容哈希"], ["１-０１ aaaa"]], {"1-01": "aaaa"}),  # full-width, as 编号 are compared
    (KEYS + [["编号 锁定内容哈希", "", "", "", "未开始"], ["", "", "", "", "推进中"]], {}),
    (KEYS + [["编号", "行号", "锁定内容哈希"], ["1-01", 6, "aaaa"], ["1-04", 7.0, "bbbb"], ["", "", ""]],
     {"1-01": "aaaa", "1-04": "bbbb"}),  # format 1: a row per task, as forms sent before it
    (KEYS + [["something else"], ["1-01 aaaa"]], {}),
    (KEYS, {}),
    ([], {}),
])
def test_unpack_hashes(rows, exp):
    got = unpack_hashes(rows)
    assert got == exp


def test_packed_hashes_fit_their_cells_and_come_back_whole():
    codes = [f"{p}-{n:03d}" for p in range(1, 30) for n in range(1, 200)]
    digests = [row_hash([code]) for code in codes]
    cells = pack_hashes(codes, digests)
    assert len(cells) > 1 and all(len(c) <= META_HASHES_CELL for c in cells)
    assert unpack_hashes(KEYS + [["编号 锁定内容哈希"]] + [[c] for c in cells]) == dict(zip(codes, digests))
    assert pack_hashes([], []) == []


def test_print_setup(forms):
    ws = openpyxl.load_workbook(forms / "人事教育处.xlsx")["填报"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 is the default
    assert ws.print_title_rows == "$5:$5"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.oddHeader.left.text == "人事教育处" and ws.oddHeader.right.text == "2023年第二季度"
    assert ws.freeze_panes == "A6"
    assert ws.print_area == "'填报'!$A$1:$K$37"
    body = ws["C6"].alignment
    assert body.wrap_text and body.vertical == "top"


def test_row_heights_fit_long_text(forms):
    ws = openpyxl.load_workbook(forms / "人事教育处.xlsx")["填报"]
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        text = ws.cell(row, 3).value
        height = ws.row_dimensions[row].height
        # 工作任务 is 42 units wide: about 20 CJK characters a line
        lines = -(-len(text) // 20)
        assert height >= lines * 11 * 1.2, (row, len(text), height)
    assert ws.row_dimensions[HEADER_ROW + 1].height > 15


def test_role_column(forms):
    lead = {r[0]: r[6] for r in form_table(forms / "人事教育处.xlsx")[1:]}
    helper = {r[0]: r[6] for r in form_table(forms / "办公室.xlsx")[1:]}
    assert lead["1-01"] == "牵头" and helper["1-01"] == "配合"
    assert helper["1-04"] == "牵头"


def test_deadline_column_shows_date_or_kind(run, master):
    # a clerk fills in a redacted month in 时间进度安排: the form shows its date
    _set_list_cell(master, "1-04", "时间进度安排", "2023年6月底前完成")
    run("split", "--period", "2023Q2", "--office", "办公室")
    rows = {r[0]: r for r in form_table(FORMS / "办公室.xlsx")[1:]}
    assert rows["1-04"][4] == "2023年6月底前完成" and rows["1-04"][5] == "2023-06-30"
    assert rows["1-01"][5] == "持续推进"


def _set_list_cell(master: Path, code: str, header: str, value: str) -> None:
    """Edit one cell of 清单 as a person would (openpyxl stands in for Excel here)."""
    book = openpyxl.load_workbook(master)
    ws = book["清单"]
    col = [c.value for c in ws[1]].index(header) + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            ws.cell(row[0].row, col).value = value
    book.save(master)


def test_office_option_limits_the_run(run, master):
    result = run("split", "--period", "2023Q2", "--office", "办公室", "--office", "规财处")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in FORMS.iterdir()) == ["办公室.xlsx", "规财处.xlsx"]
    result = run("split", "--period", "2023Q2", "--office", "财务处")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "清单中没有处室“财务处”。清单中的处室有：人事教育处、办公室、机关党委、机关纪委、规财处、"
        "社会组织管理局、社会救助处、社会事务处、养老服务处、儿童福利处。")


def test_split_is_logged_and_touches_only_the_log(run, master):
    before = zipfile.ZipFile(master)
    old = {n: before.read(n) for n in before.namelist()}
    result = run("split", "--period", "2023Q2", "--due", "2023年7月10日")
    assert result.exit_code == 0, result.output
    after = zipfile.ZipFile(master)
    changed = [n for n in after.namelist() if after.read(n) != old.get(n)]
    assert changed == ["xl/worksheets/sheet4.xml"]  # 日志
    log = list(openpyxl.load_workbook(master)["日志"].iter_rows(values_only=True))
    assert log[-1][1:] == ("下发", str(FORMS.resolve()), "全部处室", "成功",
                           "2023Q2（2023年第二季度）：10 个处室，90 行，报送截止 2023-07-10")
    assert len(log) == 3
    backups = list((master.parent / "备份").iterdir())
    assert len(backups) == 1


def test_previous_answers_are_prefilled(run, master):
    rows = [
        ["1-04", "办公室", "2023Q1", "推进中", "已起草考核办法。", "", "考核办法（征求意见稿）", "李四", "025-8000",
         "2023-04-03 09:00:00", "办公室.xlsx", "aa"],
        ["1-04", "办公室", "2023-02", "未启动", "二月的旧话。", "", "", "", "", "", "", ""],
        ["1-10", "办公室", "2023Q1", "已完成", "已完成。", "2023-03-20", "", "李四", "025-8000", "", "", ""],
        ["1-10", "办公室", "2023Q3", "已完成", "第三季度的，不该出现。", "2023-08-01", "", "", "", "", "", ""],
        ["1-04", "人事教育处", "2023Q1", "滞后", "别的处室的。", "", "", "", "", "", "", ""],
    ]
    with updating(master) as update:
        update.set_rows("进展", rows)
    result = run("split", "--period", "2023Q2")
    assert "│ 办公室         │    5 │    2 │    3 │      2 │ 办公室.xlsx         │" in result.output
    book = openpyxl.load_workbook(FORMS / "办公室.xlsx")
    ws = book["填报"]
    table = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    r = table["1-04"]
    assert [ws.cell(r, c).value for c in (8, 9, 10, 11)] == ["推进中", "已起草考核办法。", None, "考核办法（征求意见稿）"]
    r = table["1-10"]
    assert [ws.cell(r, c).value for c in (8, 9, 11)] == ["已完成", "已完成。", None]
    assert ws.cell(r, 10).value == dt.datetime(2023, 3, 20) and ws.cell(r, 10).number_format == "yyyy-mm-dd"
    assert ws["C4"].value == "李四" and ws["F4"].value == "025-8000"
    assert "4. 表中已预填2023年第一季度报送的内容，请逐项核对更新。" in ws["A3"].value
    r = table["1-01"]
    assert ws.cell(r, 8).value is None and ws.cell(r, 9).value is None


def test_config_unit_and_password(run, master, workdir):
    (workdir / "qingdan.toml").write_text('unit = "某市民政局"\n[split]\npassword = "abc"\ndue_days = 10\n',
                                          encoding="utf-8")
    result = run("split", "--period", "2023Q2", "--office", "办公室")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(FORMS / "办公室.xlsx")["填报"]
    assert ws["A1"].value == "某市民政局2023年度局委员会全面从严治党主体责任清单落实情况填报表"
    assert ws.protection.password  # the (legacy) hash of "abc"
    assert "报送截止：2023年7月10日" in ws["A2"].value


@pytest.mark.parametrize("args,message", [
    (["--period", "2023Q5"], "--period 的值不对：报送期次“2023Q5”看不懂。"),
    (["--period", "2023Q2", "--due", "下周"], "日期“下周”看不懂，请写成 2023-07-05 或 2023年7月5日。"),
    (["--period", "2023Q2", "--due", "2023-01-05"], "报送截止 2023-01-05 早于期次开始日 2023-04-01，请检查 --due。"),
    ([], "清单是 2023 年的，今天已是 {year} 年，请用 --period 指定报送期次（如 2023Q2、2023H1 或 2023）。"),
])
def test_usage_errors(run, master, args, message):
    result = run("split", *args)
    assert result.exit_code == 2
    assert result.output.startswith(message.format(year=dt.date.today().year))


def test_refused_while_the_master_is_open_in_excel(run, master):
    lock = master.with_name("~$" + master.name)
    lock.write_bytes(b"x")
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 1
    assert result.output.strip() == open_elsewhere(f"workbooks/{MASTER_NAME}", f"~${MASTER_NAME}")
    assert not FORMS.exists()


def test_no_master_and_several_masters(run, workdir, master):
    result = run("split", "--period", "2023Q2", "--master", "nope.xlsx")
    assert result.exit_code == 2
    assert result.output.strip() == "找不到总表 nope.xlsx。请检查 --master 或 qingdan.toml 中 master 的路径。"
    (workdir / "workbooks" / "另一个.xlsx").write_bytes(master.read_bytes())
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 2
    assert "workbooks 中有多个总表：" in result.output and "请用 --master 指定用哪一个" in result.output


def test_one_unwritable_form_does_not_stop_the_others(run, master):
    (FORMS / "办公室.xlsx").mkdir(parents=True)  # a folder where the file should go
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 1
    assert "1 份填报表没有生成：" in result.output
    assert "办公室：无法写入 output/2023Q2/下发/办公室.xlsx" in result.output
    assert len([p for p in FORMS.iterdir() if p.is_file()]) == 9
    log = list(openpyxl.load_workbook(master)["日志"].iter_rows(values_only=True))
    assert log[-1][4] == "部分成功"


def test_libreoffice_round_trip_keeps_meta_and_drop_down(forms, libreoffice, tmp_path):
    src = forms / "办公室.xlsx"
    out = tmp_path / "lo"
    out.mkdir()
    resaved = convert(libreoffice, src, "xlsx:Calc MS Excel 2007 XML", out)
    book = openpyxl.load_workbook(resaved)
    # LibreOffice has no "very hidden": _meta comes back hidden, still there
    assert "_meta" in book.sheetnames and book["_meta"].sheet_state == "hidden"
    ws = book["填报"]
    by_type = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert by_type["list"].formula1 == "完成状态选项" and str(by_type["list"].sqref) == "H6:H10"
    assert book.defined_names["完成状态选项"].attr_text == "_meta!$E$2:$E$5"
    assert str(by_type["date"].sqref) == "J6:J10"
    assert ws.protection.sheet and ws["H6"].protection.locked is False and ws["C6"].protection.locked is True
    keys, rows = meta(resaved)
    assert keys["处室"] == "办公室" and rows == meta(src)[1]
    table = form_table(resaved)[1:]
    for (_, digest), row in zip(rows, table):
        assert digest == row_hash([str(v) for v in row[:7]])


def test_form_prints_one_page_wide_in_landscape(forms, libreoffice, tmp_path):
    pdf = convert(libreoffice, forms / "人事教育处.xlsx", "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 8
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size:" in line]
    assert len(sizes) == pages
    for line in sizes:
        w, h = (float(x) for x in line.split("size:")[1].split("pts")[0].split(" x "))
        assert (round(w), round(h)) == (842, 595), line  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "人事教育处" in text and "填报处室" in text
    assert re.search(r"第\s*1\s*页\s*共\s*\d\s*页", text)
    assert text.count("完成状态") >= pages  # the header row repeats on every page
    small = convert(libreoffice, forms / "办公室.xlsx", "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(small)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info


@pytest.mark.parametrize("offices,exp", [
    (["办公室"], ["办公室"]),
    (["规划/财务处", "规划:财务处", "规划_财务处"], ["规划_财务处", "规划_财务处（2）", "规划_财务处（3）"]),
    (["CON", "con.txt", "aux"], ["_CON", "_con.txt", "_aux"]),
    ([".隐藏处", "处室. ", "  "], ["隐藏处", "处室", "未命名"]),
    (["Office", "OFFICE"], ["Office", "OFFICE（2）"]),
    (["a\tb\x00c", 'x"y<z>|?*'], ["a_b_c", "x_y_z____"]),
    (["很" * 100], ["很" * 80]),
])
def test_office_names_to_file_names(offices, exp):
    from qingdan.offices import unique_filenames

    got = unique_filenames(offices)
    assert list(got.values()) == exp
    assert len(set(v.casefold() for v in got.values())) == len(offices)



def test_split_on_a_master_saved_by_libreoffice(run, master, libreoffice, tmp_path):
    """The clerk's master was last saved by another office suite: the log line goes in,
    every other part of the file stays byte for byte, and all three readers open it."""
    out = tmp_path / "lo"
    out.mkdir()
    resaved = convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", out)
    master.write_bytes(resaved.read_bytes())
    old = {n: zipfile.ZipFile(master).read(n) for n in zipfile.ZipFile(master).namelist()}
    result = run("split", "--period", "2023Q2", "--office", "办公室")
    assert result.exit_code == 0, result.output
    new = zipfile.ZipFile(master)
    assert sorted(new.namelist()) == sorted(old)
    assert [n for n in new.namelist() if new.read(n) != old[n]] == ["xl/worksheets/sheet4.xml"]
    expected = ("下发", str(FORMS.resolve()), "办公室", "成功", "2023Q2（2023年第二季度）：1 个处室，5 行，报送截止 2023-07-05")
    assert list(openpyxl.load_workbook(master)["日志"].iter_rows(values_only=True))[-1][1:] == expected
    assert tuple(CalamineWorkbook.from_path(str(master)).get_sheet_by_name("日志").to_python()[-1][1:]) == expected
    again = tmp_path / "again"
    again.mkdir()
    reopened = convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", again)  # LibreOffice opens it
    assert list(openpyxl.load_workbook(reopened)["日志"].iter_rows(values_only=True))[-1][1:] == expected


def test_progress_bar_only_for_long_runs(run, master):
    from qingdan.show import LazyProgress
    from qingdan.split import split

    calls = []
    split(period="2023Q2", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 10) for n in range(1, 11)]
    quick, slow = LazyProgress("x", delay=3600), LazyProgress("x", delay=0)
    quick(1, 10)
    slow(1, 10)
    assert quick.bar is None and slow.bar is not None
    slow.close()
    quick.close()


def test_due_without_a_year_rolls_into_the_next(run, master):
    result = run("split", "--period", "2023Q4", "--due", "1月5日", "--office", "办公室")
    assert result.exit_code == 0, result.output
    assert "下发 2023年第四季度（报送截止 2024-01-05）" in result.output


def test_deleted_log_sheet_is_added_back_validly(run, master, libreoffice, tmp_path):
    book = openpyxl.load_workbook(master)
    del book["日志"]
    book.save(master)  # openpyxl declares xmlns:r on each <sheet>, not on the root
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0
    book = openpyxl.load_workbook(master)
    assert book.sheetnames[-1] == "日志"
    assert list(book["日志"].iter_rows(values_only=True))[-1][1] == "下发"
    convert(libreoffice, master, "xlsx:Calc MS Excel 2007 XML", tmp_path)


def test_log_with_a_changed_header_is_not_overwritten(run, master):
    book = openpyxl.load_workbook(master)
    book["日志"]["A1"] = "记录时间"
    book.save(master)
    before = master.read_bytes()
    result = run("split", "--period", "2023Q2", "--office", "办公室")
    assert result.exit_code == 1
    assert "的“日志”表找不到表头" in result.output and "为免覆盖未写入" in result.output
    assert master.read_bytes() == before


def test_a_period_of_another_year_is_refused(run, master):
    """2032Q2 typed for a 2023 list: refused (it would become every command's default period)
    unless --force says it is meant (a list may run on into the next year)."""
    before = master.read_bytes()
    result = run("split", "--period", "2032Q2")
    assert result.exit_code == 2
    assert result.output == ("清单是 2023 年度的，期次 2032Q2（2032年第二季度）不在这一年里，可能写错了年份。"
                             "请用正确的 --period 重新运行（如 2023Q2）；确实要下发其他年度的期次，请加 --force。\n")
    assert not Path("output").exists() and master.read_bytes() == before  # no forms, no 下发 line in 日志
    assert run("status").exit_code == 2  # and so no default period either
    result = run("split", "--period", "2024Q1", "--office", "办公室", "--force")
    assert result.exit_code == 0, result.output
    assert "注意：清单是 2023 年度的，已按 --force 下发2024年第一季度的填报表。" in result.output
    result = run("split", "--period", "2023Q2", "--office", "办公室")
    assert "注意" not in result.output
