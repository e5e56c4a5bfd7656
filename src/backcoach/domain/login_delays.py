"""Growing delays between failed log-ins, instead of lock-outs.

Why delays and these keys (OWASP ASVS 2.2.1): a lock-out after a few failures lets anyone
lock a person out of their own record by typing their e-mail address with wrong
passwords, and a limit per address locks out everyone behind one shared address (a
clinic, a mobile network). So each failure only makes the next try from the same place
wait a little longer, doubling up to a cap, and the waits are counted separately:

- per account and address: 3 tries free, then 1 s, 2 s, 4 s ... up to 60 s. Someone
  guessing from one address slows to one try a minute; the person, from their own
  address, is not slowed at all.
- per account, from any address: 20 tries free, then the same doubling up to 60 s, so
  guessing spread over many addresses slows down too; the person then waits at most a
  minute, never longer.
- per address, for any account: 100 tries free, then up to 10 s, so one address trying
  many accounts slows down, while the people sharing it wait a few seconds at most.

A success ends the waits of that account and address. Failures older than WINDOW are
forgotten. A try made while a wait runs is refused without checking the password and
without counting as a failure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Backoff:
    """Free tries, then a wait that doubles with every further failure, up to a cap."""

    free: int
    first_s: float
    cap_s: float

    def wait_s(self, failures: int) -> float:
        """How long after the last of ``failures`` failures the next try must wait."""
        if failures < self.free:
            return 0.0
        return min(self.first_s * 2 ** min(failures - self.free, 30), self.cap_s)


ACCOUNT_AND_ADDRESS = Backoff(free=3, first_s=1.0, cap_s=60.0)
ACCOUNT = Backoff(free=20, first_s=1.0, cap_s=60.0)
ADDRESS = Backoff(free=100, first_s=1.0, cap_s=10.0)


def login_keys(email: str, address: str) -> dict[str, str]:
    """The failure counters a log-in for ``email`` from ``address`` reads and adds to."""
    return {"pair": f"pair:{email}|{address}", "account": f"email:{email}", "address": f"client:{address}"}


POLICY = {"pair": ACCOUNT_AND_ADDRESS, "account": ACCOUNT, "address": ADDRESS}


def seconds_to_wait(failures: dict[str, tuple[int, dt.datetime]], now: dt.datetime) -> float:
    """The wait still to run before the next try: ``failures`` maps a counter name of
    login_keys to (failures within WINDOW, time of the last one)."""
    wait = 0.0
    for name, (count, last) in failures.items():
        step = POLICY[name].wait_s(count)
        if step > 0:  # never more than one step, even if another server's clock runs ahead
            wait = max(wait, min(step, (last - now).total_seconds() + step))
    return wait
