"""Roster import from CSV: reading and checking the file (pure), then accounts and enrolments in one go."""
import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from app import LANGUAGES, db
from training.cohorts import Cohort, Membership
from training.forms import USERNAME
from training.models import AGE_BANDS, AUDIENCES, SEXES, User

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
COLUMNS = ("username", "display_name", "audience", "language", "sex", "age_band", "region")
CHOICES = {"audience": AUDIENCES, "language": LANGUAGES, "sex": SEXES, "age_band": AGE_BANDS}
LENGTHS = {"display_name": 80, "region": 80}
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - no 0/o, 1/l/i: read off paper, typed on a phone
# A one-time password is 10 random characters (about 50 bits) and must be changed at first login, so a
# light hash is safe, and it keeps a 1,000-row import within a request (scrypt would take minutes).
ONE_TIME_HASH = "pbkdf2:sha256:10000"

FILE_MESSAGES = {
    "too-big": _l("The file is larger than 1 MB. Split it into smaller files."),
    "not-utf8": _l("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."),
    "empty": _l("The file is empty. The first line must name the columns, for example: username,display_name"),
    "no-username": _l("The first line must name the columns and include “username”."),
    "unknown-columns": _l("Unknown columns in the first line. Use only: %(columns)s.", columns=", ".join(COLUMNS)),
    "no-rows": _l("The file names the columns but has nobody below them. Add one person per line."),
    "too-many-rows": _l("The file has more than %(count)d rows. Split it into smaller files.", count=MAX_ROWS),
}
ROW_MESSAGES = {
    "required": _l("A username is required."),
    "format": _l("Use 3 to 40 letters or digits; dots, dashes and underscores are allowed."),
    "duplicate": _l("This username appears twice in the file."),
    "other-organisation": _l("This username belongs to someone in another organisation. Choose another."),
    "staff": _l("This is a staff account (trainer, coordinator or admin), which is not enrolled as a trainee."),
    "not-allowed": _l("“%(value)s” is not allowed here. Use one of: %(values)s."),
    "too-long": _l("This is too long (at most 80 characters)."),
    "extra-values": _l("This line has more values than the first line has columns."),
}


class FileProblem(Exception):
    """The file as a whole cannot be read; the key names a message in FILE_MESSAGES."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass
class ImportRow:
    """One line of the file, its cleaned values, its problems by column, and who it is if they exist."""

    line: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    existing_id: int | None = None


def decode(data: bytes) -> str:
    """The file's text: at most 1 MB of UTF-8 (a BOM is fine), never binary."""
    if len(data) > MAX_BYTES:
        raise FileProblem("too-big")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("not-utf8") from None
    if "\x00" in content:
        raise FileProblem("not-utf8")
    if not content.strip():
        raise FileProblem("empty")
    return content


def parse(content: str) -> list[ImportRow]:
    """Split the text into rows keyed by column; the delimiter (comma or semicolon) is read off the header."""
    first = content.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    columns = [name.strip().lower() for name in next(reader)]
    if "username" not in columns:
        raise FileProblem("no-username")
    if set(columns) - set(COLUMNS) or len(set(columns)) != len(columns):
        raise FileProblem("unknown-columns")
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue  # blank lines, often left at the end by spreadsheets
        if len(rows) == MAX_ROWS:
            raise FileProblem("too-many-rows")
        cleaned = {c: (values[i].strip() if i < len(values) else "") for i, c in enumerate(columns)}
        row = ImportRow(reader.line_num, cleaned)
        if len(values) > len(columns):
            row.errors.append(("", "extra-values"))
        rows.append(row)
    if not rows:
        raise FileProblem("no-rows")
    return rows


def check_row(row: ImportRow, seen: set[str]) -> None:
    """Add this row's own problems: username format and uniqueness in the file, allowed values, lengths."""
    values = row.values
    values["username"] = username = values["username"].lower()  # usernames are matched without case
    if not username:
        row.errors.append(("username", "required"))
    elif not USERNAME.match(username):
        row.errors.append(("username", "format"))
    elif username in seen:
        row.errors.append(("username", "duplicate"))
    seen.add(username)
    for column, allowed in CHOICES.items():
        values[column] = values.get(column, "").lower()
        if values[column] and values[column] not in allowed:
            row.errors.append((column, "not-allowed"))
    for column, limit in LENGTHS.items():
        if len(values.get(column, "")) > limit:
            row.errors.append((column, "too-long"))


