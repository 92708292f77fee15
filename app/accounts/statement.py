"""The confidentiality statement in headed paragraphs, from the plain text a coordinator writes.

Blocks are separated by a blank line. A block of one short line without closing punctuation is a heading; a
block whose lines start "1." (or "-", "*", "•") is a list, a line that does not start so continuing the item
before it; any other block is a paragraph, its lines joined. The shopper app reads it the same way
(``app/static/js/shopper-app/statement.js``).
"""

import re

from markupsafe import Markup, escape

ITEM = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")
HEADING_LENGTH = 90


def blocks(text: str) -> list[tuple[str, object]]:
    """[("heading", text) | ("ol" | "ul", (first number or None, [items])) | ("p", text)]."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and len(lines[0]) <= HEADING_LENGTH and not re.search(r"[.,;:!?]$", lines[0]):
            out.append(("heading", lines[0]))
        elif ITEM.match(lines[0]):
            items = []
            for line in lines:
                if ITEM.match(line) or not items:
                    items.append(ITEM.sub("", line))
                else:
                    items[-1] += " " + line
            number = re.match(r"\s*(\d+)", lines[0])
            out.append(("ol", (int(number.group(1)), items)) if number else ("ul", (None, items)))
        else:
            out.append(("p", " ".join(lines)))
    return out


def statement_html(text: str, heading_level: int = 2) -> Markup:
    """Template helper: ``{{ statement_blocks(statement.text) }}``."""
    parts = []
    for kind, content in blocks(text):
        if kind == "heading":
            parts.append(Markup("<h{0}>{1}</h{0}>").format(heading_level, content))
        elif kind == "p":
            parts.append(Markup("<p>{}</p>").format(content))
        else:
            start, entries = content
            items = Markup("").join(Markup("<li>{}</li>").format(item) for item in entries)
            attribute = Markup(' start="{}"').format(start) if start not in (None, 1) else ""
            parts.append(Markup("<{0}{1}>{2}</{0}>").format(kind, attribute, items))
    return Markup("\n").join(parts) if parts else escape("")
