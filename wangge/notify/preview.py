"""What a message would do before it is sent: how many recipients on each channel, how many
cannot be reached, how long the SMS is, and how many numbers would pass the daily cap.

One pass over `recipients()` (set-based reads, no query per recipient) and one aggregate over
today's SMS deliveries. The SMS length is the longest rendering among the recipients, with the
signature (【签名】, which carriers count) and a link of the usual length; the cap
(NOTIFY_DAILY_CAP_PER_NUMBER) counts today's SMS deliveries to the same number, of any kind and in
any state but failed, and never holds back an emergency notice.
"""

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from wangge.notify.audience import Audience, recipients
from wangge.notify.models import Channel, Delivery, MessageKind
from wangge.notify.rendering import PLACEHOLDERS, render, sms_length, sms_segments

LINK_TOKEN_LENGTH = 22


@dataclass(frozen=True)
class Preview:
    recipients: int  # rows: persons, households, staff, robots
    channels: dict[str, int] = field(default_factory=dict)  # deliveries per channel
    unreachable: int = 0
    without_phone: int = 0  # persons (or colour households) with no phone
    households: int = 0
    sms_length: int = 0  # characters of the longest SMS, signature included
    sms_segments: int = 0
    over_daily_cap: int = 0  # SMS that the per-number daily cap would hold back
    daily_cap: int | None = None  # None: this kind is never capped


def sample_link() -> str:
    """A link as long as an acknowledgement link, for the length estimate."""
    return f"{settings.WANGGE['SITE_URL'].rstrip('/')}/a/{'x' * LINK_TOKEN_LENGTH}"


def signature() -> str:
    name = settings.WANGGE.get("SMS_SIGN_NAME", "")
    return f"【{name}】" if name else ""


def day_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Today in Shanghai (the deployment's time zone) as an aware [start, end)."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


def sms_today(phone_hashes: Collection[str] | None = None) -> dict[str, int]:
    """SMS deliveries due today per number (phone hash), failed ones not counted; one aggregate
    query (the day's deliveries, not the audience, bound its size)."""
    start, end = day_bounds()
    rows = (
        Delivery.objects.filter(channel=Channel.SMS, due_at__gte=start, due_at__lt=end)
        .exclude(state=Delivery.State.FAILED)
        .values_list("recipient__phone_hash")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {phone_hash: count for phone_hash, count in rows if phone_hash}
    if phone_hashes is not None:
        wanted = set(phone_hashes)
        counts = {key: value for key, value in counts.items() if key in wanted}
    return counts


def over_cap(audience_phones: Counter[str], cap: int) -> int:
    """SMS beyond `cap` for the day: a number already sent `t` today and meant `n` times now
    passes the cap with max(0, min(n, t + n − cap)) of them."""
    sent = sms_today(audience_phones)
    return sum(max(0, min(n, sent.get(phone, 0) + n - cap)) for phone, n in audience_phones.items())


def _measurer(text: str, link: str) -> Callable[[dict[str, str]], int]:
    """The SMS length of `text` for given variables. Only the lengths of the values matter, and
    recipients share a few dozen of them: each is rendered once."""
    lengths: dict[tuple[int, ...], int] = {}

    def measure(variables: dict[str, str]) -> int:
        key = tuple(sms_length(variables.get(name, "")) for name in PLACEHOLDERS)
        if key not in lengths:
            lengths[key] = sms_length(render(text, variables, link))
        return lengths[key]

    return measure


def preview(
    audience: Audience,
    channels: Sequence[str],
    kind: str,
    text: str,
    *,
    link: str | None = None,
) -> Preview:
    measure = _measurer(text, sample_link() if link is None else link)
    per_channel: Counter[str] = Counter()
    phones: Counter[str] = Counter()
    households: set[int] = set()
    count = unreachable = without_phone = longest = 0
    for row in recipients(audience, channels, kind):
        count += 1
        per_channel.update(row.channels)
        unreachable += row.unreachable
        if row.household_id is not None:
            households.add(row.household_id)
        if (row.person_id or row.household_id) and not row.phone_hash:
            without_phone += 1
        if Channel.SMS in row.channels:
            phones[row.phone_hash] += 1
            longest = max(longest, measure(row.variables))
    cap: int | None = settings.WANGGE["NOTIFY_DAILY_CAP_PER_NUMBER"]
    if kind == MessageKind.EMERGENCY:
        cap = None
    length = longest + sms_length(signature()) if longest else 0
    return Preview(
        recipients=count,
        channels={channel: per_channel[channel] for channel in channels},
        unreachable=unreachable,
        without_phone=without_phone,
        households=len(households),
        sms_length=length,
        sms_segments=sms_segments("x" * length),
        over_daily_cap=over_cap(phones, cap) if cap is not None and phones else 0,
        daily_cap=cap,
    )