def validate(rows: list[ImportRow], existing: dict[str, tuple[int, int | None, str]], organisation_id: int) -> bool:
    """Check every row; an existing trainee is enrolled only when of this organisation or none."""
    seen: set[str] = set()
    for row in rows:
        check_row(row, seen)
        found = existing.get(row.values["username"])
        if found is not None and not row.errors:
            user_id, their_org, role = found
            if their_org not in (None, organisation_id):
                row.errors.append(("username", "other-organisation"))
            elif role != "trainee":
                row.errors.append(("username", "staff"))
            else:
                row.existing_id = user_id
    return all(not row.errors for row in rows)


def read_rows(data: bytes | str, organisation_id: int) -> tuple[list[ImportRow], bool]:
    """Decode, parse and validate a file against the accounts that exist (one query)."""
    rows = parse(decode(data.encode("utf-8") if isinstance(data, str) else data))
    names = [row.values["username"].strip().lower() for row in rows]
    existing = {name: (uid, org, role) for name, uid, org, role in db.session.execute(
        select(User.username, User.id, User.organisation_id, User.role).where(User.username.in_(names)))}
    return rows, validate(rows, existing, organisation_id)


def usernames_in(data: str) -> list[str]:
    """The usernames a (checked) file names, as matched."""
    return [row.values["username"].strip().lower() for row in parse(decode(data.encode("utf-8")))]


def new_slips_for_unused(usernames: list[str], cohort: Cohort, since: datetime) -> list[tuple[str, str]]:
    """New one-time passwords for accounts made for this cohort since then and never used (no commit).

    For an import sent again after its answer was lost: nobody saw the first slips, so nothing is taken away.
    """
    unused = db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.cohort_id == cohort.id, User.username.in_(usernames), User.created_at >= since,
        User.must_change_password.is_(True), User.last_seen_at.is_(None)))
    slips = []
    for user in unused:
        password = one_time_password()
        user.password_hash = generate_password_hash(password, method=ONE_TIME_HASH)
        slips.append((user.username, password))
    place = {name: index for index, name in enumerate(usernames)}
    return sorted(slips, key=lambda slip: place[slip[0]])  # in the file's order, as the first slips were


def one_time_password() -> str:
    """A random password that is easy to read off a slip and type."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def give_one_time_password(user: User) -> str:
    """A new one-time password for someone who forgot theirs (no commit): their sessions end, and they choose anew."""
    password = one_time_password()
    user.password_hash = generate_password_hash(password, method=ONE_TIME_HASH)
    user.must_change_password = True
    user.end_sessions()
    return password


def import_rows(rows: list[ImportRow], cohort: Cohort) -> list[tuple[str, str]]:
    """Create the new accounts and enrol everyone (no commit); the new usernames and one-time passwords."""
    enrolled = set(db.session.scalars(select(Membership.user_id).where(Membership.cohort_id == cohort.id)))
    slips, user_ids, new = [], [], []
    for row in rows:
        if row.existing_id is not None:
            user_ids.append(row.existing_id)
            continue  # an existing person keeps their own profile: only the enrolment is new
        password = one_time_password()
        v = row.values
        user = User(username=v["username"], password_hash=generate_password_hash(password, method=ONE_TIME_HASH),
                    role="trainee", organisation_id=cohort.organisation_id, must_change_password=True,
                    display_name=v.get("display_name") or None, language=v.get("language") or cohort.language,
                    audience=v.get("audience") or None, sex=v.get("sex") or None,
                    age_band=v.get("age_band") or None, region=v.get("region") or None)
        new.append(user)
        slips.append((user.username, password))
    db.session.add_all(new)
    db.session.flush()  # one round trip gives every new account its id
    # Someone of no organisation joins the cohort's, as when enrolled by username: its coordinator manages them.
    db.session.execute(update(User).where(User.id.in_(user_ids), User.organisation_id.is_(None))
                       .values(organisation_id=cohort.organisation_id))
    user_ids.extend(user.id for user in new)
    db.session.add_all(Membership(cohort_id=cohort.id, user_id=uid) for uid in user_ids if uid not in enrolled)
    return slips
