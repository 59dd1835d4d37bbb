"""`complaintctl export`: the ledger as CSV, JSON or an Excel workbook.

CSV and xlsx are for people: headings in the store's language, labels for codes, the history as JSON in
the last column. CSV has instants as ISO 8601 text; the xlsx workbook has them as Excel dates in the
store's time zone (an Excel date has no UTC offset; `import` reads them back in that zone), columns as
wide as their content, the header frozen and an autofilter. JSON is for programs:
field keys, codes, the history as a list. Text that Excel would take for a formula is never one: xlsx
cells are typed as text, and in CSV such text starts with a quote (import takes it off again); a
character an Excel cell cannot hold (a control character) is written as a visible escape (`\\x1b`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any
from unicodedata import east_asian_width

from complaintctl.base.errors import InvalidData
from complaintctl.base.messages import t
from complaintctl.base.safetext import csv_cell, excel_text
from complaintctl.ledger.columns import COLUMNS, KEYS, labelled
from complaintctl.policy.model import Policy
from complaintctl.records import intake
from complaintctl.worktime.times import parse_stored_instant

FORMATS = ("csv", "json", "xlsx")
#: Columns holding an instant: an Excel date in the xlsx ledger (ISO 8601 text in CSV and JSON).
INSTANT_COLUMNS = (*intake.INSTANTS, "registered_at", "closed_at")
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MIN_WIDTH, MAX_WIDTH = 8, 60  # a column's width in characters, as fitted to its content
EXCEL_CELL = 32767  # the most characters an Excel cell holds
NUMERIC = ("amount", "rejections", "reopenings", "costs")


def _text(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key)
    if value is None:
        return None
    if key == "history":
        return json.dumps(value, ensure_ascii=False)
    return value


def headers(language: str) -> list[str]:
    return [column.header(language) for column in COLUMNS]


def to_json(rows: Sequence[Mapping[str, Any]]) -> str:
    plain = [{key: row.get(key) for key in KEYS} for row in rows]
    return json.dumps(plain, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[Mapping[str, Any]], policy: Policy, language: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # what Excel writes and expects
    writer.writerow(headers(language))
    for row in rows:
        shown = labelled(row, policy, language)
        writer.writerow([csv_cell(_text(shown, key)) for key in KEYS])
    return buffer.getvalue()


def to_xlsx(rows: Sequence[Mapping[str, Any]], policy: Policy, language: str, tz: tzinfo | None = None
            ) -> bytes:
    """The ledger as a workbook people sort and filter: instants as Excel dates in the store's time zone
    `tz` (an Excel date has no offset), labels for codes, each column as wide as its content (a Chinese
    character counts two), the header frozen and filtered."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=t("export.sheet"))
    sheet.freeze_panes = "B2"
    header = headers(language)
    body = [[_xlsx_value(row, shown, key, tz) for key in KEYS]
            for row, shown in ((row, _people_labels(row, policy, language)) for row in rows)]
    for index in range(1, len(KEYS) + 1):
        widest = max([display_width(header[index - 1]), *(_cell_width(line[index - 1]) for line in body)])
        sheet.column_dimensions[_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
    sheet.auto_filter.ref = f"A1:{_letter(len(KEYS))}{len(body) + 1}"
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row, values in zip(rows, body, strict=True):
        cells = []
        for key, value in zip(KEYS, values, strict=True):
            if isinstance(value, str) and len(value) > EXCEL_CELL:
                raise InvalidData(t("export.cell_too_long", id=row.get("id"), field=key, length=len(value)))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _people_labels(row: Mapping[str, Any], policy: Policy, language: str) -> dict[str, Any]:
    """The row as a person reads it in Excel: `labelled`, and the policy's title for its code."""
    shown = labelled(row, policy, language)
    if shown.get("policy") == policy.policy:
        shown["policy"] = policy.title.text(language)
    return shown


def _xlsx_value(row: Mapping[str, Any], shown: Mapping[str, Any], key: str, tz: tzinfo | None) -> Any:
    """A cell's value: an instant as a local Excel date, a number as a number, anything else as text
    (a control character, which would make openpyxl refuse the workbook, as its visible escape)."""
    value = _text(shown, key)
    if value is None:
        return None
    if key in INSTANT_COLUMNS and tz is not None:
        try:
            return parse_stored_instant(row.get(key)).astimezone(tz).replace(tzinfo=None)
        except (TypeError, ValueError):
            pass  # a hand-edited time that does not parse stays the text it is
    if key in NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return excel_text(str(value))


def display_width(text: str) -> int:
    """How many columns a text takes in a spreadsheet: its longest line, a wide (CJK) character as two."""
    return max((sum(2 if east_asian_width(char) in "WF" else 1 for char in line)
                for line in text.split("\n")), default=0)


def _cell_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATE_FORMAT)
    return display_width(str(value))


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
