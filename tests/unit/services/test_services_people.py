"""Who a command is for: the person named, the one called so, or the only one set up."""

from __future__ import annotations

import pytest

from backcoach import services
from backcoach.services.common import PersonNotFound
from svc_helpers import T0


def test_a_screen_is_kept_for_no_one_until_someone_is_set_up(uow):
    assert services.person_for_screening(uow, None) is None
    ana = services.create_person(uow, "Ana", T0)
    assert services.person_for_screening(uow, None) == ana
    bo = services.create_person(uow, "Bo", T0)
    assert services.person_for_screening(uow, "bo") == bo
    with pytest.raises(PersonNotFound, match="Several people"):
        services.person_for_screening(uow, None)
    with pytest.raises(PersonNotFound, match="no person 'Cy'"):
        services.person_for_screening(uow, "Cy")


def test_onboarding_finds_the_person_by_name_or_creates_them(uow):
    assert services.person_for_onboarding(uow, None, None, T0) is None  # no one yet: the caller asks a name
    assert services.list_people(uow) == []
    ana = services.person_for_onboarding(uow, None, "Ana", T0)
    assert services.list_people(uow) == [(ana, "Ana")]
    assert services.person_for_onboarding(uow, None, " ANA ", T0) == ana  # the same person, not a second Ana
    assert services.person_for_onboarding(uow, None, None, T0) == ana  # the only one
    bo = services.person_for_onboarding(uow, None, "Bo", T0)
    assert bo != ana and len(services.list_people(uow)) == 2
    assert services.person_for_onboarding(uow, str(ana), "Bo", T0) == ana  # --person wins over --name
    with pytest.raises(PersonNotFound, match="Several people"):
        services.person_for_onboarding(uow, None, None, T0)

