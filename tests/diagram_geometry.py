"""What a drawn process diagram looks like, read back from its SVG: its shapes, and the box of every label.

A label's box is measured here from the drawing's own attributes (its lines, position, size, weight)
with the font's widths, independently of how the layout chose them; the checks then say whether any
two things a reader must tell apart touch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from workflows.rendering.diagram_text import Typeface

SVG = "http://www.w3.org/2000/svg"
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Text:
    owner: str  # data-id of the element it names, or "here" for the current step's tag
    kind: str  # the owner's kind: a flow node's, "lane", "participant", "edge" or "here"
    lines: tuple[str, ...]
    size: float
    bold: bool
    box: Box


@dataclass(frozen=True)
class Thing:
    owner: str
    kind: str
    box: Box


def _q(tag: str) -> str:
    return f"{{{SVG}}}{tag}"


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def inside(a: Box, b: Box, slack: float = 0.01) -> bool:
    return (a[0] >= b[0] - slack and a[1] >= b[1] - slack and a[0] + a[2] <= b[0] + b[2] + slack
            and a[1] + a[3] <= b[1] + b[3] + slack)


def _union(boxes: list[Box]) -> Box:
    x, y = min(b[0] for b in boxes), min(b[1] for b in boxes)
    return x, y, max(b[0] + b[2] for b in boxes) - x, max(b[1] + b[3] for b in boxes) - y


def _owner(el) -> tuple[str, str]:
    while el is not None:
        if el.tag == _q("g") and el.get("data-band"):
            return el.get("data-band"), el.get("class").split()[1]
        if el.tag == _q("g") and el.get("data-id"):
            classes = el.get("class").split()
            return el.get("data-id"), ("edge" if classes[0] == "edge" else classes[1])
        if el.tag == _q("g") and "here" in (el.get("class") or "").split():
            return "here", "here"
        el = el.getparent()
    return "", ""


def texts(root, face: Typeface) -> list[Text]:
    """Every text element's lines and the box they take, from the font's ascent to its descent."""
    found = []
    for text in root.iter(_q("text")):
        owner, kind = _owner(text)
        size, bold = float(text.get("font-size")), text.get("font-weight") in ("700", "bold")
        anchor = text.get("text-anchor", "start")
        spans = list(text.iter(_q("tspan"))) or [text]
        boxes, lines = [], []
        for span in spans:
            line = span.text or ""
            x, y = float(span.get("x", text.get("x", "0"))), float(span.get("y", text.get("y", "0")))
            width = face.width(line, size, bold)
            left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
            boxes.append((left, y - face.ascent * size, width, face.height * size))
            lines.append(line)
        box = _union(boxes)
        if text.get("transform"):
            box = _transformed(box, text.get("transform"))
        found.append(Text(owner, kind, tuple(lines), size, bold, box))
    return found


def _transformed(box: Box, transform: str) -> Box:
    """A box through ``translate(a b) rotate(-90)``, the only transform the drawing uses (for bands)."""
    match = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\) rotate\(-90\)", transform)
    assert match, transform
    a, b = float(match.group(1)), float(match.group(2))
    x, y, w, h = box
    # rotate(-90) takes (x, y) to (y, -x)
    return a + y, b - (x + w), h, w


def things(root) -> list[Thing]:
    """The flow nodes' outlines, the done steps' ticks, the bands where pools and lanes write their names,
    and the current step's tag."""
    found = []
    for group in root.iter(_q("g")):
        if not group.get("data-id") or group.get("class").split()[0] != "shape":
            continue
        owner, kind = group.get("data-id"), group.get("class").split()[1]
        outline = next(el for el in group if "outline" in (el.get("class") or "").split())
        if kind in ("participant", "lane"):  # what a reader must tell apart is its band, below
            continue
        found.append(Thing(owner, kind, outline_box(outline)))
        for badge in group.findall(_q("circle")):
            if badge.get("fill") == "#4f7a5a":
                cx, cy, r = float(badge.get("cx")), float(badge.get("cy")), float(badge.get("r"))
                found.append(Thing(owner, "tick", (cx - r, cy - r, 2 * r, 2 * r)))
    for group in root.iter(_q("g")):
        if group.get("data-band"):
            found.append(Thing(group.get("data-band"), group.get("class").split()[1],
                               outline_box(group.find(_q("rect")))))
        if "here" in (group.get("class") or "").split():
            found.append(Thing("here", "here", outline_box(group.find(_q("rect")))))
    return found


def outline_box(el) -> Box:
    tag = etree.QName(el).localname
    if tag == "rect":
        return float(el.get("x")), float(el.get("y")), float(el.get("width")), float(el.get("height"))
    if tag == "circle":
        cx, cy, r = float(el.get("cx")), float(el.get("cy")), float(el.get("r"))
        return cx - r, cy - r, 2 * r, 2 * r
    points = [tuple(map(float, p.split(","))) for p in el.get("points").split()]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def problems(svg: str, face: Typeface, names: dict[str, str]) -> list[str]:
    """Everything wrong with the labels of ``svg``, in words; an empty list for a clean drawing.

    ``names`` are the names the drawing was asked to write, by element id: each label's lines
    must be its name's words in order, none of them cut.
    """
    root = etree.fromstring(svg.encode("utf-8"))
    labels, shapes = texts(root, face), things(root)
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if overlap(a.box, b.box):
                out.append(f"labels of {a.owner} {a.lines} and {b.owner} {b.lines} overlap")
        for s in shapes:
            own = s.owner == a.owner
            if s.kind in ("participant", "lane"):
                if own and not inside(a.box, s.box):
                    out.append(f"the name of {a.owner} leaves its band")
                elif not own and overlap(a.box, s.box):
                    out.append(f"label of {a.owner} {a.lines} runs into the band of {s.owner}")
            elif own and s.kind.endswith("Task"):
                if not inside(a.box, s.box):
                    out.append(f"the name of {a.owner} {a.lines} leaves its box")
            elif overlap(a.box, s.box) and not (own and s.kind == "here"):
                out.append(f"label of {a.owner} {a.lines} runs into {s.kind} {s.owner}")
        if a.owner in names:
            written, expected = " ".join(a.lines).split(), names[a.owner].split()
            if written != expected and not (written and written[-1].endswith("…")
                                            and written[:-1] == expected[:len(written) - 1]):
                out.append(f"the name of {a.owner} is written {a.lines}, not whole words of {names[a.owner]!r}")
    markers = [s for s in shapes if s.kind == "here"]
    for m in markers:
        for s in shapes:
            if s.kind not in ("here", "participant", "lane") and overlap(m.box, s.box):
                out.append(f"the current step's tag runs into {s.kind} {s.owner}")
    return out


def scale_and_sizes(svg: str) -> tuple[float, list[float]]:
    """How many pixels a unit of the drawing takes where it is drawn at its own width, and its font sizes."""
    root = etree.fromstring(svg.encode("utf-8"))
    view = [float(v) for v in root.get("viewBox").split()]
    width = root.get("width")
    assert width and not width.endswith("%"), "a drawing fitted to its container has no size of its own"
    return float(width) / view[2], [float(t.get("font-size")) for t in root.iter(_q("text"))]
