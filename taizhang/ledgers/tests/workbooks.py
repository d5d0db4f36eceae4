"""Workbooks built by the tests, as messy as the real ones."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook


def book(tmp_path: Path, sheets: dict[str, list[list]], *, name: str = "台账.xlsx", merges=None) -> Path:
    """A workbook with one sheet per item (rows as lists; None is an empty cell); merges: {sheet: ["A3:A5"]}."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for ref in (merges or {}).get(title, []):
            sheet.merge_cells(ref)
    path = tmp_path / name
    workbook.save(path)
    return path
