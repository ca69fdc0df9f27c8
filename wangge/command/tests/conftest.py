"""Fixtures of the command centre's tests, on top of the shared `world` personas."""

import pytest


@pytest.fixture
def kinds(db) -> dict:
    from wangge.command.models import TaskKind

    return {kind.code: kind for kind in TaskKind.objects.all()}


@pytest.fixture
def police(world):
    """The police station, with Paul as its member (he holds no area role)."""
    from conftest import _staff
    from wangge.command.models import Department

    department = Department.objects.get(code="police")
    paul = _staff("paul", None)
    department.members.add(paul)
    world.users["paul"] = paul
    return department


@pytest.fixture
def alerts():
    """Texts of the alerts in one user's inbox, oldest first."""
    from wangge.core.models import Alert

    def read(user) -> list[str]:
        return list(
            Alert.objects.filter(recipient=user).order_by("id").values_list("text", flat=True)
        )

    return read


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded lists and photos go to a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
