"""A report as tables (sheets) of plain cells, and those as CSV, XLSX and an SVG chart.

The page, the CSV and the XLSX show the same sheets, so their numbers are the same.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Font

from core.workflow.market.papers import neutral

Cell = str | int | float | Decimal | date | None


class Sheet(msgspec.Struct, kw_only=True):
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    totals: list[Cell] | None = None
    #: Columns holding numbers (right-aligned, number formats in the XLSX).
    numeric: frozenset[int] = frozenset()


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(sheet.header)
    for row in [*sheet.rows, *([sheet.totals] if sheet.totals else [])]:
        writer.writerow(["" if c is None else neutral(_text(c)) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _text(cell: Cell) -> str:
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return f"{cell:.2f}" if cell.as_tuple().exponent == -2 else str(cell)
    return str(cell)


def to_xlsx(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for n, s in enumerate(sheets, 1):
        ws = book.create_sheet(_sheet_title(s.title, n))
        ws.append(s.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in [*s.rows, *([s.totals] if s.totals else [])]:
            ws.append([neutral(c) for c in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, whatever it starts with
                elif isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
        if s.totals:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str, n: int) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return f"{n} {clean}"[:31]


def bar_chart(title: str, bars: list[tuple[str, float, str]], chart_id: str) -> str:
    """A horizontal bar chart as inline SVG: each bar has its label above it and its
    figure written beside it, so it reads without colour (and the table below the chart
    holds the same numbers). ``bars`` are (label, value, figure as shown)."""
    width, bar_h, gap = 360, 14, 40
    top = max((v for _, v, _ in bars), default=0.0) or 1.0
    height = gap * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" width="100%">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
    ]
    for n, (label, value, shown) in enumerate(bars):
        y = n * gap
        length = max(0.0, min(1.0, value / top)) * 190
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(
            f'<text x="0" y="{y + 14}" class="chart-label">{escape(short)}</text>'
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="{bar_h}" class="chart-bar"/>'
            f'<text x="{length + 6:.1f}" y="{y + 32}" class="chart-value">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def as_cells(values: list[Any]) -> list[Cell]:
    return [
        v if isinstance(v, str | int | float | Decimal | date) or v is None else str(v)
        for v in values
    ]
