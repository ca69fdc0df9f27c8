"""The API's JSON parser, in a module of its own: REST_FRAMEWORK's DEFAULT_PARSER_CLASSES names it,
and DRF resolves that setting while `rest_framework.views` loads, before `wangge.core.api` can.
"""

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

NOT_AN_OBJECT = "请求体应为 JSON 对象 / the request body must be a JSON object"


class ObjectJSONParser(JSONParser):
    """JSON bodies, which must be objects: every operation of the API takes named fields."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise exceptions.ParseError(NOT_AN_OBJECT)
        return data
