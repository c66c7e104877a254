"""Layouts of real published lists, through the CLI (issue 15).

Each document here is small and made up, in the shape of real ones collected in
tests/corpus/ (whose own test compares every field of every real list); these
pin each reading down with its messages, and follow it on through split and merge
where it changes what offices receive.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
import xlsxwriter
from conftest import convert
from test_import_forms import import_rows, pick

sys.path.insert(0, str(Path(__file__).parent))
from filling import fill  # noqa: E402


def flat(output: str) -> str:
    """The CLI's output without table borders and line breaks (rich wraps long cells)."""
    return output.replace("\n", "").replace(" ", "").replace("│", "")


NOTICE = """XX区人民政府文件
X政发〔2023〕2号
XX区人民政府关于印发
《XX区2023年重点工作任务分解
和责任分工方案》的通知
各镇人民政府、街道办事处，区政府各部门：
现将《XX区2023年重点工作任务分解和责任分工方案》印发给你们，请认真贯彻落实。
一、提高站位，压实责任。各牵头单位要逐项制定推进方案。
二、加强督查，确保实效。区政府督查室每季度通报一次。
附件：XX区2023年重点工作任务分解和责任分工方案
XX区人民政府
2023年3月8日
（此件公开发布）
附件
XX区2023年重点工作任务分解
和责任分工方案
一、着力稳增长
1.地区生产总值增长6%左右。（区发改委牵头，区统计局配合）
2.2023年6月底前完成工业园区扩区。（区工信局牵头，各镇、街道按职责分工负责）
二、着力惠民生
3.5G基站新建200个。（区工信局负责）
"""


def test_list_attached_to_a_covering_notice(run, workdir):
    """The notice's title, 文号, 主送, numbered paragraphs, signature and date are no
    part of the list: its title is the one after 附件, joined over two lines."""
    src = workdir / "通知.txt"
    src.write_text(NOTICE, encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert "清单名称：XX区2023年重点工作任务分解和责任分工方案" in result.output
    assert "年度：2023" in result.output
    assert pick(rows, "编号", "清单", "序号", "工作任务", "责任处室", "完成时限") == [
        ("1-01", "着力稳增长", "1", "地区生产总值增长6%左右。", "区发改委、区统计局", None),
        ("1-02", "着力稳增长", "2", "2023年6月底前完成工业园区扩区。", "区工信局、各镇、街道", dt.datetime(2023, 6, 30)),
        ("2-01", "着力惠民生", "3", "5G基站新建200个。", "区工信局", None),
    ]
    assert "不属于任何任务" not in result.output and "提高站位" not in result.output


def test_title_from_the_notice_when_the_list_has_none(run, workdir):
    src = workdir / "通知.txt"
    src.write_text("XX县人民政府办公室关于印发《XX县2024年安全生产工作要点》的通知\n各乡镇人民政府：\n"
                   "现印发给你们，请认真贯彻执行。\nXX县人民政府办公室\n2024年2月1日\n"
                   "一、强化责任落实\n1.召开安委会全体会议。（责任单位：县应急局）\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert ("清单名称：XX县2024年安全生产工作要点（清单本身没有标题，取自印发通知的标题；如不对，可在总表中修改）"
            in result.output)
    assert pick(rows, "清单", "工作任务", "责任处室") == [("强化责任落实", "召开安委会全体会议。", "县应急局")]


def test_tasks_that_start_with_a_digit(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年重点工作清单\n1.2023年6月底前完成制度修订。\n责任单位：办公室\n"
                   "2．12345热线接通率达到95%。\n责任单位：信访科\n3、5G基站建设提速。\n责任单位：信息科\n"
                   "4.3个重点实验室通过验收，总投资\n1.5亿元。\n责任单位：科技科\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "序号", "工作任务", "责任处室", "完成时限") == [
        ("1", "2023年6月底前完成制度修订。", "办公室", dt.datetime(2023, 6, 30)),
        ("2", "12345热线接通率达到95%。", "信访科", None),
        ("3", "5G基站建设提速。", "信息科", None),
        ("4", "3个重点实验室通过验收，总投资1.5亿元。", "科技科", None),  # 1.5亿元 runs on: no item 1
    ]
    assert "请核对" not in result.output


def test_collective_addressees_are_kept_whole_and_get_no_form(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年重点任务清单\n1.推进A。（市发改委牵头，各区、县级市配合）\n2.推进B。（各县（市、区）负责）\n"
                   "3.推进C。（责任单位：市直各部门、各有关单位）\n", encoding="utf-8")
    result = run("import", src)
    assert result.exit_code == 0, result.output
    master = next((workdir / "workbooks").glob("*.xlsx"))
    rows = [r for r in openpyxl.load_workbook(master)["清单"].iter_rows(min_row=2, values_only=True)]
    assert [r[6] for r in rows] == ["市发改委、各区、县级市", "各县（市、区）", "市直各部门、各有关单位"]
    assert "共 1 个处室：市发改委" in result.output
    assert "责任处室里有“各有关单位”这类统称（统称不下发，请改写为具体处室）" in flat(result.output)
    offices = [r[0] for r in openpyxl.load_workbook(master)["处室"].iter_rows(min_row=2, values_only=True)]
    assert offices == ["市发改委"]

    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (workdir / "output" / "2023Q2" / "下发").glob("*.xlsx")) == ["市发改委.xlsx"]
    assert ("3项任务的责任处室里有“各有关单位”“各区、县级市”这类统称，统称不单独生成填报表：1-01～1-03。"
            "请在总表“清单”表的“责任处室”列改写为具体处室后重新下发。") in flat(result.output)
    assert "3项任务没有责任处室" not in flat(result.output)


def test_deadline_inside_the_sentence(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年工作要点\n1.6月底前，完成制度修订。（责任单位：办公室）\n"
                   "2.力争9月底前完成改造，年底前建成投用。（责任单位：基建科）\n3.到2025年，全市建成10个示范点。（责任单位：规划科）\n",
                   encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "时间进度安排", "完成时限", "时限类型") == [
        ("6月底前", dt.datetime(2023, 6, 30), "限时完成"),
        ("9月底前，年底前", dt.datetime(2023, 12, 31), "限时完成"),
        (None, None, "时限待定"),  # 到2025年 sets a goal, not a deadline
    ]
    assert "未写时间进度安排1-03（1项）" in flat(result.output)


def test_sub_items_belong_to_their_task(run, workdir):
    """1. with （1）（2）（3） below it and one office line: one task, its sub-items in its
    text — what the office answers for as one."""
    src = workdir / "清单.txt"
    src.write_text("2023年工作方案\n（一）完善预案体系\n1.完善应急预案体系\n（1）加强预案管理。\n（2）推进预案精编化。\n"
                   "（3）加强预案演练。\n（责任单位：市应急局、各县（市、区）人民政府）\n2.加强队伍建设。\n（责任单位：市应急局）\n",
                   encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "类别", "序号", "工作任务", "责任处室") == [
        ("完善预案体系", "1", "完善应急预案体系（1）加强预案管理。（2）推进预案精编化。（3）加强预案演练。",
         "市应急局、各县（市、区）人民政府"),
        ("完善预案体系", "2", "加强队伍建设。", "市应急局"),
    ]


def test_problems_of_a_unit_share_its_rectification_line(run, workdir):
    """整改清单: a unit, its problems （1）（2）…, then one 整改责任单位/整改时限 line: each
    problem is a task of its own, carrying the unit's office and limit."""
    src = workdir / "问题清单.txt"
    src.write_text("创文问题清单\n1. 市科技馆\n(1)院内电动车未按指定区域停放;\n(2)灭火器过期未更换。\n"
                   "问题整改责任单位:市科技馆 整改时限:3天\n2. 市第二人民医院\n(1)禁烟标识数量不达标。\n"
                   "问题整改责任单位:市卫健委 整改时限:立行立改\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "类别", "工作任务", "责任处室", "时间进度安排", "时限类型") == [
        ("市科技馆", "院内电动车未按指定区域停放;", "市科技馆", "3天", "时限待定"),
        ("市科技馆", "灭火器过期未更换。", "市科技馆", "3天", "时限待定"),
        ("市第二人民医院", "禁烟标识数量不达标。", "市卫健委", "立行立改", "持续推进"),
    ]
    assert "1-01、1-02时间进度安排“3天”是从某天起算的期限" in flat(result.output)


