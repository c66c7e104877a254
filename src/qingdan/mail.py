"""``qingdan mail``: one message per office with its 填报表 attached.

By default the messages are written as .eml drafts (``X-Unsent: 1``, so Outlook
opens them ready to send; Thunderbird and Foxmail open them too).  With
``send=True`` they go out over one SMTP connection; every message gets its own
result and nothing is retried blindly.

Chinese attachment names are written as RFC 2047 encoded words in both
``name`` and ``filename`` (as Gmail does), the form Outlook, Foxmail and
Thunderbird all decode; Python's own RFC 2231 form is not read by every client.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import smtplib
import socket
import ssl
import unicodedata
from dataclasses import dataclass, field
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from . import words as W
from .config import Config, load_config
from .dates import date_cn, parse_date
from .errors import MailError, QingdanError, UsageError
from .files import atomic_write
from .formlayout import read_meta
from .model import compress_codes
from .offices import unique_filenames
from .periods import Period
from .update import log_line
from .workbook import Contact, Master, open_master

PASSWORD_VARIABLE = "QINGDAN_SMTP_PASSWORD"
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+")
_ADDRESS_SEPARATORS = re.compile(r"[;；,，、\s]+")

# outcomes of one office's message
DRAFTED = W.MAIL_DRAFTED
SENT = W.MAIL_SENT
MANUAL = W.MAIL_MANUAL
FAILED = W.MAIL_FAILED
NOT_SENT = W.MAIL_NOT_SENT
NO_FORM = W.MAIL_NO_FORM


@dataclass
class Letter:
    """The message for one office and what became of it."""

    office: str
    contact: Contact | None
    to: list[str]
    form: Path | None
    status: str = ""
    reason: str = ""
    draft: Path | None = None
    message: MIMEMultipart | None = None
    situation: str = ""  # for a reminder: what was received so far, said to the office
    state: str = ""  # for a reminder: the office's state (status.OfficeStatus.state)

    @property
    def ok(self) -> bool:
        return self.status in (DRAFTED, SENT, MANUAL)


@dataclass
class MailResult:
    master: Path
    period: Period
    forms_folder: Path
    folder: Path  # where drafts went
    remind: bool
    send: bool
    letters: list[Letter] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)  # offices left out by --remind
    error: str = ""  # why nothing could be sent (connection, login)
    log_error: str = ""
    why: str = ""  # how the period was chosen
    demo: bool = False  # the demo's master
    partial_folder: Path | None = None  # where --remind wrote forms of just the items still missing
    asked: bool = False  # --office named the offices
    plain_template: bool = False  # a reminder's template of qingdan.toml without {情况}

    @property
    def failed(self) -> list[Letter]:
        return [letter for letter in self.letters if not letter.ok]


# --- which period, which forms ------------------------------------------------------

def _forms_by_office(folder: Path, period: Period, master: Master) -> dict[str, tuple[Path, dict[str, str]]]:
    """office → (its 填报表 for ``period`` in ``folder``, the form's _meta), found by
    _meta; forms of another master sharing the folder are left out."""
    found: dict[str, tuple[Path, dict[str, str]]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.xlsx"), key=lambda p: p.stat().st_mtime):
        if path.name.startswith(("~$", ".")):
            continue
        meta = read_meta(path)
        if meta and meta.get(W.META_PERIOD) == period.id and meta.get(W.META_OFFICE) and master.owns(meta):
            found[meta[W.META_OFFICE]] = (path, meta)  # the newest wins
    return found


def _made(forms: dict[str, tuple[Path, dict[str, str]]]) -> set[tuple[str, str]]:
    """(office, time made) of each form: the same for copies of one split's forms."""
    return {(office, meta.get(W.META_MADE, "")) for office, (_, meta) in forms.items()}


def addresses(cell: str) -> tuple[list[str], list[str]]:
    """(valid, invalid) addresses in a 邮箱 cell: ``a@x.cn; b@x.cn``, ``张三 <a@x.cn>`` …"""
    good, bad = [], []
    text = unicodedata.normalize("NFKC", cell)
    for piece in re.split(r"[;,、]+|\n", text):
        piece = piece.strip().rstrip("。.")
        if not piece:
            continue
        m = re.search(r"<([^<>]*)>", piece) or re.fullmatch(r"\s*(\S+@\S+)\s*\(.*\)\s*", piece)
        candidates = [m[1].strip()] if m else piece.split()
        for address in candidates:
            ok = address.isascii() and _ADDRESS.fullmatch(address)
            (good if ok else bad).append(address)
    return good, bad


# --- building a message --------------------------------------------------------------

def encoded_words(text: str, chunk: int = 45) -> str:
    """``text`` as RFC 2047 base64 encoded words, split between characters."""
    pieces, cur = [], b""
    for ch in text:
        b = ch.encode("utf-8")
        if cur and len(cur) + len(b) > chunk:
            pieces.append(cur)
            cur = b""
        cur += b
    pieces.append(cur)
    return " ".join(f"=?utf-8?B?{base64.b64encode(p).decode('ascii')}?=" for p in pieces)


def _fields(master: Master, config: Config, period: Period, due: str, office: str,
            contact: Contact | None, situation: str = "") -> dict[str, str]:
    person = contact.person if contact and contact.person else W.MAIL_NO_CONTACT.format(office=office)
    return dict(zip(W.MAIL_FIELDS, [config.unit, master.title, period.label, due, office, person, situation],
                    strict=True))


def situation(found, period: Period) -> str:
    """What a reminder tells an office about what it sent so far (``found``: its
    status.OfficeStatus): nothing; the form of another period; a file refused
    and why; or the items still missing."""
    if found.state == W.STATE_WRONG_PERIOD:
        other, time, file = found.wrong_period
        return W.MAIL_SITUATION_WRONG_PERIOD.format(time=time[:16], file=file, other=other.label, period=period.label)
    if found.state == W.STATE_REJECTED:
        if found.refused:
            last = found.refused[-1]
            # the reason's first sentence is the fact; what follows is said to the clerk
            fact = last.reason.split("。")[0]
            return W.MAIL_SITUATION_REFUSED.format(time=last.time[:16], file=last.file, reason=fact)
        return W.MAIL_SITUATION_ROWS_REFUSED.format(n=found.rejected)
    if found.state == W.STATE_PARTLY:
        if not found.missing_codes:  # every item answered once; the latest file had rows refused
            return W.MAIL_SITUATION_ROWS_REFUSED_KEPT.format(n=found.rejected)
        return W.MAIL_SITUATION_PARTLY.format(n=len(found.missing_codes), codes=compress_codes(found.missing_codes))
    return W.MAIL_SITUATION_MISSING


def _body(template: str, values: dict[str, str]) -> str:
    """The message body.  A template of qingdan.toml without {情况} gets the situation
    after its greeting line, unless it is the one such templates say anyway (nothing received)."""
    body = template.format(**values)
    said = values[W.MAIL_FIELDS[-1]]
    if said and said != W.MAIL_SITUATION_MISSING and not _says_situation(template):
        lines = body.split("\n", 1)
        if len(lines) == 2 and lines[0].rstrip().endswith(("：", ":")):  # after the greeting line
            return f"{lines[0]}\n\n{said}\n{lines[1]}"
        return f"{said}\n\n{body}"
    return body


def build_message(subject: str, body: str, sender: str, to: list[str], person: str, form: Path,
                  now: dt.datetime, draft: bool) -> MIMEMultipart:
    """One message with the 填报表 attached under its Chinese name."""
    msg = MIMEMultipart()
    msg["Subject"] = Header(subject, "utf-8")
    if sender:
        name, address = parseaddr(sender)
        msg["From"] = formataddr((name, address), charset="utf-8") if name else address
    if to:
        msg["To"] = ", ".join(formataddr((person, a), charset="utf-8") if i == 0 and person else a
                              for i, a in enumerate(to))
    msg["Date"] = format_datetime(now.astimezone())
    msg["Message-ID"] = make_msgid(domain=(parseaddr(sender)[1].partition("@")[2] or None))
    if draft:
        msg["X-Unsent"] = "1"
    msg.attach(MIMEText(body.replace("\r\n", "\n").replace("\n", "\r\n"), "plain", "utf-8"))
    part = MIMEBase(*XLSX_TYPE, name=encoded_words(form.name))
    part.set_payload(form.read_bytes())
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=encoded_words(form.name))
    msg.attach(part)
    return msg


