"""Every message a user of qingdan reads.  Nothing user-visible is spelled
anywhere else.  The file formats' own words are in vocab.py, the words
recognised in published documents in lexicon.py; both are re-exported here,
so ``words.X`` names any of them.
"""

from .lexicon import *  # noqa: F403
from .vocab import *  # noqa: F403
from .vocab import STATUSES

# --- words -------------------------------------------------------------------


ETC = "等"  # trailing "and others" in an office list
OFFICE_ROLE_WORDS = "牵头|配合|负责|参与|协助|协办"
COLLECTIVE_MARKS = ["各", "有关", "相关"]  # what the master's 责任处室 highlighting looks for
PART_SUFFIX = "清单"  # a heading ending so names a part, not a category
DATE_CN = "{year}年{month}月{day}日"
FOOTER_PAGES = "第 &P 页 共 &N 页"
DEMO_SOURCE_DIR = "清单文档"
OFFICE_SEPARATOR = "、"
RANGE_DASH = "～"
LIST_JOIN = "、"
QUOTE = "“{}”"  # a name quoted in a message: “工作目标”
VALUE_JOIN = "，"  # several values of one field (two 时间进度安排 lines) in one cell
UNNAMED = "未命名"

# --- import summary ----------------------------------------------------------
T_SUMMARY_TITLE = "导入结果"
T_PARTS = "清单"
T_CATEGORIES = "类别"
T_ITEMS = "任务"
T_TOTAL = "合计"
T_KIND_COUNT = "{kind} {n}"
KIND_SEP = " · "
M_KINDS = "时限类型：{kinds}"
T_CODES_COUNT = "{codes}（{n} 项）"
T_TODO = "待人工补充"
T_WARNINGS = "请核对"
T_FIELD = "位置"
T_CODES = "编号"

TODO_TASK_STAR = "工作任务中的 *"
TODO_LEADER_STAR = "牵头领导为 *"
TODO_SCHEDULE_STAR = "时间进度安排中的 *"
TODO_OFFICE_ETC = "责任处室末尾的“等”"
TODO_NO_OFFICE = "未写责任处室"
TODO_NO_SCHEDULE = "未写时间进度安排"
TODO_COLLECTIVE = "责任处室里有“各有关单位”这类统称（统称不下发，请改写为具体处室）"

# --- messages ----------------------------------------------------------------
# Each names the file and says what to do.  {placeholders} are filled by callers.
M_IMPORTED = "已导入：{source} → {master}"
M_TITLE = "清单名称：{title}"
M_TITLE_NOTICE_ITSELF = "（通知本身就是清单，取通知的标题；如不对，可在总表中修改）"
M_TITLE_FROM_FILE = "（文档里没有认出清单标题，取自文件名；如不对，可在总表中修改）"
M_TITLE_FROM_TEXT = "（清单本身没有标题，取自正文中的书名号；如不对，可在总表中修改）"
M_TITLE_FROM_NOTICE = "（清单本身没有标题，取自印发通知的标题；如不对，可在总表中修改）"
M_YEAR = "年度：{year}"
M_YEAR_UNKNOWN = "年度：未知（文档标题中没有年份，可用 --year 指定）"
M_OFFICE_COUNT = "共 {count} 个处室：{names}"
M_ONLY_COLLECTIVE = "责任处室只写了“各有关单位”这类统称，没有具体处室。请在总表“清单”表的“责任处室”列改写为具体处室。"
M_NO_OFFICES = "没有找到任何责任处室，请在总表“清单”表的“责任处室”列补全。"
M_NEXT = "请打开 {master} 核对。"
M_IMPORT_NEXT = "下一步：核对无误后运行 qingdan split --period {year}Q1（按需要改成本次报送的期次），生成各处室的填报表。"
M_NEXT_TODO = "请打开 {master} 核对，并补全上面“待人工补充”的内容（总表中已标为浅黄色）。"

M_SOURCE_MISSING = "找不到文件：{path}。请检查文件名和所在文件夹。"
M_SOURCE_IS_DIR = "{path} 是一个文件夹，不是清单文档。请指定 .docx、.txt、.xlsx、.xls、.ods 或 .csv 文件。"
M_SOURCE_TYPE = "{path}：不支持“{ext}”格式。请提供 .docx、.txt、.xlsx、.xls、.ods 或 .csv 格式的清单文档。"
M_SOURCE_EMPTY = "{path}：文件是空的。请确认选对了清单文档。"
M_SOURCE_UNREADABLE = "{path}：无法读取文件（{reason}）。"
M_NOT_DOCX = "{path}：不是有效的 Word 文档（.docx）{detail}。请用 Word 或 WPS 打开后“另存为” .docx 再导入。"
M_REALLY_PDF = "它其实是 PDF 文件"
M_REALLY_DOCX = "它其实是 Word 文档"
M_REALLY_XLSX = "它其实是 Excel 工作簿"
M_REALLY_OLD_OFFICE = "它其实是旧版 Office 文件（.xls 或 .doc）"
M_DAMAGED = "，文件已损坏或不完整"
M_DAMAGED_DETAIL = "文件已损坏或不完整；技术信息：{detail}"
M_WRONG_EXTENSION = "{path}：{real}，扩展名却不对。请把文件扩展名改为 {right} 后再导入。"
M_REALLY_HTML = "它其实是网页文件"
M_UNKNOWN_FORMAT = "文件内容不是 Excel 格式"
M_DOCX_TABLE = "表格{n}"
M_NOT_WORKBOOK = "{path}：不是有效的 Excel 工作簿（{detail}）。请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入。"
M_DOC_IS_OLD = "{path}：这是旧版 Word 格式（.doc）。请用 Word 或 WPS 打开后“另存为” .docx 再导入。"
M_ENCODING = (
    "{path}：无法识别文本编码（已尝试 UTF-8、UTF-16 和 GB18030）。"
    "请用记事本打开后“另存为”，编码选择 UTF-8，再导入。"
)
M_BAD_CSV = "{path}：CSV 文件格式有误（{reason}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
M_ENCRYPTED = "{path}：文件已设置密码。请在 Excel/WPS/Word 中取消密码（文件 → 信息 → 保护 → 删除密码）后再导入。"
M_TOO_BIG = "{path}：文件有 {size} MB，超过清单文档的上限 {limit} MB，未读取。请确认选对了文件。"
M_BINARY_TEXT = "{path}：这不是纯文本文件。请提供清单的 .txt、.docx、.xlsx 或 .xls 文件。"
M_NO_ITEMS = (
    "{path}：没有找到任何工作任务。清单应为以下两种格式之一：\n"
    "  ① 段落：“一、”为清单，“（一）”为类别，“1.”或“1、”开头为任务，"
    "下面跟“牵头领导：”“责任处室：”“时间进度安排：”等行；\n"
    "  ② 表格：有一行表头，含“序号”“工作任务”“责任处室”“时间进度安排”等列。"
)
M_NO_TASK_COLUMN = (
    "{path}：工作表“{sheet}”第 {row} 行像是表头（{headers}），但没有工作任务列。"
    "请把任务所在列的表头改为“工作任务”（或“重点任务”“主要任务”“任务内容”“事项”）后再导入。"
)
M_TABLE_WITHOUT_ROWS = "{path}：找到了表头，但表头下面没有任务行。请确认选对了文件（或工作表），任务写在表头下面的各行里。"
M_NO_TABLE_HEADER = (
    "{path}：前 {rows} 行中找不到表头。表头应含“序号”“工作任务”“责任处室”“时间进度安排”等列名。"
)

