"""The README's two commands are what a new user and CI run."""

import re

from conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_starts_with_the_two_commands():
    demo, tests = readme_commands()[:2]
    assert demo.endswith("qingdan demo") and "python3 -m venv .venv" in demo
    assert "[test]" in tests and tests.endswith("python -m pytest")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == readme_commands()[1]


def test_readme_config_example_is_valid(tmp_path):
    from qingdan.config import load_config

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.S)[1]
    path = tmp_path / "qingdan.toml"
    path.write_text(example, encoding="utf-8")
    config = load_config(path)
    assert config.unit == "某市民政局" and config.smtp["security"] == "ssl" and config.due_days == 5
    assert "{截止日期}" in config.mail["subject"]


def test_readme_counts_the_real_lists_of_the_corpus():
    """The README says how many real published lists import exactly: all of tests/corpus/."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`tests/corpus/` 里收了 (\d+) 份公开发布的真实清单.*?(\d+) 份全部导入无误", text, re.S)
    folders = [p for p in (ROOT / "tests" / "corpus").iterdir() if p.is_dir()]
    assert said and int(said[1]) == int(said[2]) == len(folders)
