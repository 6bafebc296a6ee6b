"""Password rules: long enough and not one of the passwords everybody tries first."""
import gzip
from functools import cache
from pathlib import Path

MIN_LENGTH = 10
MAX_LENGTH = 1024  # the login form refuses longer ones, so no account may be given one
# The 20,000 most common passwords, as shipped by Django (BSD licence; list by Royce Williams).
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    """Load the common-password list once."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password is refused (a key for a translated message), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return "too-short"
    if len(password) > MAX_LENGTH:
        return "too-long"
    lowered = password.lower().strip()
    if lowered in common_passwords():
        return "too-common"
    if username and username.lower() in lowered:
        return "contains-username"
    return None
