"""A real SMTP server for tests (aiosmtpd, on 127.0.0.1), and the app pointed at it."""

import email
import re

import pytest
from aiosmtpd.controller import Controller

from tests.server_kit import free_port


class Inbox:
    """What the server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def link_in(message, path: str) -> str:
        """The first link to ``path`` in a message's body, as a path (the tests' client has no host)."""
        body = message.get_payload(decode=True).decode()
        found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", body)
        assert found, body
        return found.group(1)


@pytest.fixture
def smtp_inbox(own_app):
    """An SMTP server on a free port of TEST_PORTS, with the app sending to it (plain SMTP, no TLS)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    own_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    yield inbox
    controller.stop()
