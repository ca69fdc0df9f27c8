"""门禁 adapters: one module per kind of access controller, each a function that asks one
controller to open and says what came back (`base.Answer`), within a deadline. They read no
database; `services/doors.py` decides when to call them and stores what they answered.

- `hikvision.py`: Hikvision ISAPI remote door control over HTTP with digest authentication;
- `mqtt_relay.py`: a relay behind the MQTT broker, in Zigbee2MQTT's shape;
- `adapters.py`: the table of kinds, and opening several controllers side by side;
- `fakes.py`: a controller of each kind for tests and the demo (`manage.py fake_door`).
"""