M_GUARD_ENTRIES = "{path}：文件内部有 {count} 个部件，超过上限 {limit} 个，不像正常的 Office 文件，未读取。请检查文件来源。"
M_GUARD_SIZE = "{path}：解压后超过 {size} MB，超出上限（可能是“压缩炸弹”），未读取。请检查文件来源。"
M_GUARD_NAME = "{path}：文件内部有可疑的部件名“{name}”，未读取。请检查文件来源。"
M_GUARD_EXTENT = (
    "{path}：工作表“{sheet}”的内容一直延伸到 {ref}（{rows} 行 × {cols} 列），超出可处理的范围，未读取。"
    "请在 Excel 或 WPS 中删除多余的行和列（或把有用的内容复制到新工作簿）后另存，再导入。"
)

M_TARGET_EXISTS = "{path} 已存在。若确定要重新生成，请加 --force（原文件会先备份到 {backup_dir}）。"
M_TARGET_HAS_PROGRESS = (
    "{path} 的“进展”表里已有 {rows} 行填报记录，为防止丢失数据，不予覆盖（即使加了 --force）。"
    "如需重新导入，请用 -o 指定新的文件名。"
)
M_TARGET_UNREADABLE = (
    "{path} 已存在但无法读取（{reason}），无法确认其中没有填报记录，不予覆盖。"
    "请用 -o 指定新的文件名，或先把该文件移走。"
)
M_TARGET_LOCKED = ("{path} 正在被 {program} 打开（发现锁文件 {lock}），现在写入会被它随后的保存冲掉。"
                   "请先在 {program} 中保存并关闭它再运行；如确定没有打开，是程序异常退出时留下的锁文件，删除 {lock} 即可。")
PROGRAM_EXCEL_WPS = "Excel 或 WPS"
PROGRAM_LIBREOFFICE = "LibreOffice"
M_NOT_A_ZIP = "不是 .xlsx 文件"
M_DEADLINE_INPUT = "请填写日期，如 2023-06-30；没有具体时限请留空。"
M_TARGET_NOT_XLSX = "{path}：总表必须是 .xlsx 文件。请换一个以 .xlsx 结尾的文件名。"
M_MASTER_BUSY = "另一个 qingdan 命令正在写 {path}，请等它结束后再运行。"
M_WRITE_FAILED = "无法写入 {path}（{reason}）。原文件未改动。请检查磁盘空间和文件夹权限。"
M_WORKER_ENDED = "写文件的后台进程意外退出：{kind}"
M_BACKUP = "原文件已备份到 {backup}"
M_IMPORT_KEPT = "原总表“处室”表中 {n} 个处室的联系信息和“日志”的 {logs} 行记录已带到新总表。"
M_IMPORT_LEFT = "原总表中的工作表{sheets}没有带到新总表（新总表按清单文档重新生成），仍在备份 {backup} 中。"
M_BACKUP_FAILED = "无法备份 {path} 到 {backup}（{reason}），因此没有改动原文件。请检查磁盘空间和文件夹权限。"


# --- usage errors (exit status 2) ------------------------------------------------

M_DEMO_DIR_NOT_DEMO = (
    "{path} 已存在且不是 qingdan demo 生成的文件夹，为免误删不予使用。请用 -o 指定一个新文件夹。"
)
M_DEMO_NOT_A_FOLDER = "{path} 是一个文件，不是文件夹。请用 -o 指定一个新文件夹。"
M_DEMO_CANNOT_WRITE = "无法在 {path} 中写入演示文件（{reason}）。请用 -o 指定一个可写的新文件夹。"
M_DEMO_DONE = "演示完成，所有文件都在 {path}"
M_DEMO_LOOK = "请查看："
M_DEMO_TRY = "想在演示数据上接着试上面提示的命令（如 qingdan status、qingdan mail --remind），先进入演示文件夹：cd {path}"
M_DEMO_MASTER = "  总表（清单导入结果）：{path}"
M_DEMO_SOURCE = "  清单原文：{path}"
M_DEMO_STEP = "▶ {step}"
M_DEMO_STEP_IMPORT = "第 1 步：导入清单文档，生成总表"
M_DEMO_STEP_SPLIT = "第 2 步：为每个处室生成 2023 年第二季度填报表"
M_DEMO_STEP_MAIL = "第 3 步：生成邮件草稿"
M_DEMO_STEP_RETURNS = "第 4 步：各处室填写后发回（模拟：{n} 个处室发回，{missing} 未报送）"
M_DEMO_STEP_MERGE = "第 5 步：合并发回的填报表"
M_DEMO_STEP_STATUS = "第 6 步：看报送情况"
M_DEMO_STEP_REPORT = "第 7 步：生成汇总表"
M_DEMO_FILLED_MONTHS = "清单原文中 {n} 处“2023年*月”已按办公室核定的月份补全，补全后的文本：{path}"
M_DEMO_RETURNS_NOTE = "演示数据里故意放了：{missing}未报送、{bad}的填报表里有一行完成状态写成“{word}”、{renamed}的文件被改了名，可以看看 qingdan 怎么处理。"
M_DEMO_RETURNS = "  各处室发回的填报表（模拟）：{path}"
M_DEMO_REPORT = "  汇总表：{path}"
M_DEMO_PDF = "  汇总表 PDF：{path}"
DEMO_FILLED_SUFFIX = "（补全月份）"
DEMO_RETURNS_DIR = "收件"
DEMO_RENAMED = "回复：{office}二季度清单落实情况"
DEMO_BAD_STATUS = "基本完成"
DEMO_PROGRESS = [
    "已召开专题会议研究部署，制定工作方案，明确责任分工，正在按计划推进。",
    "已完成阶段性工作，形成工作台账，下一步将持续跟踪落实。",
    "结合日常工作同步推进，本季度已开展专项检查1次，发现问题已督促整改。",
    "已组织集中学习2次，覆盖全体党员干部，相关材料已归档。",
    "受人员调整影响进度有所延后，已明确整改措施和时间节点。",
    "工作尚在筹备阶段，已与相关处室对接。",
]
DEMO_EVIDENCE = ["会议纪要", "工作方案", "学习记录", "检查通报", ""]
DEMO_REPORTERS = "张伟 李娜 王强 刘敏 陈杰 杨静 赵勇 黄磊 周涛 吴霞".split()
M_DEMO_FORMS = "  填报表（每个处室一份）：{path}"
M_DEMO_DRAFTS = "  邮件草稿：{path}"

