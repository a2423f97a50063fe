"""Where a diagram's words go: inside boxes, beside events, gateways and flows, clear of every shape and each other.

Names are wrapped between words, never inside one. A name that does not fit its box at the smallest
size makes the box grow; a flow name with no free place beside its flow makes the flow longer. Growing
inserts room across the whole drawing at one line (everything past it moves on), so nothing that was
apart comes together. Labels are measured in bold, so that any of them can be drawn bold (the current
step) in the room measured for it, and the layout serves every state of the same diagram.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from workflows.rendering.diagram_text import Typeface, balanced, shorten, words, wrap

Box = tuple[float, float, float, float]  # x, y, width, height
Segment = tuple[float, float, float, float]  # x1, y1, x2, y2

TASK_SIZE = 13.0  # a box's own name
LABEL_SIZE = 12.0  # an event's, a gateway's or a flow's name beside it
POOL_SIZE, LANE_SIZE = 14.0, 13.0  # written upwards in a band, in bold
MARKER_SIZE = 12.0  # the "here now" tag of the current step
MIN_SIZE = 11.0  # no word is written smaller than this
LINE = 1.25  # from one baseline to the next, in ems
PAD_X, PAD_Y = 6.0, 8.0  # a name's margins inside its box; the tick of a done step sits in the corner
GAP = 4.0  # between a label and the line or shape it names
CLEAR = 2.0  # the least room kept between any two things a reader must tell apart
BAND = 30.0  # width of the band a pool or lane writes its name in, as editors draw it
MAX_LINES = 5  # a longer name is a paragraph: it ends with an ellipsis after its last whole word
BADGE = 8.0  # half the side of the tick's badge on a done step's top right corner
MARKER_PAD, POINTER = 7.0, 6.0  # the tag's margin around its words, and its pointer towards the step
TAG_APART = 10.0  # between the tag and any name
ROUNDS = 24  # of making room; a name that still finds none then goes where it touches least


@dataclass(frozen=True)
class Label:
    """Lines centred on ``cx``; the first line's box starts at ``top``; ``box`` is the room measured in bold."""

    lines: tuple[str, ...]
    size: float
    cx: float
    top: float
    box: Box

    def baselines(self, ascent: float) -> list[float]:
        return [self.top + ascent * self.size + i * LINE * self.size for i in range(len(self.lines))]


@dataclass(frozen=True)
class Band:
    """A pool's or lane's name, written upwards in lines centred on the band of ``width`` at its left."""

    lines: tuple[str, ...]
    size: float
    width: float


@dataclass(frozen=True)
class Marker:
    """The tag that points at the current step: its box and the point of its pointer, on the step's side."""

    box: Box
    tip: tuple[float, float]
    side: str  # where the tag stands: above, below, left or right of the step


@dataclass(frozen=True)
class Layout:
    diagram: object  # the Diagram, grown where its words needed room
    texts: dict  # element id -> Label: a box's name inside it, the others' beside them
    bands: dict  # pool or lane id -> Band
    markers: dict  # flow node id -> Marker
    width: float
    height: float
    ascent: float  # of the typeface, in ems: where a line's baseline lies below its top
    descent: float


def block_height(count: int, size: float, face: Typeface) -> float:
    """Height of ``count`` lines from the top of the first one's accents to the bottom of the last one's descenders."""
    return (count - 1) * LINE * size + face.height * size if count else 0.0


def is_rigid(kind: str) -> bool:
    """Events and gateways keep their size and shape however the room around them grows."""
    return kind.endswith(("Event", "Gateway"))


def is_flow_node(kind: str) -> bool:
    return kind not in ("participant", "lane")


def badge_centre(s) -> tuple[float, float]:
    """Where a done step's tick goes: its top right corner, or the bottom right one of an event on a box's
    edge, whose top corner lies inside the box."""
    return s.x + s.width, s.y + (s.height if s.kind == "boundaryEvent" else 0.0)


