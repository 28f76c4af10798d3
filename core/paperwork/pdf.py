"""A small PDF builder over fpdf2 with a Cyrillic font (DejaVu, shipped with the package)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "fonts"


class Sheet(FPDF):
    """An A4 page in DejaVu Sans with helpers for the parts of an official document."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 15, 15)
        self.add_page()
        self.set_font("DejaVu", size=10)

    def heading(self, text: str) -> None:
        self.set_font("DejaVu", "B", 13)
        self.multi_cell(0, 7, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", size=10)
        self.ln(2)

    def line_text(self, text: str, bold: bool = False, size: int = 10) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", size=10)

    def grid(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: tuple[int, ...],
        align: tuple[str, ...] = ("CENTER", "LEFT", "CENTER", "RIGHT", "RIGHT", "RIGHT"),
    ) -> None:
        self.set_font("DejaVu", size=9)
        with self.table(
            col_widths=widths,
            text_align=align[: len(widths)],
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5.5,
        ) as table:
            head = table.row()
            for cell in header:
                head.cell(cell)
            for values in rows:
                row = table.row()
                for cell in values:
                    row.cell(cell)
        self.set_font("DejaVu", size=10)
        self.ln(2)

    def addressed(self, lines: list[str]) -> None:
        """The addressee and the sender in the right half, as an application begins."""
        half = (self.w - self.l_margin - self.r_margin) / 2
        for line in lines:
            self.set_x(self.l_margin + half)
            self.multi_cell(half, 5.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def signatures(self, left: str, right: str, *, seals: tuple[bool, bool] = (True, True)) -> None:
        self.ln(8)
        y = self.get_y()
        half = (self.w - self.l_margin - self.r_margin) / 2
        for i, who in enumerate((left, right)):
            self.set_xy(self.l_margin + i * half, y)
            self.multi_cell(
                half - 4,
                5.5,
                f"{who}\n\n______________________ / ______________\n"
                "(підпис)                    (ПІБ)" + ("\nМ.П." if seals[i] else ""),
            )

    def to_bytes(self) -> bytes:
        return bytes(self.output())