# --- problems found while reading a document (collected, shown together) -----
P_DEADLINE_RELATIVE = "时间进度安排“{text}”是从某天起算的期限，没有起算日期，时限类型记为“时限待定”；如要按日期跟踪，请在总表“完成时限”列填写日期"
P_DEADLINE_UNKNOWN = "时间进度安排“{text}”无法识别，时限类型记为“时限待定”，请核对"
P_DEADLINE_INVALID = "时间进度安排“{text}”中的日期不存在，时限类型记为“时限待定”，请核对"
P_DEADLINE_NO_YEAR = "时间进度安排“{text}”没有写年份，文档标题中也没有年份，请用 --year 指定"
P_SEQ_GAP = "序号 {seq} 与上一项不连续（应为 {expected}），请核对是否漏了任务"
P_SHEET_HIDDEN = "这个工作表是隐藏的，未导入；如果它也属于清单，请取消隐藏后再导入"
P_TASK_COLUMN_GUESSED = "表头中没有“工作任务”这类列名，按内容把“{header}”列作为工作任务，请核对"
P_COLUMN_KEPT = "表头{headers}不是清单的固定列，已原样保留为总表“清单”表中的同名列，填报表上作为参考内容（锁定）显示"
P_COLUMN_EMPTY = "表头“{header}”这一列是空的，未导入"
P_NEXT_TABLE = "从“{text}”这一行起是另一份文件或另一张表，未导入；如需导入，请把它单独存成一个文件或工作表"
P_WHERE_ROW_OF = "{sheet} 第 {row} 行"
P_NEXT_ATTACHMENT = "从“{text}”起是另一个附件，未导入；如需导入，请把它单独存成一个文件"
P_CELL_TOO_LONG = "{header}有 {length} 个字，超过 Excel 单元格上限 {limit} 字，总表中只保留前 {limit} 字，请精简"
P_SHARED_FIELDS = "从这一行起的 {n} 项共用写在最后一项后面的责任单位、时限，已逐项填入，请核对"
P_SHARED_OFFICES = "从这一行起的 {n} 项没写责任单位的，共用写在最后一项后面的责任单位（各项自己写的时限不变），已逐项填入，请核对"
P_PROSE = "“{text}”一节是说明文字，没有任务，未导入"
P_LINE_AFTER_FIELDS = "“{text}”在第{task}行那项任务的责任单位、时限之后，看不出属于哪一项，未导入，请核对"
P_LINE_IGNORED = "“{text}”不属于任何任务，未导入，请核对"
P_SEQ_ONLY = "这一行只有序号“{seq}”，没有内容，已跳过"
P_TOTAL_ROW = "“{text}”是合计行，不是任务，未导入"
P_FOOTNOTE = "“{text}”是表格下方对整张表的说明，未导入到某一项任务，请核对"
P_FORM_INFO = "“{text}”是填表信息，不是任务，未导入"
P_PART_ROW_UNUSED = "这一行（清单标题行）写的“{text}”，下面各项都写了自己的责任单位，没有填入，请核对"
P_HEADING_OFFICES = "这一行标题写的责任单位已填入下面没写责任单位的 {n} 项（写了的按各自的），请核对"
P_PREAMBLE = "“{text}”写在第一项任务之前，是说明文字，未作为任务导入，请核对"
P_TOP_LABEL_AGAIN = "“{text}”写在第一项任务之前，下面又写了同样的栏目，看不出它管哪几项，未导入，请核对"
P_PREAMBLE_MORE = "第一项任务之前另有 {n} 行说明文字，也未作为任务导入"
P_LIST_FIELDS = "写在第一项任务之前的“{text}”对整份清单适用，已填入每一项（自己写了的项除外），请核对"
P_WHERE_LINE = "第 {line} 行"
P_WHERE_TEXT = "正文"

# --- 报送期次 -------------------------------------------------------------------
U_BAD_PERIOD = (
    "报送期次“{value}”看不懂。请写成 2023Q2（第二季度）、2023-06（6月）、2023H1（上半年）"
    "或 2023（全年），也可以写 2023年第二季度、2023年6月、2023年上半年、2023年度。"
)
U_BAD_DATE = "日期“{value}”看不懂，请写成 2023-07-05 或 2023年7月5日。"

# --- qingdan.toml --------------------------------------------------------------
C_ENCODING = "{path}：不是 UTF-8 编码。请用记事本打开后“另存为”，编码选择 UTF-8。"
C_SYNTAX = "{path} {where}格式有误。请对照 README 中的 qingdan.toml 示例修改（文字要用英文双引号括起来）。"
C_AT = "第 {line} 行第 {col} 列"
C_UNREADABLE = "无法读取 {path}（{reason}）。"
C_NOT_SECTION = "{path}：“{key}”应是一个段落（[{key}]），不是一个值。"
C_UNKNOWN_KEY = "{path}：不认识的设置“{key}”。可用的设置有：{known}。"
C_BAD_TYPE = "{path}：设置“{key}”的值“{value}”不对，应为{kind}。"
C_KINDS = {"str": "用英文双引号括起来的文字", "int": "不小于 0 的整数", "positive": "大于 0 的整数"}
C_BAD_CHOICE = "{path}：设置“{key}”的值“{value}”不对，应为 {choices} 之一。"
C_BAD_PLACEHOLDER = "{path}：设置“{key}”中的“{{{name}}}”不认识。可用的有：{known}。"
C_BAD_BRACES = "{path}：设置“{key}”中的大括号不成对。要写大括号本身，请写成 {{{{ 或 }}}}。"

