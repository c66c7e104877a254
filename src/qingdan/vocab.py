"""The workbook vocabulary: the words that are part of qingdan's file formats —
sheet names, headers, 完成状态 and 时限类型 words, _meta keys, the 报送期次 labels,
folder names, and the 日志 lines merge and status read back.  Changing one
changes the files qingdan writes and the files it can read.  Messages are in
words.py, the words recognised in published documents in lexicon.py.
"""

SHEET_LIST = "清单"
SHEET_PROGRESS = "进展"
SHEET_OFFICES = "处室"
SHEET_LOG = "日志"
H_CODE = "编号"
H_PART = "清单"
H_CATEGORY = "类别"
H_SEQ = "序号"
H_TASK = "工作任务"
H_LEADER = "牵头领导"
H_OFFICES = "责任处室"
H_SCHEDULE = "时间进度安排"
H_DEADLINE = "完成时限"
H_KIND = "时限类型"
H_NOTE = "备注"
LIST_HEADERS = [
    H_CODE, H_PART, H_CATEGORY, H_SEQ, H_TASK, H_LEADER,
    H_OFFICES, H_SCHEDULE, H_DEADLINE, H_KIND, H_NOTE,
]
PROGRESS_HEADERS = [
    "编号", "责任处室", "报送期次", "完成状态", "进展情况", "完成日期", "佐证材料",
    "填报人", "联系电话", "报送时间", "来源文件", "文件指纹",
]
OFFICE_HEADERS = ["处室", "联系人", "邮箱", "电话", "分管领导"]
LOG_HEADERS = ["时间", "操作", "文件", "处室", "结果", "说明"]
KIND_FIXED = "限时完成"
KIND_ONGOING = "持续推进"
KIND_PERIODIC = "定期"
KIND_PENDING = "时限待定"
DEADLINE_KINDS = [KIND_FIXED, KIND_ONGOING, KIND_PERIODIC, KIND_PENDING]
STATUS_DONE = "已完成"
STATUS_DOING = "推进中"
STATUS_NOT_STARTED = "未启动"
STATUS_LATE = "滞后"
STATUSES = [STATUS_DONE, STATUS_DOING, STATUS_NOT_STARTED, STATUS_LATE]
ACTION_IMPORT = "导入"
RESULT_OK = "成功"
BACKUP_DIR = "备份"
# Context: text a list gives beside the task under a name of its own (its goal, its
# measures …).  Each is kept in a 清单 column of that name, after 工作任务, and shown
# locked on the 填报表.  These names are labels in the paragraph form and are always
# read as context in a master; in a table any column qingdan has no other use for
# is context too, under its own header.
CONTEXT_HEADERS = [
    "工作目标", "目标任务", "具体措施", "完成标准", "整改措施", "整改目标", "整改要求", "责任人",
    "预期目标", "目标要求", "主要措施", "工作措施", "工作举措", "具体工作措施", "推进措施", "细化措施",
    "验收标准", "完成标志", "整改举措", "整改责任人", "具体责任人", "任务来源",
]
LOG_IDENTITY = "总表标识 {identity}"  # ends every import line: the master's identity, also where re-saves keep no property
M_LOG_IMPORT = "《{title}》：清单 {parts} 个，类别 {categories} 个，任务 {items} 项，处室 {offices} 个；" + LOG_IDENTITY
PERIOD_QUARTER = "{year}年第{n}季度"
PERIOD_MONTH = "{year}年{n}月"
PERIOD_HALF = "{year}年{half}"
PERIOD_YEAR = "{year}年度"
HALVES = ["上半年", "下半年"]
FOLDER_PARTIAL = "补报"  # output/<期次>/补报: forms of just the items an office still owes
SHEET_FORM = "填报"
SHEET_META = "_meta"
H_ROLE = "分工"
H_STATUS = "完成状态"
H_PROGRESS = "进展情况"
H_DONE_DATE = "完成日期"
H_EVIDENCE = "佐证材料"
H_REPORTER = "填报人"
H_PHONE = "联系电话"
# a source table's column of one of these names would be taken for qingdan's own
# (a form's fill-in column, a derived 清单 column): it is kept as "<name>（原表）"
RESERVED_HEADERS = {*LIST_HEADERS, H_ROLE, H_STATUS, H_PROGRESS, H_DONE_DATE, H_EVIDENCE, H_REPORTER, H_PHONE,
                    "编号", "报送期次", "责任主体"}
