"""The command as a user meets it: entry points, help, and the demo."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import openpyxl
import pytest
from conftest import ROOT


def test_python_m_qingdan_and_help(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "qingdan", "--help"], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 0
    assert "import" in proc.stdout and "demo" in proc.stdout
    assert "把清单文档（.docx/.txt/.xlsx/.xls/.ods/.csv）导入为总表。" in proc.stdout
    assert proc.stdout.startswith("用法：qingdan [选项] 命令 [参数]...")
    for english in ("Usage", "Options", "Commands", "Show this message"):
        assert english not in proc.stdout


def test_scripts_are_thin_entry_points(tmp_path):
    for script, command in (("import_list.py", "import"), ("demo.py", "demo"), ("split_forms.py", "split"),
                            ("mail_forms.py", "mail"), ("merge_returns.py", "merge"), ("show_status.py", "status"),
                            ("make_report.py", "report")):
        proc = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--help"], capture_output=True,
                              text=True, encoding="utf-8", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert f"qingdan {command}" in proc.stdout


def test_demo_runs_every_step_inside_its_folder(run, workdir, monkeypatch):
    result = run("demo")
    assert result.exit_code == 0, result.output
    folder = workdir / "output" / "demo"
    master = folder / "workbooks" / "2023年度局委员会全面从严治党主体责任清单.xlsx"
    assert master.exists()
    assert (folder / "清单文档" / "2023年度局委员会全面从严治党主体责任清单.txt").exists()
    assert sorted(p.name for p in workdir.iterdir()) == ["output"]  # nothing outside DIR
    rows = list(openpyxl.load_workbook(master)["清单"].iter_rows(values_only=True))
    assert len(rows) == 57
    assert f"演示完成，所有文件都在 {folder.relative_to(workdir)}" in result.output
    assert f"总表（清单导入结果）：{master.relative_to(workdir)}" in result.output
    forms = folder / "output" / "2023Q2" / "下发"
    drafts = folder / "output" / "2023Q2" / "邮件"
    assert len(list(forms.glob("*.xlsx"))) == 10
    assert sorted(p.stem for p in drafts.glob("*.eml")) == sorted(p.stem for p in forms.glob("*.xlsx"))
    assert "需手工发送（2 个处室）：社会救助处、儿童福利处。" in result.output
    assert f"填报表（每个处室一份）：{forms.relative_to(workdir)}" in result.output
    assert f"邮件草稿：{drafts.relative_to(workdir)}" in result.output
    contacts = list(openpyxl.load_workbook(master)["处室"].iter_rows(values_only=True))
    assert contacts[1] == ("人事教育处", "王芳", "renjiao@mzj.example.cn", "025-8360 1001", None)

    # the rest of the cycle: returns written, merged, status, report
    returns = folder / "收件"
    assert len(list(returns.glob("*.xlsx"))) == 9  # 社会救助处 does not return
    assert (returns / "回复：规财处二季度清单落实情况.xlsx").exists()  # renamed
    assert "第 6 行 H 列（完成状态）" in result.output and "完成状态“基本完成”无法识别" in result.output
    assert "需催报（1 个处室，未报送、报错期次或报送的表全部被拒收）：社会救助处。" in result.output
    report = folder / "output" / "2023Q2" / "责任清单落实情况汇总表（2023年第二季度）.xlsx"
    assert report.exists()
    assert f"汇总表：{report.relative_to(workdir)}" in result.output
    progress = [r for r in openpyxl.load_workbook(master)["进展"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(progress) == 90 - 2 - 1  # 社会救助处's two, and the one bad row
    sources = (folder / "清单文档").glob("*.txt")
    assert sorted(p.name for p in sources) == ["2023年度局委员会全面从严治党主体责任清单.txt",
                                               "2023年度局委员会全面从严治党主体责任清单（补全月份）.txt"]

    # the steps' hints (qingdan status …) work inside the demo folder, as the demo says
    assert f"先进入演示文件夹：cd {folder.relative_to(workdir)}" in result.output
    monkeypatch.chdir(folder)
    status = run("status")
    monkeypatch.chdir(workdir)
    assert status.exit_code == 0 and "需催报（1 个处室" in status.output, status.output

    again = run("demo")  # a second run starts afresh in its own folder
    assert again.exit_code == 0, again.output
    assert master.exists()


def test_demo_never_empties_a_folder_it_did_not_make(run, workdir):
    folder = workdir / "我的文件"
    folder.mkdir()
    (folder / "重要.xlsx").write_bytes(b"keep me")
    result = run("demo", "-o", folder)
    assert result.exit_code == 1
    assert result.stderr == f"{folder} 已存在且不是 qingdan demo 生成的文件夹，为免误删不予使用。请用 -o 指定一个新文件夹。\n"
    assert (folder / "重要.xlsx").read_bytes() == b"keep me"


USAGE = [
    (["import"], "缺少参数 清单文档。\n运行 qingdan import --help 查看用法。\n"),
    (["导出"], "没有“导出”这个命令。\n运行 qingdan --help 查看用法。\n"),
    (["import", "x.docx", "--bogus"], "没有 --bogus 这个选项。\n运行 qingdan import --help 查看用法。\n"),
    (["import", "x.docx", "--year", "23"],
     "--year 的值不对：应为四位年份（如 2023），收到“23”。\n运行 qingdan import --help 查看用法。\n"),
]


@pytest.mark.parametrize("args,message", USAGE)
def test_usage_errors_in_chinese_exit_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == message


def test_gbk_console_does_not_crash(tmp_path):
    """Chinese Windows consoles and redirected output are GBK: a character GBK
    lacks (here a bullet and an emoji) is replaced, the run still succeeds."""
    import os

    src = tmp_path / "清单.txt"
    src.write_text("2023年度清单•测试😀\n1.任务甲\n责任处室：办公室\n时间进度安排：年底前\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    proc = subprocess.run([sys.executable, "-m", "qingdan", "import", str(src), "-o", "总表.xlsx"],
                          capture_output=True, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr.decode("gbk", "replace")
    assert "已导入".encode("gbk") in proc.stdout
    assert (tmp_path / "总表.xlsx").exists()


@pytest.mark.slow  # a second whole demo; test_demo_runs_every_step_inside_its_folder is the quick one
def test_demo_in_the_current_folder_keeps_what_the_user_put_there(run, workdir):
    assert run("demo", "-o", ".").exit_code == 0
    (workdir / "我的.xlsx").write_bytes(b"mine")
    result = run("demo", "-o", ".")
    assert result.exit_code == 0, result.output
    assert (workdir / "我的.xlsx").read_bytes() == b"mine"
    assert (workdir / "workbooks" / "2023年度局委员会全面从严治党主体责任清单.xlsx").exists()


def test_demo_into_a_file_is_refused(run, workdir):
    (workdir / "f").write_bytes(b"x")
    result = run("demo", "-o", "f")
    assert result.exit_code == 1
    assert result.stderr == "f 是一个文件，不是文件夹。请用 -o 指定一个新文件夹。\n"


def test_no_master_outside_the_project_folder(run, workdir):
    """The clerk opened the terminal in the wrong folder: say so, not "workbooks 中没有总表"."""
    result = run("status")
    assert result.exit_code == 2
    assert result.stderr == (f"当前文件夹（{workdir}）里没有 workbooks 文件夹，找不到总表。请先进入项目文件夹（放 workbooks 的那个）"
                             "再运行，或用 --master 指定总表。\n")
    (workdir / "workbooks").mkdir()
    result = run("status")
    assert result.exit_code == 2
    assert result.stderr == "workbooks 中没有总表（.xlsx）。请先运行 qingdan import 导入清单，或用 --master 指定总表。\n"


def terminal_columns(text: str) -> int:
    """Columns a terminal gives ``text``: two for an East Asian wide or full-width character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_help_texts_line_up_after_chinese_option_values(run):
    """click counts characters; a terminal shows a Chinese character two columns wide."""
    for command in ("split", "report", "import", "merge"):
        output = run(command, "--help").output
        rows = [line for line in output.splitlines() if line.startswith("  -")]
        starts = {terminal_columns(re.match(r"\s*\S.*?\s{2,}", line)[0]) for line in rows}
        assert len(rows) >= 3 and len(starts) == 1, output


@pytest.mark.parametrize("exp,text,width", [
    (["总表（默认：workbooks/", "中唯一的总表）。"], "总表（默认：workbooks/ 中唯一的总表）。", 22),
    (["只为这个处室生", "成（可写多", "次）。"], "只为这个处室生成（可写多次）。", 14),  # no line starts with ）or 。
    (["a-very-long-word-stays-whole"], "a-very-long-word-stays-whole", 10),
    ([""], "", 10),
])
def test_wrapped_help_text(exp, text, width):
    from qingdan.cli import _wrapped

    got = _wrapped(text, width)
    assert got == exp