# --- the master after import ----------------------------------------------------
M_MASTER_MISSING = "找不到总表 {path}。请检查 --master 或 qingdan.toml 中 master 的路径。"
M_NO_MASTER = "{folder} 中没有总表（.xlsx）。请先运行 qingdan import 导入清单，或用 --master 指定总表。"
M_NO_MASTER_FOLDER = ("当前文件夹（{cwd}）里没有 workbooks 文件夹，找不到总表。请先进入项目文件夹（放 workbooks 的那个）再运行，"
                      "或用 --master 指定总表。")
M_SEVERAL_MASTERS = "{folder} 中有多个总表：{names}。请用 --master 指定用哪一个（或在 qingdan.toml 中写 master = \"…\"）。"
M_MASTER_UNREADABLE = "无法读取总表 {path}（{reason}）。请用 Excel 或 WPS 打开检查；必要时从“备份”文件夹恢复。"
M_MASTER_NO_LIST = "总表 {path} 中没有“{sheet}”工作表。请检查工作表名称（不要改名）。"
M_MASTER_NO_HEADER = "总表 {path} 的“{sheet}”表前 10 行中找不到表头（应含 {headers}）。请检查表头文字。"
M_MASTER_BAD_ROWS = "总表 {path} 的“{sheet}”表有以下问题，请修改后再运行：\n{problems}"
P_WHERE_CELL = "第 {row} 行 {col} 列"
P_NO_CODE = "有工作任务但没有编号。请补上一个不重复的编号（如 3-05）"
P_DUPLICATE_CODE = "编号“{code}”与第 {first} 行重复。编号必须唯一，请改成一个没用过的编号"

# --- mail templates (qingdan.toml [mail] may replace them) -------------------------
# Placeholders a template may use; each is filled per office.
MAIL_FIELDS = ["单位", "清单", "期次", "截止日期", "处室", "联系人", "情况"]  # 情况: what a reminder says was received
MAIL_SUBJECT = "请于{截止日期}前报送{期次}责任清单落实情况（{处室}）"
MAIL_BODY = """{联系人}：

您好！现将《{清单}》{期次}落实情况填报表（{处室}）发给您，请在附件表格中浅色底纹的单元格里填写完成状态、进展情况、完成日期和佐证材料，以及填报人和联系电话，于{截止日期}前回复本邮件报送。

表格中其他内容已锁定，请不要改动表格结构，保存时保留原文件名。如有疑问，请与我联系。

谢谢！
{单位}
"""
MAIL_REMIND_SUBJECT = "【催报】请尽快报送{期次}责任清单落实情况（{处室}）"
MAIL_REMIND_BODY = """{联系人}：

您好！《{清单}》{期次}落实情况填报表（{处室}）的报送截止日期是{截止日期}。{情况}请填写附件表格后尽快回复本邮件报送；如已发送，请忽略本邮件。

谢谢！
{单位}
"""
MAIL_NO_CONTACT = "{office}负责同志"
MAIL_SITUATION_MISSING = "目前尚未收到贵处室的填报表。"
MAIL_SITUATION_WRONG_PERIOD = ("贵处室发来的 {file}（{time} 保存）是{other}的填报表，不是本期（{period}）的，已按{other}记录；"
                               "本期的填报表还没有收到，附件是本期的表。")
MAIL_SITUATION_REFUSED = "贵处室 {time} 发来的 {file} 未能采用：{reason}。"
MAIL_SITUATION_ROWS_REFUSED = "贵处室发来的填报表中 {n} 项填写有误，都未能采用。"
MAIL_SITUATION_ROWS_REFUSED_KEPT = "贵处室最近发来的填报表中有 {n} 项填写有误未能采用（这几项仍按此前报送的内容记录）。"
MAIL_SITUATION_PARTLY = "贵处室已报送的填报表中，尚有 {n} 项未填写或未能采用（{codes}）。附件是这 {n} 项的补报表。"
PARTIAL_FORM_NAME = "{name}（补报）"
M_MAIL_PARTIAL_FORMS = "部分报送的处室附的是只含未报事项的补报表，在 {folder}。"

# --- 填报表 (split.py, formlayout.py) ------------------------------------------------
CONTEXT_RENAMED = "{name}（原表）"
FORM_TITLE = "{title}落实情况填报表"
FORM_SUBTITLE = "填报处室：{office}　　报送期次：{period}　　报送截止：{due}"
FORM_NOTES_TITLE = "填报说明："
FORM_NOTES = [
    "1. 请在浅黄色单元格中填写：完成状态（点单元格右侧箭头选择）、进展情况、完成日期（实际完成的日期，如 2023-06-30，未完成的留空）、佐证材料（文件名称或文号），并填写上方的填报人和联系电话。",
    "2. 其他内容已锁定，不需修改；如任务内容或分工有误，请在“进展情况”中注明。请不要插入、删除行列或合并单元格，保存时保留原文件名和 .xlsx 格式。",
    "3. 请于{due}前将本表回复报送。",
]
FORM_NOTE_PREFILLED = "4. 表中已预填{period}报送的内容，请逐项核对更新。"
FORM_STATUS_LIST_NAME = "完成状态选项"
FORM_STATUS_INPUT = "请点右侧箭头选择：" + "、".join(STATUSES) + "。"
FORM_STATUS_ERROR = "完成状态只能是：" + "、".join(STATUSES) + "。请从下拉列表中选择。"
FORM_DATE_INPUT = "请填写实际完成的日期，如 2023-06-30；尚未完成的留空。"
FORM_DATE_ERROR = "请填写日期，如 2023-06-30。"
FORM_PAGE_HEADER = "&L{office}&R{period}"


T_SPLIT_TITLE = "下发 {period}（报送截止 {due}）"
T_OFFICE = "处室"
T_ROWS = "任务"
T_LEAD = "牵头"
T_HELP = "配合"
T_PREFILLED = "已预填"
T_FILE = "文件"
M_SPLIT_DONE = "已生成 {count} 份填报表，在 {folder}"
M_SPLIT_FAILED = "{count} 份填报表没有生成："
M_SPLIT_UNASSIGNED = "{count} 项任务没有责任处室，未下发：{codes}。请在总表“清单”表补全责任处室后再运行 qingdan split（可加 --office 只生成新增处室的）。"
M_SPLIT_COLLECTIVE = ("{count} 项任务的责任处室里有“各有关单位”“各区、县级市”这类统称，统称不单独生成填报表：{codes}。"
                      "请在总表“清单”表的“责任处室”列改写为具体处室后重新下发。")