def test_labels_real_lists_use(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年整改任务清单\n1.规范执法程序。（责任股室：法规股；完成时间：年底前）\n"
                   "2.清理积压案件。\n主办单位：执法大队\n协办单位：法规股\n办结时限：2023年9月30日\n"
                   "3.修订制度。\n责任科室：办公室\n责任人：张三\n整改措施：逐条修订。\n时间要求：6月底前\n",
                   encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室", "时间进度安排", "完成时限", "责任人", "整改措施") == [
        ("规范执法程序。", "法规股", "年底前", dt.datetime(2023, 12, 31), None, None),
        ("清理积压案件。", "执法大队、法规股", "2023年9月30日", dt.datetime(2023, 9, 30), None, None),
        ("修订制度。", "办公室", "6月底前", dt.datetime(2023, 6, 30), "张三", "逐条修订。"),
    ]
    header = [c.value for c in openpyxl.load_workbook(workdir / "总表.xlsx")["清单"][1]]
    assert header[4:7] == ["工作任务", "责任人", "整改措施"]  # context columns after the task


def test_items_numbered_like_categories_carry_their_offices(run, workdir):
    """一、 parts holding （一） items that carry 责任单位 directly: the items are tasks."""
    src = workdir / "清单.txt"
    src.write_text("2023年目标任务责任分解方案\n一、稳增长\n（一）地区生产总值增长6%。\n责任单位：区发改局\n"
                   "（二）固定资产投资增长8%。\n责任单位：区发改局、区住建局\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "清单", "类别", "序号", "工作任务", "责任处室") == [
        ("稳增长", None, "一", "地区生产总值增长6%。", "区发改局"),
        ("稳增长", None, "二", "固定资产投资增长8%。", "区发改局、区住建局"),
    ]


def test_category_written_as_a_sentence_and_prose_sections(run, workdir):
    """（一）实施行动。围绕…： — the category is the heading phrase, the rest the first
    task's 备注; 总体要求 / 保障措施 hold no task and are said to be left out."""
    src = workdir / "方案.txt"
    src.write_text("2023年基层治理实施方案\n一、总体要求\n（一）指导思想。以…为指导。\n（二）工作目标。到年底全覆盖。\n"
                   "二、重点任务\n（一）实施基层治理提升行动。围绕网格化管理，重点抓好以下工作：\n"
                   "1.建强网格队伍。（责任单位：区委政法委）\n2.完善网格制度。（责任单位：区民政局）\n"
                   "三、保障措施\n（一）加强组织领导。各单位要高度重视。\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "清单", "类别", "工作任务", "备注") == [
        ("重点任务", "实施基层治理提升行动", "建强网格队伍。", "围绕网格化管理，重点抓好以下工作："),
        ("重点任务", "实施基层治理提升行动", "完善网格制度。", None),
    ]
    out = flat(result.output)
    assert "第2行“一、总体要求”一节是说明文字，没有任务，未导入" in out
    assert "第9行“三、保障措施”一节是说明文字，没有任务，未导入" in out


