"""Bad inputs and unsafe overwrites: exit 1, a Chinese message naming the file and
what to do, no traceback, and no master written or changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner
from conftest import SEED, open_elsewhere

from qingdan.cli import cli

NO_ITEMS = (
    "{p}：没有找到任何工作任务。清单应为以下两种格式之一：\n"
    "  ① 段落：“一、”为清单，“（一）”为类别，“1.”或“1、”开头为任务，下面跟“牵头领导：”“责任处室：”“时间进度安排：”等行；\n"
    "  ② 表格：有一行表头，含“序号”“工作任务”“责任处室”“时间进度安排”等列。\n"
)


def no_task_column(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("清单")
    sheet.write_row(0, 0, ["某某局责任清单"])
    sheet.write_row(2, 0, ["序号", "责任处室", "时间进度安排"])
    sheet.write_row(3, 0, [1, "办公室", "年底前"])
    book.close()


def no_header(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Sheet1").write_row(0, 0, ["甲", "乙"])
    book.close()


def table_xlsx(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("清单").write_row(0, 0, ["序号", "工作任务"])
    book.get_worksheet_by_name("清单").write_row(1, 0, [1, "任务"])
    book.close()


BAD_INPUTS = [
    # file name, how to make it, expected message
    ("空.txt", lambda p: p.write_bytes(b""), "{p}：文件是空的。请确认选对了清单文档。\n"),
    ("空白.txt", lambda p: p.write_bytes(b"\r\n  \r\n"), "{p}：文件是空的。请确认选对了清单文档。\n"),
    ("清单.docx", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n"),
     "{p}：不是有效的 Word 文档（.docx），它其实是 PDF 文件。请用 Word 或 WPS 打开后“另存为” .docx 再导入。\n"),
    ("旧版.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
     "{p}：这是旧版 Word 格式（.doc）。请用 Word 或 WPS 打开后“另存为” .docx 再导入。\n"),
    ("通知.txt", lambda p: p.write_text("关于报送材料的通知\n请各处室于月底前报送。\n", encoding="utf-8"), NO_ITEMS),
    ("乱码.txt", lambda p: p.write_bytes(b"\x81\x20\x81\x20abc\xff\xfe\xfd"),
     "{p}：无法识别文本编码（已尝试 UTF-8、UTF-16 和 GB18030）。请用记事本打开后“另存为”，编码选择 UTF-8，再导入。\n"),
    ("图片.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
     "{p}：这不是纯文本文件。请提供清单的 .txt、.docx、.xlsx 或 .xls 文件。\n"),
    ("无任务列.xlsx", no_task_column,
     "{p}：工作表“清单”第 3 行像是表头（序号、责任处室、时间进度安排），但没有工作任务列。"
     "请把任务所在列的表头改为“工作任务”（或“重点任务”“主要任务”“任务内容”“事项”）后再导入。\n"),
    ("无表头.xlsx", no_header, "{p}：前 30 行中找不到表头。表头应含“序号”“工作任务”“责任处室”“时间进度安排”等列名。\n"),
    ("假表格.xlsx", lambda p: p.write_text("<html><body>导出</body></html>", encoding="utf-8"),
     "{p}：不是有效的 Excel 工作簿（它其实是网页文件）。请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入。\n"),
    ("表格.docx", table_xlsx, "{p}：它其实是 Excel 工作簿，扩展名却不对。请把文件扩展名改为 .xlsx 后再导入。\n"),
    ("损坏.docx", lambda p: p.write_bytes(b"PK\x05\x06" + b"\0" * 18),
     "{p}：不是有效的 Word 文档（.docx），文件已损坏或不完整。请用 Word 或 WPS 打开后“另存为” .docx 再导入。\n"),
    ("旧版.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
     "{p}：这是旧版 Word 格式（.doc）。请用 Word 或 WPS 打开后“另存为” .docx 再导入。\n"),
    ("网页.doc", lambda p: p.write_text("<html><body>清单</body></html>", encoding="utf-8"),
     "{p}：这是旧版 Word 格式（.doc）。请用 Word 或 WPS 打开后“另存为” .docx 再导入。\n"),
    ("清单.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n"),
     "{p}：不支持“.pdf”格式。请提供 .docx、.txt、.xlsx、.xls、.ods 或 .csv 格式的清单文档。\n"),
]


@pytest.mark.parametrize("name,make,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_clearly(run, workdir, name, make, message):
    src = workdir / name
    make(src)
    result = run("import", src)
    assert result.exit_code == 1
    assert result.stderr == message.format(p=src)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not (workdir / "workbooks").exists()


def test_missing_source(run, workdir):
    result = run("import", "没有这个文件.docx")
    assert result.exit_code == 2  # a usage error, as a missing path given to merge
    assert result.stderr == "找不到文件：没有这个文件.docx。请检查文件名和所在文件夹。\n"


def test_bad_year_is_a_usage_error(run, workdir):
    result = run("import", SEED, "--year", "1800")
    assert result.exit_code == 2
    assert "--year 的值不对：应为四位年份（如 2023），收到“1800”。" in result.stderr
    assert not (workdir / "workbooks").exists()


def test_master_must_be_xlsx(run, workdir):
    result = run("import", SEED, "-o", "总表.xls")
    assert result.exit_code == 2
    assert result.stderr == "总表.xls：总表必须是 .xlsx 文件。请换一个以 .xlsx 结尾的文件名。\n"
    assert not (workdir / "总表.xls").exists()


def test_existing_master_needs_force_and_is_backed_up(run, workdir):
    assert run("import", SEED, "-o", "总表.xlsx").exit_code == 0
    target = workdir / "总表.xlsx"
    before = target.read_bytes()

    result = run("import", SEED, "-o", "总表.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "总表.xlsx 已存在。若确定要重新生成，请加 --force（原文件会先备份到 备份）。\n"
    assert target.read_bytes() == before

    result = run("import", SEED, "-o", "总表.xlsx", "--force")
    assert result.exit_code == 0, result.output
    backups = list((workdir / "备份").glob("总表.*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert f"原文件已备份到 {backups[0].relative_to(workdir)}" in result.stdout
    assert not list(workdir.glob(".qingdan-*"))  # no temporary file left behind


def test_force_keeps_contacts_and_log_and_names_the_sheets_left_behind(run, workdir):
    """Re-importing a fixed document over a master people worked on: the e-mail
    addresses they typed into 处室 and the 日志 (splits already sent) go on into
    the new master; a sheet of their own stays in the backup, and they are told."""
    assert run("import", SEED, "-o", "总表.xlsx").exit_code == 0
    target = workdir / "总表.xlsx"
    book = openpyxl.load_workbook(target)
    offices = book["处室"]
    offices["C2"] = "office@example.cn"
    offices["B3"] = "李四"
    first, second = offices["A2"].value, offices["A3"].value
    book.create_sheet("我的备忘")["A1"] = "党委会前打印"
    book.save(target)
    result = run("import", SEED, "-o", "总表.xlsx", "--force")
    assert result.exit_code == 0, result.output
    backup = next((workdir / "备份").glob("总表.*.xlsx"))
    assert "原总表“处室”表中 2 个处室的联系信息和“日志”的 1 行记录已带到新总表。" in result.stdout
    assert (f"原总表中的工作表“我的备忘”没有带到新总表（新总表按清单文档重新生成），仍在备份 {backup.relative_to(workdir)} 中。"
            in result.stdout)
    new = openpyxl.load_workbook(target)
    contacts = {row[0]: row[1:3] for row in new["处室"].iter_rows(min_row=2, values_only=True)}
    assert contacts[first] == (None, "office@example.cn") and contacts[second] == ("李四", None)
    log = [row[1] for row in new["日志"].iter_rows(min_row=2, values_only=True)]
    assert log == ["导入", "导入"]
    assert "我的备忘" not in new.sheetnames
    assert openpyxl.load_workbook(backup)["我的备忘"]["A1"].value == "党委会前打印"


def make_master_with_progress(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("清单").write_row(0, 0, ["编号", "工作任务"])
    progress = book.add_worksheet("进展")
    progress.write_row(0, 0, ["编号", "责任处室", "报送期次", "完成状态", "进展情况"])
    for r in range(rows):
        progress.write_row(r + 1, 0, [f"1-{r + 1:02d}", "办公室", "2023Q2", "推进中", "已开展"])
    book.close()


def test_master_with_progress_is_never_overwritten(run, workdir):
    target = workdir / "总表.xlsx"
    make_master_with_progress(target, 3)
    before = target.read_bytes()
    result = run("import", SEED, "-o", target, "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{target} 的“进展”表里已有 3 行填报记录，为防止丢失数据，不予覆盖（即使加了 --force）。"
        "如需重新导入，请用 -o 指定新的文件名。\n")
    assert target.read_bytes() == before
    assert not (workdir / "备份").exists()


def test_unreadable_existing_master_is_not_overwritten(run, workdir):
    target = workdir / "总表.xlsx"
    target.write_bytes(b"PK\x03\x04 broken")
    result = run("import", SEED, "-o", target, "--force")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{target} 已存在但无法读取（")
    assert target.read_bytes() == b"PK\x03\x04 broken"


@pytest.mark.parametrize("lock_name, program", [
    ("~$2023年度总表.xlsx", "Excel 或 WPS"),  # Excel and WPS: ~$ + the whole name
    ("~$23年度总表.xlsx", "Excel 或 WPS"),  # Word and some Excel versions: the first two characters replaced
    ("~$023年度总表.xlsx", "Excel 或 WPS"),  # … or the first one
    (".~lock.2023年度总表.xlsx#", "LibreOffice"),
])
def test_master_open_in_an_office_suite_is_not_touched(run, workdir, lock_name, program):
    """Every office suite's lock file beside the master stops import --force."""
    assert run("import", SEED, "-o", "2023年度总表.xlsx").exit_code == 0
    target = workdir / "2023年度总表.xlsx"
    before = target.read_bytes()
    (workdir / lock_name).write_bytes(b"owner")
    result = run("import", SEED, "-o", "2023年度总表.xlsx", "--force")
    assert result.exit_code == 1
    assert result.stderr == open_elsewhere("2023年度总表.xlsx", lock_name, program) + "\n"
    assert target.read_bytes() == before