M_SPLIT_ETC = "{count} 项任务的责任处室以“等”结尾，只下发给写明的处室：{codes}。"
M_SPLIT_NEXT = "下一步：qingdan mail --period {period_id}（生成邮件草稿）"
M_SPLIT_LOG_FAILED = "填报表已生成，但没有写入总表的日志：{reason}"
WHY_GIVEN = "--period 指定"
WHY_TODAY = "未指定 --period，按今天的日期取本季度"
WHY_LATEST_SPLIT = "未指定 --period，取最近一次下发（{time}）的期次"
M_USING = "总表：{master}"
M_USING_PERIOD = "；期次：{period}（{period_id}，{why}）"
M_USING_DEMO = "（演示总表，数据是虚构的）"
U_PERIOD_OTHER_YEAR = ("清单是 {year} 年度的，期次 {period_id}（{period}）不在这一年里，可能写错了年份。"
                       "请用正确的 --period 重新运行（如 {year}Q2）；确实要下发其他年度的期次，请加 --force。")
U_SPLIT_RETURNED = ("{period}已有 {n} 个处室报送过：{offices}。重新下发会覆盖 {folder} 中这些处室的填报表"
                    "（已收到的报送不受影响）。如确要重新下发，请加 --force；只补发个别处室请用 --office。")
M_SPLIT_REPLACED = "注意：{offices} 已报送过本期（共 {n} 个处室），已按 --force 重新生成其填报表；已收到的报送不受影响。"
M_SPLIT_OTHER_YEAR = "注意：清单是 {year} 年度的，已按 --force 下发{period}的填报表。"
U_PERIOD_NEEDED = "清单是 {year} 年的，今天已是 {today} 年，请用 --period 指定报送期次（如 {year}Q2、{year}H1 或 {year}）。"
U_UNKNOWN_OFFICE = "清单中没有处室“{name}”。清单中的处室有：{names}。"
U_NO_OFFICES = "清单中没有任何任务写了责任处室，无法下发。请在总表“清单”表的“责任处室”列补全后再运行。"
U_DUE_BEFORE_START = "报送截止 {due} 早于期次开始日 {start}，请检查 --due。"

# --- qingdan mail ----------------------------------------------------------------
MAIL_DRAFTED = "已生成草稿"
MAIL_SENT = "已发送"
MAIL_MANUAL = "需手工发送"
MAIL_FAILED = "发送失败"
MAIL_NOT_SENT = "未发送"
MAIL_NO_FORM = "缺少填报表"
MAIL_NONE = "没有需要发送的处室"
MAIL_SEE_BELOW = "见表下说明"
MAIL_REMIND_PREFIX = "催报-"
MAIL_KIND_FORMS = "下发填报表"
MAIL_KIND_REMIND = "催报"
M_MAIL_NO_SPLIT = "总表的日志中没有下发记录，不知道要发哪一期的填报表。请先运行 qingdan split --period 2023Q2，或用 --period 指定期次。"
M_MAIL_NO_FORMS = "{folder} 中没有{period}的填报表。请先运行 qingdan split --period {period_id}。"
M_MAIL_FORM_MISSING = "没有找到该处室的填报表，请运行 qingdan split --period {period_id} --office {office}"
M_MAIL_NO_ADDRESS = "“处室”表中没有邮箱"
M_MAIL_BAD_ADDRESS = "邮箱“{address}”格式不对"
M_SMTP_NO_HOST = "qingdan.toml 中没有邮件服务器设置。请在 [smtp] 中写 host（如 smtp.example.gov.cn）、port、security 和 user；不加 --send 则只生成邮件草稿。"
M_SMTP_NO_SENDER = "不知道发件人。请在 qingdan.toml 的 [mail] 中写 from = \"姓名 <邮箱>\"，或在 [smtp] 中写 user。"
M_SMTP_NO_PASSWORD = "要以 {user} 登录邮件服务器，但没有设置环境变量 {variable}（邮箱密码或授权码）。请先设置，例如 Windows：set {variable}=授权码；Linux：export {variable}=授权码。"
M_SMTP_CONNECT = "无法连接邮件服务器 {where}（{reason}）。没有发送任何邮件。请检查 qingdan.toml 中的 host、port、security 和网络。"
M_SMTP_LOGIN = "邮件服务器拒绝了 {user} 的登录（{reason}）。没有发送任何邮件。请检查 qingdan.toml 中的 user 和环境变量 {variable}。"
M_SMTP_REPLY = "服务器答复 {code} {text}"
M_SMTP_DROPPED = "与邮件服务器的连接中断（{reason}），此后的邮件未发送，请稍后只给未发送的处室重发"
M_SMTP_PARTLY = "部分收件人被拒收：{reason}"
T_MAIL_TITLE = "{kind} {period}"
T_CONTACT = "联系人"
T_EMAIL = "邮箱"
T_ATTACHMENT = "附件"
T_RESULT = "结果"
T_NOTE = "说明"
M_MAIL_DRAFTS = "邮件草稿在 {folder}，双击 .eml 文件即可在 Outlook、Foxmail 或 Thunderbird 中打开、核对、发送。"
M_MAIL_UNSENT_DRAFTS = "需要手工发送的邮件草稿在 {folder}，双击 .eml 文件即可打开、核对、发送（已发出的邮件没有草稿，不要重发）。"
M_MAIL_SENT_COUNT = "已发送 {n} 封。"
M_MAIL_MANUAL_LIST = "需手工发送（{n} 个处室）：{offices}。它们的邮件草稿也已生成：可打开草稿填写收件人后发送，或在总表“处室”表补全邮箱后重新运行。"
M_MAIL_FAILED_LIST = "{n} 个处室的邮件没有发出：{offices}。请看上表的说明，处理后可加 --office 只给这些处室重新发送。"
M_MAIL_RETURNED = "已报送、不再催报：{offices}"
M_MAIL_ALL_RETURNED = "所有处室都已报送{period}，没有需要催报的。"
M_MAIL_ASKED_RETURNED = "{offices} 已报送{period}，没有需要催报的。"
M_MAIL_TEMPLATE_NO_SITUATION = ("qingdan.toml 里的催报正文（remind_body）没有 {情况}：报错期次、退回重报、部分报送的情况"
                                "已放在称呼后面，请打开草稿看一下与正文有没有矛盾；在正文里写上 {情况} 可以自己定位置。")
