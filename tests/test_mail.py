"""qingdan mail: .eml drafts read back with the email package, and --send against
a real SMTP server (aiosmtpd) started here on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from qingdan.mail import build_message
from qingdan.update import updating

# the test server takes a login without TLS, on 127.0.0.1 only
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

FORMS = Path("output") / "2023Q2" / "下发"
DRAFTS = Path("output") / "2023Q2" / "邮件"
CONTACTS = {
    "人事教育处": ("王芳", "wangfang@mzj.example.cn", "025-1001"),
    "办公室": ("李强", "liqiang@mzj.example.cn；office@mzj.example.cn", "025-1002"),
    "机关党委": ("", "dangwei@mzj.example.cn", ""),
    "机关纪委": ("赵敏", "", ""),  # no address: 需手工发送
    "规财处": ("钱进", "qianjin at mzj.example.cn", ""),  # not an address
    "社会组织管理局": ("孙丽", "bad@mzj.example.cn", ""),  # the test server refuses it
}


def set_contacts(master: Path, contacts: dict[str, tuple[str, str, str]]) -> None:
    """Fill the 处室 sheet as the clerk would (openpyxl stands in for Excel)."""
    book = openpyxl.load_workbook(master)
    ws = book["处室"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in contacts:
            person, email, phone = contacts[row[0].value]
            row[1].value, row[2].value, row[3].value = person or None, email or None, phone or None
    book.save(master)


@pytest.fixture
def split_done(run, master) -> Path:
    set_contacts(master, CONTACTS)
    result = run("split", "--period", "2023Q2")
    assert result.exit_code == 0, result.output
    return master


def parse(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def test_drafts_one_per_office(run, split_done):
    result = run("mail")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "下发填报表 2023年第二季度" in out
    assert "│ 人事教育处     │ 王芳   │ wangfang@mzj.example.cn" in out
    assert "│ 机关纪委       │ 赵敏   │" in out and "“处室”表中没有邮箱" in out
    assert "邮箱“qianjin at mzj.example.cn”格式不对" in out
    assert ("需手工发送（7 个处室）：机关纪委、规财处、社会救助处、社会事务处、养老服务处、儿童福利处" not in out)
    assert "需手工发送（6 个处室）：机关纪委、规财处、社会救助处、社会事务处、养老服务处、儿童福利处。" in out
    assert "邮件草稿在 output/2023Q2/邮件，双击 .eml 文件即可" in out
    assert sorted(p.name for p in DRAFTS.iterdir()) == sorted(p.stem + ".eml" for p in FORMS.iterdir())
    log = list(openpyxl.load_workbook(split_done)["日志"].iter_rows(values_only=True))
    assert log[-1][1:] == ("发邮件", str(DRAFTS), "10 个处室", "成功",
                           "2023Q2（2023年第二季度）下发填报表：已生成草稿 4，需手工发送 6")


def test_draft_reads_back(run, split_done):
    run("mail")
    msg = parse(DRAFTS / "办公室.eml")
    assert msg["Subject"] == "请于2023年7月5日前报送2023年第二季度责任清单落实情况（办公室）"
    assert msg["To"] == "李强 <liqiang@mzj.example.cn>, office@mzj.example.cn"
    assert [a.addr_spec for a in msg["To"].addresses] == ["liqiang@mzj.example.cn", "office@mzj.example.cn"]
    assert msg["X-Unsent"] == "1" and msg["Date"] and msg["Message-ID"]
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith("李强：\r\n\r\n您好！现将《2023年度局委员会全面从严治党主体责任清单》2023年第二季度落实情况填报表（办公室）")
    assert "于2023年7月5日前回复本邮件报送" in body
    attachments = list(msg.iter_attachments())
    assert len(attachments) == 1
    assert attachments[0].get_filename() == "办公室.xlsx"
    assert attachments[0].get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachments[0].get_content() == (FORMS / "办公室.xlsx").read_bytes()
    raw = (DRAFTS / "办公室.eml").read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF, as .eml files are
    # no contact person: a greeting all the same
    body = parse(DRAFTS / "机关党委.eml").get_body(("plain",)).get_content()
    assert body.startswith("机关党委负责同志：")
    assert parse(DRAFTS / "机关纪委.eml")["To"] is None  # the clerk fills it in


@pytest.mark.parametrize("name", [
    "办公室.xlsx",
    "社会组织管理局（含老干部工作、离退休干部服务）2023年第二季度责任清单落实情况填报表.xlsx",
    "规划_财务处（2）.xlsx",
    "A&B 处 (test).xlsx",
])
def test_attachment_names_decode(tmp_path, name):
    import datetime as dt

    form = tmp_path / name
    form.write_bytes(b"PK\x03\x04 not really a workbook \x00\xff")
    msg = build_message("主题", "正文", "张三 <z@example.cn>", ["a@example.cn"], "李四", form,
                        dt.datetime(2023, 7, 1, 9, 0), draft=True)
    raw = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert raw.isascii()
    back = BytesParser(policy=policy.default).parsebytes(raw)
    part = next(back.iter_attachments())
    assert part.get_filename() == name
    assert part.get_param("name") == name
    assert part.get_content() == form.read_bytes()
    assert back["From"] == "张三 <z@example.cn>" and back["To"] == "李四 <a@example.cn>"


def test_templates_from_config(run, split_done, workdir):
    (workdir / "qingdan.toml").write_text(
        'unit = "某市民政局"\n[mail]\nfrom = "人事教育处 张三 <zhangsan@mzj.example.cn>"\n'
        'subject = "【{单位}】{处室}{期次}填报表"\nbody = "{联系人}同志：请于{截止日期}前报送。\\n{单位}"\n',
        encoding="utf-8")
    run("mail")
    msg = parse(DRAFTS / "人事教育处.eml")
    assert msg["Subject"] == "【某市民政局】人事教育处2023年第二季度填报表"
    assert msg["From"].addresses[0].addr_spec == "zhangsan@mzj.example.cn"
    assert msg.get_body(("plain",)).get_content() == "王芳同志：请于2023年7月5日前报送。\r\n某市民政局"


def test_mail_before_any_split(run, master):
    result = run("mail")
    assert result.exit_code == 2  # as status and report without a split
    assert result.output.strip() == ("总表的日志中没有下发记录，不知道要发哪一期的填报表。"
                                     "请先运行 qingdan split --period 2023Q2，或用 --period 指定期次。")
    result = run("mail", "--period", "2023Q3")
    assert result.exit_code == 1
    assert result.output.strip() == ("output/2023Q3/下发 中没有2023年第三季度的填报表。"
                                     "请先运行 qingdan split --period 2023Q3。")


def test_missing_form_is_listed(run, split_done):
    (FORMS / "规财处.xlsx").unlink()
    result = run("mail")
    assert result.exit_code == 1
    assert "缺少填报表" in result.output
    assert "没有找到该处室的填报表，请运行 qingdan split --period 2023Q2 --office 规财处" in result.output.replace("\n", "")


def test_forms_found_by_meta_not_by_name(run, split_done):
    (FORMS / "办公室.xlsx").rename(FORMS / "改了名字.xlsx")
    result = run("mail")
    assert result.exit_code == 0, result.output
    attachment = next(parse(DRAFTS / "办公室.eml").iter_attachments())
    assert attachment.get_filename() == "改了名字.xlsx"


def test_remind_only_offices_not_returned(run, split_done):
    with updating(split_done) as update:
        update.set_rows("进展", [
            ["1-04", "办公室", "2023Q2", "推进中", "已起草。", "", "", "", "", "", "", ""],
            ["1-01", "人事教育处", "2023Q1", "推进中", "上一期的。", "", "", "", "", "", "", ""],
        ])
    result = run("mail", "--remind")
    assert result.exit_code == 0, result.output
    assert "催报 2023年第二季度" in result.output
    assert "已报送、不再催报" not in result.output  # 办公室 returned 1 of its 5: it is chased too
    drafts = sorted(p.name for p in DRAFTS.iterdir())
    assert "催报-办公室.eml" in drafts and "催报-人事教育处.eml" in drafts
    msg = parse(DRAFTS / "催报-人事教育处.eml")
    assert msg["Subject"] == "【催报】请尽快报送2023年第二季度责任清单落实情况（人事教育处）"
    assert "目前尚未收到贵处室的填报表" in msg.get_body(("plain",)).get_content()
    [attachment] = msg.iter_attachments()
    assert attachment.get_filename() == "人事教育处.xlsx"


# --- --send, against a real SMTP server --------------------------------------------

class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses one address."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bad@"):
            return "550 5.1.1 <bad@mzj.example.cn>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"zhangsan" and \
            auth_data.password == b"s3cret"
        logins.append((auth_data.login, ok))
        return AuthResult(success=ok, handled=False)

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True)
    controller.start()
    inbox.port, inbox.logins = port, logins
    yield inbox
    controller.stop()


def smtp_config(workdir: Path, port: int) -> None:
    (workdir / "qingdan.toml").write_text(
        f'[mail]\nfrom = "张三 <zhangsan@mzj.example.cn>"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "zhangsan"\ntimeout = 10\n',
        encoding="utf-8")


def test_send_with_login_and_a_refused_recipient(run, split_done, workdir, smtp_server, monkeypatch):
    smtp_config(workdir, smtp_server.port)
    monkeypatch.setenv("QINGDAN_SMTP_PASSWORD", "s3cret")
    result = run("mail", "--send")
    assert result.exit_code == 1, result.output
    assert smtp_server.logins == [(b"zhangsan", True)]  # one connection, one login
    received = {tuple(rcpts): content for _, rcpts, content in smtp_server.messages}
    assert set(received) == {("wangfang@mzj.example.cn",), ("liqiang@mzj.example.cn", "office@mzj.example.cn"),
                             ("dangwei@mzj.example.cn",)}
    assert all(sender == "zhangsan@mzj.example.cn" for sender, _, _ in smtp_server.messages)
    msg = BytesParser(policy=policy.default).parsebytes(received[("wangfang@mzj.example.cn",)])
    assert msg["X-Unsent"] is None
    assert msg["Subject"] == "请于2023年7月5日前报送2023年第二季度责任清单落实情况（人事教育处）"
    part = next(msg.iter_attachments())
    assert part.get_filename() == "人事教育处.xlsx"
    assert part.get_content() == (FORMS / "人事教育处.xlsx").read_bytes()
    out = result.output
    assert "已发送 3 封。" in out
    assert "发送失败" in out and "550" in out and "Recipient address rejected" in out
    assert "1 个处室的邮件没有发出：社会组织管理局。" in out
    assert ("需要手工发送的邮件草稿在 output/2023Q2/邮件，双击 .eml 文件即可打开、核对、发送（已发出的邮件没有草稿，不要重发）。"
            in out)
    # offices without a usable address still get a draft, and are listed
    assert sorted(p.name for p in DRAFTS.iterdir()) == sorted(
        ["机关纪委.eml", "规财处.eml", "社会救助处.eml", "社会事务处.eml", "养老服务处.eml", "儿童福利处.eml"])
    log = list(openpyxl.load_workbook(split_done)["日志"].iter_rows(values_only=True))
    assert log[-1][4:] == ("部分成功", "2023Q2（2023年第二季度）下发填报表：已发送 3，需手工发送 6，发送失败 1")


def test_send_with_a_wrong_password_sends_nothing(run, split_done, workdir, smtp_server, monkeypatch):
    smtp_config(workdir, smtp_server.port)
    monkeypatch.setenv("QINGDAN_SMTP_PASSWORD", "wrong")
    result = run("mail", "--send")
    assert result.exit_code == 1
    assert smtp_server.messages == []
    assert ("\n邮件服务器拒绝了 zhangsan 的登录（服务器答复 535 5.7.8 Authentication credentials invalid）。"
            "没有发送任何邮件。请检查 qingdan.toml 中的 user 和环境变量 QINGDAN_SMTP_PASSWORD。\n") in result.output
    assert "已发送 0 封。" in result.output


def test_send_resends_only_the_offices_asked(run, split_done, workdir, smtp_server, monkeypatch):
    smtp_config(workdir, smtp_server.port)
    monkeypatch.setenv("QINGDAN_SMTP_PASSWORD", "s3cret")
    result = run("mail", "--send", "--office", "人事教育处")
    assert result.exit_code == 0, result.output
    assert [rcpts for _, rcpts, _ in smtp_server.messages] == [["wangfang@mzj.example.cn"]]


@pytest.mark.parametrize("config,env,message", [
    ("", None, "qingdan.toml 中没有邮件服务器设置。请在 [smtp] 中写 host"),
    ('[smtp]\nhost = "127.0.0.1"\nuser = "zhangsan"\n', None,
     "要以 zhangsan 登录邮件服务器，但没有设置环境变量 QINGDAN_SMTP_PASSWORD（邮箱密码或授权码）。"),
    ('[smtp]\nhost = "127.0.0.1"\n', None, "不知道发件人。请在 qingdan.toml 的 [mail] 中写 from"),
])
def test_send_needs_settings(run, split_done, workdir, monkeypatch, config, env, message):
    monkeypatch.delenv("QINGDAN_SMTP_PASSWORD", raising=False)
    (workdir / "qingdan.toml").write_text(config, encoding="utf-8")
    result = run("mail", "--send")
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert not DRAFTS.exists()


def test_send_without_a_server(run, split_done, workdir, monkeypatch):
    port = free_port()  # nothing listens there
    smtp_config(workdir, port)
    monkeypatch.setenv("QINGDAN_SMTP_PASSWORD", "s3cret")
    result = run("mail", "--send")
    assert result.exit_code == 1
    assert f"\n无法连接邮件服务器 127.0.0.1:{port}（服务器拒绝连接：地址或端口不对，或邮件服务器没有开）" in result.output
    assert "\n已发送 0 封。\n" in result.output


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_send_over_tls(run, split_done, workdir, monkeypatch, tmp_path, security):
    """STARTTLS and implicit TLS, with the server's certificate checked (the test's
    own CA is made trusted through SSL_CERT_FILE, as a bureau's CA would be)."""
    import ssl

    import trustme

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("QINGDAN_SMTP_PASSWORD", "s3cret")
    inbox = Inbox()
    port = free_port()

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.login == b"zhangsan" and auth_data.password == b"s3cret",
                          handled=False)

    # aiosmtpd counts only STARTTLS as TLS for AUTH; on an implicit-TLS port the
    # whole connection is encrypted already
    tls = {"tls_context": server_ctx, "require_starttls": True} if security == "starttls" else \
        {"ssl_context": server_ctx, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_required=True, **tls)
    controller.start()
    try:
        (workdir / "qingdan.toml").write_text(
            f'[mail]\nfrom = "zhangsan@mzj.example.cn"\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
            f'security = "{security}"\nuser = "zhangsan"\ntimeout = 10\n', encoding="utf-8")
        result = run("mail", "--send", "--office", "人事教育处")
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["wangfang@mzj.example.cn"]]