def _sizes(largest: float) -> list[float]:
    return [largest - 0.5 * i for i in range(int((largest - MIN_SIZE) / 0.5) + 1)]


# -- growing room -----------------------------------------------------------------------------------------


def _cut(diagram, axis: int, lo: float, hi: float, prefer: float) -> float:
    """A line across the drawing in [lo, hi], nearest ``prefer``, that cuts through no step if it can.

    Cut through, a box would only grow wider, but an event or gateway would come apart from its flows:
    those are never cut if there is any other place.
    """
    def spans(kinds) -> list[tuple[float, float]]:
        return [((s.x, s.x + s.width) if axis == 0 else (s.y, s.y + s.height)) for s in diagram.shapes
                if kinds(s.kind)]

    for avoid in (spans(is_flow_node), spans(is_rigid)):
        avoid = [(a - 1, b + 1) for a, b in avoid]
        options = [prefer] + [edge for a, b in avoid for edge in (a, b)]
        free = [p for p in options if lo <= p <= hi and not any(a < p < b for a, b in avoid)]
        if free:
            return min(free, key=lambda p: abs(p - prefer))
    return prefer


def stretch(diagram, axis: int, at: float, by: float):
    """The diagram with ``by`` more room at the line ``at`` (x for axis 0, y for 1): all past it moves on."""
    def moved(v: float) -> float:
        return v + by if v >= at else v

    def box(x: float, y: float, w: float, h: float, rigid: bool) -> Box:
        if axis == 0:
            x, w = (moved(x + w / 2) - w / 2, w) if rigid else (moved(x), moved(x + w) - moved(x))
        else:
            y, h = (moved(y + h / 2) - h / 2, h) if rigid else (moved(y), moved(y + h) - moved(y))
        return x, y, w, h

    def label(b):
        return None if b is None else box(*b, True)

    shapes = tuple(replace(s, **dict(zip(("x", "y", "width", "height"), box(s.x, s.y, s.width, s.height,
                                                                              is_rigid(s.kind)))),
                           label=label(s.label)) for s in diagram.shapes)
    edges = tuple(replace(e, points=tuple((moved(x), y) if axis == 0 else (x, moved(y)) for x, y in e.points),
                          label=label(e.label)) for e in diagram.edges)
    width, height = (diagram.width + by, diagram.height) if axis == 0 else (diagram.width, diagram.height + by)
    return replace(diagram, shapes=shapes, edges=edges, width=width, height=height)


# -- geometry ---------------------------------------------------------------------------------------------


def overlaps(a: Box, b: Box, clear: float = 0.0) -> bool:
    return (a[0] < b[0] + b[2] + clear and b[0] < a[0] + a[2] + clear
            and a[1] < b[1] + b[3] + clear and b[1] < a[1] + a[3] + clear)


def _crosses(seg: Segment, b: Box) -> bool:
    """Whether the segment passes through the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = seg
    dx, dy = x2 - x1, y2 - y1
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x1 - b[0]), (dx, b[0] + b[2] - x1), (-dy, y1 - b[1]), (dy, b[1] + b[3] - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
            if lo > hi:
                return False
    return True


def _grown(b: Box, by: float) -> Box:
    return b[0] - by, b[1] - by, b[2] + 2 * by, b[3] + 2 * by


def _segments(points) -> list[Segment]:
    return [(*a, *b) for a, b in zip(points, points[1:])]


class _Room:
    """What is already on the drawing: boxes nothing may touch, and lines a label should rather not cross."""

    def __init__(self, solid: list[Box], lines: list[Segment], borders: list[Segment]):
        self.solid, self.lines, self.borders = solid, lines, borders

    def near(self, area: Box) -> _Room:
        """Only what lies in ``area``: the rest cannot touch a label placed inside it."""
        return _Room([b for b in self.solid if overlaps(b, area)],
                     [s for s in self.lines if _crosses(s, area)], [s for s in self.borders if _crosses(s, area)])

    def free(self, b: Box, strict: bool = True) -> bool:
        """Whether ``b`` touches nothing solid and, if ``strict``, crosses no flow and no lane's border."""
        if b[0] < CLEAR or b[1] < CLEAR or any(overlaps(b, o, CLEAR) for o in self.solid):
            return False
        if strict:
            inner = _grown(b, CLEAR)
            return not any(_crosses(s, inner) for s in self.lines) and not any(_crosses(s, inner) for s in self.borders)
        return True

    def touched(self, b: Box) -> int:
        return sum(overlaps(b, o, CLEAR) for o in self.solid)

    def cost(self, b: Box) -> float:
        """How many lines cross the box: a flow through a label is worse than a lane's border."""
        inner = _grown(b, 1.0)
        return 40 * sum(_crosses(s, inner) for s in self.lines) + 15 * sum(_crosses(s, inner) for s in self.borders)


