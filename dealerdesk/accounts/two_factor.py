"""Time-based one-time codes (TOTP, RFC 6238) and recovery codes: the arithmetic, no storage."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

import pyotp
import segno
from django.utils.crypto import constant_time_compare

# How many 30-second steps either side of now a code is still taken: clocks drift.
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TOTP_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_code_svg(uri: str) -> str:
    """The QR code as inline SVG (no image libraries)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#102a43")


def code_for(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def matching_step(secret: str, code: str, *, at: datetime, after_step: int) -> int | None:
    """The time step a code belongs to, if it is valid now and newer than `after_step`."""
    code = normalize_code(code)
    if not _TOTP_CODE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > after_step and constant_time_compare(totp.generate_otp(step), code):
            return step
    return None


def looks_like_totp(code: str) -> bool:
    return bool(_TOTP_CODE.match(normalize_code(code)))


def normalize_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def new_recovery_codes() -> list[str]:
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.add(f"{raw[:5]}-{raw[5:]}")
    return sorted(codes)


def recovery_code_hash(code: str) -> str:
    # Fifty random bits per code: a plain digest is enough, a slow password hash is not needed.
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()