def as_bytes(msg: MIMEMultipart) -> bytes:
    """The message as an .eml file holds it (CRLF line ends)."""
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


# --- the command ---------------------------------------------------------------------

def mail(master_path: str | Path | None = None, period: str | Period | None = None, remind: bool = False,
         send: bool = False, offices: list[str] | None = None, config: Config | None = None,
         now: dt.datetime | None = None) -> MailResult:
    """Write (or send) one message per office for ``period`` with its 填报表.

    ``period`` defaults to the latest split in the master's 日志.  With
    ``remind``, every office that has not returned all of it gets one, saying
    what was received (nothing, another period's form, a refused file, some of
    the items) and attaching the form to fill in: for an office that returned
    part of it, a form of just the items still missing."""
    config = config or load_config()
    now = now or dt.datetime.now()
    master = open_master(master_path, config, writing=True)  # the run's 日志 line must be written
    path = master.path
    if period is None and master.last_split() is None:
        raise UsageError(W.M_MAIL_NO_SPLIT)  # as status and report: say which --period
    chosen, why = master.choose_period(period)
    split_run = master.last_split(chosen)
    forms_folder = Path("output") / chosen.id / W.FOLDER_FORMS
    forms = None
    if split_run and split_run[1].is_dir():  # where that split wrote, if it is still there
        logged = split_run[1]
        if logged.is_absolute() and logged.is_relative_to(Path.cwd()):
            forms_folder = logged.relative_to(Path.cwd())  # shorter to read
        else:
            forms = _forms_by_office(logged, chosen, master)
            here = _forms_by_office(forms_folder, chosen, master)
            # a copy of the whole project: drafts go into this one, not the original
            if not here or _made(here) != _made(forms):
                forms_folder = logged
            else:
                forms = here
    if forms is None:
        forms = _forms_by_office(forms_folder, chosen, master)
    if not forms:
        raise MailError(W.M_MAIL_NO_FORMS.format(folder=forms_folder, period=chosen.label, period_id=chosen.id))
    due_day = _due_of(forms, chosen, config)
    due = date_cn(due_day)
    # drafts go beside the forms: output/<期次>/下发 → output/<期次>/邮件
    if forms_folder.name == W.FOLDER_FORMS:
        folder = forms_folder.parent / W.FOLDER_MAIL
    else:
        folder = Path("output") / chosen.id / W.FOLDER_MAIL
    result = MailResult(master=path, period=chosen, forms_folder=forms_folder, folder=folder,
                        remind=remind, send=send, why=why, demo=master.demo, asked=bool(offices),
                        plain_template=remind and not _says_situation(config.mail["remind_body"]))
    wanted = master.pick_offices(offices)
    offices = [o for o in wanted if o in forms] + [o for o in wanted if o not in forms]
    states = {}
    if remind:
        from .status import office_status

        found = office_status(master, chosen)
        states = {o.office: o for o in found.offices}
        complete = set(found.complete)
        result.returned = [o for o in offices if o in complete]
        offices = [o for o in offices if o not in complete]
        partly = [o for o in offices if states[o].state == W.STATE_PARTLY and states[o].missing_codes]
        if partly:
            result.partial_folder = forms_folder.parent / W.FOLDER_PARTIAL
            for office, path in _partial_forms(master, chosen, {o: states[o].missing_codes for o in partly},
                                               due_day, result.partial_folder, config, now).items():
                forms[office] = (path, {})
    sender = config.mail["from"] or config.smtp["user"]
    if send:
        _check_smtp(config, sender)
    names = unique_filenames(master.offices)
    subject_t, body_t = (("remind_subject", "remind_body") if remind else ("subject", "body"))
    for office in offices:
        contact = master.contacts.get(office)
        to, bad = addresses(contact.email) if contact else ([], [])
        letter = Letter(office, contact, to, forms[office][0] if office in forms else None)
        if office in states:
            letter.state, letter.situation = states[office].state, situation(states[office], chosen)
        result.letters.append(letter)
        if isinstance(letter.form, str):  # a form of the items still missing could not be written
            letter.status, letter.reason, letter.form = FAILED, letter.form, None
            continue
        if letter.form is None:
            letter.status, letter.reason = NO_FORM, W.M_MAIL_FORM_MISSING.format(period_id=chosen.id, office=office)
            continue
        values = _fields(master, config, chosen, due, office, contact, letter.situation)
        letter.message = build_message(config.mail[subject_t].format(**values), _body(config.mail[body_t], values),
                                       sender, to, contact.person if contact else "", letter.form, now,
                                       draft=True)
        if bad or not to:
            letter.status = MANUAL
            letter.reason = W.M_MAIL_BAD_ADDRESS.format(address=contact.email) if bad else W.M_MAIL_NO_ADDRESS
        if not send or letter.status == MANUAL:
            prefix = W.MAIL_REMIND_PREFIX if remind else ""
            letter.draft = folder / f"{prefix}{names.get(office, office)}.eml"
            try:
                data = as_bytes(letter.message)
                atomic_write(letter.draft, lambda tmp, data=data: tmp.write_bytes(data))
            except QingdanError as exc:
                letter.status, letter.reason, letter.draft = FAILED, exc.message, None
                continue
            letter.status = letter.status or DRAFTED
    if send:
        waiting = [letter for letter in result.letters if letter.form and not letter.status]
        try:
            _send_all(config, waiting)
        except MailError as exc:  # no connection or no login: nothing was sent
            result.error = exc.message
            for letter in waiting:
                letter.status, letter.reason = NOT_SENT, W.MAIL_SEE_BELOW
    _log(result, now)
    return result