# -- the names ----------------------------------------------------------------------------------------------


def _inside(s, face: Typeface) -> tuple[tuple[str, ...], float, float, float]:
    """A box's name in as few lines as fit at the largest size that fits; else the box's needed size."""
    for size in _sizes(TASK_SIZE):
        def measure(text: str, size=size) -> float:
            return face.width(text, size, True)
        lines = wrap(s.name, s.width - 2 * PAD_X, measure)
        if lines is not None and block_height(len(lines), size, face) <= s.height - 2 * PAD_Y:
            return tuple(lines), size, s.width, s.height

    def smallest(text: str) -> float:
        return face.width(text, MIN_SIZE, True)
    width = max([s.width] + [smallest(word) + 2 * PAD_X for word in words(s.name)])
    lines = shorten(wrap(s.name, width - 2 * PAD_X, smallest) or [], MAX_LINES, width - 2 * PAD_X, smallest)
    return tuple(lines), MIN_SIZE, width, max(s.height, block_height(len(lines), MIN_SIZE, face) + 2 * PAD_Y)


def _band(s, face: Typeface) -> Band:
    """A pool's or lane's name along its height, in one line if it fits, else in as many as it needs."""
    largest = POOL_SIZE if s.kind == "participant" else LANE_SIZE
    room = s.height - 2 * PAD_Y
    for size in _sizes(largest):
        if face.width(" ".join(words(s.name)), size, True) <= room:
            return Band(tuple([" ".join(words(s.name))] if s.name.strip() else []), size, BAND)

    def measure(text: str) -> float:
        return face.width(text, MIN_SIZE, True)
    lines = wrap(s.name, room, measure) or [" ".join(words(s.name))]
    return Band(tuple(lines), MIN_SIZE, max(BAND, len(lines) * LINE * MIN_SIZE + 2 * GAP))


def _variants(text: str, face: Typeface, most: int) -> list[tuple[float, tuple[str, ...], float, float]]:
    """The ways to write a label beside its element: (size, lines, width, height), in one line first."""
    def measure(line: str) -> float:
        return face.width(line, LABEL_SIZE, True)
    out = []
    for count in range(1, min(most, len(words(text))) + 1):
        lines = tuple(balanced(text, count, measure))
        out.append((LABEL_SIZE, lines, max(measure(line) for line in lines),
                    block_height(len(lines), LABEL_SIZE, face)))
    return out


def _label(lines: tuple[str, ...], size: float, cx: float, cy: float, w: float, h: float) -> Label:
    return Label(lines, size, cx, cy - h / 2, (cx - w / 2, cy - h / 2, w, h))


def _best(options: Iterable[tuple[float, Label]], room: _Room, force: bool = False) -> Label | None:
    """The cheapest label that touches nothing and crosses no line; options come with their cost.

    With ``force``, when every option does, the one that touches least and crosses fewest lines.
    """
    options = sorted(options, key=lambda o: o[0])
    chosen = next((label for _, label in options if room.free(label.box)), None)
    if chosen is None and force and options:
        chosen = min(options, key=lambda o: (room.touched(o[1].box), o[0] + room.cost(o[1].box)))[1]
    return chosen