def test_import_into_a_folder_uses_the_list_title(run, workdir):
    (workdir / "总表").mkdir()
    assert run("import", SEED, "-o", "总表").exit_code == 0
    assert (workdir / "总表" / "2023年度局委员会全面从严治党主体责任清单.xlsx").exists()


def test_no_traceback_from_the_real_command(tmp_path):
    """The installed entry point, not only CliRunner: exit 1 and one message line."""
    src = tmp_path / "空.txt"
    src.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "qingdan", "import", str(src)], capture_output=True,
                          text=True, cwd=tmp_path, encoding="utf-8")
    assert proc.returncode == 1
    assert proc.stderr == f"{src}：文件是空的。请确认选对了清单文档。\n"
    assert not (tmp_path / "workbooks").exists()


def test_unwritable_target_gives_a_message(run, workdir):
    (workdir / "文件").write_text("不是文件夹", encoding="utf-8")
    result = run("import", SEED, "-o", "文件/总表.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("无法写入 文件/总表.xlsx（")
    assert result.stderr.endswith("）。原文件未改动。请检查磁盘空间和文件夹权限。\n")
    assert (workdir / "文件").read_text(encoding="utf-8") == "不是文件夹"


def test_failed_write_leaves_the_old_master(run, workdir, monkeypatch):
    """A crash while the new master is being written: the old one stays, no temp file."""
    assert run("import", SEED, "-o", "总表.xlsx").exit_code == 0
    before = (workdir / "总表.xlsx").read_bytes()

    def boom(path, parsed, log, identity, contacts=None, history=()):
        path.write_bytes(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("qingdan.document.write_new_master", boom)
    result = run("import", SEED, "-o", "总表.xlsx", "--force")
    assert result.exit_code == 1
    assert result.stderr == "无法写入 总表.xlsx（No space left on device）。原文件未改动。请检查磁盘空间和文件夹权限。\n"
    assert (workdir / "总表.xlsx").read_bytes() == before
    assert not list(workdir.glob(".qingdan-*"))


def rewrite_zip(src: Path, dst: Path, change) -> None:
    """Copy a zip part by part, letting ``change(name, data)`` return (name, data) or None."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            out = change(info.filename, zin.read(info.filename))
            if out:
                zout.writestr(out[0], out[1])


def far_cell(name, data):
    """One cell at XFD1048576: python-calamine would abort the whole process on it."""
    if name == "xl/worksheets/sheet1.xml":
        data = data.replace(b"</sheetData>",
                            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return name, data


def traversal(name, data):
    return ("../../evil.xml" if name == "docProps/app.xml" else name), data


def bomb(name, data):
    return ("xl/media/zeros.bin" if name == "docProps/app.xml" else name), (
        b"\0" * (3 * 1024 * 1024) if name == "docProps/app.xml" else data)


@pytest.mark.parametrize("change,message", [
    (far_cell, "{p}：工作表“清单”的内容一直延伸到 XFD1048576（1048576 行 × 16384 列），超出可处理的范围，未读取。"
               "请在 Excel 或 WPS 中删除多余的行和列（或把有用的内容复制到新工作簿）后另存，再导入。\n"),
    (traversal, "{p}：文件内部有可疑的部件名“../../evil.xml”，未读取。请检查文件来源。\n"),
    (bomb, "{p}：解压后超过 3 MB，超出上限（可能是“压缩炸弹”），未读取。请检查文件来源。\n"),
])
def test_hostile_workbook_is_refused_before_any_reader(run, workdir, change, message):
    table_xlsx(workdir / "ok.xlsx")
    src = workdir / "清单.xlsx"
    rewrite_zip(workdir / "ok.xlsx", src, change)
    result = run("import", src, "-o", "总表.xlsx")
    assert result.exit_code == 1
    assert result.stderr == message.format(p=src)
    assert not (workdir / "总表.xlsx").exists()


def test_hostile_docx_is_refused(run, workdir):
    import docx

    document = docx.Document()
    document.add_paragraph("1.任务")
    document.save(workdir / "ok.docx")
    src = workdir / "清单.docx"
    rewrite_zip(workdir / "ok.docx", src, bomb)
    result = run("import", src)
    assert result.exit_code == 1
    assert result.stderr == f"{src}：解压后超过 3 MB，超出上限（可能是“压缩炸弹”），未读取。请检查文件来源。\n"


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_password_protected_file(run, workdir, kind):
    import docx
    import msoffcrypto.format.ooxml

    plain = workdir / f"plain.{kind}"
    if kind == "xlsx":
        table_xlsx(plain)
    else:
        document = docx.Document()
        document.add_paragraph("1.任务")
        document.save(plain)
    src = workdir / f"加密.{kind}"
    with open(plain, "rb") as fin, open(src, "wb") as fout:
        msoffcrypto.format.ooxml.OOXMLFile(fin).encrypt("secret", fout)
    result = run("import", src)
    assert result.exit_code == 1
    assert result.stderr == (f"{src}：文件已设置密码。请在 Excel/WPS/Word 中取消密码（文件 → 信息 → 保护 → 删除密码）"
                             "后再导入。\n")


def test_oversized_source_is_not_read(run, workdir, monkeypatch):
    monkeypatch.setattr("qingdan.sources.MAX_SOURCE_BYTES", 1000)
    src = workdir / "大.txt"
    src.write_bytes("1.任务\n".encode() * 500)
    result = run("import", src)
    assert result.exit_code == 1
    assert result.stderr == f"{src}：文件有 0 MB，超过清单文档的上限 0 MB，未读取。请确认选对了文件。\n"


def test_another_workbooks_lock_file_does_not_block(run, workdir):
    (workdir / "~$总表.xlsx").write_bytes(b"owner")  # 总表.xlsx is open, not 新版总表.xlsx
    assert run("import", SEED, "-o", "新版总表.xlsx").exit_code == 0


def test_two_writers_never_write_one_master_at_once(run, workdir):
    """While one qingdan command holds the master's lock, another is refused at
    once; a lock file left behind by a dead process blocks nothing."""
    import fcntl

    from qingdan.files import lock_file

    target = workdir / "总表.xlsx"
    assert run("import", SEED, "-o", target).exit_code == 0
    before = target.read_bytes()
    with open(lock_file(target), "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run("import", SEED, "-o", target, "--force")
        assert result.exit_code == 1
        assert result.stderr == f"另一个 qingdan 命令正在写 {target}，请等它结束后再运行。\n"
        assert target.read_bytes() == before
    assert lock_file(target).exists()  # the file stays; the lock went with its holder
    assert run("import", SEED, "-o", target, "--force").exit_code == 0


def test_lock_is_released_when_its_process_is_killed(workdir):
    """kill -9 a process holding the lock: the next run is not blocked."""
    import signal
    import subprocess
    import sys

    from qingdan.files import lock_file

    target = workdir / "总表.xlsx"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from qingdan.files import master_lock\n"
        f"with master_lock(Path({str(target)!r})):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert lock_file(target).exists()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    result = CliRunner().invoke(cli, ["import", str(SEED), "-o", str(target)])
    assert result.exit_code == 0, result.output


def test_output_folder_is_made_when_named_without_extension(run, workdir):
    assert run("import", SEED, "-o", "新文件夹").exit_code == 0
    assert (workdir / "新文件夹" / "2023年度局委员会全面从严治党主体责任清单.xlsx").exists()


@pytest.mark.parametrize("make", ["text", "docx"])
def test_a_doc_that_is_not_old_word_is_read_for_what_it_is(run, workdir, make):
    """.doc is only a name: the seed as text, or saved as .docx, then renamed .doc."""
    target = workdir / "清单.doc"
    if make == "text":
        shutil.copy(SEED, target)
    else:
        document = docx.Document()
        for line in SEED.read_text(encoding="utf-8").splitlines():
            document.add_paragraph(line)
        document.save(target)
    result = run("import", target, "-o", "总表.xlsx")
    assert result.exit_code == 0, result.output
    assert "56" in result.stdout and (workdir / "总表.xlsx").exists()
