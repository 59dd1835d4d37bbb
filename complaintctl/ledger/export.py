"""`complaintctl export`: the ledger as CSV, JSON or an Excel workbook.

CSV and xlsx are for people: headings in the store's language, labels for codes, instants as ISO 8601
text (an Excel date has no UTC offset), the history as JSON in the last column. JSON is for programs:
field keys, codes, the history as a list. Text that Excel would take for a formula is never one: xlsx
cells are typed as text, and in CSV such text starts with a quote (import takes it off again); a
character an Excel cell cannot hold (a control character) is written as a visible escape (`\\x1b`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from complaintctl.base.errors import InvalidData
from complaintctl.base.messages import t
from complaintctl.base.safetext import csv_cell, excel_text
from complaintctl.ledger.columns import COLUMNS, KEYS, labelled
from complaintctl.policy.model import Policy

FORMATS = ("csv", "json", "xlsx")
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


def to_xlsx(rows: Sequence[Mapping[str, Any]], policy: Policy, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=t("export.sheet"))
    sheet.freeze_panes = "B2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = _letter(index)
        sheet.column_dimensions[letter].width = 40 if column.key in ("description", "history") else 18
    bold = Font(bold=True)
    head = []
    for text in headers(language):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        shown = labelled(row, policy, language)
        cells = []
        for key in KEYS:
            value = _text(shown, key)
            if isinstance(value, str):
                value = excel_text(value)  # a control character would make openpyxl refuse the workbook
            if isinstance(value, str) and len(value) > EXCEL_CELL:
                raise InvalidData(t("export.cell_too_long", id=row.get("id"), field=key, length=len(value)))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            elif key not in NUMERIC and value is not None:
                cell.value = excel_text(str(value))
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
