"""The training manual: one source for the page (/training) and the PDF (/training.pdf).

Each section is a heading and a list of blocks: a paragraph (a string) or a bulleted list (a list of strings).
"""

TITLE = "Service shopper training manual"
SUMMARY = (
    "Everything you need before your first assignment: what mystery shopping is, how to stay "
    "anonymous and fair, and how to do each kind of shop safely."
)

SECTIONS = [
    (
        "What mystery shopping is",
        [
            "A service shopper contacts a council or another public body as an ordinary resident would — at the "
            "front desk, on the phone, by e-mail, by letter or on the website — and then records, honestly and "
            "in detail, how it went. Coordinators put many such reports together to show how well each "
            "organisation serves residents, and where it should improve.",
            "Staff are told in advance that mystery shopping takes place, what it measures and that results are "
            "reported by service, never by person. Your reports are about the service, not about the people in it.",
            "You are not there to catch anyone out, to complain, or to get a real problem solved. Ask your "
            "scenario's question, notice what happens, and record it.",
        ],
    ),
    (
        "Confidentiality",
        [
            "Before you see any assignment you acknowledge the programme's confidentiality statement. In short:",
            [
                "Do not tell anyone — friends, family, staff — that you are a service shopper, or which services "
                "are being tested and when.",
                "Keep briefs, questionnaires and findings to yourself. No screenshots, no social media posts.",
                "Use your findings only for this programme.",
                "If the statement changes you will be asked to read and acknowledge the new version.",
            ],
        ],
    ),
    (
        "Conflicts of interest",
        [
            "You will never be sent to an organisation or service where you, or close family, work or have an "
            "open case (a benefit claim, a planning application, a housing application, a complaint…).",
            [
                "Declare every such organisation or service area before your first assignment, or declare that "
                "you have none.",
                "If something changes, add a conflict at once: any assignment it touches is taken off you and "
                "passed back to the coordinator. Nobody will ask why.",
                "If you arrive and recognise someone you know well, leave politely and tell the coordinator.",
            ],
        ],
    ),
    (
        "Never identify staff",
        [
            "Reports never name, photograph or record a member of staff. Describe people by role at most "
            '("the receptionist", "the adviser who answered").',
            [
                "Do not note names from badges, e-mail signatures or phone greetings.",
                "Photos are of signs, notices, leaflets and waiting areas only, with nobody in them.",
                "No audio or video recording of any conversation.",
                "Exceptional service? Record a commendation: it reaches the department when the programme allows "
                "it, and never appears in a league table.",
            ],
        ],
    ),
    (
        "In-person visits",
        [
            [
                "Read your brief while you still have signal; it stays on your phone offline.",
                "Note the time you arrive, when you are first greeted and when you are seen.",
                "Put the scenario's question in your own words. Never give a false name, address or National "
                "Insurance number; if asked for details, say you are only asking for information at this stage.",
                "Notice the building too: signs, access, seating, privacy at the counter, information on display.",
                "Fill in the questionnaire the same day, while it is fresh. Your answers save on the phone as you go.",
            ],
        ],
    ),
    (
        "Telephone shops",
        [
            [
                "Telephone work is done in booked phone-bank blocks of four hours.",
                "Time the call: rings before an answer, time in queues and on hold, each transfer and whether it "
                "was announced. A recorded message counts as an answer — note whether it gives the organisation's "
                "name, its opening hours and another number.",
                "If nobody answers within the programme's give-up time, end the call and record it as abandoned.",
                "Use a withheld or programme number if the coordinator gives you one.",
            ],
        ],
    ),
    (
        "E-mails, letters and websites",
        [
            [
                "For e-mail and letter shops, record when you sent your message and when each reply arrives; the "
                "report stays open on your phone until the reply comes.",
                "For website tasks, try to find the answer or complete the task as a resident would, and note "
                "whether the pages work with a keyboard, zoomed in, or with a screen reader if you use one.",
            ],
        ],
    ),
    (
        "Exit interviews",
        [
            [
                "Wear the programme badge and stand where you are not in anyone's way.",
                "Ask consent first. Anyone may say no, or stop at any time; refusals are not recorded.",
                "Ask the questions as written, on the five-point scale. Record no name, address or anything else "
                "that could identify the person.",
                "If someone is upset or needs help, stop the interview and point them to the help they need.",
            ],
        ],
    ),
    (
        "Cross-tier questions",
        [
            "Residents are often bounced between tiers of government: the county council runs roads, transport "
            "and libraries; district councils collect council tax and bins and decide most planning; the "
            "national park authority decides planning inside the park.",
            "Some scenarios ask one tier for the other tier's service on purpose. The test is not whether they "
            "solve it, but whether they redirect you well: the right organisation, a number or link, and no "
            '"not us" without help. Record exactly what you were told.',
        ],
    ),
    (
        "Your safety",
        [
            [
                "Your safety comes first. If a visit or a call makes you uncomfortable, stop and leave.",
                "Tell someone where you are going for in-person work and exit interviews.",
                "Never enter private offices or go anywhere you would not go as a member of the public.",
                "If you are challenged, stay polite; you may say you are taking part in a customer-service survey "
                "and give the coordinator's contact details.",
                "Report any incident to the coordinator the same day.",
            ],
        ],
    ),
    (
        "Your data",
        [
            "We keep your name, contact details and availability only to run the programme. You can download "
            "your personal data or delete your account at any time from your account page. What you recorded as "
            "a shopper stays, detached from your name.",
        ],
    ),
]


def blocks():
    """(heading, [("p", text) | ("ul", [items])]) for the template and the PDF."""
    for heading, items in SECTIONS:
        yield heading, [("ul", block) if isinstance(block, list) else ("p", block) for block in items]
