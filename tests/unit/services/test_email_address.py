"""Which sign-up addresses are accepted: email-validator's syntax rules, offline."""

from __future__ import annotations

import socket

import pytest

from backcoach.services.web_accounts import is_email_address


@pytest.mark.parametrize("address", [
    "ana@example.org", "alice+physio@example.org", "dr.o'neil@clinic.example", "ünï@exämple.org",
])
def test_ordinary_addresses_are_accepted(address):
    assert is_email_address(address)


@pytest.mark.parametrize("address", [
    "not-an-email", "a@b", "a b@example.org", "a@@example.org",
    # the old pattern (something@something.something) let these through; no mail server takes them
    "a..b@example.org", ".ana@example.org", "ana@-example.org", "ana@example..org", "ana@printer.local",
    "ana@site.test", "ana@1.2.3.4",
])
def test_addresses_no_mail_server_would_take_are_refused(address):
    assert not is_email_address(address)


def test_the_check_makes_no_network_call(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("e-mail check went to the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert is_email_address("ana@example.org")
