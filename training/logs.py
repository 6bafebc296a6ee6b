"""Log hygiene: every log message is escaped so a value typed by a user can never forge a log line."""
import logging

from flask import Flask

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """Show newlines and other invisible control characters as visible escapes (\\n, \\x1b, \\u2028)."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        else:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
    return "".join(out)


class SafeLogRecord(logging.LogRecord):
    """A log record whose message, once formatted with its arguments, holds no control characters."""

    def getMessage(self) -> str:  # noqa: N802 - overrides the standard library's name
        """The formatted message with control characters escaped."""
        return escape_controls(super().getMessage())


def init_app(app: Flask) -> None:
    """Make every record in the process a SafeLogRecord, whichever logger or handler it goes through."""
    # A record factory, not a handler filter: it covers loggers and handlers added later (gunicorn's, pytest's).
    logging.setLogRecordFactory(SafeLogRecord)
