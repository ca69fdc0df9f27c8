from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    """Tasks run where they are queued (huey's immediate mode)."""
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before