def _says_situation(template: str) -> bool:
    return "{" + W.MAIL_FIELDS[-1] + "}" in template


def _partial_forms(master: Master, period: Period, missing: dict[str, list[str]], due: dt.date, folder: Path,
                   config: Config, now: dt.datetime) -> dict[str, Path | str]:
    """office → a 填报表 of just its items still missing (``missing``), written
    into ``folder`` with the period's 报送截止 ``due``; the error message instead of
    the path for one that could not be written."""
    from .split import FormContext, plan_forms, write_forms

    planned = plan_forms(master, period, list(missing), folder)
    for form in planned:
        wanted = set(missing[form.office])
        form.rows = [row for row in form.rows if row.task.code in wanted]
        form.path = form.path.with_name(W.PARTIAL_FORM_NAME.format(name=form.path.stem) + form.path.suffix)
    write_forms(planned, FormContext.of(master, period, due, config, now))
    return {form.office: form.error or form.path for form in planned}


def _due_of(forms: dict[str, tuple[Path, dict[str, str]]], period: Period, config: Config) -> dt.date:
    """报送截止 as the forms state it (else as split would have set it)."""
    for _, meta in forms.values():
        day = parse_date(meta.get(W.META_DUE))
        if day:
            return day
    return period.end + dt.timedelta(days=config.due_days)


