"""Personal links for {链接} in a message without acknowledgement: an app above notify whose
messages give each recipient a page of their own (a call's answer page) registers a provider at
start-up, and the delivery engine asks the providers when it renders the text. A provider answers
"" for a recipient that is not its own."""

from collections.abc import Callable

from wangge.notify.models import Recipient

LinkProvider = Callable[[Recipient], str]
_providers: list[LinkProvider] = []


def provide_links(provider: LinkProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def personal_link(recipient: Recipient) -> str:
    for provider in _providers:
        link = provider(recipient)
        if link:
            return link
    return ""
