"""`manage.py create_api_token --user U --name N [--days D]`: print a new token's key, once."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wangge.accounts.grants import SYSTEM
from wangge.accounts.models import User
from wangge.accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Issue an API token acting as USER for the integration NAME; prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username the token acts as")
        parser.add_argument("--name", required=True, help="the integration, e.g. 健康码对接")
        parser.add_argument("--days", type=int, help="days until it expires (default: settings)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"没有该账号 / no user named {options['user']}")
        try:
            token, raw = api_token_create(
                by=SYSTEM, name=options["name"], user=user, days=options["days"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"{token.name} · {user.username} · "
            f"有效期至 / expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}"
        )
        self.stdout.write(raw)