M_MAIL_LOG_FAILED = "邮件已处理，但没有写入总表的日志：{reason}"
M_OWNED_HEADER = "总表 {path} 的“{sheet}”表找不到表头（{headers}），其中的内容无法识别，为免覆盖未写入。请把表头改回原样后再运行。"
ITEM_LINE = "  {what}：{why}"  # one entry of a list of problems
ITEM_REASON = "{what}：{why}"
REASON_JOIN = "；"
M_SMTP_SSL = "SSL：{reason}"
SMTP_REFUSED = "服务器拒绝连接：地址或端口不对，或邮件服务器没有开"
SMTP_TIMEOUT = "连接超时：网络不通，或被防火墙挡住"
SMTP_NO_HOST = "找不到这个服务器名：请检查 host 的拼写和网络"
SMTP_RESET = "连接被服务器断开"

# --- returned files and qingdan merge (returns.py, merge.py) ---------------------------

ARCHIVE_UNKNOWN = "未识别"
RETURN_SUFFIXES = [".xlsx", ".xlsm", ".xls", ".ods"]
WPS_SUFFIX = ".et"
SUBTITLE_OFFICE = "填报处室"
SUBTITLE_PERIOD = "报送期次"
SUBTITLE_DUE = "报送截止"
SOURCE_META = "_meta"
SOURCE_TITLE = "标题行"
SOURCE_NAME = "文件名"

# one returned file refused as a whole
M_RETURN_ET = "{path}：这是 WPS 表格专用的 .et 格式，qingdan 读不了。请另存为 .xlsx 后再合并（在 WPS 中打开，点“文件—另存为”，文件类型选“Excel 工作簿(*.xlsx)”）。"
M_RETURN_SUFFIX = "{path}：不是可合并的表格文件（只收 .xlsx、.xlsm、.xls、.ods）。"
M_RETURN_TOO_BIG = "{path}：文件有 {size} MB，超过上限 {limit} MB，不像是填报表。请核实后让处室重新发送。"
M_RETURN_EMPTY_FILE = "{path}：文件是空的（0 字节），可能下载或保存失败。请让处室重新发送。"
M_RETURN_UNREADABLE = "{path}：无法读取（{reason}）。文件可能已损坏或不是 Excel 文件，请让处室用 Excel 或 WPS 另存为 .xlsx 后重新发送。"
M_RETURN_NO_HEADER = "{path}：找不到填报表的表头（{headers}）。请确认这是本次下发的填报表，或让处室用原表重新填报。"
M_RETURN_NO_OFFICE = "{path}：看不出是哪个处室的填报表（表中没有 _meta，标题行和文件名中也没有清单中的处室名称）。请把文件名改为“处室名称.xlsx”后再合并。"
M_RETURN_NO_PERIOD = "{path}：看不出是哪一期的填报表（表中没有 _meta，标题行和文件名中也没有报送期次）。请在文件名中注明期次（如“{office}-2023Q2.xlsx”）后再合并。"
M_RETURN_UNKNOWN_OFFICE = "{path}：填报表是“{office}”的，但总表“清单”中没有这个处室。请核对总表的责任处室。"
M_RETURN_NEWER_FORMAT = "{path}：这份填报表由更新版本的 qingdan 生成（格式版本 {version}），请先升级 qingdan。"
M_RETURN_FROM = "处室和期次取自{source}"
M_RETURN_OTHER_PERIOD = "记入{own}，不是最近下发的{period}"
M_RETURN_MISSING_CODES = "表中缺少 {n} 项：{codes}"
M_RETURN_BLANK = "{n} 项未填写"
M_RETURN_OLDER_ROWS = "{n} 项已有较新的报送（{file}，{time}），这些项未采用本文件的内容"
M_RETURN_SUPERSEDED = "已有较新的报送（{file}，{time}），本文件不再采用，其中的问题无需处理"
M_RETURN_SEEN = "{time} 已处理过同样内容的文件（{file}，结果：{result}），未改动"
M_RETURN_SAME_RUN = "与本次的 {file} 内容完全相同（{result}），未重复处理"
M_RETURN_TIME_GUESSED = "文件中没有保存时间，按文件修改时间判断先后"
M_RETURN_OTHER_MASTER = ("{path}：是另一份总表的填报表（《{list}》，总表 {file}），不是本总表（《{our_list}》，{our_file}）的，"
                         "未合并。请确认是否发错了文件；如要合并进那份总表，请用 --master 指定它。")
M_RETURN_DEMO = "{path}：是演示（qingdan demo）生成的填报表，内容是虚构的，不能合并进正式总表；已跳过。"
M_RETURN_OTHER_LIST = ("{path}：表头写的是“{list}”，不是本总表的《{our_list}》，未合并。"
                       "请确认是否发错了文件；如要合并进那份清单的总表，请用 --master 指定它。")
M_RETURN_UNKNOWN_SPLIT = ("{path}：这份填报表生成于 {made}（总表 {file}），本总表的日志里没有这次下发，"
                          "是另一份总表（或演示）的表，未合并。请确认是否发错了文件；如要合并进那份总表，请用 --master 指定它。")
M_RETURN_UNSAVED = "{path}：与下发时的原表完全相同，没有经 Excel 或 WPS 填写保存过（可能发错了附件）。请让处室填写保存后重新发送。"
M_RETURN_IS_FORM = "{path}：这是 qingdan 下发的原表（在下发文件夹 {folder} 中），不是报送回来的文件。"
M_RETURN_PERIOD_UNSURE = "{path}：从标题行认出的期次是{period}，而最近下发的是{latest}。为免记错期次，没有合并。如确是{period}的填报表，请在文件名中注明期次（如“{office}-{period_id}.xlsx”）后再合并。"
M_MERGE_SKIPPED_FORMS = "跳过了下发文件夹中的 {n} 份原表（{folders}）：它们是发出去的表，不是报送回来的。"

