"""Notifications: messages to an audience over in-app, SMS, DingTalk, WeCom and e-mail, each
delivery made once under a lease, receipts matched, acknowledgements and escalation (docs/notify.md)."""
