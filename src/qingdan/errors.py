"""The small exception tree.  Every message is Chinese, quotes the bad value and
says what to do; the CLI prints it and exits with ``exit_code``."""


class QingdanError(Exception):
    """Base of every error qingdan reports to a user (exit status 1)."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class SourceError(QingdanError):
    """A source document (the list to import) cannot be read or understood."""


class MasterError(QingdanError):
    """The master workbook cannot be written: exists, locked, holds progress …"""



class UsageError(QingdanError):
    """An option's value is wrong: a period, a date, an office that is not in the list."""

    exit_code = 2


class ConfigError(QingdanError):
    """qingdan.toml cannot be read, or holds a key or value qingdan does not know."""

    exit_code = 2


class MailError(QingdanError):
    """Mail cannot be sent at all: no SMTP settings, no password, no connection."""


class PdfError(QingdanError):
    """A workbook could not be turned into a PDF: no LibreOffice, or it failed."""


class ReaderError(SourceError):
    """A returned file crashed or hung the reader process: refused this time,
    read again next time (the limits, not the file, may be at fault)."""
