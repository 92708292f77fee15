"""Sending e-mail: SMTP when MAIL_SERVER is configured, otherwise the ``outbox_message`` table.

Settings (``app.config`` first, then the environment, so they work before config.py names them):
MAIL_SERVER, MAIL_PORT (587), MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS, on by default),
MAIL_USE_SSL (implicit TLS, off), MAIL_SENDER.

The outbox keeps development and demos self-contained (no mail server needed; /dev/outbox shows what
would have been sent). SMTP sends at once, inside the caller's transaction: a later rollback cannot
unsend a message, so callers send last, after everything that may fail.
"""

import os
import smtplib
from email.message import EmailMessage

from flask import current_app

from app.extensions import db
from app.recruitment.models import OutboxMessage

DEFAULT_SENDER = "Service Shopper <no-reply@service-shopper.example>"


def setting(name: str, default=None):
    value = current_app.config.get(name)
    return value if value is not None else os.environ.get(name, default)


def _flag(name: str, default: bool) -> bool:
    value = setting(name)
    if value is None:
        return default
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


def send_mail(to_address: str, subject: str, body: str, programme_id: int | None) -> OutboxMessage | None:
    """Send one plain-text message about ``programme_id``'s work; returns the outbox row when it was kept
    instead."""
    server = setting("MAIL_SERVER")
    if not server:
        message = OutboxMessage(to_address=to_address, subject=subject, body=body, programme_id=programme_id)
        db.session.add(message)
        return message
    email = EmailMessage()
    email["From"] = setting("MAIL_SENDER", DEFAULT_SENDER)
    email["To"] = to_address
    email["Subject"] = subject
    email.set_content(body)
    port = int(setting("MAIL_PORT", 587))
    smtp_class = smtplib.SMTP_SSL if _flag("MAIL_USE_SSL", False) else smtplib.SMTP
    with smtp_class(server, port, timeout=20) as smtp:
        if smtp_class is smtplib.SMTP and _flag("MAIL_USE_TLS", True):
            smtp.starttls()
        username = setting("MAIL_USERNAME")
        if username:
            smtp.login(username, setting("MAIL_PASSWORD", ""))
        smtp.send_message(email)
    return None
