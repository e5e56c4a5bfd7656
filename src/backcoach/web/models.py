"""Tables only the web app uses (created by migration 0002).

Kept in the database, not in process memory, so several web servers behind a load
balancer share them: login attempts (rate limiting) and one-time form tokens
(a form posted twice changes nothing the second time).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backcoach.storage.models import Base, utcnow


class LoginAttempt(Base):
    __tablename__ = "web_login_attempts"
    __table_args__ = (Index("ix_web_login_attempts_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FormSubmission(Base):
    """A one-time form token that has been used; the unique token makes a repeat fail."""

    __tablename__ = "web_form_submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
