"""Certificate codes: 80 random bits in Crockford base32 plus a mod-37 check symbol.

A canonical code is 17 characters: 16 data symbols, then the check symbol. It is
printed in groups, e.g. 7K2M-9QXA-R4TB-H8WD-3, so that it can be read aloud in small pieces.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Crockford's extra check symbols for the values 32-36.
CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_LENGTH = 16
CODE_LENGTH = DATA_LENGTH + 1
_BITS = 5 * DATA_LENGTH

# People type codes with spaces, hyphens and the dashes phones substitute for them.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
# Crockford decoding: letters that look like digits are read as those digits.
_LOOKALIKES = str.maketrans("ILO", "110")


def check_symbol(data: str) -> str:
    """Return the Crockford mod-37 check symbol for canonical data symbols."""
    value = 0
    for symbol in data:
        value = value * 32 + ALPHABET.index(symbol)
    return CHECK_ALPHABET[value % 37]


def new_code() -> str:
    """Return a new canonical code carrying 80 bits from the system's CSPRNG."""
    value = secrets.randbits(_BITS)
    data = "".join(ALPHABET[(value >> shift) & 31] for shift in range(_BITS - 5, -1, -5))
    return data + check_symbol(data)


def format_code(code: str) -> str:
    """Return a canonical code in groups of four with its check symbol last."""
    groups = [code[start : start + 4] for start in range(0, DATA_LENGTH, 4)]
    return "-".join([*groups, code[DATA_LENGTH:]])


def normalise_code(typed: str) -> str | None:
    """Return the canonical code for what someone typed, or None if it is malformed or mistyped."""
    compact = _SEPARATORS.sub("", typed).upper().translate(_LOOKALIKES)
    if len(compact) != CODE_LENGTH:
        return None
    data, check = compact[:DATA_LENGTH], compact[DATA_LENGTH]
    if any(symbol not in ALPHABET for symbol in data):
        return None
    return compact if check == check_symbol(data) else None
