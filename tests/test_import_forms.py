"""Other shapes of list documents, made in the tests: encodings, .docx paragraphs
and tables, .xlsx/.xls tables with title rows and merged cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl
import pytest
import xlsxwriter
from conftest import SEED, convert

PARAGRAPHS = """\
2024年度某某局机关党建工作责任清单

一、机关党委责任清单
（一）政治建设
1、深入学习贯彻党的二十大精神，
把学习成果转化为推动工作的实际成效。
牵头领导: 张三
牵头单位：机关党委
配合单位：办公室；人事处、机关党委等
完成时限：6月底前
2．严格执行请示报告制度。
责任单位：办公室/人事处
时间进度安排：每季度
3. 开展专项检查。
责任处室：纪检组
时间进度安排：春节前后
二、支部责任清单
1.落实“三会一课”制度。
责任处室：各支部
时间进度安排：2024年9月30日前
"""


def task_rows(master: Path) -> list[dict]:
    ws = openpyxl.load_workbook(master)["清单"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def import_rows(run, workdir, src, *args):
    """Import ``src`` into 总表.xlsx: the CLI's result and the 清单 rows as dicts."""
    result = run("import", src, "-o", "总表.xlsx", *args)
    assert result.exit_code == 0, result.output
    return result, task_rows(workdir / "总表.xlsx")


def pick(rows, *keys):
    return [tuple(r[k] for k in keys) for r in rows]


@pytest.mark.parametrize("encoding,bom", [("gb18030", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("utf-16-le", b"\xff\xfe")])
def test_paragraph_list_in_any_encoding(run, workdir, encoding, bom):
    src = workdir / "清单.txt"
    src.write_bytes(bom + PARAGRAPHS.replace("\n", "\r\n").encode(encoding))
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "编号", "清单", "类别", "序号") == [
        ("1-01", "机关党委责任清单", "政治建设", "1"),
        ("1-02", "机关党委责任清单", "政治建设", "2"),
        ("1-03", "机关党委责任清单", "政治建设", "3"),
        ("2-01", "支部责任清单", None, "1"),
    ]
    assert rows[0]["工作任务"] == "深入学习贯彻党的二十大精神，把学习成果转化为推动工作的实际成效。"
    assert rows[0]["牵头领导"] == "张三"
    # 牵头单位 first, then 配合单位; duplicates dropped; the trailing 等 kept
    assert pick(rows, "责任处室") == [("机关党委、办公室、人事处等",), ("办公室、人事处",), ("纪检组",), ("各支部",)]
    assert pick(rows, "完成时限", "时限类型") == [
        (dt.datetime(2024, 6, 30), "限时完成"), (None, "定期"), (None, "时限待定"),
        (dt.datetime(2024, 9, 30), "限时完成")]
    assert "2024年度某某局机关党建工作责任清单" in result.output
    assert "1-03" in result.output and "时间进度安排“春节前后”无法识别" in result.output


def test_year_option_overrides_title(run, workdir):
    src = workdir / "清单.txt"
    src.write_text(PARAGRAPHS, encoding="utf-8")
    assert run("import", src, "-o", "总表.xlsx", "--year", "2025").exit_code == 0
    assert task_rows(workdir / "总表.xlsx")[0]["完成时限"] == dt.datetime(2025, 6, 30)


def test_docx_paragraphs_give_the_same_items_as_the_text(run, workdir):
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(workdir / "清单.docx")
    assert run("import", SEED, "-o", "from_txt.xlsx").exit_code == 0
    assert run("import", workdir / "清单.docx", "-o", "from_docx.xlsx").exit_code == 0
    assert task_rows(workdir / "from_docx.xlsx") == task_rows(workdir / "from_txt.xlsx")