ROLE_LEAD = "牵头"
ROLE_HELP = "配合"
# _meta: keys (column A) and the row table; read back by merge
META_FORMAT = "格式版本"
META_OFFICE = "处室"
META_PERIOD = "报送期次"
META_PERIOD_LABEL = "期次名称"
META_MASTER = "总表"
META_IDENTITY = "总表标识"
META_LIST = "清单名称"
META_FINGERPRINT = "清单指纹"
META_MADE = "生成时间"
META_DUE = "报送截止"
META_HEADER_ROW = "表头行"
META_REPORTER_CELL = "填报人单元格"
META_PHONE_CELL = "联系电话单元格"
META_ANSWERS = "下发时填报内容哈希"  # answers_digest of what the form held when it went out
META_CONTEXT = "参考列"  # the context columns shown on the form (工作目标 …), tab-separated
META_ROWS = "编号"
META_ROW_NUMBER = "行号"  # format 1's row table: 编号, 行号, 锁定内容哈希, a row per task
META_ROW_HASH = "锁定内容哈希"
META_ROW_HASHES = "编号 锁定内容哈希"  # format 2: "编号 哈希" lines, as few cells as hold them
ACTION_SPLIT = "下发"
ACTION_MAIL = "发邮件"
RESULT_PARTLY = "部分成功"
RESULT_FAILED = "失败"
M_LOG_SPLIT = "{period_id}（{period}）：{offices} 个处室，{rows} 行，报送截止 {due}"
M_LOG_ALL_OFFICES = "全部处室"
FOLDER_FORMS = "下发"
FOLDER_MAIL = "邮件"
M_LOG_MAIL = "{period_id}（{period}）{kind}：{summary}"
M_LOG_OFFICES = "{n} 个处室"
# 完成状态 as offices write it → the word qingdan stores.  Compared after NFKC,
# without spaces and trailing punctuation; anything else is refused, never guessed.
STATUS_VARIANTS = {
    STATUS_DONE: STATUS_DONE, "完成": STATUS_DONE, "已办结": STATUS_DONE, "办结": STATUS_DONE,
    "已落实": STATUS_DONE, "已完结": STATUS_DONE, "完结": STATUS_DONE, "全部完成": STATUS_DONE,
    "已经完成": STATUS_DONE, "按期完成": STATUS_DONE, "已按期完成": STATUS_DONE,
    STATUS_DOING: STATUS_DOING, "进行中": STATUS_DOING, "正在进行": STATUS_DOING, "正在推进": STATUS_DOING,
    "序时推进": STATUS_DOING, "按序时推进": STATUS_DOING, "持续推进": STATUS_DOING,
    "持续推进中": STATUS_DOING, "推进": STATUS_DOING, "正在推进中": STATUS_DOING, "稳步推进": STATUS_DOING,
    "有序推进": STATUS_DOING, "已启动": STATUS_DOING, "正在落实": STATUS_DOING, "落实中": STATUS_DOING,
    "办理中": STATUS_DOING, "实施中": STATUS_DOING, "部分完成": STATUS_DOING,
    STATUS_NOT_STARTED: STATUS_NOT_STARTED, "未开始": STATUS_NOT_STARTED, "尚未启动": STATUS_NOT_STARTED,
    "尚未开始": STATUS_NOT_STARTED, "暂未启动": STATUS_NOT_STARTED, "未开展": STATUS_NOT_STARTED,
    "尚未开展": STATUS_NOT_STARTED, "暂未开展": STATUS_NOT_STARTED,
    STATUS_LATE: STATUS_LATE, "进度滞后": STATUS_LATE, "滞后推进": STATUS_LATE, "延期": STATUS_LATE,
    "已延期": STATUS_LATE, "延迟": STATUS_LATE, "推迟": STATUS_LATE, "未按期完成": STATUS_LATE,
    "未按时完成": STATUS_LATE,
}
STATUS_TRIM = " 　。．.;；,，!！"
ARCHIVE_DIR = "归档"
ACTION_MERGE = "合并"
RESULT_DUPLICATE = "已处理过"
RESULT_SAME = "重复文件"
RESULT_EMPTY = "未填写"
RESULT_REFUSED = "拒收"
RESULT_READ_FAILED = "读取失败"
RESULT_OLDER = "已有较新报送"
RESULT_DRY = "试运行"
LOG_PRINTS = "指纹 {fingerprint}；清单 {list}"  # ends every merge line: which file, against which 清单
M_LOG_MERGE = "{period_id}（{period}）：采用 {accepted} 行，拒收 {rejected} 行，未填 {blank} 行；保存于 {saved}；" + LOG_PRINTS
M_LOG_MERGE_REFUSED = "{reason}；" + LOG_PRINTS
M_LOG_MERGE_REFUSED_PERIOD = "{period_id}（{period}）整份拒收：{reason}；" + LOG_PRINTS
SHEET_OVERVIEW = "总体情况"
SHEET_BY_OFFICE = "按处室"
SHEET_BY_DEADLINE = "按时限"
SHEET_BY_LEADER = "按牵头领导"
SHEET_BY_CATEGORY = "按类别"
SHEET_LATE = "逾期及滞后事项"
SHEET_MISSING = "未报送"
SHEET_DETAIL = "明细"
ACTION_REPORT = "汇总"
M_LOG_REPORT = "{period_id}（{period}）截至 {as_of}：{assignments} 项（任务×处室），已完成 {done}，逾期 {overdue}，未报送 {unreported}"
SHEET_DERIVED = "_时限派生"  # hidden; qingdan's own
DERIVED_HEADERS = [H_CODE, H_SCHEDULE, H_DEADLINE, H_KIND]