def _beside_node(s, variants, room: _Room, force: bool = False) -> Label | None:
    """An event's name under it, a gateway's above it (its flows leave right and down), else beside it."""
    x, y, w, h = s.x, s.y, s.width, s.height
    cx, cy = x + w / 2, y + h / 2
    want = None if s.label is None else (s.label[0] + s.label[2] / 2, s.label[1] + s.label[3] / 2)
    options = []
    for size, lines, lw, lh in variants:
        penalty = 3 * (len(lines) - 1)
        above = y - BADGE - GAP - lh / 2  # clear of the tick a done step wears on its top right corner
        below, first = y + h + GAP + lh / 2, 0 if s.kind.endswith("Event") else 2
        places = [(first, cx, below), (2 - first, cx, above), (4, x + w + GAP + lw / 2, cy),
                  (6, x - GAP - lw / 2, cy), (5, x + w + GAP + lw / 2, y + h + lh / 2),
                  (5, x - GAP - lw / 2, y + h + lh / 2), (7, x + w + BADGE + GAP + lw / 2, y - lh / 2),
                  (7, x - GAP - lw / 2, y - lh / 2)]
        if want:
            places.append((0, *want))
        for order, px, py in places:
            distance = 0.0 if want is None else math.dist((px, py), want) * 0.05
            options.append((order + penalty + distance, _label(lines, size, px, py, lw, lh)))
    return _best(options, room, force)


def _beside_flow(e, variants, room: _Room, force: bool = False) -> Label | None:
    """A flow's name beside one of its segments, near where the flow leaves (a gateway's choices read there)."""
    want = None if e.label is None else (e.label[0] + e.label[2] / 2, e.label[1] + e.label[3] / 2)
    options = []
    for size, lines, lw, lh in variants:
        penalty = 3 * (len(lines) - 1)
        for index, (x1, y1, x2, y2) in enumerate(_segments(e.points)):
            length = math.dist((x1, y1), (x2, y2))
            if length == 0:
                continue
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            along = lw if abs(ux) >= abs(uy) else lh
            half_across = (lh if abs(ux) >= abs(uy) else lw) / 2 + GAP
            for step, t in enumerate((GAP + along / 2, length / 2, length - GAP - along / 2)):
                px, py = x1 + ux * t, y1 + uy * t
                for side in (-1, 1):  # above or below a level segment, left or right of an upright one
                    ox, oy = (px, py + side * half_across) if abs(ux) >= abs(uy) else (px + side * half_across, py)
                    distance = 0.0 if want is None else math.dist((ox, oy), want) * 0.03
                    base = 6 * index + step + (0.5 if side > 0 else 0) + penalty + distance
                    options.append((base, _label(lines, size, ox, oy, lw, lh)))
        if want:
            options.append((penalty + 1, _label(lines, size, *want, lw, lh)))
    return _best(options, room, force)


def _marker(s, tag: tuple[float, float], room: _Room, canvas: Box) -> Marker | None:
    """Where the "here now" tag of ``s`` goes: above it if free, else below, right or left; None if nowhere."""
    tw, th = tag
    x, y, w, h = s.x, s.y, s.width, s.height
    cx, cy = x + w / 2, y + h / 2
    gap = GAP + 2  # the current step's outline is thick
    above, below = y - gap - POINTER - th / 2, y + h + gap + POINTER + th / 2
    places = [("above", cx, above, (cx, y - gap)), ("below", cx, below, (cx, y + h + gap)),
              ("above", x + tw / 2, above, (x + min(tw, w) / 2, y - gap)),
              ("above", x + w - tw / 2, above, (x + w - min(tw, w) / 2, y - gap)),
              ("below", x + tw / 2, below, (x + min(tw, w) / 2, y + h + gap)),
              ("below", x + w - tw / 2, below, (x + w - min(tw, w) / 2, y + h + gap)),
              ("right", x + w + gap + POINTER + tw / 2, cy, (x + w + gap, cy)),
              ("left", x - gap - POINTER - tw / 2, cy, (x - gap, cy))]
    options = [(side, (px - tw / 2, py - th / 2, tw, th), tip) for side, px, py, tip in places]
    options = [option for option in options if _within(option[1], canvas)]
    for strict in (True, False):  # a tag over a flow hides a piece of it: only if there is no other place
        for side, box, tip in options:
            if room.free(box, strict):
                return Marker(box, tip, side)
    return None


