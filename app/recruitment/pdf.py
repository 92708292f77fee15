"""The training manual as a PDF, drawn with fpdf2 from the same content as the page."""

from fpdf import FPDF

from app.recruitment import manual

# fpdf2's built-in fonts are Latin-1: typographic characters outside it are mapped to near equivalents.
_LATIN1_FALLBACKS = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"}
)


def _text(value: str) -> str:
    return value.translate(_LATIN1_FALLBACKS).encode("latin-1", "replace").decode("latin-1")


def training_manual_pdf(programme_name: str | None = None) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(manual.TITLE)
    pdf.set_author("Service Shopper")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, _text(manual.TITLE), new_x="LMARGIN", new_y="NEXT")
    if programme_name:
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(0, 7, _text(programme_name), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", 11)
    pdf.multi_cell(0, 6, _text(manual.SUMMARY), new_x="LMARGIN", new_y="NEXT")
    for heading, blocks in manual.blocks():
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, _text(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for kind, content in blocks:
            if kind == "p":
                pdf.multi_cell(0, 6, _text(content), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            else:
                for item in content:
                    pdf.set_x(pdf.l_margin + 4)
                    pdf.multi_cell(0, 6, _text("- " + item), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
    return bytes(pdf.output())
