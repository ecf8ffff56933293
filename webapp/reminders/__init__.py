"""E-mail reminders (issue 13.3): the message, the SMTP sending, `decuong remind` and the
round board's «Gửi nhắc nhở». The record of what was sent is store.reminders."""

from webapp.reminders.routes import bp

__all__ = ["bp"]
