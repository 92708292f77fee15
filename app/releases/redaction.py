"""Free text as a partner may read it: no name of a member of staff, nothing that identifies the shopper.

Shoppers are asked to describe staff by role only, and the coordinator reads every report before it counts;
this is the last guard before a partner reads the text. It removes the shopper's own name and e-mail
(known), e-mail addresses and phone numbers, a name after a title ("Mrs Patel") or an introduction
("her badge said Sam", "called Chris Brown"), and a name signed at the end of a line ("— Jo", "Thanks, Jo").
A bare name in the middle of a sentence cannot be told from other words: the reviewer reads each report's free
text as the guard leaves it when approving, clears it for partners (removing what the guard missed), and that
cleared text is what partners read (``Submission.partner_texts``); the preview shows exactly what they will see.
"""

import re

REMOVED = "[name removed]"
_NAME = r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?"
_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail removed]"),
    (re.compile(r"(?<![\w/])\+?\d(?:[\d ()-]{7,}\d)"), "[number removed]"),
    (re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam|Master)\.?[ \t]+{_NAME}"), REMOVED),
    (
        re.compile(
            r"\b((?i:called|named|name(?:'s| is| was)|introduced (?:himself|herself|themselves) as"
            rf"|badge (?:said|read|says|reads)|signed (?:off )?(?:as|by)|ask(?:ed)? for)[ \t:]+){_NAME}"
        ),
        r"\1" + REMOVED,
    ),
    (
        re.compile(
            r"^([ \t]*(?:[-–—~]+[ \t]*|(?i:regards|kind regards|best wishes|best|thanks|many thanks|cheers|"
            rf"from|yours)[, \t]+)){_NAME}[ \t]*$",
            re.MULTILINE,
        ),
        r"\1" + REMOVED,
    ),
)


class Redactor:
    """``partner_text`` with a fixed list of strings to remove (the shoppers of a set of reports), compiled
    once for a whole export."""

    def __init__(self, known=()):
        values = sorted({v for v in known if v and len(v) > 2}, key=len, reverse=True)
        self._known = re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE) if values else None

    def __call__(self, text: str | None, cleared: dict | None = None, field: str | None = None) -> str:
        """``text`` as a partner reads it: the reviewer's cleared version of ``field`` when there is one, which
        goes through the guard again (it is a person's edit of the guard's text; the guard stays the last word)."""
        if cleared and field in cleared:
            text = cleared[field]
        if not text:
            return ""
        if self._known is not None:
            text = self._known.sub(REMOVED, text)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


def partner_text(
    text: str | None, known: tuple[str, ...] = (), cleared: dict | None = None, field: str | None = None
) -> str:
    """``text`` with names and identifying details removed; ``known``: strings to remove wherever they are
    (the shopper's name and e-mail); ``cleared``/``field``: the reviewer's version, used in place of ``text``."""
    return Redactor(known)(text, cleared, field)
