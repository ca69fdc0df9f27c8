"""Drawing a floor plan (floorplan.Plan) as SVG: one building for the page, or the whole compound
fitted to an A4 or A3 sheet for printing. SVG uses the viewer's fonts, so Chinese prints wherever
the plan is opened; the markers are drawn as shapes, not glyphs.

Strings are built directly (a compound of 2,000 households draws in a few milliseconds); every
text taken from the database is escaped.
"""

from django.utils.html import escape

from wangge.colours.floorplan import BuildingPlan, Cell, Plan, Unit
from wangge.regions.choices import (
    HOUSEHOLD_COLOUR_HEX,
    HOUSEHOLD_COLOUR_MEANING,
    HouseholdColour,
    ZoneKind,
)

CELL_W, CELL_H, GAP = 56, 28, 2
UNIT_GAP, LABEL_W, PAD = 12, 30, 8
TITLE_H, UNIT_HEAD_H, CHIP_W, CHIP_LINE = 44, 18, 36, 14
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
NEUTRAL = "#f8f9fa"
DARK_TEXT = {HouseholdColour.YELLOW, HouseholdColour.WHITE}
ZONE_FILL = {"lockdown": "#c92a2a", "control": "#e8590c", "prevention": "#1971c2"}
PAPERS = {"a4": (297, 210), "a3": (420, 297)}  # landscape, millimetres

MARKER_SYMBOLS = (
    '<symbol id="mk-flag" viewBox="0 0 10 10"><rect x="1" y="0.5" width="1.1" height="9" '
    'fill="#495057"/><path d="M2.1 1H9.3L7.8 3.1 9.3 5.2H2.1Z" fill="#de2910" stroke="#fff" '
    'stroke-width="0.5"/><circle cx="3.7" cy="2.5" r="0.8" fill="#ffde00"/></symbol>'
    '<symbol id="mk-star" viewBox="0 0 10 10"><path d="M5 .4 6.4 3.5 9.7 3.8 7.2 6 7.9 9.3 5 '
    '7.6 2.1 9.3 2.8 6 .3 3.8 3.6 3.5Z" fill="#ffd43b" stroke="#7a5b00" stroke-width="0.6"/>'
    "</symbol>"
    '<symbol id="mk-group_leader" viewBox="0 0 10 10"><path d="M5 .4 9.2 2V5.2C9.2 7.6 7.3 9 5 '
    '9.6 2.7 9 .8 7.6.8 5.2V2Z" fill="#a61e4d" stroke="#fff" stroke-width="0.6"/><path d="M3 '
    '4.2 5 6.2 7 4.2" fill="none" stroke="#fff" stroke-width="1.2"/></symbol>'
    '<symbol id="mk-heart" viewBox="0 0 10 10"><path d="M5 9.2C1.4 6.6.5 4.8.5 3.3A2.3 2.3 0 0 1 '
    '5 2.6 2.3 2.3 0 0 1 9.5 3.3C9.5 4.8 8.6 6.6 5 9.2Z" fill="#e03131" stroke="#fff" '
    'stroke-width="0.6"/></symbol>'
)


def marker_defs() -> str:
    """The marker shapes, once per document (`<use href="#mk-flag">` draws them)."""
    return f"<defs>{MARKER_SYMBOLS}</defs>"


def _unit_width(unit: Unit) -> int:
    """Its columns of rooms, and room for at least two count chips side by side."""
    return max(max(unit.columns, 1) * (CELL_W + GAP) - GAP, 2 * CHIP_W)


