"""One reporting cycle as a clerk runs it, and the ways it went wrong (issue 16):
forms of another master, the master open in an office suite, a mistyped period,
an office that sent the wrong period's form, a refused file, a partly reported
office, a return whose timestamps say "never saved"."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest
from conftest import MASTER_NAME, SEED, open_elsewhere
from filling import fill, log, progress, rewrite_part
from python_calamine import CalamineWorkbook

FORMS = Path("output") / "2023Q2" / "下发"
DRAFTS = Path("output") / "2023Q2" / "邮件"
OFFICE = FORMS / "办公室.xlsx"  # 1-01, 1-04, 1-09, 1-10, 1-24
OFFICE_CODES = ["1-01", "1-04", "1-09", "1-10", "1-24"]
USING = f"总表：workbooks/{MASTER_NAME}"


def rows_of(master: Path, office: str, period: str = "2023Q2") -> list[str]:
    """The 编号 that 进展 holds for ``office`` and ``period``."""
    return sorted(r["编号"] for r in progress(master) if r["责任处室"] == office and r["报送期次"] == period)


def parse(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def body(path: Path) -> str:
    return parse(path).get_body(("plain",)).get_content()


def identity(path: Path) -> str:
    return openpyxl.load_workbook(path).custom_doc_props["qingdan_id"].value


def meta(path: Path) -> dict[str, str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_meta").to_python()
    return {r[0]: r[1] for r in rows if len(r) > 1 and r[0]}


def values_only(src: Path, dst: Path) -> Path:
    """The form's visible sheet copied cell by cell into a new workbook: no _meta,
    as when an office pastes the table into a file of its own."""
    old = openpyxl.load_workbook(src)["填报"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "填报"
    for row in old.iter_rows():
        for cell in row:
            if cell.value is not None and not isinstance(cell, openpyxl.cell.cell.MergedCell):
                sheet.cell(cell.row, cell.column, cell.value)
    book.save(dst)
    return dst


# --- master identity ------------------------------------------------------------------

def test_a_form_of_another_master_of_the_same_list_is_refused(run, master, forms, returns, workdir):
    """The same list imported again elsewhere (another office's copy, an old test run):
    same title, same 编号, and still not this master's form."""
    other = workdir / "别处" / "总表.xlsx"
    assert run("import", SEED, "-o", other).exit_code == 0
    assert identity(other) != identity(master)
    assert run("split", "--period", "2023Q2", "--master", other, "-o", workdir / "别处" / "下发").exit_code == 0
    fill(workdir / "别处" / "下发" / "办公室.xlsx", returns / "办公室.xlsx")
    before = master.read_bytes()
    result = run("merge", returns, "--dry-run")
    assert result.exit_code == 1
    assert ("收件/办公室.xlsx：是另一份总表的填报表（《2023年度局委员会全面从严治党主体责任清单》，总表 总表.xlsx），"
            f"不是本总表（《2023年度局委员会全面从严治党主体责任清单》，{MASTER_NAME}）的，未合并。"
            "请确认是否发错了文件；如要合并进那份总表，请用 --master 指定它。") in result.output
    result = run("merge", returns)
    assert result.exit_code == 1
    assert not [r for r in progress(master)]
    assert log(master)[-1]["结果"] == "拒收"
    assert master.read_bytes() != before  # only the 日志 line
    # the form of this master goes in
    fill(OFFICE, returns / "办公室（本表）.xlsx")
    assert run("merge", returns / "办公室（本表）.xlsx").exit_code == 0
    assert rows_of(master, "办公室") == OFFICE_CODES


@pytest.mark.slow
def test_nothing_of_the_demo_reaches_the_real_master(run, master, forms, returns):
    """qingdan demo inside the project, then merge output: the demo's forms and
    returns carry the same list name and 编号, and none of them is taken, whether
    merged from the demo's folder or copied out of it."""
    assert run("demo").exit_code == 0
    result = run("merge", "output")
    assert result.exit_code == 0, result.output
    assert "已跳过另一个 qingdan 项目的文件夹（其中的表属于另一份总表）：output/demo（演示）。" in result.output
    assert "跳过了下发文件夹中的 10 份原表（output/2023Q2/下发）" in result.output  # this master's own forms
    assert progress(master) == []
    for file in Path("output", "demo", "收件").iterdir():
        shutil.copy(file, returns / file.name)
    result = run("merge", returns)
    assert result.exit_code == 1
    assert progress(master) == []
    refused = [r for r in log(master) if r["操作"] == "合并"]
    assert len(refused) == 9 and all(r["结果"] == "拒收" for r in refused)
    assert "收件/办公室.xlsx：是演示（qingdan demo）生成的填报表，内容是虚构的，不能合并进正式总表；已跳过。" in result.output


def test_a_copied_table_is_matched_by_the_list_name_in_its_title(run, master, forms, returns, workdir):
    fill(OFFICE, returns / "x.xlsx")
    values_only(returns / "x.xlsx", returns / "办公室.xlsx")
    (returns / "x.xlsx").unlink()
    # the same table under another list's title
    other = values_only(returns / "办公室.xlsx", returns / "办公室（另一清单）.xlsx")
    book = openpyxl.load_workbook(other)
    book["填报"]["A1"] = "2023年度局党委意识形态工作责任清单落实情况填报表"
    book.save(other)
    result = run("merge", returns)
    assert result.exit_code == 1
    assert ("收件/办公室（另一清单）.xlsx：表头写的是“2023年度局党委意识形态工作责任清单落实情况填报表”，"
            "不是本总表的《2023年度局委员会全面从严治党主体责任清单》，未合并。"
            "请确认是否发错了文件；如要合并进那份清单的总表，请用 --master 指定它。") in result.output
    assert rows_of(master, "办公室") == OFFICE_CODES  # the one of this list was taken
    assert {Path(r["来源文件"]).name for r in progress(master)} == {"办公室.xlsx"}


def test_identity_is_kept_by_force_and_by_a_suite_that_drops_custom_properties(run, master, forms, returns):
    mine = identity(master)
    assert re.fullmatch("[0-9a-f]{16}", mine)
    assert meta(OFFICE)["总表标识"] == mine
    # import --force (no progress yet): the forms already sent still belong
    assert run("import", SEED, "--force").exit_code == 0
    assert identity(master) == mine
    # an office suite that keeps no custom properties: 日志's import line still names it
    rewrite_part(master, "docProps/custom.xml", lambda xml: re.sub(rb"<property\b.*</property>", b"", xml))
    assert "qingdan_id" not in openpyxl.load_workbook(master).custom_doc_props
    fill(OFFICE, returns / "办公室.xlsx")
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert rows_of(master, "办公室") == OFFICE_CODES


@pytest.mark.slow
def test_identity_survives_a_libreoffice_resave(run, master, forms, returns, libreoffice, tmp_path):
    from conftest import convert

    mine = identity(master)
    resaved = convert(libreoffice, master, "xlsx", tmp_path / "lo")
    shutil.copy(resaved, master)
    assert identity(master) == mine
    fill(OFFICE, returns / "办公室.xlsx")
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert rows_of(master, "办公室") == OFFICE_CODES


# --- office suites' lock files -----------------------------------------------------------

LOCKS = [
    (f".~lock.{MASTER_NAME}#", "LibreOffice"),
    (f"~${MASTER_NAME}", "Excel 或 WPS"),
    (f"~${MASTER_NAME[2:]}", "Excel 或 WPS"),
    (f"~${MASTER_NAME[1:]}", "Excel 或 WPS"),
]
LOCKED_COMMANDS = [
    ["split", "--period", "2023Q3"],
    ["mail"],
    ["mail", "--remind"],
    ["report"],
    ["merge", "收件"],
    ["import", SEED, "--force"],
]


# every command with every lock in the full run; in the quick run each command once and each lock at least once
@pytest.mark.parametrize("lock, program, command", [
    pytest.param(lock, program, command, marks=() if i == j % len(LOCKS) else pytest.mark.slow,
                 id=f"{' '.join(c for c in command if isinstance(c, str))}-{lock}")
    for j, command in enumerate(LOCKED_COMMANDS) for i, (lock, program) in enumerate(LOCKS)])
def test_the_master_open_in_an_office_suite_is_never_written(run, master, forms, returns, lock, program, command):
    fill(OFFICE, returns / "办公室.xlsx")
    (master.parent / lock).write_bytes(b"owner")
    before = master.read_bytes()
    result = run(*command)
    assert result.exit_code == 1, result.output
    assert result.output.strip().endswith(open_elsewhere(f"workbooks/{MASTER_NAME}", lock, program))
    assert master.read_bytes() == before
    assert not (master.parent / "归档").exists()
    assert not Path("output", "2023Q3").exists() and not DRAFTS.exists()


def test_a_lock_of_another_file_does_not_stop_anything(run, master, forms):
    (master.parent / "~$另一个文件.xlsx").write_bytes(b"owner")
    (master.parent / ".~lock.另一个文件.xlsx#").write_bytes(b"owner")
    assert run("split", "--period", "2023Q3").exit_code == 0


# --- periods ---------------------------------------------------------------------------------

def test_every_command_says_which_master_and_period_and_why(run, master, returns):
    result = run("split", "--period", "2023Q2")
    assert result.output.splitlines()[0] == f"{USING}；期次：2023年第二季度（2023Q2，--period 指定）"
    logged = log(master)[-1]["时间"][:10]
    for command in (["status"], ["mail"], ["report"]):
        result = run(*command)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == (
            f"{USING}；期次：2023年第二季度（2023Q2，未指定 --period，取最近一次下发（{logged}）的期次）"), command
    fill(OFFICE, returns / "办公室.xlsx")
    assert run("merge", returns).output.splitlines()[0] == USING
    result = run("status", "--period", "2023Q1")
    assert result.output.splitlines()[0] == f"{USING}；期次：2023年第一季度（2023Q1，--period 指定）"


def test_the_demo_master_says_it_is_the_demo(run, workdir):
    from qingdan.document import import_document

    import_document(SEED, workdir / "workbooks", demo=True)
    assert run("split", "--period", "2023Q2").exit_code == 0
    result = run("status")
    assert result.output.splitlines()[0].endswith("（演示总表，数据是虚构的）")


def test_a_resplit_of_a_period_with_returns_is_refused_unless_forced(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    assert run("merge", returns).exit_code == 0
    sent = OFFICE.read_bytes()
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 2
    assert result.output == ("2023年第二季度已有 1 个处室报送过：办公室。重新下发会覆盖 output/2023Q2/下发 中这些处室的填报表"
                             "（已收到的报送不受影响）。如确要重新下发，请加 --force；只补发个别处室请用 --office。\n")
    assert OFFICE.read_bytes() == sent
    assert run("split", "--period", "2023Q2", "--office", "规财处").exit_code == 0  # not returned yet: fine
    result = run("split", "--period", "2023Q2", "--force")
    assert result.exit_code == 0, result.output
    assert "注意：办公室 已报送过本期（共 1 个处室），已按 --force 重新生成其填报表；已收到的报送不受影响。" in result.output
    assert rows_of(master, "办公室") == OFFICE_CODES


# --- wrong period, refused, partly ----------------------------------------------------------

def test_last_periods_form_sent_this_period_is_said_so(run, master, returns, workdir):
    assert run("split", "--period", "2023Q1", "-o", workdir / "q1").exit_code == 0
    assert run("split", "--period", "2023Q2").exit_code == 0
    fill(workdir / "q1" / "办公室.xlsx", returns / "办公室.xlsx")  # in July, the old form
    merged = run("merge", returns)
    assert merged.exit_code == 0, merged.output
    assert "记入2023年第一季度，不是最近下发的2023年第二季度" in merged.output
    assert rows_of(master, "办公室", "2023Q1") == OFFICE_CODES  # recorded for its own period
    saved = [r for r in progress(master) if r["责任处室"] == "办公室"][0]["报送时间"]
    status = run("status")
    assert re.search(r"│ 办公室 +│ +5 │ +0 │ +5 │ +0 │ 报错期次 ", status.output), status.output
    assert (f"  办公室：办公室.xlsx（{saved} 保存）是2023年第一季度的表（已按2023年第一季度记录），"
            "本期（2023年第二季度）的还没有收到") in status.output
    assert "需催报（10 个处室" in status.output
    assert run("mail", "--remind", "--office", "办公室").exit_code == 0
    text = body(DRAFTS / "催报-办公室.eml")
    assert (f"贵处室发来的 办公室.xlsx（{saved[:16]} 保存）是2023年第一季度的填报表，不是本期（2023年第二季度）的，"
            "已按2023年第一季度记录；本期的填报表还没有收到，附件是本期的表。") in text
    assert "尚未收到贵处室的填报表" not in text
    [attachment] = parse(DRAFTS / "催报-办公室.eml").iter_attachments()
    assert attachment.get_content() == OFFICE.read_bytes()  # the 2023Q2 form


def test_a_refused_file_is_chased_for_a_new_one_with_the_reason(run, master, forms, returns):
    shutil.copy(OFFICE, returns / "办公室.xlsx")  # the form as received, sent straight back
    assert run("merge", returns).exit_code == 1
    when = log(master)[-1]["时间"]
    status = run("status")
    assert re.search(r"│ 办公室 +│ +5 │ +0 │ +5 │ +0 │ 退回重报 ", status.output), status.output
    assert (f"  办公室：{when} 发来的 办公室.xlsx 未能采用：与下发时的原表完全相同，没有经 Excel 或 WPS 填写保存过"
            "（可能发错了附件）。请让处室填写保存后重新发送\n") in status.output
    assert run("mail", "--remind", "--office", "办公室").exit_code == 0
    text = body(DRAFTS / "催报-办公室.eml")
    # the fact, said to the office; what to do is the template's next sentence
    assert (f"贵处室 {when[:16]} 发来的 办公室.xlsx 未能采用：与下发时的原表完全相同，没有经 Excel 或 WPS 填写保存过"
            "（可能发错了附件）。请填写附件表格后尽快回复本邮件报送") in text
    assert "尚未收到" not in text and "请让处室" not in text


def test_a_partly_reported_office_is_chased_for_the_items_missing(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx", answers={"1-01": {"完成状态": "已完成"}, "1-09": {"完成状态": "推进中"}})
    assert run("merge", returns).exit_code == 0
    status = run("status")
    assert "  办公室：还差 3 项（未报或被拒收）：1-04、1-10、1-24" in status.output
    result = run("mail", "--remind", "--office", "办公室")
    assert result.exit_code == 0, result.output
    assert "已报送、不再催报" not in result.output and "所有处室都已报送" not in result.output
    assert "部分报送的处室附的是只含未报事项的补报表，在 output/2023Q2/补报。" in result.output
    text = body(DRAFTS / "催报-办公室.eml")
    assert "贵处室已报送的填报表中，尚有 3 项未填写或未能采用（1-04、1-10、1-24）。附件是这 3 项的补报表。" in text
    [attachment] = parse(DRAFTS / "催报-办公室.eml").iter_attachments()
    assert attachment.get_filename() == "办公室（补报）.xlsx"
    partial = Path("output", "2023Q2", "补报", "办公室（补报）.xlsx")
    assert attachment.get_content() == partial.read_bytes()
    table = CalamineWorkbook.from_path(str(partial)).get_sheet_by_name("填报").to_python()
    assert [r[0] for r in table[5:] if r[0]] == ["1-04", "1-10", "1-24"]
    assert meta(partial)["处室"] == "办公室" and meta(partial)["报送期次"] == "2023Q2"
    # merge output skips the form itself; the office's filled one completes the period
    before = progress(master)
    skipped = run("merge", "output")
    assert skipped.exit_code == 0 and "跳过了下发文件夹中的 11 份原表" in skipped.output, skipped.output
    assert "output/2023Q2/补报" in skipped.output and progress(master) == before
    fill(partial, returns / "办公室补报.xlsx")
    assert run("merge", returns / "办公室补报.xlsx").exit_code == 0
    assert rows_of(master, "办公室") == OFFICE_CODES
    status = run("status")
    assert re.search(r"│ 办公室 +│ +5 │ +5 │ +0 │ +0 │ 已报送 ", status.output), status.output


# --- untouched means untouched ---------------------------------------------------------------

def stamp_created_as_modified(path: Path) -> None:
    """Some tools stamp created and modified alike whenever they save."""
    def change(xml: bytes) -> bytes:
        modified = re.search(rb"<dcterms:modified\b[^>]*>([^<]*)<", xml)[1]
        return re.sub(rb"(<dcterms:created\b[^>]*>)[^<]*", rb"\g<1>" + modified, xml)
    rewrite_part(path, "docProps/core.xml", change)


def test_a_filled_return_whose_times_say_unsaved_is_taken(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    stamp_created_as_modified(returns / "办公室.xlsx")
    with zipfile.ZipFile(returns / "办公室.xlsx") as zf:
        core = zf.read("docProps/core.xml")
    assert re.search(rb"created[^>]*>([^<]*)<", core)[1] == re.search(rb"modified[^>]*>([^<]*)<", core)[1]
    result = run("merge", returns)
    assert result.exit_code == 0, result.output
    assert rows_of(master, "办公室") == OFFICE_CODES


def test_a_prefilled_form_sent_back_as_it_went_out_is_refused(run, master, forms, returns):
    """Last period's answers pre-filled: the untouched form has answers, and they are what was sent."""
    fill(OFFICE, returns / "q2.xlsx", saved=dt.datetime(2023, 7, 3, 9, 0))
    assert run("merge", returns / "q2.xlsx").exit_code == 0
    assert run("split", "--period", "2023Q3").exit_code == 0
    q3 = Path("output", "2023Q3", "下发", "办公室.xlsx")
    assert meta(q3)["下发时填报内容哈希"]
    shutil.copy(q3, returns / "办公室.xlsx")
    result = run("merge", returns / "办公室.xlsx")
    assert result.exit_code == 1
    assert "与下发时的原表完全相同" in result.output
    assert rows_of(master, "办公室", "2023Q3") == []


# --- what each command prints ------------------------------------------------------------------

def test_import_says_what_to_do_next(run, workdir):
    result = run("import", SEED)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "下一步：核对无误后运行 qingdan split --period 2023Q1（按需要改成本次报送的期次），生成各处室的填报表。")


@pytest.mark.slow
def test_a_master_libreoffice_really_has_open_is_not_written(run, master, forms, returns, libreoffice, tmp_path):
    """LibreOffice itself opens the master (not a lock file made by the test) and merge leaves it alone."""
    import subprocess
    import time

    fill(OFFICE, returns / "办公室.xlsx")
    before = master.read_bytes()
    office = subprocess.Popen([libreoffice, "--headless", "--norestore",
                               f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", str(master)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = master.with_name(f".~lock.{master.name}#")
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert lock.exists(), "LibreOffice did not open the master"
        result = run("merge", returns)
        assert result.exit_code == 1
        assert result.output.strip() == open_elsewhere(f"workbooks/{MASTER_NAME}", lock.name, "LibreOffice")
        assert master.read_bytes() == before and progress(master) == []
    finally:
        office.kill()
        office.wait()


def legacy(form: Path, dst: Path, made: str = "") -> Path:
    """``form`` as split wrote it before forms named their master (format 2: no 总表标识, no 清单名称);
    ``made``: the time it says it was made, else the time it was."""
    book = openpyxl.load_workbook(form)
    sheet = book["_meta"]
    for row in sheet.iter_rows(max_col=2):
        if row[0].value in ("总表标识", "清单名称", "下发时填报内容哈希"):
            row[0].value = row[1].value = None
        elif row[0].value == "格式版本":
            row[1].value = "2"
        elif row[0].value == "生成时间" and made:
            row[1].value = made
    book.save(dst)
    return dst


def test_a_form_made_before_identities_is_matched_by_its_split(run, master, forms, returns, workdir):
    """A form of format 2 carries no identity: it is this master's only when this
    master's 日志 records a 下发 at the second it was made."""
    other = workdir / "别处" / "总表.xlsx"
    assert run("import", SEED, "-o", other).exit_code == 0
    assert run("split", "--period", "2023Q2", "--master", other, "-o", workdir / "别处" / "下发").exit_code == 0
    # made as the demo makes its forms, at a fixed time of its own
    fill(legacy(workdir / "别处" / "下发" / "办公室.xlsx", workdir / "别处.xlsx", "2023-06-20T09:00:00"),
         returns / "别处的.xlsx")
    made = "2023-06-20 09:00:00"
    mine = fill(legacy(OFFICE, workdir / "本表.xlsx"), returns / "办公室.xlsx")
    assert "总表标识" not in meta(mine) and meta(mine)["格式版本"] == "2"
    result = run("merge", returns)
    assert result.exit_code == 1
    assert (f"收件/别处的.xlsx：这份填报表生成于 {made}（总表 总表.xlsx），本总表的日志里没有这次下发，"
            "是另一份总表（或演示）的表，未合并。") in result.output
    assert rows_of(master, "办公室") == OFFICE_CODES
    assert {Path(r["来源文件"]).name for r in progress(master)} == {"办公室.xlsx"}


def test_import_force_of_another_list_makes_a_new_master(run, master, workdir):
    """The wrong document imported first, its forms sent, then the right one over it with --force:
    the forms of the first are not this list's."""
    first = identity(master)
    other = workdir / "另一份清单.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("全面从严治党主体责任清单", "意识形态工作责任清单"),
                     encoding="utf-8")
    assert run("import", other, "-o", master, "--force").exit_code == 0
    assert identity(master) != first
    assert run("import", SEED, "-o", master, "--force").exit_code == 0
    assert identity(master) not in (first, "")


def test_a_master_kept_elsewhere_still_merges_beside_an_old_copy(run, master, forms, returns, workdir):
    """qingdan.toml points at the master in 总表/; an old copy of it stays in workbooks/: the
    folder merged is still read (a copy of this master does not make it another project)."""
    (workdir / "总表").mkdir()
    moved = workdir / "总表" / MASTER_NAME
    shutil.copy(master, moved)
    fill(OFFICE, returns / "办公室.xlsx")
    result = run("merge", "--master", moved, ".")
    assert result.exit_code == 0, result.output
    assert rows_of(moved, "办公室") == OFFICE_CODES
    assert "另一个 qingdan 项目" not in result.output
    assert f"跳过了总表文件 workbooks/{MASTER_NAME}：它是总表，不是报送回来的表。" in result.output


def test_rows_refused_in_a_later_file_are_chased_with_the_full_form(run, master, forms, returns):
    fill(OFFICE, returns / "v1.xlsx", saved=dt.datetime(2023, 7, 1, 9, 0))
    fill(OFFICE, returns / "v2.xlsx", saved=dt.datetime(2023, 7, 3, 9, 0), answers={"1-01": {"完成状态": "基本完成"}})
    assert run("merge", returns).exit_code == 1
    status = run("status")
    assert "  办公室：最近一份报送中有 1 项未能采用（这几项仍按此前报送的记录）" in status.output
    result = run("mail", "--remind", "--office", "办公室")
    assert result.exit_code == 0, result.output
    text = body(DRAFTS / "催报-办公室.eml")
    assert "贵处室最近发来的填报表中有 1 项填写有误未能采用（这几项仍按此前报送的内容记录）。" in text
    [attachment] = parse(DRAFTS / "催报-办公室.eml").iter_attachments()
    assert attachment.get_content() == OFFICE.read_bytes()  # no empty 补报 form
    assert not Path("output", "2023Q2", "补报").exists()


def test_a_reminder_template_without_the_situation(run, master, returns, workdir):
    Path("qingdan.toml").write_text('[mail]\nremind_body = """{联系人}：\n\n您好！请尽快报送{期次}的表。\n"""\n',
                                    encoding="utf-8")
    assert run("split", "--period", "2023Q1", "-o", workdir / "q1").exit_code == 0
    assert run("split", "--period", "2023Q2").exit_code == 0
    fill(workdir / "q1" / "办公室.xlsx", returns / "办公室.xlsx")
    assert run("merge", returns).exit_code == 0
    result = run("mail", "--remind", "--office", "办公室", "--office", "规财处")
    assert result.exit_code == 0, result.output
    assert "qingdan.toml 里的催报正文（remind_body）没有 {情况}" in result.output
    office = body(DRAFTS / "催报-办公室.eml").replace("\r\n", "\n")
    assert re.fullmatch(r"办公室负责同志：\n\n贵处室发来的 办公室.xlsx（.*? 保存）是2023年第一季度的填报表，.*附件是本期的表。\n\n"
                        r"您好！请尽快报送2023年第二季度的表。\n", office, re.S), office
    # nothing received: the template says so in its own words, nothing is added
    assert body(DRAFTS / "催报-规财处.eml").replace("\r\n", "\n") == "规财处负责同志：\n\n您好！请尽快报送2023年第二季度的表。\n"


def test_a_reminder_to_an_office_that_has_returned_all(run, master, forms, returns):
    fill(OFFICE, returns / "办公室.xlsx")
    assert run("merge", returns).exit_code == 0
    result = run("mail", "--remind", "--office", "办公室")
    assert result.exit_code == 0
    assert "办公室 已报送2023年第二季度，没有需要催报的。" in result.output
    assert "所有处室" not in result.output and not DRAFTS.exists()


def test_split_into_an_empty_folder_overwrites_nothing(run, master, forms, returns, workdir):
    fill(OFFICE, returns / "办公室.xlsx")
    assert run("merge", returns).exit_code == 0
    result = run("split", "--period", "2023Q2", "-o", workdir / "另存")
    assert result.exit_code == 0, result.output
    assert (workdir / "另存" / "办公室.xlsx").exists()
