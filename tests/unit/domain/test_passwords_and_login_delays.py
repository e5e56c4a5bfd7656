"""Issue 10, findings 9 and 11: the password policy and the growing log-in delays, as pure rules."""

from __future__ import annotations

import datetime as dt

import pytest

from backcoach.domain import login_delays
from backcoach.domain.passwords import common_passwords, password_problems

EMAIL = "ana.smith@example.org"


@pytest.mark.parametrize("password,why", [
    ("short pass", "at least 12"),
    ("aaaaaaaaaaaa", "pattern"), ("123456789012", "pattern"), ("abcabcabcabc", "pattern"),
    ("qwertyuiop12", "pattern"), ("1q2w3e4r5t6y", "pattern"), ("passwordpassword", "pattern"),
    ("password1234", "common"), ("P@ssw0rd2024!", "common"), ("iloveyou2024!!", "common"),
    ("Summer2024!!!", "common"), ("football1234", "common"), ("Welcome_2026!", "common"),
    (EMAIL, "e-mail"), ("xx ana.smith yy", "e-mail"), ("ANA.SMITH.1234", "e-mail"),
])
def test_weak_passwords_are_refused_with_a_reason(password, why):
    problems = password_problems(password, EMAIL)
    assert len(problems) == 1 and why in problems[0], problems


@pytest.mark.parametrize("password", ["correct horse battery", "my dog eats apples", "a long admin password",
                                      "Tr0ub4dor&3 river", "benchmark password 1"])
def test_ordinary_long_passwords_are_accepted(password):
    assert password_problems(password, EMAIL) == []


def test_the_common_list_is_package_data_of_thousands():
    common = common_passwords()
    assert len(common) > 3000 and "password" in common and "qwerty123" in common


def test_the_wait_doubles_after_the_free_tries_up_to_a_cap():
    pair = login_delays.ACCOUNT_AND_ADDRESS
    assert [pair.wait_s(n) for n in range(9)] == [0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert pair.wait_s(10) == pair.wait_s(10_000) == 60
    assert login_delays.ADDRESS.wait_s(99) == 0 and login_delays.ADDRESS.wait_s(10_000) == 10
    assert login_delays.ACCOUNT.wait_s(10_000) == 60


def test_the_wait_runs_from_the_last_failure():
    now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
    assert login_delays.seconds_to_wait({}, now) == 0
    last = now - dt.timedelta(seconds=3)
    assert login_delays.seconds_to_wait({"pair": (6, last)}, now) == 5  # 8 s after the sixth failure
    assert login_delays.seconds_to_wait({"pair": (6, last - dt.timedelta(seconds=60))}, now) <= 0
    assert login_delays.seconds_to_wait({"pair": (2, last), "address": (500, last)}, now) == 7
    ahead = now + dt.timedelta(seconds=30)  # a failure stamped by a server whose clock runs ahead
    assert login_delays.seconds_to_wait({"pair": (2, ahead)}, now) == 0
    assert login_delays.seconds_to_wait({"pair": (3, ahead)}, now) == 1
