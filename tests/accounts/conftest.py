from tests.mail_kit import smtp_inbox  # noqa: F401  (a fixture: a real SMTP server)
