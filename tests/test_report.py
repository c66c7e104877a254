"""qingdan report on the demo's cycle: every number checked against a count made
here from the master's own sheets, the print setup and charts read back from
the file, and the PDF LibreOffice makes of it looked at."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import MASTER_NAME, open_elsewhere
from filling import fill
from rich.console import Console

from qingdan.demo import run_demo
from qingdan.report import report

STATUSES = ["已完成", "推进中", "未启动", "滞后"]
PIVOT = ["任务数", "已完成", "推进中", "未启动", "滞后", "逾期", "未报送", "完成率"]
SHEETS = ["总体情况", "按处室", "按时限", "按牵头领导", "按类别", "逾期及滞后事项", "未报送", "明细"]
CHARTS = {"按处室图": "按处室", "按时限图": "按时限"}  # chart sheets, each after its table
AS_OF = dt.date(2023, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The whole demo cycle, run once: a master with 进展 for 2023Q2 and its report."""
    folder = tmp_path_factory.mktemp("demo") / "d"
    run_demo(folder, Console(file=io.StringIO(), width=200))
    return folder


@pytest.fixture(scope="module")
def made(demo) -> Path:
    """The report of the demo's master, written again here (no PDF)."""
    out = demo / "report-test.xlsx"
    report(demo / "workbooks" / MASTER_NAME, "2023Q2", AS_OF, out, now=dt.datetime(2023, 7, 6, 9))
    return out


