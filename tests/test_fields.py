"""A task's assignment as written beside it (fields.py), as exp/got tables.

The lines are in the shapes seen in real published lists (tests/corpus/)."""

import pytest

from qingdan.fields import office_value, split_fields

LEAD, OFFICE, HELP, SCHEDULE, LEADER, NOTE = "lead_office", "office", "help_office", "schedule", "leader", "note"

SPLITS = [
    # line, expected (text, fields)
    ("任务。（责任处室：办公室；完成时限：6月底前）", ("任务。", [(OFFICE, "办公室"), (SCHEDULE, "6月底前")])),
    ("责任处室：人事教育处、办公室", ("", [(OFFICE, "人事教育处、办公室")])),
    ("责 任 处 室\t纪委", ("", [(OFFICE, "纪委")])),
    ("【责任单位】办公室", ("", [(OFFICE, "办公室")])),
    ("责任处室（单位）：办公室", ("", [(OFFICE, "办公室")])),
    # labels real lists use
    ("问题整改责任单位:市科技馆 整改时限:3天", ("", [(OFFICE, "市科技馆"), (SCHEDULE, "3天")])),
    ("（责任股室：法规股；完成时间：年底前）", ("", [(OFFICE, "法规股"), (SCHEDULE, "年底前")])),
    ("责任科室：办公室", ("", [(OFFICE, "办公室")])),
    ("承办单位：政策法规科", ("", [(OFFICE, "政策法规科")])),
    ("主办单位：A局；协办单位：B局", ("", [(LEAD, "A局"), (HELP, "B局")])),
    ("办结时限：2023年9月30日", ("", [(SCHEDULE, "2023年9月30日")])),
    ("分管省领导：林克庆", ("", [(LEADER, "林克庆")])),
    ("牵头负责领导：束学龙。", ("", [(LEADER, "束学龙")])),
    ("部门分工：省发展改革委牵头，各地、各部门配合。", ("", [(OFFICE, "省发展改革委牵头，各地、各部门配合。")])),
    # a field opened in a bracket ends where it closes; text after it is text
    ("（一）加强X（牵头单位：A局）。具体包括B", ("（一）加强X。具体包括B", [(LEAD, "A局")])),
    ("推进Y〔责任单位：省发展改革委〕", ("推进Y", [(OFFICE, "省发展改革委")])),
    # a bracket at the end naming offices with their roles, without a label
    ("全面实施X。（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）",
     ("全面实施X。", [(LEAD, "市政府办公室、市审改办牵头"), (OFFICE, "市级各有关部门及各县市区政府按职责分工负责")])),
    ("推进Z。（市发改委牵头，市财政局、各区县配合）", ("推进Z。", [(LEAD, "市发改委牵头"), (HELP, "市财政局、各区县配合")])),
    # text after a field's bracket and before the next label is the task's
    ("1.开展隐患排查（责任单位：市应急局），建立整改台账并跟踪销号，确保问题动态清零（完成时限：2024年6月底前）",
     ("1.开展隐患排查，建立整改台账并跟踪销号，确保问题动态清零", [(OFFICE, "市应急局"), (SCHEDULE, "2024年6月底前")])),
    ("责任单位：A局（完成时限：6月底前）", ("", [(OFFICE, "A局"), (SCHEDULE, "6月底前")])),
    # a bracket without roles is an aside, even when it names a body
    # offices by their own names, no roles: a bracket the task takes unless it names its offices elsewhere
    ("落实责任（市发改委、市财政局）", ("落实责任", [("bracket_office", "（市发改委、市财政局）")])),
    ("深化国资国企改革。（市国资委）", ("深化国资国企改革。", [("bracket_office", "（市国资委）")])),
    ("专题研究（党委会）", ("专题研究（党委会）", [])),
    ("落实制度（局党委）", ("落实制度", [("bracket_office", "（局党委）")])),  # text again beside a 责任处室 line
    ("开展宣传（全市）", ("开展宣传（全市）", [])),
    ("建设管网（含相关配套管网）", ("建设管网（含相关配套管网）", [])),
    ("推进试点（2个社区）", ("推进试点（2个社区）", [])),
    ("制定方案（具体方案由市住建局会同有关部门另行制定）", ("制定方案（具体方案由市住建局会同有关部门另行制定）", [])),
    ("全面建成小康社会。（国务院各部门分别负责，年内持续推进）",
     ("全面建成小康社会。", [(OFFICE, "国务院各部门分别负责"), (SCHEDULE, "年内持续推进")])),
    # brackets and labels that are text
    ("推进Y（以下简称“三个负责”）。", ("推进Y（以下简称“三个负责”）。", [])),
    ("完成Z（含信访、保密）", ("完成Z（含信访、保密）", [])),
    ("建设（2023年）", ("建设（2023年）", [])),
    ("围绕三个工作目标：一是稳增长", ("围绕三个工作目标：一是稳增长", [])),
    # context labels, at the start of a line or of a bracket; their full stop stays
    ("工作目标：到年底全覆盖。", ("", [("工作目标", "到年底全覆盖。")])),
    ("整改措施:由县住建局负责修复。", ("", [("整改措施", "由县住建局负责修复。")])),
    ("责任人：张三", ("", [("责任人", "张三")])),
    ("责任单位：华龙区濮东办；责任人：刘冰、谷双勤。", ("", [(OFFICE, "华龙区濮东办"), ("责任人", "刘冰、谷双勤")])),
    # （责任单位；…）: a ； for the ： right after a bracket opens (a typo seen in a real list)
    ("提升村屯人居环境。（责任单位；住建局、畜牧局）", ("提升村屯人居环境。", [(OFFICE, "住建局、畜牧局")])),
    ("明确责任单位；落实经费。", ("明确责任单位；落实经费。", [])),
    ("任务。（工作目标；到年底）", ("任务。（工作目标；到年底）", [])),
    # 〔…〕 at the end, as a provincial 分工方案 prints it
    ("推动完成增长目标。〔省发展改革委牵头，省（中）直有关单位按职责分工负责〕",
     ("推动完成增长目标。", [(LEAD, "省发展改革委牵头"), (OFFICE, "省（中）直有关单位按职责分工负责")])),
    # a context label after a comma, inside a bracket another label opened
    ("完善服务设施。（牵头责任人：徐勋红，具体责任人：严霞）",
     ("完善服务设施。", [(LEADER, "徐勋红"), ("具体责任人", "严霞")])),
    ("开展工作，具体责任人：张三", ("开展工作，具体责任人：张三", [])),
    # an aside sharing its bracket with the office stays, closed
    ("公交车101路（车牌号：赣G06868D，责任单位：市国资委）：车身无公益广告；",
     ("公交车101路（车牌号：赣G06868D）：车身无公益广告；", [(OFFICE, "市国资委")])),
]


@pytest.mark.parametrize("line,exp", SPLITS)
def test_split_fields(line, exp):
    assert split_fields(line) == exp


VALUES = [
    # an office field's value → (offices, note)
    ("省发展改革委、商务厅", ("省发展改革委、商务厅", "")),
    ("省发展改革委、商务厅按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。",
     ("省发展改革委、商务厅按职责分工负责", "具体任务均涉及相关市（州）人民政府，不再做分工，下同。")),
    ("市发改委、市卫生健康委（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）",
     ("市发改委、市卫生健康委", "除标注“分别牵头”外，列第一位为牵头或汇总单位，下同")),
    ("办公室（含信访、保密）", ("办公室（含信访、保密）", "")),
    ("各县（市、区）人民政府", ("各县（市、区）人民政府", "")),
    ("市安委办（工作专班办公室）", ("市安委办（工作专班办公室）", "")),
]


@pytest.mark.parametrize("value,exp", VALUES)
def test_office_value(value, exp):
    assert office_value(value) == exp
