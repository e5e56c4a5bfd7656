"""The one clinician access rule (domain/access.py)."""

from __future__ import annotations

import pytest

from backcoach.domain.access import Actor, check_clinician, same_mailbox
from backcoach.domain.errors import ClinicianNotApproved, NotAllowed


def doc(approval="approved", role="clinician", own_person_id=None, email="doc@clinic.example") -> Actor:
    return Actor(role=role, approval=approval, email=email, own_person_id=own_person_id)


def test_only_an_approved_clinician_or_an_administrator_passes():
    check_clinician(doc())
    check_clinician(doc(role="admin", approval=None))
    for approval in ("pending", "refused", None, "APPROVED"):
        with pytest.raises(ClinicianNotApproved):
            check_clinician(doc(approval=approval))
    for actor in (None, doc(role="person", approval="approved")):
        with pytest.raises(NotAllowed, match="only for clinicians"):
            check_clinician(actor)


def test_the_waiting_and_refused_messages_differ():
    with pytest.raises(ClinicianNotApproved, match="waiting") as waiting:
        check_clinician(doc("pending"))
    assert waiting.value.approval == "pending"
    with pytest.raises(ClinicianNotApproved, match="not approved") as refused:
        check_clinician(doc("refused"))
    assert refused.value.approval == "refused"


def test_a_person_is_reached_only_when_followed_and_never_ones_own_record():
    check_clinician(doc(), 7, follows=True, person_emails=["someone@else.example"])
    with pytest.raises(NotAllowed, match="do not have access"):
        check_clinician(doc(), 7, follows=False)
    with pytest.raises(NotAllowed, match="own record"):
        check_clinician(doc(email="Alice+doc@x.org"), 7, follows=True, person_emails=["alice@x.org"])
    with pytest.raises(NotAllowed, match="own record"):
        check_clinician(doc(role="admin", approval=None, own_person_id=7), 7, follows=True)
    with pytest.raises(NotAllowed, match="both"):
        check_clinician(doc(own_person_id=3))


@pytest.mark.parametrize("a, b, same", [
    ("alice@x.org", "ALICE@x.org", True), ("alice+doc@x.org", "alice@x.org", True),
    ("alice+a@x.org", "alice+b@x.org", True), ("alice@x.org", "alice@y.org", False),
    ("alicia@x.org", "alice@x.org", False), ("", "", False)])
def test_same_mailbox(a, b, same):
    assert same_mailbox(a, b) is same