def make_context_table(path: Path) -> None:
    """A table whose task has its goal, its measures and where it came from beside it."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("任务")
    ws.merge_range(0, 0, 0, 6, "2023年重点工作任务清单")
    ws.write_row(1, 0, ["序号", "重点任务", "工作目标", "具体措施", "牵头单位", "完成时限", "任务来源"])
    ws.write_row(2, 0, [1, "优化营商环境", "评价进入全省前十", "推行一网通办", "政务服务局", "年底前", "政府工作报告"])
    ws.write_row(3, 0, [2, "推进乡村振兴", "建成示范村5个", "整治人居环境", "农业农村局", "10月底前", ""])
    book.close()


def test_context_columns_are_kept_shown_on_forms_and_merged_back(run, workdir, libreoffice):
    make_context_table(workdir / "清单.xlsx")
    result = run("import", workdir / "清单.xlsx")
    assert result.exit_code == 0, result.output
    assert ("表头“工作目标”“具体措施”“任务来源”不是清单的固定列，已原样保留为总表“清单”表中的同名列，"
            "填报表上作为参考内容（锁定）显示" in flat(result.output))
    master = next((workdir / "workbooks").glob("*.xlsx"))
    ws = openpyxl.load_workbook(master)["清单"]
    assert [c.value for c in ws[1]][4:8] == ["工作任务", "工作目标", "具体措施", "任务来源"]
    assert [c.value for c in ws[2]][4:8] == ["优化营商环境", "评价进入全省前十", "推行一网通办", "政府工作报告"]

    # the master re-saved by LibreOffice keeps its context columns
    resaved = convert(libreoffice, master, "xlsx", workdir / "resaved")
    master.write_bytes(resaved.read_bytes())
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 0, result.output
    form = workdir / "output" / "2023Q2" / "下发" / "政务服务局.xlsx"
    sheet = openpyxl.load_workbook(form)["填报"]
    header = [c.value for c in sheet[5]]
    assert header[:6] == ["编号", "类别", "工作任务", "工作目标", "具体措施", "任务来源"]
    assert [c.value for c in sheet[6]][3:6] == ["评价进入全省前十", "推行一网通办", "政府工作报告"]
    assert all(c.protection.locked for c in sheet[6][:10]) and sheet.protection.sheet

    returned = workdir / "收件" / "政务服务局.xlsx"
    fill(form, returned, edit=lambda s: s.cell(6, 4, "改过的目标"))
    result = run("merge", workdir / "收件")
    assert result.exit_code == 1, result.output  # a row with a change to report: said, and taken
    assert "锁定内容被改动（工作目标），已按总表原文保留，只采用了填报的内容" in flat(result.output)
    progress = list(openpyxl.load_workbook(master)["进展"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3]) for r in progress] == [("1-01", "政务服务局", "推进中")]


def test_word_table_with_merged_task_column_and_numbered_measures(run, workdir):
    """主要任务 merged down beside numbered measures: each measure is a task, the merged
    task its category (as the 安康 安全生产 list)."""
    document = docx.Document()
    document.add_paragraph("2021年安全生产工作任务清单")
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(table.rows[0].cells, ["主要任务", "重点工作和要求", "责任单位", "完成时限"]):
        cell.text = text
    table.cell(1, 0).merge(table.cell(1, 3)).text = "一、加强安排部署"
    table.cell(2, 0).merge(table.cell(3, 0)).text = "（一）制定任务清单。"
    for r, (text, office, when) in enumerate([("1.制定全市任务清单。", "市安委办\n（工作专班办公室）", "1月20日前"),
                                              ("2.制定行业任务清单。", "各县区（开发区） 安委会", "2月10日前")], 2):
        for c, value in enumerate([text, office, when], 1):
            table.cell(r, c).text = value
    document.save(workdir / "清单.docx")
    result, rows = import_rows(run, workdir, workdir / "清单.docx")
    assert pick(rows, "清单", "类别", "序号", "工作任务", "责任处室", "完成时限") == [
        ("加强安排部署", "制定任务清单", "1", "制定全市任务清单。", "市安委办（工作专班办公室）", dt.datetime(2021, 1, 20)),
        ("加强安排部署", "制定任务清单", "2", "制定行业任务清单。", "各县区（开发区）安委会", dt.datetime(2021, 2, 10)),
    ]


@pytest.mark.parametrize("name", ["整改清单.txt"])
def test_lines_after_an_assignment_name_their_task(run, workdir, name):
    """Text after a task's office and deadline is not glued onto the next task nor
    dropped silently: the message names the task's line."""
    src = workdir / name
    src.write_text("2023年清单\n1.任务一。\n责任单位：办公室\n另请各单位于每月底报送进展。\n2.任务二。\n责任单位：人事科\n",
                   encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室") == [("任务一。", "办公室"), ("任务二。", "人事科")]
    assert ("第4行“另请各单位于每月底报送进展。”在第2行那项任务的责任单位、时限之后，看不出属于哪一项，未导入，请核对"
            in flat(result.output))


def test_problem_groups_numbered_from_one_again(run, workdir):
    """A news page's problem list: no headings, each group numbered from 1 and closed by
    its 整改责任单位/整改时限, a problem without a number, bullets with 主体责任/监督责任."""
    src = workdir / "督查问题.txt"
    src.write_text("近日\n督查组对部分单位进行督查\n1.员工食堂杂物乱堆放；\n2.临时厨房垃圾乱堆放。\n"
                   "整改责任单位：县污水处理厂\n整改时限：2021年8月13日前\n1.积水花盆较多。\n责任单位：县住建局\n"
                   "整改时限：2021年8月13日前\n操作间存在鼠粪。\n整改责任单位：县市场监管局\n整改时限：2021年8月13日前\n"
                   "● 市场摊位乱堆乱放。\n（主体责任：白茶村委会，监督责任：市工商局）\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert "清单名称：督查问题（文档里没有认出清单标题，取自文件名；如不对，可在总表中修改）" in result.output
    assert pick(rows, "序号", "工作任务", "责任处室", "完成时限") == [
        ("1", "员工食堂杂物乱堆放；", "县污水处理厂", dt.datetime(2021, 8, 13)),
        ("2", "临时厨房垃圾乱堆放。", "县污水处理厂", dt.datetime(2021, 8, 13)),
        ("1", "积水花盆较多。", "县住建局", dt.datetime(2021, 8, 13)),
        ("4", "操作间存在鼠粪。", "县市场监管局", dt.datetime(2021, 8, 13)),
        ("5", "市场摊位乱堆乱放。", "白茶村委会、市工商局", None),
    ]


def test_an_assignment_written_once_after_several_items_is_said(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2023年清单\n（一）组织建设\n1.任务一。\n2.任务二。\n责任单位：办公室\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室") == [("任务一。", "办公室"), ("任务二。", "办公室")]
    assert "第3行从这一行起的2项共用写在最后一项后面的责任单位、时限，已逐项填入，请核对" in flat(result.output)


# Shapes a review found read wrongly (each once gave a wrong or lost result):
# the document, then (工作任务, 责任处室, 时间进度安排, 备注) of every task.
REVIEWED = [
    pytest.param("2024年清单\n一、城市建设\n1.推进老旧小区改造。（责任单位：市住建局；2024年底前完成）\n",
                 [("推进老旧小区改造。", "市住建局", "2024年底前完成", None)], id="deadline-in-office-bracket"),
    pytest.param("2024年度主体责任清单\n各处室、各直属单位：\n为压实责任，现制定本清单如下。\n一、加强组织领导\n"
                 "1.召开专题会议。\n责任处室：办公室\n2.签订责任书。\n责任处室：人事处\nXX市民政局\n2024年2月20日\n",
                 [("召开专题会议。", "办公室", None, None), ("签订责任书。", "人事处", None, None)], id="signature-at-the-end"),
    pytest.param("2024年学习计划清单\n一、学习内容\n1.学习总书记重要讲话。\n责任处室：办公室\n"
                 "2.学习全会关于全面深化改革的决定\n责任处室：办公室\n",
                 [("学习总书记重要讲话。", "办公室", None, None), ("学习全会关于全面深化改革的决定", "办公室", None, None)],
                 id="task-naming-a-decision"),
    pytest.param("2024年清单\n1.每季度召开专题会议（党委会）。\n责任处室：办公室\n2.完成改造100个（全市）。\n责任处室：住建处\n",
                 [("每季度召开专题会议（党委会）。", "办公室", None, None), ("完成改造100个（全市）。", "住建处", None, None)],
                 id="asides-in-brackets"),
    pytest.param("2024年清单\n1.开展隐患排查（责任单位：市应急局），建立整改台账，确保问题清零（完成时限：2024年6月底前）\n",
                 [("开展隐患排查，建立整改台账，确保问题清零", "市应急局", "2024年6月底前", None)], id="text-between-brackets"),
    pytest.param("2024年清单\n1.推进城市更新。\n责任单位：市发改委、市财政局、\n市住建局、市交通局。\n完成时限：2024年12月底前\n"
                 "2.推进海绵城市。\n责任单位：市住建局\n（具体方案另行制定）\n说明：试点范围为主城区。\n",
                 [("推进城市更新。", "市发改委、市财政局、市住建局、市交通局", "2024年12月底前", None),
                  ("推进海绵城市。", "市住建局", None, "（具体方案另行制定），试点范围为主城区。")], id="office-list-over-lines"),
    pytest.param("2024年“两个责任”清单\n一、主体责任：局党委负主体责任\n1.召开党委会。\n责任处室：办公室\n"
                 "二、监督责任：纪检组履行监督责任\n2.开展日常监督。\n责任处室：机关纪委\n",
                 [("召开党委会。", "办公室", None, "局党委负主体责任"), ("开展日常监督。", "机关纪委", None, "纪检组履行监督责任")],
                 id="two-responsibilities-headings"),
    pytest.param("2024年清单\n一、党委主体责任清单\n1.召开党委会。\n责任处室：办公室\n二、党委书记第一责任人责任清单\n"
                 "（一）带头落实管党治党政治责任。\n（二）带头讲廉政党课。\n三、加强组织领导\n（一）完善工作机制\n1.建立谈心谈话制度。\n",
                 [("召开党委会。", "办公室", None, None), ("带头落实管党治党政治责任。", None, None, None),
                  ("带头讲廉政党课。", None, None, None), ("建立谈心谈话制度。", None, None, None)], id="leader-lists"),
    pytest.param("2024年整改清单\n一、XX超市（责任单位：区市场监管局）\n1.操作间存在鼠粪。\n2.食品过期。\n"
                 "二、XX餐饮店（责任单位：XX街道）\n1.未持健康证。\n2.无进货记录。\n整改时限：2024年5月31日前\n",
                 [("操作间存在鼠粪。", "区市场监管局", None, None), ("食品过期。", "区市场监管局", None, None),
                  ("未持健康证。", "XX街道", "2024年5月31日前", None), ("无进货记录。", "XX街道", "2024年5月31日前", None)],
                 id="units-with-their-problems"),
    pytest.param("2024年整改清单\n1.中心组学习流于形式。\n整改措施：\n（1）制定学习计划；\n（2）每月集中学习。\n"
                 "整改责任单位：办公室\n整改时限：2024年6月底前\n",
                 [("中心组学习流于形式。", "办公室", "2024年6月底前", None)], id="measures-numbered-below-their-label"),
    pytest.param("2024年任务分解\n1.稳定就业。①开展技能培训；②落实稳岗返还。（市人社局负责）\n"
                 "2.深化改革。（牵头单位：市发改委）\n（1）推进土地要素改革；\n（2）推进数据要素改革。\n完成时限：2024年底前\n",
                 [("稳定就业。①开展技能培训；②落实稳岗返还。", "市人社局", None, None),
                  ("深化改革。（1）推进土地要素改革；（2）推进数据要素改革。", "市发改委", "2024年底前", None)],
                 id="one-assignment-after-sub-items"),
    pytest.param("2024年清单\n1.每年3月底前报送上年度工作总结。\n责任处室：办公室\n",
                 [("每年3月底前报送上年度工作总结。", "办公室", "每年3月底前", None)], id="recurring-date-in-a-sentence"),
    # a second review
    pytest.param("XX县应急管理局文件\n平应急发〔2024〕3号\nXX县应急管理局2024年安全生产工作任务清单\n一、压实责任\n"
                 "1.签订责任书。（责任股室：综合股；完成时限：3月底前）\nXX县应急管理局\n2024年2月1日\n附件\n"
                 "重点企业名单\n1.XX化工有限公司\n",
                 [("签订责任书。", "综合股", "3月底前", None)], id="dated-list-then-its-attachment"),
    pytest.param("XX局关于印发《XX局2024年主体责任清单》的通知\n局机关各处室：\n现将清单印发给你们。\n"
                 "一、提高思想认识。各处室要深刻认识。\nXX局\n2024年3月10日\nXX局2024年主体责任清单\n"
                 "第一部分 局党组书记责任清单\n（1）履行第一责任人职责。\n（2）带头讲廉政党课。\n",
                 [("履行第一责任人职责。", None, None, None), ("带头讲廉政党课。", None, None, None)],
                 id="notice-before-a-list-of-parts"),
    pytest.param("2024年清单\n1.深化学习。（县委宣传部）\n2.关爱妇女儿童。（县妇联）\n3.推进基层治理。（各乡镇）\n",
                 [("深化学习。", "县委宣传部", None, None), ("关爱妇女儿童。", "县妇联", None, None),
                  ("推进基层治理。", "各乡镇", None, None)], id="offices-in-brackets-by-name"),
    pytest.param("2024年清单\n一、稳就业\n1.促进就业。（1）做好高校毕业生就业；（2）做好农民工就业（责任单位：市人社局），确保稳定。\n",
                 [("做好高校毕业生就业；", None, None, None), ("做好农民工就业，确保稳定。", "市人社局", None, None)],
                 id="inline-sub-items-with-a-bracket-inside"),
    pytest.param("2024年清单\n一、加强组织领导\n工作措施：\n1.调整领导小组。\n责任处室：办公室\n2.建立例会制度。\n责任处室：安监处\n",
                 [("调整领导小组。", "办公室", None, "工作措施："), ("建立例会制度。", "安监处", None, None)],
                 id="measures-label-above-tasks"),
    pytest.param("2024年清单\n1.开展招商引资。\n责任单位：区商务局、\n各街道要积极配合，确保项目早落地。\n2.优化营商环境。\n"
                 "责任单位：区政务服务中心\n",
                 [("开展招商引资。", "区商务局", None, None), ("优化营商环境。", "区政务服务中心", None, None)],
                 id="sentence-after-an-open-office-list"),
    pytest.param("2024年清单\n1.召开年度工作会议\n全局干部参加\n2024年1月20日\n责任处室：办公室\n2.完成年度述职\n"
                 "责任处室：人事处\n完成时限：\n2024年12月31日\nXX局办公室\n2024年1月5日\n",
                 [("召开年度工作会议全局干部参加2024年1月20日", "办公室", None, None),
                  ("完成年度述职", "人事处", "2024年12月31日", None)], id="dates-in-the-list-and-its-signature"),
    pytest.param("2024年清单\n1.XX中心小学食堂\n主体责任：XX中心小学\n监督责任：镇市场监管所\n",
                 [("XX中心小学食堂", "XX中心小学、镇市场监管所", None, None)], id="two-responsibilities-as-fields"),
    pytest.param("2024年整改清单\n一、政治建设方面\n1.理论学习不深入。（整改责任单位：办公室；整改时限：2024年6月底前）\n"
                 "（1）制定学习计划。\n（2）每月集中学习。\n",
                 [("理论学习不深入。（1）制定学习计划。（2）每月集中学习。", "办公室", "2024年6月底前", None)],
                 id="problem-with-its-measures"),
    pytest.param("2024年清单\n1.培育企业50家。（牵头单位：市工信局；配合单位：市财政局、\n市住建局）\n"
                 "2.推进数字经济。\n责任单位：市大数据局\n完成时限：2024年\n12月底前\n",
                 [("培育企业50家。", "市工信局、市财政局、市住建局", None, None),
                  ("推进数字经济。", "市大数据局", "2024年12月底前", None)], id="brackets-and-values-over-two-lines"),
    pytest.param("2024年清单\n1.推进X。（由市政务服务管理局牵头，各区政府及时配合）\n2.推进Y。（财务处、审计处（牵头））\n",
                 [("推进X。", "市政务服务管理局、各区政府", None, None), ("推进Y。", "审计处、财务处", None, None)],
                 id="office-wording"),
    pytest.param("XX区2024年生态环境保护工作任务清单\n一、大气污染防治\n推进燃煤锅炉淘汰。\n责任单位：区生态环境局\n"
                 "加强扬尘管控。\n责任单位：区住建局\n二、水污染防治\n开展河道清淤。\n责任单位：区水务局\n",
                 [("推进燃煤锅炉淘汰。", "区生态环境局", None, None), ("加强扬尘管控。", "区住建局", None, None),
                  ("开展河道清淤。", "区水务局", None, None)], id="tasks-without-numbers-under-headings"),
    pytest.param("XX局2024年工作任务清单\n一、加强党的建设（机关党委）\n1.开展主题教育。\n责任处室：机关党委\n"
                 "二、推进依法行政（政策法规处）\n1.修订执法规程。\n",
                 [("开展主题教育。", "机关党委", None, None), ("修订执法规程。", "政策法规处", None, None)],
                 id="heading-naming-its-office"),
    # a third review
    pytest.param("2024年清单\n一、生态环境\n1.开展河道清淤\n具体措施：完成主要河道清淤30公里。\n责任单位：市水利局\n",
                 [("开展河道清淤", "市水利局", None, None)], id="measures-label-on-the-task-line"),
    pytest.param("XX县卫健局2024年重点工作任务清单\n具体任务\n推进医共体建设\n责任单位\n具体任务\n开展爱国卫生运动\n"
                 "责任单位\n疾控股\n",
                 [("推进医共体建设", None, None, None), ("开展爱国卫生运动", "疾控股", None, None)], id="label-left-empty"),
    pytest.param("2024年清单\n一、大气污染防治\n推进燃煤锅炉淘汰。\n责任单位：市生态环境局\n完成时限：\n2024年10月底前\n"
                 "6月底前完成工地扬尘在线监测设备安装。\n责任单位：市住建局\n",
                 [("推进燃煤锅炉淘汰。", "市生态环境局", "2024年10月底前", None),
                  ("6月底前完成工地扬尘在线监测设备安装。", "市住建局", "6月底前", None)], id="schedule-label-then-the-next-task"),
    pytest.param("2024年清单\n一、大气污染防治\n推进燃煤锅炉淘汰\n责任单位：市生态环境局\n加强扬尘管控\n责任单位：市住建局\n"
                 "二、水污染防治\n1.开展河道清淤\n责任单位：市水利局\n各乡镇要积极配合\n2.推进管网建设\n责任单位：市住建局\n",
                 [("推进燃煤锅炉淘汰", "市生态环境局", None, None), ("加强扬尘管控", "市住建局", None, None),
                  ("开展河道清淤", "市水利局", None, None), ("推进管网建设", "市住建局", None, None)],
                 id="short-lines-after-an-office-are-no-offices"),
    pytest.param("2024年清单\n一、深化改革\n1.推进国企改革（市国资委）。\n2.新建幼儿园（新建3处）。\n"
                 "二、建设口袋公园（共5处）\n3.完成选址。（完成时限：3月底前）\n",
                 [("推进国企改革", "市国资委", None, None), ("新建幼儿园（新建3处）。", None, None, None),
                  ("完成选址。", None, "3月底前", None)], id="office-brackets-and-quantities"),
    pytest.param("2024年整改清单\n一、区市场监管局\n整改责任单位：区市场监管局\n1.抽检覆盖面不足。整改时限：2024年6月底前\n"
                 "二、区教育局（整改责任单位：区教育局）\n1.校园食堂管理不到位。（整改时限：2024年9月底前）\n",
                 [("抽检覆盖面不足。", "区市场监管局", "2024年6月底前", None),
                  ("校园食堂管理不到位。", "区教育局", "2024年9月底前", None)], id="unit-heading-with-its-office"),
    # a heading's offices go to the tasks that name none (a task's own bracket is its office)
    pytest.param("2024年清单\n一、夯实基础\n（一）建设政务云平台（市大数据局）\n1.完成政务云扩容。\n2.推进外网升级。\n"
                 "责任单位：市财政局\n二、县发改局牵头工作\n3.推进重大项目建设。（县财政局）\n",
                 [("完成政务云扩容。", "市大数据局、市财政局", None, None), ("推进外网升级。", "市大数据局、市财政局", None, None),
                  ("推进重大项目建设。", "县财政局", None, None)], id="bracket-office-beside-the-headings"),
    pytest.param("2024年清单\n一、生态环境\n（一）大气污染防治\n推进燃煤锅炉淘汰。\n责任单位：市生态环境局\n加强扬尘管控。\n"
                 "责任单位：市住建局\n二、营商环境\n（一）深化“放管服”改革，全面推行“一网通办”，\n压缩企业开办时间。\n"
                 "责任单位：市市场监管局\n",
                 [("推进燃煤锅炉淘汰。", "市生态环境局", None, None), ("加强扬尘管控。", "市住建局", None, None),
                  ("深化“放管服”改革，全面推行“一网通办”，压缩企业开办时间。", "市市场监管局", None, None)],
                 id="a-sentence-over-two-lines-is-no-heading"),
    pytest.param("2024年整改清单\n一、市场监管局\n1.抽检覆盖面不足。整改时限：2024年6月底前\n2.案卷不规范。整改时限：2024年3月底前\n"
                 "整改责任单位：区市场监管局\n二、落实主体责任不到位\n1.研究工作次数少。\n2.监督检查不够。\n整改责任单位：办公室\n"
                 "3.培训针对性不强。\n4.培养力度不够。\n整改责任单位：人事科\n",
                 [("抽检覆盖面不足。", "区市场监管局", "2024年6月底前", None), ("案卷不规范。", "区市场监管局", "2024年3月底前", None),
                  ("研究工作次数少。", "办公室", None, None), ("监督检查不够。", "办公室", None, None),
                  ("培训针对性不强。", "人事科", None, None), ("培养力度不够。", "人事科", None, None)],
                 id="one-office-closing-each-group"),
    pytest.param("2024年清单\n一、城市更新\n（一）推进老旧小区改造。\n责任单位：市住建局\n完成时限：\n1.2024年6月底前完成方案；\n"
                 "2.2024年12月底前完成改造。\n",
                 [("推进老旧小区改造。", "市住建局", "1.2024年6月底前完成方案；2.2024年12月底前完成改造。", None)],
                 id="schedule-label-above-numbered-stages"),
    pytest.param("2024年清单\n一、大气污染防治\n全年PM2.5浓度下降5%，重点抓好以下工作：\n推进燃煤锅炉淘汰。\n责任单位：市生态环境局\n"
                 "加强扬尘管控。\n责任单位：市住建局\n",
                 [("推进燃煤锅炉淘汰。", "市生态环境局", None, "全年PM2.5浓度下降5%，重点抓好以下工作："),
                  ("加强扬尘管控。", "市住建局", None, None)], id="a-line-leading-into-unnumbered-tasks"),
    pytest.param("2024年清单\n一、综合管理\n1.修订制度汇编。\n附件：机关管理制度目录（另发）\n责任处室：办公室\n2.推进档案数字化。\n"
                 "责任处室：办公室\n",
                 [("修订制度汇编。附件：机关管理制度目录（另发）", "办公室", None, None), ("推进档案数字化。", "办公室", None, None)],
                 id="an-attachment-named-inside-a-task"),
    pytest.param("2024年整改清单\n胖东来时代广场（责任单位：魏都区市场监管所）\n（该商户已于3月停业整顿）\n1.操作间存在鼠粪。\n"
                 "2.冷藏柜温度超标。\n",
                 [("操作间存在鼠粪。", "魏都区市场监管所", None, "（该商户已于3月停业整顿）"),
                  ("冷藏柜温度超标。", "魏都区市场监管所", None, None)], id="unit-heading-with-an-aside"),
    # a fourth review
    pytest.param("2024年清单\n1.召开专题会议。\n责任处室：办公室\n完成时限：\n2.开展警示教育。\n责任处室：机关纪委\n"
                 "完成时限：2024年6月底前\n",
                 [("召开专题会议。", "办公室", None, None), ("开展警示教育。", "机关纪委", "2024年6月底前", None)],
                 id="an-empty-schedule-label-before-the-next-task"),
    pytest.param("XX县督查问题通报\n明馨园小区\n存在问题：公示栏破损。\n存在问题：电动车乱停放。\n责任单位：嵩阳街道\n",
                 [("公示栏破损。", "嵩阳街道", None, None), ("电动车乱停放。", "嵩阳街道", None, None)],
                 id="two-problems-under-one-place"),
    pytest.param("2024年清单\n一、推进城市更新\n（一）实施城市更新行动\n全年改造老旧小区100个。\n责任单位：市住建局\n"
                 "1.开展城市体检。（责任单位：市自然资源局）\n",
                 [("实施城市更新行动全年改造老旧小区100个。", "市住建局", None, None),
                  ("开展城市体检。", "市自然资源局", None, None)], id="a-heading-with-its-own-paragraph-is-a-task"),
    pytest.param("2024年清单\n1.规范会计核算。（省财政厅会计处）\n2.办好年度会议。（市政府办公室会务处）\n"
                 "3.开展志愿服务。（共青团市委）\n4.加强秘书工作。（市政府办公室秘书一处）\n",
                 [("规范会计核算。", "省财政厅会计处", None, None), ("办好年度会议。", "市政府办公室会务处", None, None),
                  ("开展志愿服务。", "共青团市委", None, None), ("加强秘书工作。", "市政府办公室秘书一处", None, None)],
                 id="office-names-that-hold-hui-gong-or-a-number"),
    pytest.param("2024年清单\n1.深化国企改革（市国资委）。\n2.研究部署工作。\n责任处室：办公室\n3.推进审批改革。\n完成时限：9月底前\n"
                 "4.推进一网通办。\n责任单位：市政务服务管理局\n完成时限：12月底前\n",
                 [("深化国企改革", "市国资委", None, None), ("研究部署工作。", "办公室", None, None),
                  ("推进审批改革。", None, "9月底前", None), ("推进一网通办。", "市政务服务管理局", "12月底前", None)],
                 id="a-tasks-own-office-is-never-the-groups"),
    pytest.param("XX局清单\n责任处室：办公室\n一、党建工作（牵头领导：李书记）\n1.召开会议。\n2.开展教育。（机关纪委牵头，人事处配合）\n",
                 [("召开会议。", "办公室", None, None), ("开展教育。", "机关纪委、人事处", None, None)],
                 id="outer-offices-fill-only-what-a-task-does-not-say"),
    pytest.param("2024年清单\n1.开展全民阅读。\n责任单位：市委宣传部、市文旅局、\n市广播电视台、XX日报社\n2.推进气象防灾。\n"
                 "配合单位：市应急局、\n市气象台\n",
                 [("开展全民阅读。", "市委宣传部、市文旅局、市广播电视台、XX日报社", None, None),
                  ("推进气象防灾。", "市应急局、市气象台", None, None)], id="an-open-office-list-goes-on"),
    pytest.param("2024年清单\n一、公共服务\n新建市民服务中心\n责任单位：市发改委\n组建城市运营集团\n责任单位：市国资委\n",
                 [("新建市民服务中心", "市发改委", None, None), ("组建城市运营集团", "市国资委", None, None)],
                 id="a-task-named-like-an-office"),
    pytest.param("2024年清单\n1.压实“两个责任”（主体责任；监督责任）。\n责任处室：机关党委\n",
                 [("压实“两个责任”（主体责任；监督责任）。", "机关党委", None, None)], id="a-semicolon-inside-an-aside"),
    pytest.param("XX市场食品安全检查问题整改清单\n操作间存在鼠粪。\n整改责任单位：魏都区市场监管所\n冷藏柜温度超标。\n"
                 "整改责任单位：XX超市\n",
                 [("操作间存在鼠粪。", "魏都区市场监管所", None, None), ("冷藏柜温度超标。", "XX超市", None, None)],
                 id="a-list-with-no-numbers-at-all"),
]


@pytest.mark.parametrize("text,exp", REVIEWED)
def test_shapes_a_review_found(run, workdir, text, exp):
    src = workdir / "清单.txt"
    src.write_text(text, encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室", "时间进度安排", "备注") == exp
    assert "Traceback" not in result.output


def test_measures_and_recurring_dates_go_where_they_belong(run, workdir):
    src = workdir / "清单.txt"
    src.write_text(REVIEWED[9].values[0] + "2.每年3月底前报送总结。\n责任处室：办公室\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert rows[0]["整改措施"] == "（1）制定学习计划；（2）每月集中学习。"
    assert (rows[1]["时限类型"], rows[1]["完成时限"]) == ("定期", None)


def table(path: Path, rows: list[list]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("清单")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return path


def test_a_task_spanning_two_rows_with_two_people_stays_the_task(run, workdir):
    src = table(workdir / "清单.xlsx", [["2024年度责任清单"], ["序号", "工作任务", "责任处室", "责任人", "完成时限"],
                                       [1, "召开党委会", "办公室", "张三", "6月底前"],
                                       [2, "开展廉政谈话", "机关纪委", "李四", "持续推进"],
                                       ["", "开展廉政谈话", "人事处", "王五", "持续推进"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "类别", "工作任务", "责任处室", "责任人") == [
        (None, "召开党委会", "办公室", "张三"), (None, "开展廉政谈话", "机关纪委、人事处", "李四，王五")]


def test_source_columns_named_like_the_forms_are_kept_apart(run, workdir):
    """A list that already has 进展情况 and 佐证材料: kept as （原表） columns, not taken for the
    form's own (they would be shown twice and read back as what the office wrote)."""
    src = table(workdir / "清单.xlsx", [["2024年度党建工作责任清单"],
                                       ["序号", "工作任务", "责任处室", "完成时限", "进展情况", "佐证材料", "时限类型"],
                                       [1, "召开党委会", "办公室", "6月底前", "已召开1次", "会议纪要", "限时"]])
    result, rows = import_rows(run, workdir, src)
    assert (rows[0]["进展情况（原表）"], rows[0]["佐证材料（原表）"], rows[0]["时限类型（原表）"]) == (
        "已召开1次", "会议纪要", "限时")
    assert rows[0]["时限类型"] == "限时完成"


def test_a_measures_column_left_empty_does_not_take_over_the_task(run, workdir):
    src = table(workdir / "清单.xlsx", [["2024年安全生产重点工作任务清单"],
                                       ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"],
                                       [1, "开展危化品专项整治", "排查企业100家", "市应急局", "6月底前"],
                                       [2, "开展危化品专项整治", "建立隐患台账", "市应急局", "9月底前"],
                                       [3, "加强基层应急队伍建设", "", "市应急局", "持续推进"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "具体措施") == [("开展危化品专项整治", "排查企业100家"),
                                              ("开展危化品专项整治", "建立隐患台账"), ("加强基层应急队伍建设", None)]


def test_a_notice_before_a_word_table_gives_no_part(run, workdir):
    document = docx.Document()
    for text in ["关于印发XX县2024年重点工作任务清单的通知", "各乡镇人民政府，县直各部门：",
                 "现将《XX县2024年重点工作任务清单》印发给你们，请认真抓好落实。", "一、提高思想认识。各单位要高度重视。",
                 "二、严格督查考核。县督查室每月通报。", "XX县人民政府办公室"]:
        document.add_paragraph(text)
    grid = document.add_table(rows=2, cols=4)
    for r, row in enumerate([["序号", "工作任务", "责任单位", "完成时限"], ["1", "新建学校2所", "县教育局", "8月底前"]]):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    document.add_paragraph("附件2")
    grid = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["序号", "考核内容", "责任单位"], ["1", "不属于清单的考核项", "县督查室"]]):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    document.save(workdir / "通知.docx")
    result, rows = import_rows(run, workdir, workdir / "通知.docx")
    assert pick(rows, "清单", "工作任务") == [("XX县2024年重点工作任务清单", "新建学校2所")]
    assert "从“附件2”起是另一个附件，未导入" in flat(result.output)


def test_a_thousand_items_and_more(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2024年大清单\n" + "".join(f"{n}.任务{n}。\n责任处室：办公室\n" for n in range(1, 1006)),
                   encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert len(rows) == 1005 and rows[-1]["工作任务"] == "任务1005。" and rows[-1]["序号"] == "1005"


def test_a_list_naming_only_collective_addressees_says_so(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2024年清单\n1.完善应急预案。（责任单位：市直各有关单位、各县（市、区）人民政府）\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert "责任处室只写了“各有关单位”这类统称，没有具体处室。请在总表“清单”表的“责任处室”列改写为具体处室。" in result.output
    assert "没有找到任何责任处室" not in result.output


def test_a_table_with_a_header_and_no_rows_says_so(run, workdir):
    src = table(workdir / "清单.xlsx", [["2024年度责任清单"], ["序号", "工作任务", "责任处室", "完成时限"]])
    result = run("import", src, "-o", "总表.xlsx")
    assert result.exit_code == 1
    assert result.output.strip() == (f"{src}：找到了表头，但表头下面没有任务行。请确认选对了文件（或工作表），"
                                     "任务写在表头下面的各行里。")
    assert not (workdir / "总表.xlsx").exists()


def test_a_task_column_named_in_other_words_is_found_by_its_text(run, workdir):
    src = table(workdir / "清单.xlsx", [["2024年民生项目清单"], ["序号", "民生项目", "责任单位", "完成时限"],
                                       [1, "新建幼儿园3所，新增学位900个", "县教育局", "9月底前"],
                                       [2, "改造老旧小区10个", "县住建局", "年底前"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室") == [("新建幼儿园3所，新增学位900个", "县教育局"), ("改造老旧小区10个", "县住建局")]
    assert "表头中没有“工作任务”这类列名，按内容把“民生项目”列作为工作任务，请核对" in flat(result.output)


def test_a_task_laid_out_as_a_form(run, workdir):
    src = table(workdir / "广州市2019年重点工作落实情况.xlsx", [
        ["重点工作：", "支持广州开发区打造营商环境改革创新试验区。"], ["牵头单位：", "广州开发区管委会"],
        ["年度阶段性工作目标：", "第一季度：完成课题研究。"], ["进展落实情况：", "按计划推进中。"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室", "年度阶段性工作目标", "进展落实情况") == [
        ("支持广州开发区打造营商环境改革创新试验区。", "广州开发区管委会", "第一季度：完成课题研究。", "按计划推进中。")]


def test_labels_and_values_on_lines_of_their_own(run, workdir):
    """A web page's table copied as text: each label on its line, its content on the next."""
    src = workdir / "同心县2023年任务分解.txt"
    src.write_text("具体任务\n全面落实疫情防控措施，守好疫情防线。\n责任单位\n卫健局、文旅局\n配合单位\n各乡镇\n完成时限\n12月底前\n",
                   encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室", "时间进度安排", "完成时限") == [
        ("全面落实疫情防控措施，守好疫情防线。", "卫健局、文旅局、各乡镇", "12月底前", dt.datetime(2023, 12, 31))]


def test_problems_labelled_under_the_places_they_were_found(run, workdir):
    """A 督查 report: each place on a line, its problems after 存在问题：, then who
    answers for them; the time of the visit is no title."""
    src = workdir / "实地督查问题.txt"
    src.write_text("督查时间：2021年8月10日\n明馨园小区\n存在问题：公示栏管理不到位。\n责任单位：县住建局\n"
                   "滨江路农贸市场\n存在问题：占道经营。\n责任单位：县市场监管局、县城管局\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "类别", "工作任务", "责任处室") == [
        ("明馨园小区", "公示栏管理不到位。", "县住建局"), ("滨江路农贸市场", "占道经营。", "县市场监管局、县城管局")]
    assert {row["清单"] for row in rows} == {"实地督查问题"}


def test_a_header_spanning_a_grouping_column_and_its_places(run, workdir):
    """具体点位 written over two columns, the first merged down (the 街道 a place is in):
    the first is the category, the second keeps its name beside the task; 请…协调解决 in
    the office column names the office asked."""
    src = workdir / "问题清单.xlsx"
    book = xlsxwriter.Workbook(str(src))
    sheet = book.add_worksheet("问题")
    sheet.write_row(0, 0, ["序号", "具体点位", "具体点位", "存在问题", "责任单位"])
    sheet.merge_range(1, 1, 2, 1, "滨江街道辖区")
    sheet.merge_range(3, 1, 4, 1, "城南街道辖区")
    for r, row in enumerate([[1, "", "明馨园小区", "公示栏破损", "滨江街道"], [2, "", "滨江农贸市场", "占道经营", "请区市场监管局协调解决"],
                             [3, "", "南门菜场", "垃圾未清运", "城南街道"], [4, "", "南苑小区", "车辆乱停", "区城管局"]], start=1):
        sheet.write(r, 0, row[0])
        sheet.write_row(r, 2, row[2:])
    book.close()
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "类别", "具体点位", "工作任务", "责任处室") == [
        ("滨江街道辖区", "明馨园小区", "公示栏破损", "滨江街道"), ("滨江街道辖区", "滨江农贸市场", "占道经营", "区市场监管局"),
        ("城南街道辖区", "南门菜场", "垃圾未清运", "城南街道"), ("城南街道辖区", "南苑小区", "车辆乱停", "区城管局")]


def test_an_assignment_above_the_first_task_is_the_whole_lists(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("XX局2024年党风廉政建设工作任务清单\n为压实责任，现制定本清单，请各处室认真落实。\n牵头领导：张三\n"
                   "责任处室：办公室\n完成时限：2024年12月底前\n1.召开专题会议。\n2.签订责任书。\n责任处室：人事处\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "牵头领导", "责任处室", "时间进度安排") == [
        ("召开专题会议。", "张三", "办公室", "2024年12月底前"), ("签订责任书。", "张三", "人事处", "2024年12月底前")]
    out = flat(result.output)
    assert "第3行写在第一项任务之前的“牵头领导、责任处室、完成时限”对整份清单适用，已填入每一项（自己写了的项除外），请核对" in out
    assert "第2行“为压实责任，现制定本清单，请各处室认真落实。”写在第一项任务之前，是说明文字，未作为任务导入，请核对" in out


@pytest.mark.parametrize("text,title", [
    pytest.param("中共XX局党组关于印发2024年度全面从严治党主体责任清单的通知\n各处室：\n现将清单印发给你们，并提出如下要求：\n"
                 "一、提高思想认识。各处室要深刻认识。\n二、强化责任落实。各处室要履职尽责。\n附件：2024年度全面从严治党主体责任清单\n"
                 "XX局党组2024年度全面从严治党主体责任清单\n一、党组主体责任\n1.研究部署工作。（责任处室：办公室）\n",
                 "XX局党组2024年度全面从严治党主体责任清单", id="attachment-named-without-its-issuer"),
    pytest.param("XX县卫健局2024年重点工作任务清单\n各科室、各下属单位：\n1.落实家庭医生签约服务。\n责任单位\n基层卫生股\n"
                 "完成时间\n2024年6月30日\n2.推进医共体建设。\n责任单位\n医政股\n",
                 "XX县卫健局2024年重点工作任务清单", id="a-date-under-a-label-is-no-notice-date"),
    pytest.param("XX局2024年度全面从严治党主体责任清单\n2024年1月5日\n各处室、各直属单位：\n一、党委主体责任\n"
                 "1.研究部署工作。（责任处室：办公室）\n", "XX局2024年度全面从严治党主体责任清单", id="title-above-the-date"),
    pytest.param("XX局贯彻落实市委关于全面深化改革的决定\n2024年重点任务清单\n一、深化审批改革\n1.推行告知承诺制。（责任处室：审批处）\n",
                 "XX局贯彻落实市委关于全面深化改革的决定2024年重点任务清单", id="title-over-two-lines-naming-a-decision"),
])
def test_the_list_and_its_title_after_a_notice_or_a_preamble(run, workdir, text, title):
    """Every task is imported (none taken from the notice, none dropped before it) under
    the list's own title."""
    src = workdir / "清单.txt"
    src.write_text(text, encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    offices = {"研究部署工作。": "办公室", "落实家庭医生签约服务。": "基层卫生股", "推进医共体建设。": "医政股",
               "推行告知承诺制。": "审批处"}
    assert [(r["工作任务"], r["责任处室"]) for r in rows] == [(r["工作任务"], offices[r["工作任务"]]) for r in rows]
    assert len(rows) == text.count("（责任处室") + text.count("\n责任单位\n")
    assert f"清单名称：{title}" in flat(result.output)


def test_problems_under_a_title_line_are_no_place(run, workdir):
    src = workdir / "整改清单.txt"
    src.write_text("XX社区2024年环境卫生检查问题整改清单\n存在问题：公示栏管理不到位。\n整改责任单位：社区居委会\n"
                   "存在问题：楼道堆放杂物。\n整改责任单位：物业公司\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "清单", "类别", "工作任务", "责任处室") == [
        ("XX社区2024年环境卫生检查问题整改清单", None, "公示栏管理不到位。", "社区居委会"),
        ("XX社区2024年环境卫生检查问题整改清单", None, "楼道堆放杂物。", "物业公司")]


def test_a_line_after_an_assignment_that_is_no_office_is_said(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("2024年水利重点工作清单\n1.开展河道清淤\n责任单位：市水利局\n力争6月底前完成\n2.推进管网建设\n"
                   "责任单位：市住建局\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室") == [("开展河道清淤", "市水利局"), ("推进管网建设", "市住建局")]
    assert "第4行“力争6月底前完成”在第2行那项任务的责任单位、时限之后，看不出属于哪一项，未导入，请核对" in flat(result.output)


def test_table_rows_that_are_no_tasks(run, workdir):
    """A part row with its office, a row left with only its number, a 合计 row, the
    form's 填表人 lines and a footnote: none is a task (nor a task's 备注), each is said; the
    part's office goes to its tasks."""
    src = table(workdir / "清单.xlsx", [
        ["XX局2024年重点工作任务清单"], ["填报单位：XX局办公室", "", "", "", "填报日期：2024年1月5日"],
        ["序号", "工作任务", "责任单位", "完成时限", "备注"],
        ["一", "加强党的建设", "机关党委", "", ""], [1, "推进模范机关建设", "", "2024年底前", ""],
        [2, "深化主题教育", "办公室", "6月底前", ""], [3], [4, "开展作风整顿", "", "9月底前", ""],
        ["合计", "3项"], ["填表人：张三", "", "审核人：李四"], ["", "", "", "", "注：以上任务纳入年度考核。"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "清单", "序号", "工作任务", "责任处室") == [
        ("加强党的建设", "1", "推进模范机关建设", "机关党委"), ("加强党的建设", "2", "深化主题教育", "办公室"),
        ("加强党的建设", "4", "开展作风整顿", "机关党委")]
    out = flat(result.output)
    for said in ["清单第2行“填报单位：XX局办公室”是填表信息，不是任务，未导入",
                 "清单第2行“填报日期：2024年1月5日”是填表信息，不是任务，未导入",
                 "清单第7行这一行只有序号“3”，没有内容，已跳过", "清单第9行“合计、3项”是合计行，不是任务，未导入",
                 "清单第10行“填表人：张三、审核人：李四”是填表信息，不是任务，未导入",
                 "清单第11行“注：以上任务纳入年度考核。”是表格下方对整张表的说明，未导入到某一项任务，请核对"]:
        assert said in out


def test_a_document_cited_in_the_preamble_names_no_list_and_its_signature_no_office(run, workdir):
    src = workdir / "官渡区稳增长若干措施.txt"
    src.write_text("为促进经济平稳发展，根据《昆明市人民政府关于印发昆明市稳增长若干措施的通知》，特制定如下措施。\n"
                   "1.精简审批手续。（区政务服务局牵头，区发改局配合）\n2.提高土地审批效率。责任单位：区国土分局。\n"
                   "上述责任单位要高度重视，务必按时整改。\n区政府督查室\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "清单", "工作任务", "责任处室") == [
        ("官渡区稳增长若干措施", "精简审批手续。", "区政务服务局、区发改局"),
        ("官渡区稳增长若干措施", "提高土地审批效率。", "区国土分局")]
    out = flat(result.output)
    assert "清单名称：官渡区稳增长若干措施（文档里没有认出清单标题，取自文件名；如不对，可在总表中修改）" in out
    assert "第5行“区政府督查室”在第3行那项任务的责任单位、时限之后，看不出属于哪一项，未导入，请核对" in out


def test_a_column_named_a_task_word_is_the_task_before_one_that_holds_it(run, workdir):
    """重点工作 | 工作任务安排 (this quarter's arrangement): the work item is the task; the
    arrangement, whose header only holds the word 工作任务, is a context column."""
    src = table(workdir / "镇2024年重点工作计划.xlsx", [["序号", "重点工作", "责任科室", "工作任务安排"],
                                                   [1, "白仙山水库工程政策处理", "水利办", "推进坟墓迁移工作。"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "责任处室", "工作任务安排") == [("白仙山水库工程政策处理", "水利办", "推进坟墓迁移工作。")]


def test_table_part_rows_and_notes_a_fourth_review_found(run, workdir):
    """A 一 row with more in it than a name and an office is a task; a part row's office
    that no task takes is said; 重点任务（项目） is the task column before 具体措施; a 说明：
    row between tasks is the note of the task above; 4 | 小计 is no task."""
    src = table(workdir / "清单.xlsx", [
        ["XX县2024年重点任务分解表"], ["序号", "重点任务（项目）", "具体措施", "责任单位", "完成时限", "备注"],
        ["一", "加强党的建设", "", "机关党委", "", "纳入年度考核"], [1, "推进模范机关建设", "创建3个示范支部", "", "年底前", ""],
        ["二", "优化营商环境", "", "县发改局", "", ""], [2, "压缩开办时间", "一日办结", "县市场监管局", "6月底前", ""],
        ["", "", "", "", "", "说明：需财政保障"], [3, "推行一网通办", "全程网办", "县政务服务局", "9月底前", ""],
        [4, "小计"]])
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "清单", "工作任务", "具体措施", "责任处室", "备注") == [
        ("XX县2024年重点任务分解表", "加强党的建设", None, "机关党委", "纳入年度考核"),
        ("XX县2024年重点任务分解表", "推进模范机关建设", "创建3个示范支部", None, None),
        ("优化营商环境", "压缩开办时间", "一日办结", "县市场监管局", "说明：需财政保障"),
        ("优化营商环境", "推行一网通办", "全程网办", "县政务服务局", None)]
    out = flat(result.output)
    assert "清单第5行这一行（清单标题行）写的“县发改局”，下面各项都写了自己的责任单位，没有填入，请核对" in out
    assert "清单第9行“4、小计”是合计行，不是任务，未导入" in out


def test_what_headings_and_the_top_give_is_said(run, workdir):
    src = workdir / "清单.txt"
    src.write_text("XX局2024年清单\n责任领导：张局长\n1.主持全面工作。\n2.落实民主集中制。\n责任领导：李副局长\n"
                   "3.抓好分管处室。\n4.落实一岗双责。\n二、业务工作\n（一）推进审批改革\n责任单位：审批科\n5.压缩审批时限。\n"
                   "6.推行告知承诺。（责任单位：法规科）\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "牵头领导", "责任处室")[-2:] == [("压缩审批时限。", None, "审批科"),
                                                            ("推行告知承诺。", None, "法规科")]
    out = flat(result.output)
    assert "第2行“责任领导：张局长”写在第一项任务之前，下面又写了同样的栏目，看不出它管哪几项，未导入，请核对" in out
    assert "第9行这一行标题写的责任单位已填入下面没写责任单位的1项（写了的按各自的），请核对" in out


def test_a_list_named_between_two_word_tables_is_a_part_of_its_own(run, workdir):
    document = docx.Document()
    document.add_paragraph("XX局2024年重点工作清单")
    for name, rows in [("", [["序号", "工作任务", "责任单位"], ["一", "加强党的建设", "机关党委"], ["1", "推进模范机关建设", ""]]),
                       ("XX局2024年民生实事清单", [["序号", "工作任务", "责任单位"], ["1", "改造老旧小区", ""]])]:
        if name:
            document.add_paragraph(name)
        grid = document.add_table(rows=len(rows), cols=3)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.save(workdir / "清单.docx")
    result, rows = import_rows(run, workdir, workdir / "清单.docx")
    assert pick(rows, "清单", "工作任务", "责任处室") == [("加强党的建设", "推进模范机关建设", "机关党委"),
                                                    ("XX局2024年民生实事清单", "改造老旧小区", None)]


def test_a_seventh_rounds_shapes(run, workdir):
    """The issuer's name on the line above 关于…的实施方案 heads the title; a leader field
    naming its rule keeps the names (the rule goes to 备注); a heading `存在问题：` after the
    notice's 附件 is the list's title."""
    src = workdir / "方案.txt"
    src.write_text("华容县文旅广电局\n关于落实2021年重点工作任务的实施方案\n一、重点任务\n"
                   "1.推进图书馆建设。\n责任领导：按《市委工作要点》分工（蒋永根、俞福才）\n责任单位：县图书馆\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "工作任务", "牵头领导", "备注") == [("推进图书馆建设。", "蒋永根、俞福才", "按《市委工作要点》分工")]
    assert "清单名称：华容县文旅广电局关于落实2021年重点工作任务的实施方案" in flat(result.output)
    src = workdir / "整改通知.txt"
    src.write_text("关于对城区环境卫生检查情况的整改通知\n仁兴街道办事处、区住建局：\n请对存在的问题立即整改。\n附件：存在问题\n"
                   "四平市铁西区人民政府督查室\n2019年5月15日\n附件：\n存在问题：\n1.胡同内垃圾。（责任单位：英雄街道）\n"
                   "2.路面破损。（责任单位：住建局）\n", encoding="utf-8")
    result, rows = import_rows(run, workdir, src, "--force")
    assert pick(rows, "清单", "工作任务", "责任处室") == [("存在问题", "胡同内垃圾。", "英雄街道"), ("存在问题", "路面破损。", "住建局")]


def test_a_column_merged_down_just_before_the_tasks_is_their_category(run, workdir):
    src = workdir / "清单.docx"
    document = docx.Document()
    rows = [["序号", "指标", "工作任务", "责任股室"], ["1", "公共文化服务", "免费开放服务人次增长15%。", "文化馆"],
            ["2", "公共文化服务", "组织惠民演出100场。", "文化馆"], ["3", "旅游发展", "创建A级景区1家。", "旅游股"],
            ["4", "旅游发展", "举办观花活动。", "旅游股"]]
    grid = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    grid.cell(1, 1).merge(grid.cell(2, 1)).text = "公共文化服务"
    grid.cell(3, 1).merge(grid.cell(4, 1)).text = "旅游发展"
    document.save(src)
    result, rows = import_rows(run, workdir, src)
    assert pick(rows, "类别", "工作任务") == [("公共文化服务", "免费开放服务人次增长15%。"), ("公共文化服务", "组织惠民演出100场。"),
                                          ("旅游发展", "创建A级景区1家。"), ("旅游发展", "举办观花活动。")]
