"""`check --deploy` refuses the demo's sign-in code outbox: a production site never shows codes."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def outbox_off(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.WANGGE["RESIDENT_CODE_OUTBOX"]:
        return [
            Error(
                "WANGGE_RESIDENT_CODE_OUTBOX=1 shows residents' sign-in codes on a staff page",
                hint="Demo deployments only: unset WANGGE_RESIDENT_CODE_OUTBOX in production.",
                id="wangge.residents.E001",
            )
        ]
    return []
