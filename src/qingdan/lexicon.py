"""The words recognised in published documents: field labels and their roles,
placeholders, collective addressees, the words of headings and deadlines that
the import's parsers match on."""

from .vocab import CONTEXT_HEADERS

# Field lines of the paragraph form, "名称：内容".  Value: the role of the field.
FIELD_LEADER = "leader"
FIELD_LEAD_OFFICE = "lead_office"
FIELD_OFFICE = "office"
FIELD_HELP_OFFICE = "help_office"
FIELD_SCHEDULE = "schedule"
FIELD_NOTE = "note"
FIELD_BRACKET = "bracket_office"  # （市国资委） at the end of a task: its offices, unless it names them elsewhere
FIELD_WORDS = {
    "牵头领导": FIELD_LEADER,
    "分管领导": FIELD_LEADER,
    "责任领导": FIELD_LEADER,
    "分管局领导": FIELD_LEADER,
    "牵头局领导": FIELD_LEADER,
    "责任局领导": FIELD_LEADER,
    "牵头市领导": FIELD_LEADER,
    "责任市领导": FIELD_LEADER,
    "分管市领导": FIELD_LEADER,
    "牵头区领导": FIELD_LEADER,
    "责任区领导": FIELD_LEADER,
    "分管区领导": FIELD_LEADER,
    "牵头县领导": FIELD_LEADER,
    "分管省领导": FIELD_LEADER,
    "牵头省领导": FIELD_LEADER,
    "责任省领导": FIELD_LEADER,
    "联系领导": FIELD_LEADER,
    "牵头负责领导": FIELD_LEADER,
    "负责领导": FIELD_LEADER,
    "责任领导同志": FIELD_LEADER,
    "牵头领导同志": FIELD_LEADER,
    "包保领导": FIELD_LEADER,
    "责任县领导": FIELD_LEADER,
    "分管县领导": FIELD_LEADER,
    "牵头责任人": FIELD_LEADER,  # （牵头责任人：徐勋红，具体责任人：严霞）: a person who leads
    "牵头单位": FIELD_LEAD_OFFICE,
    "牵头处室": FIELD_LEAD_OFFICE,
    "牵头部门": FIELD_LEAD_OFFICE,
    "牵头科室": FIELD_LEAD_OFFICE,
    "主办单位": FIELD_LEAD_OFFICE,
    "主办处室": FIELD_LEAD_OFFICE,
    "主责单位": FIELD_LEAD_OFFICE,
    "责任处室": FIELD_OFFICE,
    "责任单位": FIELD_OFFICE,
    "责任部门": FIELD_OFFICE,
    "责任主体": FIELD_OFFICE,
    "责任科室": FIELD_OFFICE,
    "责任股室": FIELD_OFFICE,
    "承办单位": FIELD_OFFICE,
    "承办处室": FIELD_OFFICE,
    "整改责任单位": FIELD_OFFICE,
    "问题整改责任单位": FIELD_OFFICE,
    "整改责任部门": FIELD_OFFICE,
    "整改单位": FIELD_OFFICE,
    "落实单位": FIELD_OFFICE,
    "实施单位": FIELD_OFFICE,
    "部门分工": FIELD_OFFICE,
    "主体责任": FIELD_OFFICE,
    "主体责任单位": FIELD_OFFICE,
    "监督责任": FIELD_HELP_OFFICE,
    "监督责任单位": FIELD_HELP_OFFICE,
    "监管责任": FIELD_HELP_OFFICE,
    "监管责任单位": FIELD_HELP_OFFICE,
    "实施部门": FIELD_OFFICE,
    "落实科室": FIELD_OFFICE,
    "落实处室": FIELD_OFFICE,
    "落实部门": FIELD_OFFICE,
    "承办科室": FIELD_OFFICE,
    "牵头责任单位": FIELD_LEAD_OFFICE,
    "主要责任单位": FIELD_LEAD_OFFICE,
    "协同责任单位": FIELD_HELP_OFFICE,
    "协同配合单位": FIELD_HELP_OFFICE,
    "配合单位": FIELD_HELP_OFFICE,
    "配合处室": FIELD_HELP_OFFICE,
    "配合部门": FIELD_HELP_OFFICE,
    "配合科室": FIELD_HELP_OFFICE,
    "协办单位": FIELD_HELP_OFFICE,
    "协办处室": FIELD_HELP_OFFICE,
    "参与单位": FIELD_HELP_OFFICE,
    "协同单位": FIELD_HELP_OFFICE,
    "时间进度安排": FIELD_SCHEDULE,
    "时间进度": FIELD_SCHEDULE,
    "进度安排": FIELD_SCHEDULE,
    "完成时限": FIELD_SCHEDULE,
    "完成时间": FIELD_SCHEDULE,
    "时间节点": FIELD_SCHEDULE,
    "时间安排": FIELD_SCHEDULE,
    "时限要求": FIELD_SCHEDULE,
    "完成时限要求": FIELD_SCHEDULE,
    "完成期限": FIELD_SCHEDULE,
    "时间要求": FIELD_SCHEDULE,
    "整改时限": FIELD_SCHEDULE,
    "整改期限": FIELD_SCHEDULE,
    "整改时间": FIELD_SCHEDULE,
    "办结时限": FIELD_SCHEDULE,
    "完成节点": FIELD_SCHEDULE,
    "备注": FIELD_NOTE,
    "说明": FIELD_NOTE,
    # context: kept in a column of its own name
    **{word: word for word in CONTEXT_HEADERS},
}
# Labels that head a section when they follow an item's number (一、主体责任：局党委对…负主体责任,
# a 两个责任 list); elsewhere (a line of their own under a task, a bracket) they name offices.
# In a table header only the whole word counts (not 主体责任内容).
BRACKET_ONLY_LABELS = {"主体责任", "监督责任", "监管责任"}
# Labels that count only at the start of a line or of a bracket: 工作目标 and the
# like also occur inside sentences (围绕三个工作目标：…).
CONTEXT_FIELD_WORDS = set(CONTEXT_HEADERS)
# Header words of the table form.  Value: the role of the column.
COL_SEQ = "seq"
COL_TASK = "task"
COL_PART = "part"
COL_CATEGORY = "category"
# roles with a use of their own; a role outside them names a context column
ROLES = {FIELD_LEADER, FIELD_LEAD_OFFICE, FIELD_OFFICE, FIELD_HELP_OFFICE, FIELD_SCHEDULE, FIELD_NOTE, FIELD_BRACKET,
         COL_SEQ, COL_TASK, COL_PART, COL_CATEGORY}
