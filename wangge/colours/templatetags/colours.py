"""Template helpers of the five-colour pages: marker icons, colour swatches, zone badges."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from wangge.colours.floorplan_svg import MARKER_SYMBOLS
from wangge.regions.choices import (
    HOUSEHOLD_COLOUR_MEANING,
    HouseholdColour,
    Marker,
    ZoneKind,
)

register = template.Library()


@register.simple_tag
def marker_defs() -> SafeString:
    """The marker shapes, once per page, for the icons below and the inline plans."""
    return mark_safe(
        f'<svg class="is-hidden" aria-hidden="true" focusable="false"><defs>{MARKER_SYMBOLS}'
        "</defs></svg>"
    )


@register.filter
def marker_icons(markers: list[str]) -> SafeString:
    """Small icons for a household's markers (党旗, 星, 党小组长标, 红心)."""
    return format_html_join(
        "",
        '<svg class="marker-icon" viewBox="0 0 10 10" role="img" aria-label="{}"><title>{}</title>'
        '<use href="#mk-{}"/></svg>',
        ((Marker(m).label, Marker(m).label, m) for m in markers),
    )


@register.simple_tag
def colour_tag(colour: str) -> SafeString:
    """A household colour as a tag: swatch and name, with its meaning as the title."""
    return format_html(
        '<span class="tag colour-tag colour-{}" title="{}">{}</span>',
        colour,
        HOUSEHOLD_COLOUR_MEANING[colour],
        HouseholdColour(colour).label,
    )


@register.simple_tag
def zone_tag(kind: str | None) -> SafeString:
    if not kind:
        return mark_safe("")
    return format_html('<span class="tag zone-tag zone-{}">{}</span>', kind, ZoneKind(kind).label)
