"""Log hygiene: every value logged is escaped, so something a user typed can never forge a log line."""
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
    """A log record whose arguments (where typed values arrive) hold no control characters once formatted."""

    def getMessage(self) -> str:  # noqa: N802 - overrides the standard library's name
        """The message with every string argument escaped; the message template is ours and stays as written."""
        msg = str(self.msg)
        if not self.args:
            return msg
        args = self.args
        if isinstance(args, dict):
            return msg % {k: escape_controls(v) if isinstance(v, str) else v for k, v in args.items()}
        return msg % tuple(escape_controls(a) if isinstance(a, str) else a for a in args)


def init_app(app: Flask) -> None:
    """Make every record in the process a SafeLogRecord, whichever logger or handler it goes through."""
    # A record factory, not a handler filter: it covers loggers and handlers added later (gunicorn's, pytest's).
    logging.setLogRecordFactory(SafeLogRecord)