def _within(b: Box, canvas: Box) -> bool:
    return (b[0] >= canvas[0] and b[1] >= canvas[1] and b[0] + b[2] <= canvas[0] + canvas[2]
            and b[1] + b[3] <= canvas[1] + canvas[3])


# -- the whole --------------------------------------------------------------------------------------------


def _grow_boxes(diagram, face: Typeface):
    """The diagram with every box large enough for its name, and every band for its pool's or lane's."""
    for s in diagram.shapes:
        s = next(t for t in diagram.shapes if t.id == s.id)  # the one already moved by an earlier growth
        if not is_flow_node(s.kind):
            extra = _band(s, face).width - BAND
            if extra > 0:
                diagram = stretch(diagram, 0, s.x + BAND, extra)
        elif not is_rigid(s.kind) and s.name:
            _, _, width, height = _inside(s, face)
            if width > s.width:
                diagram = stretch(diagram, 0, _cut(diagram, 0, s.x + 1, s.x + s.width, s.x + s.width),
                                  width - s.width)
            if height > s.height:
                s = next(t for t in diagram.shapes if t.id == s.id)
                diagram = stretch(diagram, 1, _cut(diagram, 1, s.y + 1, s.y + s.height, s.y + s.height),
                                  height - s.height)
    return diagram


def _obstacles(diagram, bands: dict) -> _Room:
    solid, borders = [], []
    for s in diagram.shapes:
        if is_flow_node(s.kind):
            solid.append(_grown((s.x, s.y, s.width, s.height), CLEAR))
            bx, by = badge_centre(s)
            solid.append((bx - BADGE, by - BADGE, 2 * BADGE, 2 * BADGE))
        else:  # the band, and the margin at its left that stays with it when a page keeps it in view
            solid.append((0.0, s.y, s.x + bands[s.id].width, s.height))
            x2, y2 = s.x + s.width, s.y + s.height
            borders += [(s.x, s.y, x2, s.y), (s.x, y2, x2, y2), (s.x, s.y, s.x, y2), (x2, s.y, x2, y2)]
    lines = [seg for e in diagram.edges for seg in _segments(e.points)]
    return _Room(solid, lines, borders)


def _item(diagram, key: str):
    return next((s for s in diagram.shapes if s.id == key), None) or next(e for e in diagram.edges if e.id == key)


def _try(diagram, room: _Room, key: str, variants, force: bool = False) -> Label | None:
    """The place of the name of the event, gateway or flow ``key``, clear of everything in ``room``."""
    item = _item(diagram, key)
    reach = max(max(v[2], v[3]) for v in variants) + 2 * GAP + 2 * BADGE
    if hasattr(item, "kind"):
        return _beside_node(item, variants, room.near(_grown((item.x, item.y, item.width, item.height), reach)), force)
    xs, ys = [p[0] for p in item.points], [p[1] for p in item.points]
    area = _grown((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), reach)
    if item.label:
        area = _hull(area, _grown(item.label, reach))
    return _beside_flow(item, variants, room.near(area), force)