@pytest.mark.parametrize("cell,good,bad", [
    ("张三 <zs@x.cn>", ["zs@x.cn"], []),
    ('"Zhang San" <a@x.cn>', ["a@x.cn"], []),
    ("a@x.cn (张三)", ["a@x.cn"], []),
    ("李四＜ls@x.cn＞", ["ls@x.cn"], []),
    ("zl＠x．cn。", ["zl@x.cn"], []),
    ("a@x.cn；b@x.cn, c@x.cn", ["a@x.cn", "b@x.cn", "c@x.cn"], []),
    ("张@x.cn", [], ["张@x.cn"]),
    ("qianjin at x.cn", [], ["qianjin", "at", "x.cn"]),
])
def test_address_cells(cell, good, bad):
    from qingdan.mail import addresses

    assert addresses(cell) == (good, bad)


def test_mail_from_another_folder(run, split_done, workdir, monkeypatch):
    other = workdir / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    result = run("mail", "--master", split_done)
    assert result.exit_code == 0, result.output
    assert len(list((workdir / DRAFTS).glob("*.eml"))) == 10


def test_a_copy_of_the_whole_project(run, split_done, workdir, monkeypatch):
    """A clerk copies the project folder and goes on in the copy, the original still
    there: 日志 names the original's 下发 folder.  Drafts go into the copy, with the
    copy's forms attached, and merging the copy's output folder skips its forms."""
    copy = workdir.parent / f"{workdir.name}-副本"
    shutil.copytree(workdir, copy)
    monkeypatch.chdir(copy)
    result = run("mail")
    assert result.exit_code == 0, result.output
    assert len(list((copy / DRAFTS).glob("*.eml"))) == 10
    assert not (workdir / DRAFTS).exists()
    merged = run("merge", "output")
    assert merged.exit_code == 0 and "跳过了下发文件夹中的 10 份原表（output/2023Q2/下发）" in merged.output, merged.output
    # a later split into a folder outside the copy: its forms, not the copy's older ones
    # (another due date: forms made within the same minute are otherwise byte for byte the same)
    assert run("split", "--period", "2023Q2", "--office", "办公室", "--due", "2023-07-20",
               "-o", workdir / "重发").exit_code == 0
    assert run("mail", "--office", "办公室").exit_code == 0
    sent = next(parse(copy / DRAFTS / "办公室.eml").iter_attachments()).get_payload(decode=True)
    assert sent == (workdir / "重发" / "办公室.xlsx").read_bytes() != (copy / FORMS / "办公室.xlsx").read_bytes()
