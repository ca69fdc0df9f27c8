"""The venue code (场所码): a URL the phone camera opens, built from the venue's random token."""

from django.conf import settings
from django.urls import reverse

from wangge.core import crypto
from wangge.venues.models import Venue


def venue_code_url(venue: Venue) -> str:
    token = crypto.unseal(venue.code_sealed)
    return settings.WANGGE["SITE_URL"] + reverse("venues:visit", args=[token])