def _check_smtp(config: Config, sender: str) -> None:
    if not config.smtp["host"]:
        raise MailError(W.M_SMTP_NO_HOST)
    if not parseaddr(sender)[1]:
        raise MailError(W.M_SMTP_NO_SENDER)
    if config.smtp["user"] and not os.environ.get(PASSWORD_VARIABLE):
        raise MailError(W.M_SMTP_NO_PASSWORD.format(variable=PASSWORD_VARIABLE, user=config.smtp["user"]))


def _connect(config: Config) -> smtplib.SMTP:
    smtp = config.smtp
    host, security = smtp["host"], smtp["security"]
    port = smtp["port"] or DEFAULT_PORTS[security]
    where = f"{host}:{port}"
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=smtp["timeout"], context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=smtp["timeout"])
            if security == "starttls":
                server.starttls(context=ssl.create_default_context())
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(W.M_SMTP_CONNECT.format(where=where, reason=_reason(exc))) from None
    if smtp["user"]:
        try:
            server.login(smtp["user"], os.environ[PASSWORD_VARIABLE])
        except (OSError, smtplib.SMTPException) as exc:
            _quit(server)
            raise MailError(W.M_SMTP_LOGIN.format(user=smtp["user"], reason=_reason(exc),
                                                  variable=PASSWORD_VARIABLE)) from None
    return server


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _refusals(exc.recipients)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reason_of(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, ssl.SSLError):
        return W.M_SMTP_SSL.format(reason=exc.reason or exc)
    for kind, words in ((ConnectionRefusedError, W.SMTP_REFUSED), (TimeoutError, W.SMTP_TIMEOUT),
                        (socket.gaierror, W.SMTP_NO_HOST), (ConnectionResetError, W.SMTP_RESET)):
        if isinstance(exc, kind):  # the system's own words are English
            return words
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _reason_of(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return W.M_SMTP_REPLY.format(code=code, text=" ".join(str(text).split()))


def _refusals(refused: dict) -> str:
    """The server's answer for each refused recipient."""
    return W.REASON_JOIN.join(W.ITEM_REASON.format(what=address, why=_reason_of(code, text))
                              for address, (code, text) in refused.items())


def _quit(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


def _send_all(config: Config, letters: list[Letter]) -> None:
    """Send over one connection.  A refused message is recorded and the rest go on;
    when the connection drops, the rest are marked not sent (never resent blindly)."""
    if not letters:
        return
    server = _connect(config)
    from_address = parseaddr(config.mail["from"] or config.smtp["user"])[1]
    broken = ""
    try:
        for letter in letters:
            if broken:
                letter.status, letter.reason = NOT_SENT, broken
                continue
            assert letter.message is not None
            del letter.message["X-Unsent"]
            try:
                refused = server.send_message(letter.message, from_address, letter.to)
            except smtplib.SMTPServerDisconnected as exc:
                broken = W.M_SMTP_DROPPED.format(reason=_reason(exc))
                letter.status, letter.reason = FAILED, broken
                continue
            except (smtplib.SMTPException, OSError) as exc:
                letter.status, letter.reason = FAILED, _reason(exc)
                if isinstance(exc, OSError):
                    broken = W.M_SMTP_DROPPED.format(reason=_reason(exc))
                continue
            if refused:
                letter.status = FAILED
                letter.reason = W.M_SMTP_PARTLY.format(reason=_refusals(refused))
            else:
                letter.status = SENT
    finally:
        _quit(server)


def _log(result: MailResult, now: dt.datetime) -> None:
    counts = {status: sum(1 for letter in result.letters if letter.status == status)
              for status in (DRAFTED, SENT, MANUAL, FAILED, NOT_SENT, NO_FORM)}
    summary = W.VALUE_JOIN.join(W.T_KIND_COUNT.format(kind=status, n=n) for status, n in counts.items() if n) \
        or W.MAIL_NONE
    message = W.M_LOG_MAIL.format(period_id=result.period.id, period=result.period.label,
                                  kind=W.MAIL_KIND_REMIND if result.remind else W.MAIL_KIND_FORMS,
                                  summary=summary)
    outcome = W.RESULT_OK if not result.failed else (
        W.RESULT_PARTLY if len(result.failed) < len(result.letters) else W.RESULT_FAILED)
    try:
        log_line(result.master, W.ACTION_MAIL, str(result.folder), W.M_LOG_OFFICES.format(n=len(result.letters)),
                 outcome, message, now)
    except QingdanError as exc:
        result.log_error = exc.message