# one row of a returned file (P_* are reasons, shown after 第 N 行 / 列)
P_ROW_UNKNOWN_CODE = "编号“{code}”不在总表“清单”中"
P_ROW_NO_CODE = "填了内容但没有编号"
P_ROW_DUPLICATE = "编号“{code}”在本表出现了 {n} 次（第 {rows} 行），这几行都未采用，请删去重复的行"
P_ROW_OTHER_OFFICE = "编号“{code}”的责任处室是“{offices}”，不是{office}，未采用"
P_ROW_LOCKED = "锁定内容被改动（{columns}），已按总表原文保留，只采用了填报的内容"
P_ROW_STATUS = "完成状态“{value}”无法识别，只能填：" + "、".join(STATUSES)
P_ROW_NO_STATUS = "填了进展但没有选择完成状态"
P_ROW_DATE = "完成日期“{value}”不是日期，请写成 2023-06-30 这样"
P_ROW_TOO_LONG = "内容有 {n} 个字，超过 Excel 单元格上限 32767 字"
P_ROW_TIE = "{file} 也报了这一项，两份文件保存时间相同（{time}）而内容不同，都未采用。请确认以哪份为准，单独合并那一份"
P_ROW_MERGED = "填报区域有合并单元格（{ref}），无法确定归属，请取消合并后重新报送"
P_WHERE_ROW = "第 {row} 行"
P_WHERE_ROW_COL = "第 {row} 行 {col} 列（{header}）"

T_MERGE_TITLE = "合并 {n} 个文件"
T_MERGE_TITLE_DRY = "试运行：合并 {n} 个文件（未写入）"
T_PERIOD = "期次"
T_ACCEPTED = "采用"
T_REJECTED = "拒收"
T_PROBLEMS_TITLE = "未采用或有改动的行"
T_WHERE = "位置"
T_REASON = "原因"
M_MERGE_DONE = "已写入总表 {master} 的“进展”表：新增 {added} 行，更新 {updated} 行。原文件已备份，收到的文件已归档到 {archive}。"
M_MERGE_SEEN = "另有 {n} 个文件此前已合并或处理过，内容未变，这次未再处理："
M_MERGE_NOTHING = "没有需要写入总表的内容，总表未改动。"
M_MERGE_LOG_ONLY = "总表“进展”表没有变化，只在“日志”表记下了本次处理的文件。"
M_MERGE_DRY = "试运行：以上是合并的结果预览，总表和归档都没有改动。去掉 --dry-run 即正式合并。"
M_MERGE_REFUSED_FILES = "{n} 个文件未能合并："
M_MERGE_AGAIN = "处理后可再次运行 qingdan merge（已合并过的文件会自动跳过）。"
ITEM_INDENT = "  "
M_MERGE_PROBLEM_ROWS = "{n} 行未采用或有改动，见上表。可请处室改正后重新报送，再运行 qingdan merge。"
M_MERGE_NEXT = "下一步：qingdan status --period {period_id}（看哪些处室还没报送）"
M_MERGE_NO_FILES = "在 {paths} 中没有找到可合并的文件（.xlsx、.xlsm、.xls、.ods）。"
M_MERGE_PROJECTS_SKIPPED = "已跳过其中另一个 qingdan 项目的文件夹：{projects}。"
M_MERGE_PROJECTS = "已跳过另一个 qingdan 项目的文件夹（其中的表属于另一份总表）：{projects}。"
M_PROJECT_DEMO = "{folder}（演示）"
M_MERGE_SKIPPED_MASTERS = "跳过了总表文件 {files}：它是总表，不是报送回来的表。"
M_PROJECT_OTHER = "{folder}"
U_PATH_MISSING = "找不到 {path}。请检查文件或文件夹的路径。"
M_ARCHIVE_FAILED = "无法把 {path} 归档到 {archive}（{reason}），为免丢失，没有合并这个文件。"

# --- qingdan status ------------------------------------------------------------------
STATE_RETURNED = "已报送"
STATE_PARTLY = "部分报送"
STATE_MISSING = "未报送"
STATE_REJECTED = "退回重报"
STATE_WRONG_PERIOD = "报错期次"
M_STATUS_MISSING_CODES = "还差 {n} 项（未报或被拒收）：{codes}"
M_STATUS_WRONG_PERIOD = "{file}（{time} 保存）是{other}的表（已按{other}记录），本期（{period}）的还没有收到"
M_STATUS_ROWS_REFUSED = "最近一份报送中有 {n} 项未能采用（这几项仍按此前报送的记录）"
M_STATUS_REFUSED = "{time} 发来的 {file} 未能采用：{reason}"
M_STATUS_NEXT = "下一步：qingdan mail --remind --period {period_id}（给上面这些处室生成催报邮件，部分报送的附补报表）"
T_STATUS_TITLE = "{period}报送情况（报送截止 {due}）"
T_STATUS_TITLE_NO_DUE = "{period}报送情况"
T_ITEMS = "任务"
T_RETURNED_ROWS = "已报"
T_MISSING_ROWS = "未报"
T_STATE = "状态"
T_WHEN = "报送时间"
T_FROM = "来源文件"
M_STATUS_SUMMARY = "{total} 个处室：已报送 {returned} 个，部分报送 {partly} 个，未报送、报错期次或退回重报 {missing} 个。"
M_NOT_SPLIT = "注意：日志中没有 {period}（{period_id}）的下发记录，这一期还没有下发过填报表（期次是否写错了？）。下面按清单列出这一期应报的事项。"
M_STATUS_REMIND = "需催报（{n} 个处室，未报送、报错期次或报送的表全部被拒收）：{offices}。"
M_STATUS_PARTLY = "需补报（{n} 个处室，有任务未报或被拒收）：{offices}。"
M_STATUS_ALL = "所有处室都已报送{period}。"
M_NO_SPLIT_PERIOD = "总表的日志中没有下发记录，请用 --period 指定期次（如 2023Q2）。"