# Words of a task column, the most specific first: a table with 重点任务 and
# 具体措施 has 重点任务 as its task and 具体措施 as a context column.
TASK_HEADER_WORDS = [
    "工作任务", "重点任务", "主要任务", "任务内容", "具体任务", "整改任务", "重点工作", "工作内容", "责任内容",
    "工作事项", "事项", "任务", "清单内容", "责任清单内容", "重点工作任务", "目标任务",
    "存在问题", "反馈问题", "问题表现", "问题描述", "具体问题", "主要问题", "问题清单", "问题",
    "项目名称", "实事项目", "民生实事", "子项目",
    "具体措施", "工作措施", "主要措施", "工作举措", "具体工作措施", "内容", "考核指标", "工作指标",
]
TABLE_HEADER_WORDS = {
    "序号": COL_SEQ,
    "编号": COL_SEQ,
    **FIELD_WORDS,
    **dict.fromkeys(TASK_HEADER_WORDS, COL_TASK),
    "清单": COL_PART,
    "责任清单": COL_PART,
    "清单名称": COL_PART,
    "类别": COL_CATEGORY,
    "分类": COL_CATEGORY,
    "任务类别": COL_CATEGORY,
    "项目": COL_CATEGORY,
    "问题类别": COL_CATEGORY,
    "问题类型": COL_CATEGORY,
    "领域": COL_CATEGORY,
}
# a person's post after the name in a heading (朱伟县长牵头重点工作): a leader, not an office
LEADER_TITLES = r"(?:副?(?:省长|市长|区长|县长|州长|镇长|乡长|主席|主任|局长|部长|厅长|书记|秘书长|巡视员|调研员))"
FIX_WORD = "整改"  # labels of a problem list: one assignment after a group of problems is each one's
# 方案 sections that hold no task (their numbered paragraphs are prose, not items)
PROSE_HEADINGS = [
    "总体要求", "指导思想", "基本原则", "工作原则", "主要目标", "工作目标", "总体目标", "发展目标", "目标任务",
    "保障措施", "组织保障", "工作保障", "组织实施", "实施步骤", "工作步骤", "工作要求", "有关要求", "组织领导",
    "工作机制", "推进机制", "工作安排", "进度安排", "时间安排", "适用范围", "主要内容",
]
# Deadline wording (deadlines.py).  Checked in this order after concrete dates.
PERIODIC_WORDS = ["每月", "每季度", "每季", "每半年", "每年", "每周", "每旬", "按月", "按季度", "按季", "按年", "定期"]
ONGOING_WORDS = ["持续推进", "长期坚持", "常态化", "长期", "持续", "经常性", "立行立改", "即知即改", "立知立改", "边查边改"]
YEAR_END_WORDS = ["年底", "年末", "年内", "年度内", "全年"]
YEAR_END_SHARP = ("年底", "年末")  # the end of the year itself (年内, 全年 are spans)
WHOLE_YEAR = "全年"  # 全年完成投资…: the year's target, no date to finish by
BY_WORDS = ("到", "于", "在", "力争", "确保", "争取", "至")  # 到年底…: the year's end is a deadline
NOT_DEADLINE_BEFORE = ("自", "从", "截至", "截止", "截止到", "截至到")  # 截至6月底: a date counted to, not a deadline