def _growths(diagram, item, variants) -> list[tuple[int, float, float]]:
    """Ways to make room for the name of ``item`` (axis, where, how much), the smallest first.

    An event or gateway gets room right of, below or left of it; a flow along one of its segments
    (its name then fits beside it) or across it (above or below, left or right).
    """
    _, _, nw, nh = variants[-1]  # the narrowest way to write it
    ax, ay = nw + 2 * (GAP + CLEAR), nh + 2 * (GAP + CLEAR)
    options = []
    if hasattr(item, "kind"):
        x, y, w, h = item.x, item.y, item.width, item.height
        for rank, (axis, lo, hi, prefer, need) in enumerate((
                (0, x + w + 1, x + w + 60, x + w + 1, ax), (1, y + h + 1, y + h + 60, y + h + 1, ay),
                (0, x - 60, x - 1, x - 1, ax))):
            for share in (0.5, 1.0):
                options.append((need * share, rank, axis, _cut(diagram, axis, lo, hi, prefer), need * share))
    else:
        for index, (x1, y1, x2, y2) in enumerate(_segments(item.points)):
            axis = 0 if abs(x2 - x1) >= abs(y2 - y1) else 1
            lo, hi = sorted((x1, x2) if axis == 0 else (y1, y2))
            along, across = (ax, ay) if axis == 0 else (ay, ax)
            need = max(along + 10 - (hi - lo), along / 2)  # 10: the arrowhead
            at = _cut(diagram, axis, lo + 1, hi - 1, (lo + hi) / 2)
            options += [(need, index, axis, at, need), (need + along / 2, index, axis, at, need + along / 2)]
            level = y1 if axis == 0 else x1
            for rank, (a, b, prefer) in enumerate(((level - 80, level - 1, level - 1),
                                                   (level + 1, level + 80, level + 1))):
                options.append((across, index + 0.5 + rank, 1 - axis, _cut(diagram, 1 - axis, a, b, prefer), across))
    return [(axis, at, by) for _, _, axis, at, by in sorted(options)]


def _place(diagram, face: Typeface, bands: dict, order: list[tuple[str, list]], tag: tuple[float, float],
           force: bool = False):
    """The names of events, gateways and flows placed in ``order``, then each step's tag; and the index
    (names first, then steps) of the first that found no free place, or None.

    Flows come first: a flow's name must stand beside the flow, an event's or gateway's has more places.
    Every box (a step a person or the system works at) must have room for its tag; an event's or a
    gateway's tag is drawn where there is room.
    """
    room = _obstacles(diagram, bands)
    placed: dict[str, Label] = {}
    for index, (key, variants) in enumerate(order):
        label = _try(diagram, room, key, variants, force)
        if label is None and not force:
            return placed, {}, index
        if label is not None:
            placed[key] = label
            room.solid.append(label.box)
    texts = {**_inner_texts(diagram, face), **placed}
    room = _obstacles(diagram, bands)
    # Kept well apart from the names, so that the tag never reads as a word of the name beside it.
    room.solid += [_grown(label.box, TAG_APART) for label in texts.values()]
    markers, canvas = {}, (0.0, 0.0, *_extent(diagram, texts))
    for index, s in enumerate(s for s in diagram.shapes if is_flow_node(s.kind)):
        reach = max(tag) + 3 * GAP + POINTER + BADGE + TAG_APART
        marker = _marker(s, tag, room.near(_grown((s.x, s.y, s.width, s.height), reach)), canvas)
        if marker:
            markers[s.id] = marker
        elif not is_rigid(s.kind) and not force:
            return placed, markers, len(order) + index
    return placed, markers, None


def _tag_growths(diagram, s, tag: tuple[float, float]) -> list[tuple[int, float, float]]:
    """Ways to make room for the tag of ``s``: above, below, left or right of it, the smallest first."""
    tw, th = tag
    across, along = th + POINTER + 2 * GAP + 2 * CLEAR + 2, tw + POINTER + 2 * GAP + 2 * CLEAR + 2
    x, y, w, h = s.x, s.y, s.width, s.height
    options = [(across, 0, 1, _cut(diagram, 1, y - 60, y - 1, y - 1)),
               (across, 1, 1, _cut(diagram, 1, y + h + 1, y + h + 60, y + h + 1)),
               (along, 2, 0, _cut(diagram, 0, x - 60, x - 1, x - 1)),
               (along, 3, 0, _cut(diagram, 0, x + w + 1, x + w + 60, x + w + 1))]
    return [(axis, at, by) for by, _, axis, at in sorted(options)]


