"""In-app messages: a staff member's (address = their user id) goes to their alert inbox (the bell,
core.services.post_alert), linking to the message. Residents have no account, so an audience of
residents is unreachable in-app (notify.recipient_rows) until the residents' channel exists; an
item without an active account fails.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth import get_user_model

from wangge.core.services import post_alert
from wangge.notify.channels import DELIVERED, FAILED, Outgoing, Result
from wangge.notify.models import Delivery

ALERT_KIND = "notify_message"


def message_link(message_id: int) -> str:
    """Where a staff member reads the message (the notify app's message page)."""
    return f"/notify/{message_id}/"


class InAppAdapter:
    channel = "inapp"
    batch_size = 500
    receipts = False

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]:
        staff = list(batch)
        results: list[Result] = []
        ids = {int(item.address) for item in staff if item.address.isdigit()}
        users = {
            user.pk: user for user in get_user_model().objects.filter(pk__in=ids, is_active=True)
        }
        messages = dict(
            Delivery.objects.filter(pk__in=[item.delivery_id for item in staff]).values_list(
                "pk", "message_id"
            )
        )
        grouped: dict[tuple[str, str], list[object]] = defaultdict(list)
        for item in staff:
            user = users.get(int(item.address)) if item.address.isdigit() else None
            if user is None:
                reason = "账号不存在或已停用 / no active account"
                results.append(Result(item.delivery_id, FAILED, "no_user", reason))
                continue
            message_id = messages.get(item.delivery_id)
            link = message_link(message_id) if message_id else ""
            text = f"{item.title}：{item.text}" if item.title else item.text
            grouped[(text, link)].append(user)
            results.append(Result(item.delivery_id, DELIVERED))
        for (text, link), recipients in grouped.items():
            post_alert(recipients, ALERT_KIND, text, link)
        return results


ADAPTER = InAppAdapter()
