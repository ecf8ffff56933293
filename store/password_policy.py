"""The password policy, in one place for the web form and the command line: long enough, not
a common password, not the username, not one or two characters repeated.

A short list of the passwords people really choose here (numbers, keyboard rows, "matkhau",
office words, this product's name) ships as data next to this module. Each candidate is
compared without case, accents, separators or a trailing number/year, so "MatKhau@2025" and
"Mật khẩu 123" are refused with "matkhau". Also generates the strong password `users add`
prints when none is given.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache
from pathlib import Path

MIN_LENGTH = 10
MIN_DISTINCT = 5
_LIST = Path(__file__).with_name("common_passwords.txt")
# No 0/O, 1/l/I: the generated password is read off a screen and typed by someone else.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line) for line in lines if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    """Lower case, no accents (đ → d), letters and digits only."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _cores(password: str) -> set[str]:
    folded = _fold(password)
    letters_first = re.sub(r"\d+$", "", folded)  # matkhau2025 → matkhau
    digits_first = re.sub(r"^\d+", "", folded)  # 2025matkhau → matkhau
    return {c for c in (folded, letters_first, digits_first) if c}


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` is refused (a Vietnamese sentence saying what to do), or None if fine."""
    if len(password) < MIN_LENGTH:
        return (f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự (mật khẩu vừa nhập có "
                f"{len(password)}). Hãy dùng một cụm từ dài, dễ nhớ với bạn.")
    if len(set(password)) < MIN_DISTINCT:
        return (f"Mật khẩu phải có ít nhất {MIN_DISTINCT} ký tự khác nhau; hãy tránh lặp một "
                "vài ký tự.")
    cores = _cores(password)
    name = _fold(username or "")
    if name and (name in cores or (len(name) >= 4 and name in _fold(password))):
        return "Mật khẩu không được chứa tên đăng nhập. Hãy chọn mật khẩu khác."
    if cores & common_passwords():
        return ("Mật khẩu này quá phổ biến, dễ bị đoán (ví dụ \"matkhau\", \"123456789\", "
                "tên phần mềm, kèm năm hay số). Hãy chọn cụm từ khác.")
    return None


def generate_password() -> str:
    """Four groups of four from a 32-letter alphabet: 80 random bits, easy to read aloud."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)