# --- qingdan report (report.py) ---------------------------------------------------------
REPORT_FILE = "{unit}责任清单落实情况汇总表（{period}）.xlsx"
REPORT_TITLE = "{title}落实情况汇总表"
REPORT_SUBTITLE = "（{period}，截至{as_of}）"
REPORT_UNIT = "制表单位：{unit}"
REPORT_DATE = "制表日期：{date}"
R_OFFICE = "处室"
R_DEADLINE = "完成时限"
R_LEADER = "牵头领导"
R_CATEGORY = "类别"
R_ASSIGNMENTS = "任务数"
R_OVERDUE = "逾期"
R_RATE = "完成率"
R_TOTAL = "合计"
R_NONE = "（未填）"
R_MONTH = "{year}年{month}月"
R_ITEM = "指标"
R_VALUE = "数值"
R_SITUATION = "情况"
R_YES = "是"
R_SAME = "与上期相同"
R_CODES = "未报送的任务编号"
R_COUNT = "项数"
R_SHORT_MARK = "…"
R_CHART_OFFICE = "各处室任务完成情况"
R_CHART_DEADLINE = "按完成时限的任务完成情况"
R_CHART_AXIS = "任务数（项）"
R_OVERVIEW_ROWS = [
    "清单任务（项）", "其中未明确具体责任处室（项）", "分解到处室的任务（任务×处室）", "责任处室（个）",
    "已完成", "推进中", "未启动", "滞后", "未报送", "逾期", "完成率（按任务×处室）",
    "已完成的任务（项，所有责任处室均已完成）", "完成率（按项）", "本期已报送的处室（个）", "本期未报送的处室（个）",
]
R_SUMMARY = (
    "截至{as_of}，清单共{items}项任务，分解到{offices}个处室共{assignments}项（任务×处室）{unassigned}。"
    "{period}已报送{returned}个处室{partly}，未报送{missing_offices}个处室{missing_names}。"
    "按任务×处室计：已完成{done}项、推进中{doing}项、未启动{not_started}项、滞后{late}项、未报送{unreported}项，"
    "完成率{rate}；逾期{overdue}项。按项计{of_assigned}，已完成{items_done}项（所有责任处室均已完成），完成率{item_rate}。"
)
R_SUMMARY_UNASSIGNED = "，另有{n}项未明确具体责任处室（没写或只写了“各有关单位”这类统称）"
R_SUMMARY_OF_ASSIGNED = "（在已明确责任处室的{n}项任务中）"
R_SUMMARY_PARTLY = "（其中{n}个处室有部分任务未报送）"
R_PENDING = "（待补）"  # a leader still redacted as *
R_CATEGORY_IN_PART = "{category}（{part}）"
R_BAD_STATUS_ITEM = "{code}（{office}）：“{value}”"
M_REPORT_BAD_STATUS = "总表“进展”表中本期有 {n} 行的完成状态无法识别，按未报送统计：{items}。请在“进展”表改为已完成、推进中、未启动或滞后。"
R_PARTLY = "部分未报送"
CHART_SHEET = "{name}图"
U_REPORT_SUFFIX = "汇总表文件 {path} 的扩展名应为 .xlsx，请换一个以 .xlsx 结尾的文件名（PDF 用 --pdf 生成，放在汇总表旁边）。"
U_REPORT_IS_MASTER = "{path} 是总表本身，不能用作汇总表的文件名，否则总表会被覆盖。请换一个文件名。"
R_ALL_MISSING = "全部未报送"
R_SUMMARY_MISSING = "（{names}）"
R_OVERVIEW_NOTE = "说明：一项任务由几个处室负责即计几项（任务×处室）；一项任务所有责任处室都报“已完成”才算该项已完成。逾期指完成时限早于{as_of}而本期状态不是“已完成”（未报送的也算）。"
R_LATE_OVERDUE = "逾期"
M_REPORT_DONE = "汇总表已生成：{path}"
M_REPORT_PDF = "PDF 已生成：{path}（{pages} 页）"
M_REPORT_NO_LO = "没有找到 LibreOffice，无法生成 PDF。汇总表 {path} 已生成，可用 Excel 或 WPS 打开后打印或另存为 PDF；也可安装 LibreOffice（Windows 从 libreoffice.org 下载；Debian/Ubuntu：sudo apt install libreoffice-calc fonts-noto-cjk）后重试。"
M_REPORT_PDF_FAILED = "LibreOffice 没能把 {path} 转成 PDF（{reason}）。汇总表本身已生成，可用 Excel 或 WPS 打开后打印。"
M_REPORT_LOG_FAILED = "汇总表已生成，但没有写入总表的日志：{reason}"
T_REPORT_TITLE = "{period}落实情况（截至 {as_of}）"
PROGRESS_PDF = "生成 PDF"

# --- the guard on returned files (guard.py) ------------------------------------------------
M_GUARD_DTD = "{path}：文件内部的“{part}”含有 XML 实体声明（DOCTYPE/ENTITY），正常的 Office 文件没有，可能是恶意构造的文件，未读取。请让处室用 Excel 或 WPS 重新另存后发送。"
M_GUARD_NESTED = "{path}：文件内部嵌着另一个压缩文件或文档“{name}”，填报表里不应有，未读取。请让处室删去嵌入的对象后重新发送。"
M_GUARD_ENCRYPTED = "{path}：文件已设置密码，请取消密码后再发送（在 Excel/WPS 中“文件—信息—保护工作簿—用密码进行加密”，清空密码后保存）。"
M_GUARD_HTML = "{path}：这其实是网页（HTML）文件，只是扩展名是 {suffix}，不是真正的 Excel 文件。请用 Excel 或 WPS 打开后另存为 .xlsx 再发送。"
M_GUARD_TEXT = "{path}：这其实是文本文件（如 CSV），只是扩展名是 {suffix}，不是真正的 Excel 文件。请用原填报表填写后发送。"
M_GUARD_UNKNOWN = "{path}：看不出是什么文件（不是 Excel、WPS 或 LibreOffice 表格），未读取。请让处室用原填报表填写、另存为 .xlsx 后重新发送。"
M_GUARD_XLS = "{path}：.xls 文件的内部结构不完整（{reason}），未读取。请让处室用 Excel 或 WPS 另存为 .xlsx 后重新发送。"
M_READER_TIMEOUT = "{path}：读取超过 {seconds} 秒仍未完成（文件可能被恶意构造或损坏），已放弃，未合并。请让处室用 Excel 或 WPS 另存为 .xlsx 后重新发送。"
M_READER_CRASHED = "{path}：读取时读取程序异常退出（文件可能被恶意构造、损坏，或读取它需要的内存超过 {memory} MB），未合并。请让处室用 Excel 或 WPS 另存为 .xlsx 后重新发送。"
M_GUARD_TAG = "{path}：文件内部的“{part}”里有一个长达 {size} MB 的 XML 标记，正常的 Office 文件没有，可能是恶意构造的文件，未读取。"
M_GUARD_TRUNCATED = "{path}：文件不完整（可能下载或发送时被截断），未读取。请让处室重新发送。"
M_GUARD_SHEETS = "{path}：文件里有 {count} 个工作表，填报表只有一个，超过上限 {limit} 个，未读取。请让处室用原填报表填写后重新发送。"
M_MASTER_READ_ONLY = "总表 {path} 是只读的，无法写入，原文件未改动。请在文件属性中去掉“只读”（或换到有写权限的文件夹）后再运行。"