def _make_room(diagram, face: Typeface, bands: dict, order, tag, failed: int):
    """The diagram after the least growth that lets the names and tags up to the ``failed`` one find room.

    If none does, after the largest: the next round starts from there.
    """
    if failed < len(order):
        key, variants = order[failed]
        growths = _growths(diagram, _item(diagram, key), variants)
    else:
        nodes = [s for s in diagram.shapes if is_flow_node(s.kind)]
        growths = _tag_growths(diagram, nodes[failed - len(order)], tag)
    for axis, at, by in growths:
        grown = stretch(diagram, axis, at, by)
        *_, still = _place(grown, face, bands, order, tag)
        if still is None or still > failed:
            return grown
    if not growths:
        return diagram
    axis, at, by = max(growths, key=lambda g: g[2])
    return stretch(diagram, axis, at, by)


def _inner_texts(diagram, face: Typeface) -> dict[str, Label]:
    texts = {}
    for s in diagram.shapes:
        if is_flow_node(s.kind) and not is_rigid(s.kind) and s.name:
            lines, size, _, _ = _inside(s, face)
            h = block_height(len(lines), size, face)
            w = max((face.width(line, size, True) for line in lines), default=0.0)
            texts[s.id] = _label(lines, size, s.x + s.width / 2, s.y + s.height / 2, w, h)
    return texts


def _extent(diagram, texts: dict) -> tuple[float, float]:
    """Width and height of the drawing with its labels, which may reach past the diagram's own bounds."""
    boxes = [label.box for label in texts.values()]
    return (max([diagram.width] + [b[0] + b[2] + CLEAR for b in boxes]),
            max([diagram.height] + [b[1] + b[3] + CLEAR for b in boxes]))


def _hull(a: Box, b: Box) -> Box:
    x, y = min(a[0], b[0]), min(a[1], b[1])
    return x, y, max(a[0] + a[2], b[0] + b[2]) - x, max(a[1] + a[3], b[1] + b[3]) - y


def lay_out(diagram, face: Typeface, tag_text: str = "") -> Layout:
    """Where every name of ``diagram`` and the tag of a current step go, growing room where words need it."""
    return _lay_out(diagram, face, tag_text)


@functools.lru_cache(maxsize=16)
def _lay_out(diagram, face: Typeface, tag_text: str) -> Layout:
    diagram = _grow_boxes(diagram, face)
    bands = {s.id: _band(s, face) for s in diagram.shapes if not is_flow_node(s.kind)}
    order = [(e.id, _variants(e.name, face, 2)) for e in diagram.edges if e.name and len(e.points) >= 2]
    order += [(s.id, _variants(s.name, face, 3)) for s in diagram.shapes if is_rigid(s.kind) and s.name]
    order = [(key, variants) for key, variants in order if variants]
    tag = (face.width(tag_text, MARKER_SIZE, True) + 2 * MARKER_PAD, face.height * MARKER_SIZE + 2 * 3.0)
    for _ in range(ROUNDS):  # each round makes room for one name or tag; a drawing needs a few at most
        placed, markers, failed = _place(diagram, face, bands, order, tag)
        if failed is None:
            break
        diagram = _make_room(diagram, face, bands, order, tag, failed)
    else:
        placed, markers, _ = _place(diagram, face, bands, order, tag, force=True)
    texts = {**_inner_texts(diagram, face), **placed}
    width, height = _extent(diagram, texts)
    return Layout(diagram, texts, bands, markers, width, height, face.ascent, face.descent)
