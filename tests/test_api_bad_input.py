"""Malformed input to the REST API is a 4xx with a message naming what is wrong, never a 500.

These walk the OpenAPI schema, so a filter or an operation added later is covered without a new
line here. They run on SQLite too: an integer beyond 64 bits reached SQLite as an OverflowError.
"""

import json
import re

import pytest

from wangge.core.api import ID_OUT_OF_RANGE, NOT_AN_ID
from wangge.core.api_parsers import NOT_AN_OBJECT

BEYOND_64_BITS = str(2**63 + 1)


@pytest.fixture
def schema(world, api_client_for) -> dict:
    return api_client_for(world.users["alice"]).get("/api/schema/?format=json").json()


def _operations(schema: dict, method: str) -> list[tuple[str, dict]]:
    return [(path, ops[method]) for path, ops in schema["paths"].items() if method in ops]


def _integer_filters(schema: dict) -> list[tuple[str, str]]:
    """(list path, parameter) for every integer query parameter of a list without a path id."""
    return [
        (path, parameter["name"])
        for path, operation in _operations(schema, "get")
        if "{" not in path
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        and parameter["schema"].get("type") == "integer"
        and parameter["name"] not in {"page", "page_size"}
    ]


def test_every_integer_filter_refuses_a_value_beyond_64_bits_naming_the_parameter(
    world, api_client_for, schema
):
    # given the commander, who sees the whole street, and every integer filter of the API
    client = api_client_for(world.users["alice"])
    filters = _integer_filters(schema)
    assert ("/api/persons/", "grid") in filters and len(filters) > 30

    for path, name in filters:
        # when the filter's value does not fit in 64 bits, or is not a number
        too_big = client.get(path, {name: BEYOND_64_BITS})
        not_a_number = client.get(path, {name: "null"})

        # then each is a 400 naming the parameter
        assert (too_big.status_code, too_big.json()) == (400, {name: [ID_OUT_OF_RANGE]}), path
        assert (not_a_number.status_code, not_a_number.json()) == (400, {name: [NOT_AN_ID]}), path


def _residents_only(operation: dict) -> bool:
    """The resident API (`/api/my/`) lets no staff user in: its bodies are checked by the
    residents' own tests, with a resident's cookie."""
    return [list(scheme) for scheme in operation.get("security", [])] == [["residentCookie"]]


def test_every_json_write_refuses_a_body_that_is_not_an_object(world, api_client_for, schema):
    # given the commander and every operation that takes a JSON body, on a row that exists
    client = api_client_for(world.users["alice"])
    writes = [
        (method, re.sub(r"\{[^}]+\}", str(world.persons["zhang_san"].pk), path))
        for method in ("post", "patch")
        for path, operation in _operations(schema, method)
        if "application/json" in operation.get("requestBody", {}).get("content", {})
        and not _residents_only(operation)
    ]
    assert len(writes) > 30

    for method, path in writes:
        for body in ([], ["note"], "text", 7, None):
            # when the body is JSON but not an object
            response = getattr(client, method)(
                path, json.dumps(body), content_type="application/json"
            )

            # then it is refused before any view code reads it (404: no such row is also fine)
            assert response.status_code in (400, 404), (method, path, body, response.content)
            if response.status_code == 400:
                assert response.json() == {"detail": NOT_AN_OBJECT}, (method, path)


def test_an_id_beyond_64_bits_in_a_body_is_400_naming_the_field(world, api_client_for):
    # given a community worker issuing exit passes
    client = api_client_for(world.users["carol"])

    # when one household id does not fit in 64 bits
    response = client.post(
        "/api/checkpoints/passes/",
        {"households": [world.households["a"].pk, int(BEYOND_64_BITS)], "valid_from": "2030-01-01"},
        format="json",
    )

    # then the field is named, with the range
    assert response.status_code == 400
    assert response.json()["households"] == {"1": [ID_OUT_OF_RANGE]}


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("get", "/api/checkpoints/checkpoints/mine/", "200"),
        ("get", "/api/colours/households/counts/", "200"),
        ("get", "/api/colours/households/{id}/history/", "200"),
        ("get", "/api/testing/doses/coverage/", "200"),
        ("post", "/api/checkpoints/passes/", "201"),
        ("post", "/api/checkpoints/shifts/", "201"),
        ("post", "/api/measures/person-measures/", "201"),
    ],
)
def test_operations_answering_with_a_plain_array_say_so_in_the_schema(schema, method, path, code):
    # given an operation whose response is a JSON array, not a page of results
    response = schema["paths"][path][method]["responses"][code]

    # then its schema is an array too
    assert response["content"]["application/json"]["schema"]["type"] == "array"
