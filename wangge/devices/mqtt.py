"""The MQTT listener behind `manage.py listen_devices`: subscribes to every device topic, hands each
message to the intake, and keeps going whatever arrives. paho-mqtt reconnects by itself after the
broker goes away (waiting up to DEVICE_MQTT_RECONNECT_MAX_SECONDS between attempts) and the
subscription is made again on every connect."""

import logging
import uuid
from typing import Any

import paho.mqtt.client as mqtt
from django.db import close_old_connections

from wangge.core.mqtt import broker_of, client_for
from wangge.devices.alerts import setting
from wangge.devices.intake import take_mqtt
from wangge.devices.payloads import PayloadError

log = logging.getLogger("wangge.devices")


def take(message: Any) -> None:
    """One message; a refusal is logged by the intake, anything else unexpected here."""
    close_old_connections()
    try:
        take_mqtt(message.topic, message.payload)
    except PayloadError:
        pass
    except Exception:
        log.exception("mqtt message on %r could not be stored", message.topic)


class Listener:
    def __init__(self, url: str | None = None) -> None:
        self.broker = broker_of(url or setting("MQTT_URL"))
        self.topic = setting("DEVICE_MQTT_TOPIC").rstrip("/") + "/#"
        self.client = client_for(self.broker, client_id=f"wangge-listener-{uuid.uuid4().hex[:8]}")
        self.client.reconnect_delay_set(
            min_delay=1, max_delay=setting("DEVICE_MQTT_RECONNECT_MAX_SECONDS")
        )
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_subscribe = self._subscribed
        self.client.on_message = lambda client, userdata, message: take(message)
        self.subscribed = False

    def _connected(
        self, client: mqtt.Client, userdata: Any, flags: Any, code: Any, props: Any
    ) -> None:
        if code.is_failure:
            log.warning(
                "broker %s:%s refused the connection: %s", self.broker.host, self.broker.port, code
            )
            return
        client.subscribe(self.topic, qos=1)
        log.info("listening on %s:%s to %s", self.broker.host, self.broker.port, self.topic)

    def _subscribed(
        self, client: mqtt.Client, userdata: Any, mid: int, codes: Any, props: Any
    ) -> None:
        self.subscribed = True

    def _disconnected(
        self, client: mqtt.Client, userdata: Any, flags: Any, code: Any, props: Any
    ) -> None:
        self.subscribed = False
        log.warning(
            "broker %s:%s went away (%s); reconnecting", self.broker.host, self.broker.port, code
        )

    def run(self) -> None:
        """Until stop(): connect (retrying while the broker is down) and take messages."""
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_forever(retry_first_connection=True)

    def stop(self) -> None:
        self.client.disconnect()
