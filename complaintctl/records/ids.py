"""Complaint ids: `MT-261120-K7QF-3` — office, date received (YYMMDD), the clone's tag, a number.

Readable over the phone (Crockford's base32 has no I, L, O or U), and two clones that never talked cannot
make the same id: each clone draws its own random tag once and numbers its own complaints per day. The
next number comes from the names in one month's folder, never from reading the store.

A person types a *handle* instead (`store/handles.py`): a short prefix of `handle_code(id)`, a hash of the
id in the same alphabet, so every complaint of every clone has its own, old records included.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable

from complaintctl.base.errors import UsageError
from complaintctl.base.messages import t

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 4
ID_PATTERN = re.compile(
    r"^(?P<office>[A-Z][A-Z0-9]{0,9})-(?P<date>\d{6})-(?P<tag>[0-9A-HJKMNP-TV-Z]{4})-(?P<seq>[1-9]\d*)$"
)
_QUERY_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,40}$")
#: The years an id can say (YYMMDD, read as 20YY): a complaint received outside them would be filed under
#: the wrong year (1900-01-01 under 2000/01).
FIRST_YEAR, LAST_YEAR = 2000, 2099


#: A handle is the shortest prefix of its code that no other complaint's code starts with, at least
#: HANDLE_MIN and at most HANDLE_MAX characters (see `store/handles.py` for the rare longer case).
HANDLE_MIN, HANDLE_MAX = 4, 6
CODE_LENGTH = 8  # 40 bits: a code the length of the longest query a handle lookup takes
# What a person may type for a Crockford digit: I and L read as 1, O as 0 (Crockford's decoding rules).
_HANDLE_TYPOS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def require_filable(year: int, field: str, shown: str) -> None:
    """Refuse a receipt time (in the store's zone) whose year no id can carry."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(t("time.unfilable", field=field, value=shown, first=FIRST_YEAR, last=LAST_YEAR))


def new_clone_tag() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(TAG_LENGTH))


def is_id(text: str) -> bool:
    return ID_PATTERN.match(text) is not None


def make_id(office: str, yymmdd: str, tag: str, taken_names: Iterable[str]) -> str:
    """The next free id for this office, day and clone, given the file stems already in that month."""
    prefix = f"{office}-{yymmdd}-{tag}-"
    highest = 0
    for name in taken_names:
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            highest = max(highest, int(name[len(prefix):]))
    return f"{prefix}{highest + 1}"


def month_of(complaint_id: str) -> tuple[str, str]:
    """('2026', '11') for MT-261120-…: where the record lives."""
    match = ID_PATTERN.match(complaint_id)
    if match is None:
        raise UsageError(t("id.malformed", value=complaint_id))
    date = match["date"]
    return f"20{date[:2]}", date[2:4]


def normalise_query(text: str) -> str:
    """An id, prefix or tail as typed: only letters, digits and dashes, never a path."""
    query = text.strip().upper()
    if not _QUERY_PATTERN.match(query):
        raise UsageError(t("id.bad_query", value=text))
    return query


def match_query(query: str, ids: Iterable[str]) -> list[str]:
    """Every id that the query names: the id itself, a prefix of it, a tail of it, or whole parts of it
    (`K7QF`, `K7QF-3`: what a caller reads out over the phone)."""
    exact: list[str] = []
    partial: list[str] = []
    for candidate in ids:
        if candidate == query:
            exact.append(candidate)
        elif (candidate.startswith(query) or candidate.endswith(query)
              or f"-{query}-" in candidate or candidate.endswith(f"-{query}")):
            partial.append(candidate)
    return exact or sorted(partial)


def handle_code(complaint_id: str, attempt: int = 0) -> str:
    """The CODE_LENGTH Crockford characters a complaint's handle is a prefix of: 40 bits of SHA-256 of
    its id (of `id/attempt` for the rare complaint whose first code another one shares). Upper case;
    handles are shown in lower case."""
    text = complaint_id if attempt == 0 else f"{complaint_id}/{attempt}"
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:5], "big")
    return "".join(CROCKFORD[(number >> shift) & 31] for shift in range(5 * (CODE_LENGTH - 1), -1, -5))


def as_handle_query(text: str) -> str | None:
    """The code prefix a typed text names (upper case, I/L read as 1 and O as 0), or None when it cannot
    be a handle (too short or long, or not Crockford characters)."""
    query = handle_typed(text)
    if HANDLE_MIN <= len(query) <= CODE_LENGTH and all(char in CROCKFORD for char in query):
        return query
    return None


def handle_typed(text: str) -> str:
    """A handle, or the start of one, as typed, in the characters of the codes: upper case, I and L read
    as 1 and O as 0 (Crockford's decoding rules)."""
    return text.strip().upper().translate(_HANDLE_TYPOS)
