"""The demo street: a realistic, deterministic street in the middle of an outbreak, for trying
Wangge out (`manage.py seed_demo`, `manage.py demo_logins`). The top floor: it may import every
capability, and nothing imports it."""
