"""The password policy: long enough, not common, not a pattern, not the e-mail address.

Why these rules (OWASP ASVS 2.1): length is what makes a password hard to guess, so at
least 12 characters and no composition rules; but a long password is still guessed at
once if it is on every attacker's list (``password1234``), a keyboard walk or a digit run
(``123456789012``), one character repeated (``aaaaaaaaaaaa``), or the account's own e-mail
address. The list of common passwords is package data made by
``scripts/make_common_passwords.py``; before looking a password up we lower-case it, undo
l33t spelling (``p@ssw0rd``) and strip the digits and signs people add at either end.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 200
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "l", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t",
                       "+": "t", "8": "b", "9": "g"})
_ENDS = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1q2w3e4r5t6y7u8i9o0p",
              "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp")


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("backcoach.domain").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _is_common(password: str) -> bool:
    common = common_passwords()
    lower = password.lower()
    squeezed = re.sub(r"[\s_.\-]+", "", lower)
    candidates = {lower, squeezed, squeezed.translate(_LEET)}
    for c in list(candidates):
        core = _ENDS.sub("", c)
        candidates.add(core)
        candidates.add(core.translate(_LEET))
    return any(c in common for c in candidates if c)


def _is_pattern(password: str) -> bool:
    """One character or a short unit repeated, or mostly runs along the alphabet, the digits or a keyboard row."""
    p = password.lower()
    if len(set(p)) <= 3:
        return True
    if (p + p).find(p, 1) < len(p):  # a repeated unit: abcabcabcabc
        return True
    steps = 0
    for a, b in zip(p, p[1:]):
        if a == b or any(a + b in s or b + a in s for s in _SEQUENCES):
            steps += 1
    return steps >= 0.75 * (len(p) - 1)


def password_problems(password: str, email: str = "") -> list[str]:
    """What is wrong with ``password`` for the account ``email``, in words for the person; [] when it is fine."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return [f"Choose a password of at least {MIN_LENGTH} characters (a few words you will remember is a good way)."]
    if len(password) > MAX_LENGTH:
        return [f"That password is too long ({MAX_LENGTH} characters at most)."]
    lower = password.lower()
    email = (email or "").strip().lower()
    local = email.split("@", 1)[0]
    if email and (email in lower or (len(local) >= 3 and local in lower)):
        return ["Choose a password that does not contain your e-mail address or its first part."]
    if _is_pattern(password):
        return ["That password is a repeated or sequential pattern (like aaaa or 1234), which is guessed at once. "
                "Choose another, for example a few unrelated words."]
    if _is_common(password):
        return ["That password is one of the most common ones, which are tried first when someone guesses. "
                "Choose another, for example a few unrelated words."]
    return []