def _chip_lines(width: int) -> int:
    per_line = max(1, width // CHIP_W)
    return -(-len(HouseholdColour.values) // per_line)


def building_size(building: BuildingPlan) -> tuple[int, int]:
    widths = [_unit_width(unit) for unit in building.units] or [CELL_W]
    width = PAD * 2 + LABEL_W + sum(widths) + UNIT_GAP * (len(widths) - 1)
    chips = max((_chip_lines(w) for w in widths), default=1)
    floors = max(len(building.floors), 1)
    height = TITLE_H + UNIT_HEAD_H + floors * (CELL_H + GAP) + 6 + chips * CHIP_LINE + PAD
    return max(width, 240), height


def _chips(x: float, y: float, width: int, counts: dict[str, int], out: list[str]) -> None:
    """Households per colour: a swatch and a number each, wrapping within `width`."""
    per_line = max(1, width // CHIP_W)
    for index, colour in enumerate(HouseholdColour.values):
        cx = x + (index % per_line) * CHIP_W
        cy = y + (index // per_line) * CHIP_LINE
        out.append(
            f'<rect x="{cx}" y="{cy}" width="9" height="9" fill="{HOUSEHOLD_COLOUR_HEX[colour]}" '
            f'stroke="#868e96" stroke-width="0.6"/><text x="{cx + 11}" y="{cy + 8.5}" '
            f'font-size="10" fill="#212529">{counts.get(colour, 0)}</text>'
        )


def cell_style() -> str:
    """The look of the room cells, once per printable SVG document (keeps 2,000 cells small).
    A plan inside a page takes the same rules from colours/colours.css instead: the page's
    Content-Security-Policy refuses <style> elements."""
    fills = "".join(f".f-{c}{{fill:{HOUSEHOLD_COLOUR_HEX[c]}}}" for c in HouseholdColour.values)
    return (
        f"<style>.cell rect{{stroke:#868e96;stroke-width:.8}}.f-none{{fill:{NEUTRAL}}}{fills}"
        ".cell text{font-size:11px;fill:#212529}.cell text.t-light{fill:#fff}</style>"
    )


def _cell(x: float, y: float, cell: Cell, out: list[str]) -> None:
    colour = cell.colour
    room = escape(cell.room)
    parts = [f'<g class="cell" data-colour="{colour}">' if colour else '<g class="cell">']
    if cell.url:
        parts.append(f'<a href="{cell.url}">')
    if colour:
        parts.append(f"<title>{room} · {HouseholdColour(colour).label}</title>")
    parts.append(
        f'<rect class="f-{colour or "none"}" x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" '
        'rx="3"/>'
    )
    light = ' class="t-light"' if colour and colour not in DARK_TEXT else ""
    fit = ' textLength="30" lengthAdjust="spacingAndGlyphs"' if len(cell.room) > 5 else ""
    parts.append(f'<text{light} x="{x + 4}" y="{y + 18}"{fit}>{room}</text>')
    for index, marker in enumerate(cell.markers[:4]):
        mx = x + CELL_W - 22 + (index % 2) * 11
        my = y + 3 + (index // 2) * 12
        parts.append(f'<use href="#mk-{marker}" x="{mx}" y="{my}" width="10" height="10"/>')
    if cell.url:
        parts.append("</a>")
    parts.append("</g>")
    out.append("".join(parts))


def building_body(building: BuildingPlan, x0: float = 0, y0: float = 0) -> list[str]:
    """The building's drawing, its top-left corner at (x0, y0)."""
    out: list[str] = []
    width, height = building_size(building)
    out.append(
        f'<rect x="{x0}" y="{y0}" width="{width}" height="{height}" rx="6" fill="#ffffff" '
        f'stroke="#ced4da"/>'
    )
    title_x = x0 + PAD
    out.append(
        f'<text x="{title_x}" y="{y0 + 18}" font-size="14" font-weight="700" '
        f'fill="#212529">{escape(building.name)}</text>'
    )
    if building.zone:
        zx = title_x + text_width(building.name, 14) + 8
        out.append(
            f'<rect x="{zx}" y="{y0 + 6}" width="46" height="16" rx="3" '
            f'fill="{ZONE_FILL[building.zone]}"/><text x="{zx + 23}" y="{y0 + 18}" '
            f'font-size="11" fill="#fff" text-anchor="middle">{ZoneKind(building.zone).label}</text>'
        )
    _chips(title_x, y0 + 26, width - 2 * PAD, building.counts, out)
    top = y0 + TITLE_H + UNIT_HEAD_H
    for row, floor in enumerate(building.floors):
        label = f"{floor}F" if floor is not None else "—"
        out.append(
            f'<text x="{x0 + PAD + LABEL_W - 4}" y="{top + row * (CELL_H + GAP) + 18}" '
            f'font-size="10" fill="#868e96" text-anchor="end">{label}</text>'
        )
    ux = x0 + PAD + LABEL_W
    bottom = top + max(len(building.floors), 1) * (CELL_H + GAP) + 6
    rows = {floor: index for index, floor in enumerate(building.floors)}
    for unit in building.units:
        unit_width = _unit_width(unit)
        name = f"{unit.name}单元" if unit.name and not unit.name.endswith("单元") else unit.name
        out.append(
            f'<text x="{ux + unit_width / 2}" y="{y0 + TITLE_H + 12}" font-size="11" '
            f'fill="#495057" text-anchor="middle">{escape(name)}</text>'
        )
        for floor, cells in unit.rows.items():
            y = top + rows[floor] * (CELL_H + GAP)
            for column, cell in cells:
                _cell(ux + column * (CELL_W + GAP), y, cell, out)
        _chips(ux, bottom, unit_width, unit.counts, out)
        ux += unit_width + UNIT_GAP
    return out


def building_svg(building: BuildingPlan, *, with_defs: bool = False) -> str:
    """One building as an inline `<svg>` for a page (the page holds the marker defs once, and
    its stylesheet the cells' look)."""
    width, height = building_size(building)
    defs = marker_defs() if with_defs else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-building" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" font-family="{FONT}" role="img" '
        f'aria-label="{escape(building.name)}" data-building="{building.pk}">{defs}'
        + "".join(building_body(building))
        + "</svg>"
    )


def _flow(sizes: list[tuple[int, int]], max_width: int) -> tuple[list[tuple[int, int]], int, int]:
    """Place blocks left to right, wrapping at `max_width`: positions, total width and height."""
    positions, x, y, row_height, width = [], 0, 0, 0, 0
    for w, h in sizes:
        if x and x + w > max_width:
            x, y, row_height = 0, y + row_height + UNIT_GAP, 0
        positions.append((x, y))
        x += w + UNIT_GAP
        row_height = max(row_height, h)
        width = max(width, x - UNIT_GAP)
    return positions, width, y + row_height


def _layout(sizes: list[tuple[int, int]], aspect: float) -> tuple[list[tuple[int, int]], int, int]:
    """The wrapping width whose drawing, scaled onto the sheet, comes out largest."""
    best, best_scale = _flow(sizes, 10**9), 0.0
    candidates = {max(w for w, _ in sizes)}
    running = 0
    for w, _ in sizes:
        running += w + UNIT_GAP
        candidates.add(running)
    for limit in sorted(candidates):
        layout = _flow(sizes, limit)
        _, width, height = layout
        scale = min(aspect / width, 1 / height) if width and height else 0
        if scale > best_scale:
            best, best_scale = layout, scale
    return best


def text_width(text: str, size: float) -> float:
    """Roughly how wide `text` draws: CJK characters are square, others about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _legend(plan: Plan, x: float, y: float, width: float, out: list[str]) -> float:
    """Colours with their meaning and counts, then the markers, wrapping within `width`;
    returns the height used."""
    items = [
        (
            f'<rect x="{{x}}" y="{{y}}" width="14" height="14" '
            f'fill="{HOUSEHOLD_COLOUR_HEX[colour]}" stroke="#868e96"/>',
            f"{HOUSEHOLD_COLOUR_MEANING[colour]} {plan.counts[colour]}户",
        )
        for colour in HouseholdColour.values
    ] + [
        (f'<use href="#mk-{marker}" x="{{x}}" y="{{y}}" width="14" height="14"/>', tags)
        for marker, tags in plan.markers
    ]
    cx, cy = x, y
    for index, (shape, text) in enumerate(items):
        step = 19 + text_width(text, 12) + 22
        if cx > x and (cx + step > x + width or index == len(HouseholdColour.values)):
            cx, cy = x, cy + 22
        out.append(shape.format(x=cx, y=cy))
        out.append(
            f'<text x="{cx + 19}" y="{cy + 12}" font-size="12" fill="#212529">{escape(text)}</text>'
        )
        cx += step
    return cy + 22 - y


def print_svg(plan: Plan, paper: str = "a4", note: str = "") -> str:
    """The whole plan on one landscape sheet (A4 or A3): heading, date, legend, buildings."""
    sheet_w, sheet_h = PAPERS[paper]
    sizes = [building_size(b) for b in plan.buildings] or [(240, 60)]
    width: float
    positions, width, height = _layout(sizes, sheet_w / sheet_h)
    width = max(width, 960)
    legend: list[str] = []
    heading = 56 + _legend(plan, 0, 56, width, legend) + 8
    total_h = height + heading
    if width / total_h > sheet_w / sheet_h:
        total_h = width * sheet_h / sheet_w
    else:
        width = total_h * sheet_w / sheet_h
    margin = 16
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{sheet_w}mm" height="{sheet_h}mm" '
        f'viewBox="{-margin} {-margin} {width + 2 * margin:.0f} {total_h + 2 * margin:.0f}" '
        f'font-family="{FONT}">',
        marker_defs(),
        cell_style(),
        f'<rect x="{-margin}" y="{-margin}" width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="0" y="22" font-size="22" font-weight="700" fill="#212529">'
        f"{escape(plan.title)}</text>",
        f'<text x="{width}" y="22" font-size="13" fill="#495057" text-anchor="end">截至 '
        f"{plan.at:%Y年%m月%d日 %H:%M} · 共{plan.total}户</text>",
    ]
    if note:
        out.append(f'<text x="0" y="44" font-size="12" fill="#495057">{escape(note)}</text>')
    out.extend(legend)
    for building, (x, y) in zip(plan.buildings, positions, strict=False):
        out.extend(building_body(building, x, y + heading))
    out.append("</svg>")
    return "".join(out)
