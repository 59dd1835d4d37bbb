"""Reading a ledger file for `import`: the first sheet of an xlsx workbook, or a CSV file in its
encoding (UTF-8, else GB18030 when that reading is Chinese text, else the one `--encoding` names)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaintctl.base.errors import InvalidData, NotFound, UsageError
from complaintctl.base.messages import t


@dataclass
class Sheet:
    path: Path
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_sheet(path: Path, encoding: str | None = None) -> Sheet:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise NotFound(t("attach.missing", path=path))
    if suffix == ".csv":
        return _read_csv(path, encoding)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise UsageError(t("import.unsupported", path=path))


def _read_csv(path: Path, encoding: str | None = None) -> Sheet:
    rows = list(csv.reader(io.StringIO(decode(path, path.read_bytes(), encoding), newline="")))
    return _sheet(path, rows)


#: Of the characters outside ASCII that a GB18030 reading of a file finds, at least this share must be
#: GB2312's (the common characters of Chinese text) for the reading to be taken: a Latin-1 or
#: Windows-1252 file also decodes as GB18030, into rare characters.
GB2312_SHARE = 0.9


def decode(path: Path, data: bytes, encoding: str | None = None) -> str:
    """A CSV file's text: in `encoding` when given; else UTF-8 (with or without a byte-order mark), else
    GB18030 (what Excel saves on a Chinese Windows; it covers GBK and GB2312) when that reading is
    Chinese text; else the user names the encoding. Never a guess that reads as mojibake."""
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise UsageError(t("import.unknown_encoding", encoding=encoding)) from None
        except UnicodeDecodeError as error:
            raise UsageError(t("import.not_in_encoding", path=path, encoding=encoding,
                               offset=error.start)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    wide = [char for char in text if not char.isascii()]
    if wide and sum(_in_gb2312(char) for char in wide) >= GB2312_SHARE * len(wide):
        return text
    raise UsageError(t("import.which_encoding", path=path))


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _read_xlsx(path: Path) -> Sheet:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidData(t("import.unreadable", path=path, problem=error)) from error
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    return _sheet(path, rows)


def _sheet(path: Path, rows: list[list[Any]]) -> Sheet:
    """The header and the numbered rows that hold anything; a row's cells as read (`plan_row` reports
    a row holding more than the header names)."""
    numbered = [(number, row) for number, row in enumerate(rows, start=1)
                if any(cell not in (None, "") for cell in row)]
    if not numbered:
        raise InvalidData(t("import.no_header", path=path))
    (_, header), body = numbered[0], numbered[1:]
    return Sheet(path, ["" if cell is None else str(cell).strip() for cell in header], body)
