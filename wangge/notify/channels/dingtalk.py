"""DingTalk group robots: POST {base}/robot/send?access_token=T&timestamp=…&sign=… where
sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))), timestamp in
milliseconds (the robot's "加签" security setting; without a secret the two are left out).

errcode 0 → delivered; 130101 (more than 20 a minute) → the robot is parked 10 minutes
(ratelimit.park, and Robot.parked_until for the screens) and the message is sent again later;
any other errcode → failed with DingTalk's code and message. Mentions go by mobile (atMobiles);
in markdown DingTalk only highlights an @ that the text itself carries, so they are appended.
"""

import base64
import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.utils import timezone

from wangge.notify import ratelimit
from wangge.notify.channels import Outgoing
from wangge.notify.channels.robots import RobotAdapter
from wangge.notify.models import Robot

TOO_FAST = 130101
PARK_SECONDS = 600


def sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` query value, already URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


class DingTalkAdapter(RobotAdapter):
    channel = "dingtalk"
    transient = frozenset({TOO_FAST})

    def url(self, robot: Robot) -> str:
        base = (robot.base_url or settings.WANGGE["DINGTALK_URL"]).rstrip("/")
        url = f"{base}/robot/send?{urlencode({'access_token': robot.token})}"
        if robot.secret:
            timestamp = int(time.time() * 1000)
            url += f"&timestamp={timestamp}&sign={sign(robot.secret, timestamp)}"
        return url

    def payload(self, item: Outgoing) -> dict[str, Any]:
        at = {"atMobiles": list(item.mentions), "isAtAll": False}
        if not item.title:
            return {"msgtype": "text", "text": {"content": item.text}, "at": at}
        text = item.text
        missing = [mobile for mobile in item.mentions if f"@{mobile}" not in text]
        if missing:
            text += "\n\n" + " ".join(f"@{mobile}" for mobile in missing)
        return {"msgtype": "markdown", "markdown": {"title": item.title, "text": text}, "at": at}

    def throttled(self, robot: Robot, errcode: int) -> None:
        ratelimit.park(robot.bucket_key, PARK_SECONDS)
        until = timezone.now() + timedelta(seconds=PARK_SECONDS)
        Robot.objects.filter(pk=robot.pk).update(parked_until=until)


ADAPTER = DingTalkAdapter()
