"""qingdan.toml: the optional settings file in the folder the clerk works in.

Every key is optional.  An unknown key, a value of the wrong type or a template
naming an unknown placeholder is refused with a message naming it, so a typo
never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import words as W
from .errors import ConfigError

CONFIG_NAME = "qingdan.toml"
SECURITY = ("ssl", "starttls", "none")

# section → key → (type, default); "" is the top level
_SCHEMA: dict[str, dict[str, tuple[type, object]]] = {
    "": {"unit": (str, ""), "master": (str, "")},
    "split": {"password": (str, ""), "due_days": (int, 5)},
    "mail": {
        "from": (str, ""),
        "subject": (str, W.MAIL_SUBJECT),
        "body": (str, W.MAIL_BODY),
        "remind_subject": (str, W.MAIL_REMIND_SUBJECT),
        "remind_body": (str, W.MAIL_REMIND_BODY),
    },
    "smtp": {"host": (str, ""), "port": (int, 0), "security": (str, "ssl"), "user": (str, ""),
             "timeout": (int, 30)},
    # limits on each returned file: its size, and the reader's time and memory
    "merge": {"max_mb": (int, 50), "timeout": (int, 60), "memory_mb": (int, 1024)},
}
TEMPLATE_KEYS = ("subject", "body", "remind_subject", "remind_body")


@dataclass
class Config:
    """Settings from qingdan.toml, defaults filled in."""

    path: Path | None = None
    unit: str = ""
    master: str = ""
    split: dict = field(default_factory=dict)
    mail: dict = field(default_factory=dict)
    smtp: dict = field(default_factory=dict)
    merge: dict = field(default_factory=dict)

    @property
    def password(self) -> str:
        return self.split["password"]

    @property
    def due_days(self) -> int:
        return self.split["due_days"]


def _where(section: str, key: str) -> str:
    return f"[{section}] {key}" if section else key


def load_config(path: Path | None = None) -> Config:
    """Read ``qingdan.toml`` from the current folder (or ``path``); defaults when absent."""
    path = path or Path(CONFIG_NAME)
    values: dict = {}
    if path.is_file():
        try:
            values = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ConfigError(W.C_ENCODING.format(path=path)) from None
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+), column (\d+)", str(exc))
            where = W.C_AT.format(line=m[1], col=m[2]) if m else ""
            raise ConfigError(W.C_SYNTAX.format(path=path, where=where)) from None
        except OSError as exc:
            raise ConfigError(W.C_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
    else:
        path = None
    return _build(values, path)


def default_config() -> Config:
    """The settings qingdan uses when there is no qingdan.toml."""
    return _build({}, None)


def _build(values: dict, path: Path | None) -> Config:
    config = Config(path=path)
    for section, keys in _SCHEMA.items():
        given = values if section == "" else values.get(section, {})
        if not isinstance(given, dict):
            raise ConfigError(W.C_NOT_SECTION.format(path=path, key=section))
        chosen = {}
        for key, value in given.items():
            if section == "" and key in _SCHEMA and key:
                continue  # a section, checked in its own turn
            if key not in keys:
                raise ConfigError(W.C_UNKNOWN_KEY.format(
                    path=path, key=_where(section, key), known=W.LIST_JOIN.join(_where(section, k) for k in keys)))
            kind = keys[key][0]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ConfigError(W.C_BAD_TYPE.format(
                    path=path, key=_where(section, key), value=value, kind=W.C_KINDS[kind.__name__]))
            chosen[key] = value.strip() if kind is str and key not in TEMPLATE_KEYS else value
        merged = {key: chosen.get(key, default) for key, (_, default) in keys.items()}
        if section == "":
            config.unit, config.master = merged["unit"], merged["master"]
        else:
            setattr(config, section, merged)
    if config.smtp["security"] not in SECURITY:
        raise ConfigError(W.C_BAD_CHOICE.format(path=path, key="[smtp] security",
                                                value=config.smtp["security"], choices=" / ".join(SECURITY)))
    if config.smtp["timeout"] <= 0:
        raise ConfigError(W.C_BAD_TYPE.format(path=path, key="[smtp] timeout", value=config.smtp["timeout"],
                                              kind=W.C_KINDS["positive"]))
    for key in ("max_mb", "timeout", "memory_mb"):
        if config.merge[key] <= 0:
            raise ConfigError(W.C_BAD_TYPE.format(path=path, key=f"[merge] {key}", value=config.merge[key],
                                                  kind=W.C_KINDS["positive"]))
    if config.due_days < 0:
        raise ConfigError(W.C_BAD_TYPE.format(path=path, key="[split] due_days", value=config.due_days,
                                              kind=W.C_KINDS["int"]))
    for key in TEMPLATE_KEYS:
        check_template(config.mail[key], path, f"[mail] {key}")
    return config


def check_template(text: str, path: Path | None, key: str) -> None:
    """ConfigError when ``text`` names a placeholder other than words.MAIL_FIELDS."""
    try:
        text.format(**{name: "" for name in W.MAIL_FIELDS})
    except KeyError as exc:
        raise ConfigError(W.C_BAD_PLACEHOLDER.format(
            path=path, key=key, name=exc.args[0], known="".join("{" + f + "}" for f in W.MAIL_FIELDS))) from None
    except (ValueError, IndexError):
        raise ConfigError(W.C_BAD_BRACES.format(path=path, key=key)) from None