def make_table_docx(path: Path) -> None:
    """Title paragraph, then one table: part rows merged across, 类别 merged down."""
    document = docx.Document()
    document.add_paragraph("2024年度某某区民政局全面从严治党主体责任清单")
    header = ["序号", "类别", "重点任务", "分管领导", "牵头单位", "配合单位", "完成时限"]
    body = [
        ["一、党委主体责任"],
        ["1", "组织领导", "召开党委会专题研究全面从严治党工作。", "李四", "办公室", "人事处\n机关党委", "一季度"],
        ["2", "组织领导", "签订责任书，\n层层压实责任。", "李四", "人事处", "", "2024年3月底前"],
        ["（二）作风建设"],
        ["3", "", "开展作风建设专项检查。", "王五", "机关纪委", "各处室等", "持续推进"],
        ["二、书记第一责任人清单"],
        ["1", "履职尽责", "带头讲党课。", "", "", "", "下半年"],
    ]
    table = document.add_table(rows=1 + len(body), cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(body, 1):
        if len(row) == 1:
            merged = table.cell(r, 0).merge(table.cell(r, len(header) - 1))
            merged.text = row[0]
            continue
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    # 类别 of items 1 and 2 is one cell merged over two rows
    a, b = table.cell(2, 1), table.cell(3, 1)
    b.text = ""
    a.merge(b).text = "组织领导"
    document.add_paragraph("说明：本清单由局党委办公室负责解释。")
    document.save(path)


def test_docx_table(run, workdir):
    make_table_docx(workdir / "表格清单.docx")
    result, rows = import_rows(run, workdir, workdir / "表格清单.docx")
    assert pick(rows, "编号", "清单", "类别", "序号", "牵头领导", "责任处室", "时间进度安排", "时限类型") == [
        ("1-01", "党委主体责任", "组织领导", "1", "李四", "办公室、人事处、机关党委", "一季度", "限时完成"),
        ("1-02", "党委主体责任", "组织领导", "2", "李四", "人事处", "2024年3月底前", "限时完成"),
        ("1-03", "党委主体责任", "作风建设", "3", "王五", "机关纪委、各处室等", "持续推进", "持续推进"),
        ("2-01", "书记第一责任人清单", "履职尽责", "1", None, None, "下半年", "限时完成"),
    ]
    assert rows[1]["工作任务"] == "签订责任书，层层压实责任。"
    assert [r["完成时限"] for r in rows] == [dt.datetime(2024, 3, 31), dt.datetime(2024, 3, 31), None,
                                          dt.datetime(2024, 12, 31)]
    assert "清单名称：2024年度某某区民政局全面从严治党主体责任清单" in result.output


def make_table_xlsx(path: Path) -> None:
    """Two title rows, a blank row, the header on row 4 with variant words, 类别
    cells merged down, a date cell as deadline, and an unrelated first sheet."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("说明").write(0, 0, "填表说明：见附件。")
    ws = book.add_worksheet("清单")
    ws.merge_range(0, 0, 0, 5, "2023年度某某局落实全面从严治党主体责任清单")
    ws.merge_range(1, 0, 1, 5, "（2023年3月印发）")
    ws.write_row(3, 0, ["序号", "清单", "类别", "工作任务", "责任处室（单位）", "时间节点", "联系人"])
    ws.merge_range(4, 1, 6, 1, "党委主体责任清单")
    ws.merge_range(4, 2, 5, 2, "（一）加强组织领导")
    ws.write_row(4, 0, [1])
    ws.write_row(4, 3, ["任务甲", "人事教育处、办公室", "6月底前"])
    ws.write_row(5, 0, [2])
    ws.write_row(5, 3, ["任务乙", "办公室", "2023年*月底前完成"])
    ws.write_row(6, 0, [3, None, "（二）加强作风建设", "任务丙", "机关纪委 机关党委"])
    ws.write_datetime(6, 5, dt.datetime(2023, 11, 30), book.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_row(7, 0, [1, "班子成员责任清单", "履行一岗双责", "任务丁", "", "年底前"])
    book.close()


EXPECTED_XLSX = [
    ("1-01", "党委主体责任清单", "加强组织领导", "1", "任务甲", "人事教育处、办公室", "6月底前", "限时完成"),
    ("1-02", "党委主体责任清单", "加强组织领导", "2", "任务乙", "办公室", "2023年*月底前完成", "时限待定"),
    ("1-03", "党委主体责任清单", "加强作风建设", "3", "任务丙", "机关纪委、机关党委", "2023年11月30日", "限时完成"),
    ("2-01", "班子成员责任清单", "履行一岗双责", "1", "任务丁", None, "年底前", "限时完成"),
]


def test_xlsx_table(run, workdir):
    make_table_xlsx(workdir / "清单.xlsx")
    result, rows = import_rows(run, workdir, workdir / "清单.xlsx")
    assert pick(rows, "编号", "清单", "类别", "序号", "工作任务", "责任处室", "时间进度安排", "时限类型") == EXPECTED_XLSX
    assert [r["完成时限"] for r in rows] == [dt.datetime(2023, 6, 30), None, dt.datetime(2023, 11, 30),
                                          dt.datetime(2023, 12, 31)]
    assert "清单名称：2023年度某某局落实全面从严治党主体责任清单" in result.output
    assert "表头“联系人”这一列是空的，未导入" in result.output


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_table_saved_by_libreoffice_as_xls_or_ods(run, workdir, libreoffice, fmt):
    make_table_xlsx(workdir / "清单.xlsx")
    other = convert(libreoffice, workdir / "清单.xlsx", fmt, workdir / fmt)
    result, rows = import_rows(run, workdir, other)
    assert pick(rows, "编号", "清单", "类别", "序号", "工作任务", "责任处室", "时间进度安排", "时限类型") == EXPECTED_XLSX


def test_lines_outside_any_item_are_reported_not_glued_on(run, workdir):
    src = workdir / "清单.txt"
    src.write_text(
        "附件1\n2023年度某某局责任清单\n一、党委责任清单\n（本部分由办公室汇总。）\n"
        "1.任务一。\n责任处室：\n办公室、\n人事处\n时间进度安排：6月底前\n"
        "中共某某局委员会\n2023年3月1日印发。\n",
        encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    # the office list broken over lines is kept; the signature below is not a deadline;
    # the line under the part heading is the part's own text: the first task's 备注
    assert pick(rows, "责任处室", "时间进度安排", "完成时限", "备注") == [
        ("办公室、人事处", "6月底前", dt.datetime(2023, 6, 30), "（本部分由办公室汇总。）")]
    assert "清单名称：2023年度某某局责任清单" in result.output
    flat = result.output.replace("\n", "").replace(" ", "").replace("│", "")
    for line, text in ((10, "中共某某局委员会"), (11, "2023年3月1日印发。")):
        assert f"第{line}行“{text}”在第5行那项任务的责任单位、时限之后，看不出属于哪一项，未导入，请核对" in flat


def test_docx_with_one_table_per_part_under_heading_paragraphs(run, workdir):
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("某某局2024年度党建责任清单")
    for heading, tasks in (("一、党委责任清单", ["任务甲", "任务乙"]), ("二、书记责任清单", ["任务丙"])):
        document.add_paragraph(heading)
        table = document.add_table(rows=1 + len(tasks), cols=3)
        for c, text in enumerate(["序号", "工作任务", "责任单位"]):
            table.cell(0, c).text = text
        for r, task in enumerate(tasks, 1):
            for c, text in enumerate([str(r), task, "办公室"]):
                table.cell(r, c).text = text
    document.save(workdir / "清单.docx")
    result, rows = import_rows(run, workdir, workdir / "清单.docx")
    assert pick(rows, "编号", "清单", "工作任务") == [
        ("1-01", "党委责任清单", "任务甲"), ("1-02", "党委责任清单", "任务乙"), ("2-01", "书记责任清单", "任务丙")]
    assert "清单名称：某某局2024年度党建责任清单" in result.output
    assert "年度：2024" in result.output


def test_xlsx_with_one_sheet_per_part_and_year_from_file_name(run, workdir):
    path = workdir / "2025年责任清单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, task in (("党委主体责任", "任务甲"), ("纪委监督责任", "任务乙")):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [f"{name}清单"])
        sheet.write_row(1, 0, ["序号", "工作任务", "责任处室", "完成时限"])
        sheet.write_row(2, 0, [1, task, "办公室", "6月底前"])
    book.close()
    result, rows = import_rows(run, workdir, path)
    assert pick(rows, "编号", "清单", "工作任务", "完成时限") == [
        ("1-01", "党委主体责任", "任务甲", dt.datetime(2025, 6, 30)),
        ("2-01", "纪委监督责任", "任务乙", dt.datetime(2025, 6, 30))]
    assert "请核对" not in result.output


def test_csv_table_in_gb18030(run, workdir):
    src = workdir / "清单.csv"
    src.write_bytes("2023年度某某局责任清单\n序号,工作任务,责任处室,完成时限\n1,任务甲,\"办公室,人事处\",三季度\n"
                    .encode("gb18030"))
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "编号", "工作任务", "责任处室", "完成时限") == [
        ("1-01", "任务甲", "办公室、人事处", dt.datetime(2023, 9, 30))]


def test_word_automatic_numbering_tracked_changes_and_content_controls(run, workdir):
    """What Word shows is what is imported: list numbers Word draws, insertions
    not yet accepted, paragraphs inside a content control."""
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("2023年度某局责任清单")
    document.add_paragraph("一、党委主体责任清单")
    document.add_paragraph("任务甲正文。", style="List Number")  # Word draws "1."
    document.add_paragraph("责任处室：办公室")
    changed = document.add_paragraph("任务乙", style="List Number")  # "2."
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    changed._p.append(parse_xml(f'<w:ins {ns} w:id="1" w:author="a"><w:r><w:t>（修订稿）。</w:t></w:r></w:ins>'))
    document.add_paragraph("责任处室：规财处")
    sdt = parse_xml(
        f'<w:sdt {ns}><w:sdtContent><w:p><w:r><w:t>3.任务丙。</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>责任处室：人事处</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    document.element.body.insert(len(document.element.body) - 1, sdt)
    contacts = document.add_table(rows=2, cols=3)  # a contact list, not the list itself
    for c, text in enumerate(["序号", "责任处室", "联络员"]):
        contacts.cell(0, c).text = text
    document.save(workdir / "清单.docx")

    result, rows = import_rows(run, workdir, workdir / "清单.docx")
    assert pick(rows, "编号", "序号", "工作任务", "责任处室") == [
        ("1-01", "1", "任务甲正文。", "办公室"),
        ("1-02", "2", "任务乙（修订稿）。", "规财处"),
        ("1-03", "3", "任务丙。", "人事处"),
    ]


def test_hidden_sheets_are_skipped_and_said(run, workdir):
    path = workdir / "清单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, task, hide in (("2023年", "今年的任务", False), ("2022年(旧)", "去年的任务", True)):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["序号", "工作任务", "责任处室"])
        sheet.write_row(1, 0, [1, task, "旧处室" if hide else "办公室"])
        if hide:
            sheet.hide()
    book.close()
    result = run("import", path, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert pick(task_rows(workdir / "总表.xlsx"), "工作任务", "责任处室") == [("今年的任务", "办公室")]
    assert "2022年(旧) │ 这个工作表是隐藏的，未导入；如果它也属于清单，请取消隐藏后再导入" in result.output


@pytest.mark.parametrize("merged", [False, True])
def test_rows_that_continue_the_task_above(run, workdir, merged):
    """A second office with its own deadline on the next row, the task cell left
    empty or merged over both rows: one task with both offices, the later date."""
    path = workdir / "清单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("清单")
    sheet.write_row(0, 0, ["2023年度责任清单"])
    sheet.write_row(1, 0, ["序号", "工作任务", "责任处室", "时间进度安排"])
    if merged:
        sheet.merge_range(2, 0, 3, 0, 1)
        sheet.merge_range(2, 1, 3, 1, "任务甲")
    else:
        sheet.write_row(2, 0, [1, "任务甲"])
    sheet.write_row(2, 2, ["办公室", "6月底前"])
    sheet.write_row(3, 2, ["规财处", "9月底前"])
    sheet.write_row(4, 0, [2, "任务乙", "人事处", "年底前"])
    book.close()
    result, rows = import_rows(run, workdir, path)
    assert pick(rows, "编号", "工作任务", "责任处室", "完成时限") == [
        ("1-01", "任务甲", "办公室、规财处", dt.datetime(2023, 9, 30)),
        ("1-02", "任务乙", "人事处", dt.datetime(2023, 12, 31))]
    assert "请核对" not in result.output


REAL_WORLD = """\
附件1
中共某某市民政局委员会
2023年度机关党建工作
责任清单
第一部分 党委责任清单
一、加强组织领导
（1）任务甲的正文。（责任处室：办公室；完成时限：6月底前）
（2）任务乙。牵头领导：李四  责任处室：规财处  时间进度安排：持续推进
- 2 -
二、加强作风建设
3.任务丙。
责任处室（单位）：人事处（牵头）、办 公 室
【完成时限】9月底前
第2页 共5页
第二部分 书记责任清单
4.任务丁。
责 任 处 室\t纪委
时限要求：2023年6月底前完成初稿，12月底前全部完成
附件2
2023年度其他工作台账
1.不属于本清单的任务
"""


def test_real_world_paragraph_variants(run, workdir):
    src = workdir / "清单.txt"
    src.write_text(REAL_WORLD, encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "编号", "清单", "类别", "序号", "工作任务", "牵头领导", "责任处室", "时间进度安排") == [
        ("1-01", "党委责任清单", "加强组织领导", "1", "任务甲的正文。", None, "办公室", "6月底前"),
        ("1-02", "党委责任清单", "加强组织领导", "2", "任务乙。", "李四", "规财处", "持续推进"),
        ("1-03", "党委责任清单", "加强作风建设", "3", "任务丙。", None, "人事处、办公室", "9月底前"),
        ("2-01", "书记责任清单", None, "4", "任务丁。", None, "纪委", "2023年6月底前完成初稿，12月底前全部完成"),
    ]
    assert rows[3]["完成时限"] == dt.datetime(2023, 12, 31)
    out = result.output
    assert "清单名称：2023年度机关党建工作责任清单" in out  # issuing body passed over, two lines joined
    assert "从“附件2”起是另一个附件，未导入；如需导入，请把它单独存成一个文件" in out
    assert "不连续" not in out  # 3 and 4 number on across parts: fine
    assert "不属于任何任务" not in out  # page numbers are not text


def test_utf16_without_bom(run, workdir):
    src = workdir / "清单.txt"
    src.write_bytes(PARAGRAPHS.encode("utf-16-le"))
    result = run("import", src, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert len(task_rows(workdir / "总表.xlsx")) == 4


def test_very_long_task_is_reported_and_rows_stay_within_excel(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年度清单\n1.开始" + "长" * 33_000 + "\n责任处室：办公室\n", encoding="utf-8")
    result = run("import", src, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert "工作任务有 33002 个字，超过 Excel 单元格上限 32767 字，总表中只保留前 32767 字，请精简" in result.output
    ws = openpyxl.load_workbook(workdir / "总表.xlsx")["清单"]
    assert len(ws["E2"].value) == 32_767
    assert 400 < ws.row_dimensions[2].height <= 409  # Excel's maximum row height


def test_master_is_readable_by_colleagues(run, workdir):
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert run("import", SEED, "-o", "总表.xlsx").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((workdir / "总表.xlsx").stat().st_mode) == 0o644


def test_header_over_two_rows_and_other_header_words(run, workdir):
    path = workdir / "清单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("清单")
    sheet.write_row(0, 0, ["2023年度某局责任清单"])
    sheet.write_row(1, 0, ["序号", "具体工作措施", "责任分工", "", "完成时间节点"])
    sheet.write_row(2, 0, ["", "", "牵头领导", "责任单位（处室）", ""])
    sheet.write_row(3, 0, [1, "任务甲", "张三", "办公室", "6月底前"])
    book.close()
    result = run("import", path, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert pick(task_rows(workdir / "总表.xlsx"), "工作任务", "牵头领导", "责任处室", "完成时限") == [
        ("任务甲", "张三", "办公室", dt.datetime(2023, 6, 30))]
    assert "请核对" not in result.output


def test_exports_under_the_wrong_name(run, workdir):
    """Tab-separated text saved as .xls by a web system is read as a table."""
    src = workdir / "导出.xls"
    src.write_bytes("2023年度责任清单\n序号\t工作任务\t责任处室\t完成时限\n1\t任务甲\t办公室\t6月底前\n".encode("gb18030"))
    result = run("import", src, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert pick(task_rows(workdir / "总表.xlsx"), "工作任务", "责任处室") == [("任务甲", "办公室")]


def test_xls_renamed_xlsx_is_read_by_its_content(run, workdir, libreoffice):
    make_table_xlsx(workdir / "清单.xlsx")
    xls = convert(libreoffice, workdir / "清单.xlsx", "xls", workdir / "xls")
    renamed = workdir / "改名.xlsx"
    renamed.write_bytes(xls.read_bytes())
    result = run("import", renamed, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert len(task_rows(workdir / "总表.xlsx")) == 4


def test_two_parts_of_one_name_stay_apart(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年度清单\n一、党委责任清单\n1.任务甲\n二、党委责任清单\n1.任务乙\n", encoding="utf-8")
    assert run("import", src, "-o", "总表.xlsx").exit_code == 0
    assert pick(task_rows(workdir / "总表.xlsx"), "编号", "工作任务") == [("1-01", "任务甲"), ("2-01", "任务乙")]


def test_task_only_rows_without_a_number_column_are_tasks(run, workdir):
    src = workdir / "清单.csv"
    src.write_text("工作任务,责任处室,时间进度安排\n一、党委责任清单,,\n任务A,办公室,6月底前\n任务B,,\n任务C,人事处,年底前\n",
                   encoding="utf-8")
    result = run("import", src, "-o", "总表.xlsx", "--year", "2023")
    assert result.exit_code == 0, result.output
    assert pick(task_rows(workdir / "总表.xlsx"), "编号", "清单", "类别", "工作任务", "责任处室") == [
        ("1-01", "党委责任清单", None, "任务A", "办公室"),
        ("1-02", "党委责任清单", None, "任务B", None),
        ("1-03", "党委责任清单", None, "任务C", "人事处")]


def test_text_after_a_word_table_is_reported(run, workdir):
    make_table_docx(workdir / "表格清单.docx")  # ends with a 说明 paragraph after the table
    result = run("import", workdir / "表格清单.docx", "-o", "总表.xlsx")
    assert "正文 │ “说明：本清单由局党委办公室负责解释。”不属于任何任务，未导入，请核对" in result.output


def test_full_width_star_is_a_placeholder_too(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年度清单\n1.任务甲\n牵头领导：＊\n责任处室：办公室\n时间进度安排：2023年＊月底前\n",
                   encoding="utf-8")
    result = run("import", src, "-o", "总表.xlsx")
    flat = result.output.replace(" ", "")
    assert "牵头领导为*│1-01（1项）" in flat and "时间进度安排中的*│1-01（1项）" in flat
    assert task_rows(workdir / "总表.xlsx")[0]["时限类型"] == "时限待定"


def test_codes_sort_as_text_with_ten_parts_or_more(run, workdir):
    """DESIGN.md: 编号 are sortable.  With 12 parts, 10-01 must not sort before 2-01."""
    numerals = "一二三四五六七八九十"
    names = [numerals[i] if i < 10 else "十" + numerals[i - 10] for i in range(12)]
    text = "2024年度某某局责任清单\n\n" + "".join(
        f"{name}、第{k + 1}部分责任清单\n1. 任务甲{k + 1}。\n责任处室：办公室\n2. 任务乙{k + 1}。\n责任处室：人事处\n"
        for k, name in enumerate(names))
    src = workdir / "清单.txt"
    src.write_text(text, encoding="utf-8")
    _, rows = import_rows(run, workdir, src)
    codes = [r["编号"] for r in rows if r["编号"]]
    assert codes[:3] == ["01-01", "01-02", "02-01"] and codes[-1] == "12-02"
    assert sorted(codes) == codes and len(codes) == 24