def expected(master: Path, as_of: dt.date = AS_OF) -> list[dict]:
    """Every task × office with its 2023Q2 status and overdue flag, counted from
    the master's 清单 and 进展 with openpyxl, independently of qingdan."""
    book = openpyxl.load_workbook(master)
    rows = list(book["清单"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    status = {}
    progress = list(book["进展"].iter_rows(values_only=True))
    pc = {h: i for i, h in enumerate(progress[0])}
    for r in progress[1:]:
        if r[pc["报送期次"]] == "2023Q2":
            status[(r[pc["编号"]], r[pc["责任处室"]])] = r[pc["完成状态"]]
    parts: dict[str, set] = {}
    for r in rows[1:]:
        parts.setdefault(r[col["类别"]], set()).add(r[col["清单"]])
    out = []
    for r in rows[1:]:
        if not r[col["编号"]]:
            continue
        leader = r[col["牵头领导"]] or "（未填）"
        category = r[col["类别"]] or "（未填）"
        if len(parts[r[col["类别"]]]) > 1:  # one name in two parts: two categories
            category = f"{category}（{r[col['清单']]}）"
        offices = [n for n in re.sub(r"等$", "", r[col["责任处室"]] or "").split("、") if n]
        deadline = r[col["完成时限"]]
        deadline = deadline.date() if isinstance(deadline, dt.datetime) else None
        for office in offices:
            s = status.get((r[col["编号"]], office), "未报送")
            out.append({
                "code": r[col["编号"]], "office": office, "status": s,
                "leader": "（待补）" if leader == "*" else leader, "category": category,
                "deadline": f"{deadline.year}年{deadline.month}月" if deadline else r[col["时限类型"]],
                "overdue": deadline is not None and deadline < as_of and s != "已完成"})
    return out


def table(path: Path, sheet: str, first_row: int = 4) -> dict[str, list]:
    """key → row values of a pivot sheet (header on row 3), 合计 included."""
    ws = openpyxl.load_workbook(path)[sheet]
    assert [c.value for c in ws[3]] == [ws["A3"].value, *PIVOT]
    return {r[0]: list(r[1:]) for r in ws.iter_rows(min_row=first_row, values_only=True) if r[0]}


def counted(items: list[dict]) -> list:
    n = len(items)
    c = Counter(i["status"] for i in items)
    done = c["已完成"]
    return [n, *(c[s] for s in STATUSES), sum(i["overdue"] for i in items), c["未报送"],
            pytest.approx(done / n if n else 0.0)]


@pytest.mark.parametrize("sheet, key", [("按处室", "office"), ("按时限", "deadline"),
                                        ("按牵头领导", "leader"), ("按类别", "category")])
def test_every_pivot_number_matches_an_independent_count(demo, made, sheet, key):
    items = expected(demo / "workbooks" / MASTER_NAME)
    got = table(made, sheet)
    keys = {i[key] for i in items}
    assert set(got) == keys | {"合计"}
    for k in keys:
        assert got[k] == counted([i for i in items if i[key] == k]), k
    assert got["合计"] == counted(items)
    # 合计 is the sum of the rows above it
    for c in range(7):
        assert got["合计"][c] == sum(v[c] for k, v in got.items() if k != "合计")


def test_the_demo_has_every_kind_of_row(demo):
    items = expected(demo / "workbooks" / MASTER_NAME)
    c = Counter(i["status"] for i in items)
    assert all(c[s] for s in [*STATUSES, "未报送"]), c
    assert any(i["overdue"] for i in items)


def test_overview_numbers(demo, made):
    items = expected(demo / "workbooks" / MASTER_NAME)
    ws = openpyxl.load_workbook(made)["总体情况"]
    values = {r[0]: r[1] for r in ws.iter_rows(min_row=5, values_only=True) if r[0] and r[1] is not None}
    tasks = [r for r in openpyxl.load_workbook(demo / "workbooks" / MASTER_NAME)["清单"].iter_rows(
        min_row=2, values_only=True) if r[0]]
    by_task: dict[str, list[str]] = {}
    for i in items:
        by_task.setdefault(i["code"], []).append(i["status"])
    c = Counter(i["status"] for i in items)
    assert values["清单任务（项）"] == len(tasks)
    assert values["其中未明确具体责任处室（项）"] == sum(1 for t in tasks if not t[6])
    assert values["分解到处室的任务（任务×处室）"] == len(items)
    assert values["已完成"] == c["已完成"] and values["未报送"] == c["未报送"]
    assert values["逾期"] == sum(i["overdue"] for i in items)
    done_items = sum(1 for s in by_task.values() if all(x == "已完成" for x in s))
    assert values["已完成的任务（项，所有责任处室均已完成）"] == done_items
    assert values["本期未报送的处室（个）"] == 1  # the demo's 社会救助处
    paragraph = ws["A3"].value
    assert paragraph.startswith(f"截至2023年6月30日，清单共{len(tasks)}项任务，分解到10个处室共{len(items)}项")
    assert "未报送1个处室（社会救助处）" in paragraph
    assert f"已完成{c['已完成']}项" in paragraph and f"逾期{sum(i['overdue'] for i in items)}项" in paragraph
    assigned = sum(1 for t in tasks if t[6])  # the rate by task counts only tasks with an office
    rate = f"{done_items / assigned:.1%}"
    assert assigned < len(tasks)  # the demo's list has tasks without an office
    assert f"按项计（在已明确责任处室的{assigned}项任务中），已完成{done_items}项（所有责任处室均已完成），完成率{rate}" \
        in paragraph


def test_late_missing_and_detail_sheets(demo, made):
    items = expected(demo / "workbooks" / MASTER_NAME)
    book = openpyxl.load_workbook(made)
    late = [r for r in book["逾期及滞后事项"].iter_rows(min_row=4, values_only=True) if r[0]]
    want = [i for i in items if i["overdue"] or i["status"] == "滞后"]
    assert sorted((r[0], r[2]) for r in late) == sorted((i["code"], i["office"]) for i in want)
    assert all(len(r[1]) <= 60 for r in late)  # 工作任务 shortened for print
    missing = [r for r in book["未报送"].iter_rows(min_row=4, values_only=True) if r[0]]
    unreported = Counter(i["office"] for i in items if i["status"] == "未报送")
    assert all(type(r[2]) is int for r in missing)  # a number Excel can sum, not text
    assert {r[0]: (r[1], r[2]) for r in missing} == {
        o: ("全部未报送" if n == sum(1 for i in items if i["office"] == o) else "部分未报送", n)
        for o, n in unreported.items()}
    assert ("社会救助处", "全部未报送", 2, "1-27、1-28") in missing and missing[0][0] == "机关纪委"
    detail = [r for r in book["明细"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(detail) == len(items)
    assert Counter(r[7] for r in detail) == Counter(i["status"] for i in items)
    assert sum(1 for r in detail if r[11] == "是") == sum(i["overdue"] for i in items)


def test_print_setup_of_every_sheet(made):
    book = openpyxl.load_workbook(made)
    assert book.sheetnames == ["总体情况", "按处室", "按处室图", "按时限", "按时限图", *SHEETS[3:]]
    for ws in book.worksheets:
        header = 4 if ws.title == "总体情况" else 3
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
        if ws.title == "总体情况":
            assert ws.page_setup.fitToHeight in (None, 1)  # one page
        else:
            assert ws.page_setup.fitToHeight == 0  # as many pages down as it takes
        assert ws.print_title_rows == f"${header}:${header}"
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert "落实情况汇总表" in ws["A1"].value and ws.title in ws["A1"].value
        assert ws["A2"].value.startswith("制表单位：")
        assert any(str(c.value).startswith("制表日期：2023年7月6日") for c in ws[2] if c.value)
        head = ws.cell(header, 1)
        assert head.font.name == "黑体" and head.border.bottom.style == "thin"
        body = ws.cell(header + 1, 1)
        assert body.font.name == "仿宋" and body.border.left.style == "thin", ws.title
        assert ws.row_dimensions[header + 1].height >= 15


def test_overdue_rows_highlighted(demo, made):
    ws = openpyxl.load_workbook(made)["明细"]
    for row in ws.iter_rows(min_row=4):
        if row[0].value:
            late = row[11].value == "是"
            assert (row[0].fill.fgColor.rgb == "FFFCE4D6") == late


def test_native_charts(made):
    with zipfile.ZipFile(made) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        assert len([n for n in zf.namelist() if n.startswith("xl/chartsheets/sheet")]) == 2
        for n in (n for n in zf.namelist() if n.startswith("xl/chartsheets/sheet") and n.endswith(".xml")):
            xml = zf.read(n).decode()
            assert 'orientation="landscape"' in xml and 'paperSize="9"' in xml
        office = zf.read(charts[0]).decode()
        deadline = zf.read(charts[1]).decode()
    assert '<c:barDir val="bar"/>' in office and '<c:grouping val="stacked"/>' in office
    assert office.count("<c:ser>") == 5
    assert "按处室!$A$4:$A$13" in office
    assert '<c:barDir val="col"/>' in deadline and "按时限!$A$4" in deadline


def test_as_of_moves_items_in_and_out_of_overdue(demo, tmp_path):
    master = demo / "workbooks" / MASTER_NAME
    early, late = tmp_path / "early.xlsx", tmp_path / "late.xlsx"
    report(master, "2023Q2", dt.date(2023, 1, 1), early)
    report(master, "2023Q2", "2024年1月1日", late)
    for path, as_of in ((early, dt.date(2023, 1, 1)), (late, dt.date(2024, 1, 1))):
        want = sum(i["overdue"] for i in expected(master, as_of))
        assert table(path, "按处室")["合计"][5] == want
    assert table(early, "按处室")["合计"][5] == 0
    assert table(late, "按处室")["合计"][5] > table(early, "按处室")["合计"][5]


def test_same_as_last_period(run, master, tmp_path):
    forms = Path("output")
    assert run("split", "--period", "2023Q1", "--office", "办公室").exit_code == 0
    fill(forms / "2023Q1" / "下发" / "办公室.xlsx", Path("收件") / "q1.xlsx", saved=dt.datetime(2023, 4, 2, 9))
    assert run("merge", "收件/q1.xlsx").exit_code == 0
    assert run("split", "--period", "2023Q2", "--office", "办公室").exit_code == 0  # prefilled from Q1
    fill(forms / "2023Q2" / "下发" / "办公室.xlsx", Path("收件") / "q2.xlsx", saved=dt.datetime(2023, 7, 2, 9),
         answers={"1-01": {"完成状态": "已完成", "进展情况": "本季度已全部完成"}})
    assert run("merge", "收件/q2.xlsx").exit_code == 0
    result = run("report", "--period", "2023Q2", "-o", "r.xlsx")
    assert result.exit_code == 0, result.output
    detail = [r for r in openpyxl.load_workbook("r.xlsx")["明细"].iter_rows(min_row=4, values_only=True)
              if r[3] == "办公室"]
    same = {r[0]: r[12] for r in detail}
    assert same == {"1-01": None, "1-04": "与上期相同", "1-09": "与上期相同", "1-10": "与上期相同",
                    "1-24": "与上期相同"}


def test_report_command(run, master):
    assert run("split", "--period", "2023Q2").exit_code == 0
    result = run("report", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    path = Path("output/2023Q2/责任清单落实情况汇总表（2023年第二季度）.xlsx")
    assert path.exists()
    assert f"汇总表已生成：{path}" in result.output
    assert "截至2023年6月30日，清单共56项任务" in result.output
    assert "下发记录" not in result.output
    last = list(openpyxl.load_workbook(master)["日志"].iter_rows(values_only=True))[-1]
    assert last[1:6] == ("汇总", str(path.resolve()), None, "成功",
                         "2023Q2（2023年第二季度）截至 2023-06-30：90 项（任务×处室），已完成 0，逾期 0，未报送 90")


def test_report_usage_errors(run, master):
    result = run("report")
    assert result.exit_code == 2
    assert result.output.strip() == "总表的日志中没有下发记录，请用 --period 指定期次（如 2023Q2）。"
    result = run("report", "--period", "2023Q2", "--as-of", "下周")
    assert result.exit_code == 2
    result = run("report", "--period", "2024Q1")  # never split: made, but said so
    assert result.exit_code == 0, result.output
    assert "注意：日志中没有 2024年第一季度（2024Q1）的下发记录，这一期还没有下发过填报表（期次是否写错了？）。" in result.output


def test_pdf_without_libreoffice(run, master, monkeypatch):
    import qingdan.pdf

    monkeypatch.setattr(qingdan.pdf, "find_soffice", lambda: None)
    result = run("report", "--period", "2023Q2", "--pdf", "-o", "汇总.xlsx")
    assert result.exit_code == 1
    assert ("没有找到 LibreOffice，无法生成 PDF。汇总表 汇总.xlsx 已生成，可用 Excel 或 WPS 打开后打印或另存为 PDF；"
            "也可安装 LibreOffice") in result.output
    assert Path("汇总.xlsx").exists()


def test_pdf_prints_landscape_with_chinese_fonts(demo, libreoffice, tmp_path):
    from PIL import Image

    pdf = next((demo / "output" / "2023Q2").glob("*.pdf"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert pages >= len(SHEETS) and w > h  # A4 landscape: 842 x 595
    assert abs(w - 842) < 2 and abs(h - 595) < 2
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "落实情况汇总表" in first and "总体情况" in first and "第 1 页 共" in first
    # every sheet is printed, one page wide: the page with its title also holds its last column
    last_column = {"总体情况": "数值", "按处室": "完成率", "按时限": "完成率", "按牵头领导": "完成率", "按类别": "完成率",
                   "逾期及滞后事项": "情况", "未报送": "未报送的任务编号", "明细": "与上期相同"}
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for p in range(1, pages + 1)]
    for sheet, column in last_column.items():
        page = next(t for t in texts if re.search(rf"截至2023年6月30日）\s+{sheet}\n", t))
        assert column in page, sheet
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # 仿宋 and 黑体, mapped by fonts.conf
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height  # not a blank page
    assert shutil.which("pdffonts")


# --- what the review found ----------------------------------------------------------------

def edited_master(demo: Path, tmp_path: Path, change) -> Path:
    """A copy of the demo's master with its 进展 sheet changed by hand (openpyxl, as a person)."""
    master = tmp_path / "workbooks" / MASTER_NAME
    master.parent.mkdir(parents=True)
    shutil.copy(demo / "workbooks" / MASTER_NAME, master)
    book = openpyxl.load_workbook(master)
    change(book["进展"])
    book.save(master)
    return master


def test_status_words_typed_into_progress_by_hand(demo, tmp_path):
    def edit(ws):
        rows = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=2) if r[0].value}
        rows[("1-05", "人事教育处")][3].value = "完成"  # a variant: counted as 已完成
        rows[("1-06", "人事教育处")][3].value = "基本完成"  # unreadable: 未报送, and said so

    master = edited_master(demo, tmp_path, edit)
    result = report(master, "2023Q2", AS_OF, tmp_path / "r.xlsx")
    detail = {(r[0], r[3]): r[7] for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["明细"].iter_rows(
        min_row=4, values_only=True) if r[0]}
    assert detail[("1-05", "人事教育处")] == "已完成"
    assert detail[("1-06", "人事教育处")] == "未报送"
    assert result.unreadable == ["1-06（人事教育处）：“基本完成”"]


def test_overdue_goes_by_the_latest_status_reported(demo, tmp_path):
    """Done in 2023Q2, not reported in 2023Q3: not overdue in Q3, and its last progress shows."""
    master = demo / "workbooks" / MASTER_NAME
    items = expected(master)
    done = next(i for i in items if i["status"] == "已完成")
    open_ = [i for i in items if i["status"] not in ("已完成",)]
    out = tmp_path / "q3.xlsx"
    report(master, "2023Q3", dt.date(2024, 1, 1), out)
    detail = {(r[0], r[3]): r for r in openpyxl.load_workbook(out)["明细"].iter_rows(min_row=4, values_only=True)
              if r[0]}
    assert detail[(done["code"], done["office"])][7] == "未报送"
    assert detail[(done["code"], done["office"])][11] is None  # not 逾期: its latest word is 已完成
    dated = [i for i in open_ if i["deadline"] and i["deadline"].startswith("2023年")]
    assert all(detail[(i["code"], i["office"])][11] == "是" for i in dated)
    late = {(r[0], r[2]): r[5] for r in openpyxl.load_workbook(out)["逾期及滞后事项"].iter_rows(
        min_row=4, values_only=True) if r[0]}
    reported = [i for i in dated if i["status"] != "未报送"]
    assert reported and all(late[(i["code"], i["office"])] for i in reported)  # the Q2 progress text


def test_same_as_before_only_against_an_earlier_period(demo, tmp_path):
    def copy_to_june(ws):
        for row in list(ws.iter_rows(min_row=2, values_only=True)):
            if row[0] and row[2] == "2023Q2":
                ws.append([*row[:2], "2023-06", *row[3:]])

    master = edited_master(demo, tmp_path, copy_to_june)
    report(master, "2023-06", dt.date(2023, 6, 30), tmp_path / "june.xlsx")
    detail = [r for r in openpyxl.load_workbook(tmp_path / "june.xlsx")["明细"].iter_rows(min_row=4, values_only=True)
              if r[0]]
    assert not any(r[12] for r in detail)  # 2023Q2 ends with June: it is not the period before


def test_output_file_checks(run, master, workdir):
    assert run("split", "--period", "2023Q2").exit_code == 0
    result = run("report", "-o", master)
    assert result.exit_code == 2
    assert "是总表本身，不能用作汇总表的文件名" in result.output
    result = run("report", "-o", "汇总.pdf")
    assert result.exit_code == 2
    assert "汇总表文件 汇总.pdf 的扩展名应为 .xlsx" in result.output
    Path("打印").mkdir()
    result = run("report", "-o", "打印")
    assert result.exit_code == 0, result.output
    assert Path("打印/责任清单落实情况汇总表（2023年第二季度）.xlsx").exists()
    Path("打印/~$责任清单落实情况汇总表（2023年第二季度）.xlsx").write_bytes(b"\x05owner")
    result = run("report", "-o", "打印")
    assert result.exit_code == 1
    assert open_elsewhere("打印/责任清单落实情况汇总表（2023年第二季度）.xlsx",
                          "~$责任清单落实情况汇总表（2023年第二季度）.xlsx") in result.output
