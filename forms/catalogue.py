"""The one shape of every message catalogue in decuong.

A catalogue is an Enum deriving from `MessageCode`: the member name is the stable code that
tests, JSON output and callers branch on; the value is the Vietnamese message template, with
`{placeholders}` for the place and the particulars. Keeping all wording in such classes lets a
reviewer read every message a user can meet in one place per channel, and lets a test check
them all (NFC, placeholders, an instruction to act).
"""

from __future__ import annotations

from enum import Enum


class MessageCode(Enum):
    """Base of every catalogue; members are added by subclasses."""

    @property
    def code(self) -> str:
        """The stable name (`too_large`, `UNKNOWN_KEY`)."""
        return self.name

    def text(self, **args: object) -> str:
        """The message with its placeholders filled; a missing one is a programming error
        (KeyError), never a half-filled message shown to a user."""
        return str(self.value).format(**args)