ETC_SUFFIXES = "(?:相关|有关|其他)?(?:单位|部门|处室|科室)?"  # 等单位, 等相关处室, 等有关部门 …
# 按职责分工负责, 分别负责, 牵头抓总, 配合落实 …: a role said after an office name
OFFICE_ROLE_PHRASE = (r"(?:(?:按照?(?:各自)?(?:职责|职能)(?:分工)?(?:分别|共同|具体|积极|及时|全力|认真|主动|密切)*"
                      r"(?:(?:牵头|配合|负责|参与|协助|协办|抓总|协调解决|协调)(?:组织)?)*"
                      r"|(?:分别|共同|具体|积极|及时|全力|认真|主动|密切)*(?:(?:牵头|配合|负责|参与|协助|协办|抓总|协调解决|协调)"
                      r"(?:组织)?)+)"
                      r"(?:落实|实施|推进)?"
                      r"|(?:参照|具体)?(?:落实|执行))")  # 市直有关部门落实, 各镇（街）参照落实
# Addressees that name a group, not one office: 各有关单位, 市直各部门, 各县（市、区）…
# They stay whole in 责任处室 and get no 填报表 until the clerk writes the offices meant.
OFFICE_COLLECTIVE = (r"各|有关|相关|[省市区县州]直(?:机关)?(?:单位|部门)|成员单位|所属单位|直属单位|下属单位|属地"
                     # 乡镇（街道）, 县（市、区）政府: levels with no place named
                     r"|^(?:乡镇|街道|县|市|区|镇|乡|县区|区县|县市区)(?:[（(][^）)]*[)）])?"
                     r"(?:人民政府|政府|党委|党工委|办事处)?$")
# what may follow 各区、 in one addressee: 县级市, 街道办事处, 乡镇人民政府 …
OFFICE_LEVEL_WORDS = (r"(?:县级市|区县|县区|市区|县|区|市|乡镇|乡|镇|街道|园区|开发区|管委会|部门|单位|处室|科室|股室"
                      r"|直属单位|企业|学校|村|社区)(?:人民政府|政府|党委|党工委|管委会|办事处|安委会|委员会|党组)?")
OFFICE_BODY_WORDS = r"(?:人民政府|政府|党委|党工委|管委会|办事处|安委会|委员会|党组)"  # 各县区（开发区） 安委会
PLACEHOLDERS = "*＊"  # redaction marks in the published list, still to be filled in
# 填表人：张三, 审核人：李四, 填报日期：… above or below a table: who filled it in, not a task
FORM_INFO_LABELS = ("填表人", "填报人", "审核人", "联系人", "联系电话", "填报单位", "填报日期", "填报时间", "制表人",
                    "制表", "审核", "签发人", "单位负责人", "负责人签字", "制表日期", "报送单位", "报送日期")
TOTAL_WORDS = ("合计", "总计", "小计", "共计")
