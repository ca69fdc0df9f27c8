"""A message as the engine leaves it once sent, made with the models directly: one recipient
per person of the world's households (their phone frozen), a delivery per recipient on SMS."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from wangge.core import crypto
from wangge.core.masking import mask_phone
from wangge.notify.models import Delivery, Message, Recipient
from wangge.people.models import Person

FROZEN = datetime(2022, 7, 1, 7, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(minutes: float) -> datetime:
    """So many minutes after the freeze."""
    return FROZEN + timedelta(minutes=minutes)


class Group:
    """Stands in for services.robot_message_send: remembers what each grid's group was sent."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    def __call__(self, *, grid, text, mentions, origin):
        self.sent.append({"grid": grid, "text": text, "mentions": list(mentions)})
        return None


def sent_message(world, **fields) -> Message:
    values = {
        "street": world.street,
        "kind": "emergency",
        "title": "核酸检测通知",
        "text": "{称呼}，请今天到小区门口做核酸。{链接}",
        "channels": ["sms"],
        "audience_kind": "street",
        "audience_value": world.street.name,
        "status": Message.Status.SENT,
        "ack": True,
        "escalate": True,
        "frozen_at": FROZEN,
        **fields,
    }
    return Message.objects.create(**values)


def recipient_of(message: Message, person: Person, *, reachable: bool = True) -> Recipient:
    recipient = Recipient(
        message=message,
        person=person,
        household=person.household,
        grid=person.household.grid,
        label=person.name,
        variables={"称呼": f"{person.name[0]}先生"},
        unreachable=not reachable,
    )
    if reachable:
        phone = str(person.phone)
        recipient.phone_sealed = crypto.seal(phone)
        recipient.phone_hash = crypto.blind_index(phone)
        recipient.phone_masked = mask_phone(phone)
    recipient.save()
    return recipient


def delivery_of(recipient: Recipient, state: str = Delivery.State.SENT, **fields) -> Delivery:
    values = {"due_at": FROZEN, "sent_at": FROZEN + timedelta(seconds=30), **fields}
    return Delivery.objects.create(
        message=recipient.message, recipient=recipient, channel="sms", state=state, **values
    )


def everyone(world, message: Message, state: str = Delivery.State.SENT) -> dict[str, Recipient]:
    """A recipient with an SMS delivery in `state` for each of the world's persons, by key."""
    found = {}
    for key, person in world.persons.items():
        found[key] = recipient_of(message, person)
        delivery_of(found[key], state)
    return found
