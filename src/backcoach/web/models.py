"""Tables only the web app uses (migrations 0002 and security_b).

Kept in the database, not in process memory, so several web servers behind a load
balancer share them: login attempts (rate limiting), the live sessions and API tokens
(logging out ends them), and the idempotency records (a form or API write sent twice
changes nothing the second time and gets the first answer back).
"""

from __future__ import annotations

import datetime as dt

from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backcoach.storage.models import Base, utcnow


class LoginAttempt(Base):
    __tablename__ = "web_login_attempts"
    __table_args__ = (Index("ix_web_login_attempts_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A live log-in: a session cookie or an API token (kind "cookie" | "token").

    The key is the SHA-256 of the random id the cookie or token carries, so a copy of the
    database alone does not let anyone use a session. Logging out deletes the row, which
    ends the cookie or token at once (the signature alone would keep it valid until it expires).
    """

    __tablename__ = "web_sessions"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class IdempotencyRecord(Base):
    """A write made once under a key (an API Idempotency-Key or a page form's token), kept in
    the same transaction as the write, with the answer it got, so a repeat gets the same answer.

    Keys belong to one account (unique per account, not globally): nobody can use up
    another account's key.
    """

    __tablename__ = "web_idempotency"
    __table_args__ = (UniqueConstraint("account_id", "key", name="uq_web_idempotency_account_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(250))
    fingerprint: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    location: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    body: Mapped[Optional[bytes]] = mapped_column(LargeBinary, nullable=True)
