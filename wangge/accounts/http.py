"""The request of a page behind `login_required` (or a guard built on it), for type checking."""

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from wangge.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request whose user has signed in: `request.user` is a `User`, never anonymous."""

    user: User


def api_user(request: Request) -> User:
    """The user of an API request: the API lets only signed-in users in (IsAuthenticated)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user
