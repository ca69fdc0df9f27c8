"""Schemathesis over the OpenAPI schema, in-process through the WSGI app: no request answers 5xx,
every response matches the schema the API publishes, status included (docs/api.md, "Checked
against its schema").

A bounded run, so that `make test` stays within time: a few examples per operation, drawn from both
valid and invalid input, a fixed seed, no shrinking. Each operation that has a row id in its path is
tried both with generated ids and with the id of a row that exists. It runs as the commander (the
whole street) and as a grid worker (one grid); writes change the test database only.
PostgreSQL only, as every sweep over all endpoints.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from wangge.accounts.tokens import api_token_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="sweeps over every endpoint run on PostgreSQL only"
)

EXAMPLES_PER_OPERATION = 5
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The site as a WSGI app inside the test's transaction: requests must not close the
    connection the test runs in, as Django's own test client arranges for itself."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _existing_id(path: str) -> int | None:
    """The id of a row behind `path`'s viewset, if there is one (else generated ids only)."""
    view = resolve(path.replace("{id}", "1")).func
    viewset = getattr(view, "cls", None)
    model = getattr(viewset, "model", None) or getattr(
        getattr(viewset, "queryset", None), "model", None
    )
    if model is None:
        return None
    return model.objects.order_by("pk").values_list("pk", flat=True).first()


def _cases(operation: Any) -> st.SearchStrategy:
    """Valid and invalid cases of one operation; with a real row's id where it takes one."""
    modes = [GenerationMode.POSITIVE]
    if len(operation.path_parameters) or len(operation.query) or len(operation.body):
        modes.append(GenerationMode.NEGATIVE)
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if "{id}" in operation.path:
        row = _existing_id(operation.path)
        if row is not None:
            strategies.append(
                operation.as_strategy(
                    generation_mode=GenerationMode.POSITIVE, path_parameters={"id": row}
                )
            )
    return st.one_of(strategies)


def _failures(schema: Any, headers: dict[str, str]) -> Iterator[str]:
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_cases(operation))
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # schemathesis' FailureGroup
            yield f"{operation.label}:\n{error}"


@pytest.mark.parametrize("persona", ["alice", "gavin"])
def test_no_operation_answers_5xx_or_off_its_schema(world, wsgi_app, persona):
    # given a token of the commander or of a grid worker
    user = world.users[persona]
    _, key = api_token_create(by=world.users["admin"], name=f"schemathesis-{persona}", user=user)
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)

    # when schemathesis calls every operation with valid and invalid input
    failures = list(_failures(schema, headers))

    # then nothing failed a check
    assert not failures, "\n\n".join(failures)
