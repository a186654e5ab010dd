"""Logging set-up, with the bot token redacted from everything the process writes about itself.

The token is part of every Bot API URL, so any text that quotes a URL carries it: aiohttp's
ClientResponseError, a NetworkError built from one, python-telegram-bot's InvalidToken. A record can carry it
in its message, its arguments, its exception's text and traceback (chained causes included) and its stack.
Redaction happens where records are made (a LogRecord factory), so every handler sees redacted records,
including handlers added after set-up and handlers on other loggers; the root handlers' formatter redacts the
finished line again (for records made some other way), and an uncaught exception's traceback is redacted too.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[TOKEN]"


class Redactor:
    """Replaces the token, and its secret half on its own (URL-encoded forms keep it whole), with [TOKEN]."""

    def __init__(self, token: str) -> None:
        self.secrets = tuple(s for s in (token, token.partition(":")[2]) if s)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def carries(self, text: str) -> bool:
        return any(secret in text for secret in self.secrets)

    def record(self, record: logging.LogRecord) -> None:
        """Redact a record in place: message and arguments, exception text and traceback, stack."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: left for logging to report when it formats
            message = ""
        if self.carries(message):
            record.msg, record.args = self(message), ()
        if record.exc_info and not record.exc_text:  # formatters reuse exc_text instead of formatting again
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.carries(record.exc_text):
            record.exc_text = self(record.exc_text)
            record.exc_info = None  # the live exception still carries the token; its redacted text stays
        if record.stack_info and self.carries(record.stack_info):
            record.stack_info = self(record.stack_info)


class TokenFilter(logging.Filter):
    """Redacts the token from every record a handler receives, at every level."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.redact = Redactor(token)

    def filter(self, record: logging.LogRecord) -> bool:
        self.redact.record(record)
        return True


class RedactingFormatter(logging.Formatter):
    """The usual format, with the token redacted from the finished text (traceback and stack included)."""

    def __init__(self, redact: Redactor, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def setup_logging(token: str | None, level: int = logging.INFO) -> None:
    logging.basicConfig(format=FORMAT, level=level)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if not token:
        return
    redact = Redactor(token)
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        redact.record(record)
        return record

    logging.setLogRecordFactory(redacted_record)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(redact))

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, exc, tb))))

    sys.excepthook = excepthook
