"""A process diagram as inline SVG, drawn from the BPMN file's own diagram information (shapes, bounds, waypoints)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

from lxml import etree

from workflows.rendering.diagram_layout import (
    BADGE,
    LINE,
    MARKER_SIZE,
    POINTER,
    Band,
    Label,
    Layout,
    Marker,
    badge_centre,
    is_rigid,
    lay_out,
)
from workflows.rendering.diagram_text import ESTIMATED, Typeface

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}
MARGIN = 20.0
Box = tuple[float, float, float, float]
# state -> (fill, stroke, stroke width, text colour)
PALETTE = {"": ("#ffffff", "#3a4a5c", 1.5, "#1f2933"), "done": ("#eef4ef", "#7d9c84", 1.5, "#56655a"),
           "current": ("#fff1c2", "#c25e00", 3.5, "#1f2933")}
HERE = "#a64f00"  # the tag of the current step: white words on it read at 5.6 to 1
STYLE = (".bpmn-diagram .current>.outline{stroke:#c25e00;stroke-width:3.5px;fill:#fff1c2}"
         ".bpmn-diagram .done>.outline{stroke:#7d9c84;fill:#eef4ef}"
         ".bpmn-diagram .edge.current>polyline{stroke-width:2.5px}")


@dataclass(frozen=True)
class Shape:
    id: str
    kind: str
    name: str
    x: float
    y: float
    width: float
    height: float
    label: Box | None = None  # where the diagram places the external label (events, gateways), if it does


@dataclass(frozen=True)
class Edge:
    id: str
    points: tuple[tuple[float, float], ...]
    name: str = ""
    label: Box | None = None


@dataclass(frozen=True)
class Diagram:
    shapes: tuple[Shape, ...] = ()
    edges: tuple[Edge, ...] = ()
    width: float = 0.0
    height: float = 0.0


def _bounds(el, names: tuple[str, ...] = ("x", "y", "width", "height")) -> Box | None:
    values = None if el is None else tuple(float(el.get(name, "0")) for name in names)
    if values and not all(math.isfinite(value) for value in values):
        raise ValueError(f"diagram coordinates {values} are not all finite numbers")
    return values


def read_diagram(bpmn_xml: str | bytes) -> Diagram:
    """The first diagram of a BPMN document, shifted so that it starts at the margin. Refuses any DOCTYPE."""
    text = isinstance(bpmn_xml, str)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False,
                             encoding="utf-8" if text else None)
    try:
        root = etree.fromstring(bpmn_xml.encode("utf-8") if text else bpmn_xml, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise ValueError("a BPMN document with a DOCTYPE is refused")
    by_id = {el.get("id"): el for el in reversed(list(root.iter())) if isinstance(el.tag, str) and el.get("id")}
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    if plane is None:
        return Diagram()

    def element(di) -> tuple[str, str, str, Box | None]:
        ref = di.get("bpmnElement") or di.get("id", "")
        el = by_id.get(ref)
        kind, name = ("unknown", "") if el is None else (etree.QName(el).localname, el.get("name", ""))
        return ref, kind, name, _bounds(di.find("bpmndi:BPMNLabel/dc:Bounds", NS))

    shapes, edges = [], []
    for di in plane.iterfind("bpmndi:BPMNShape", NS):
        if (bounds := _bounds(di.find("dc:Bounds", NS))) is not None:
            ref, kind, name, label = element(di)
            shapes.append(Shape(ref, kind, name, *bounds, label))
    for di in plane.iterfind("bpmndi:BPMNEdge", NS):
        ref, _, name, label = element(di)
        edges.append(Edge(ref, tuple(_bounds(p, ("x", "y")) for p in di.iterfind("di:waypoint", NS)), name, label))
    boxes = [(s.x, s.y, s.width, s.height) for s in shapes] + [b.label for b in shapes + edges if b.label]
    boxes += [(x, y, 0.0, 0.0) for e in edges for x, y in e.points]
    if not boxes:
        return Diagram()
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    dx, dy = MARGIN - left, MARGIN - top

    def moved(box: Box | None) -> Box | None:
        return None if box is None else (box[0] + dx, box[1] + dy, box[2], box[3])

    shapes = [replace(s, x=s.x + dx, y=s.y + dy, label=moved(s.label)) for s in shapes]
    edges = [replace(e, points=tuple((x + dx, y + dy) for x, y in e.points), label=moved(e.label)) for e in edges]
    width = max(b[0] + b[2] for b in boxes) - left + 2 * MARGIN
    return Diagram(tuple(shapes), tuple(edges), width, max(b[1] + b[3] for b in boxes) - top + 2 * MARGIN)


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _esc(text: str) -> str:
    return escape("".join(c for c in text if c >= " " or c in "\t\n"), {'"': "&quot;"})


def _el(tag: str, content: str | None = None, **attrs) -> str:
    """An SVG element; ``cls`` stands for class, underscores for hyphens, numbers are written briefly."""
    text = "".join(f' {"class" if k == "cls" else k.replace("_", "-")}="{_esc(v) if isinstance(v, str) else _n(v)}"'
                   for k, v in attrs.items())
    return f"<{tag}{text}/>" if content is None else f"<{tag}{text}>{content}</{tag}>"


def _text(label: Label, ascent: float, fill: str, bold: bool = False, halo: bool = False) -> str:
    spans = "".join(_el("tspan", _esc(line), x=label.cx, y=y) for line, y in zip(label.lines, label.baselines(ascent)))
    attrs = {"font_size": label.size, "fill": fill, "text_anchor": "middle"}
    if bold:
        attrs["font_weight"] = "700"
    if halo:  # a line that passes near a label never runs through its letters
        attrs.update(stroke="#ffffff", stroke_width=3, stroke_linejoin="round", paint_order="stroke")
    return _el("text", spans, **attrs)


def _band(s: Shape, band: Band, layout: Layout) -> str:
    """The band at a pool's or lane's left where its name is written upwards.

    Bands are drawn last, over everything, in one group: a page that scrolls the drawing sideways
    may keep them in view at its left edge, as a spreadsheet keeps its first column.
    """
    lane = s.kind == "lane"
    cx, cy = s.x + band.width / 2, s.y + s.height / 2
    step = band.size * LINE
    first = -(len(band.lines) - 1) * step / 2
    middle = (layout.ascent - layout.descent) / 2 * band.size  # the baseline that centres a line on its axis
    lines = "".join(_el("text", _esc(line), transform=f"translate({_n(cx + first + i * step)} {_n(cy)}) rotate(-90)",
                        y=middle, font_size=band.size, font_weight="700", fill="#1f2933", text_anchor="middle")
                    for i, line in enumerate(band.lines))
    return (f'<g class="band {s.kind}" data-band="{_esc(s.id)}">'
            + _el("rect", x=s.x, y=s.y, width=band.width, height=s.height, fill="#eef2f6" if lane else "#ffffff",
                  stroke="#9aa5b1" if lane else "#3a4a5c") + lines + "</g>")


def _tick(s: Shape) -> str:
    """The badge of a done step, on its top right corner, clear of its name."""
    cx, cy = badge_centre(s)
    return (_el("circle", cx=cx, cy=cy, r=BADGE - 1, fill="#4f7a5a", stroke="#ffffff", stroke_width=1.5)
            + _el("path", cls="check", d=f"M{_n(cx - 3.5)},{_n(cy + 0.5)}l2.5,2.5l4.5,-5.5", fill="none",
                  stroke="#ffffff", stroke_width=2, stroke_linecap="round", stroke_linejoin="round"))


def _shape(s: Shape, state: str, layout: Layout) -> str:
    """One flow node or band, with its name: inside a box, beside an event or gateway."""
    fill, stroke, width, ink = PALETTE[state]
    x, y, w, h = s.x, s.y, s.width, s.height
    cx, cy = x + w / 2, y + h / 2
    out = [f'<g class="{_esc(" ".join(filter(None, ["shape", s.kind, state])))}" data-id="{_esc(s.id)}">']
    if s.kind in ("participant", "lane"):  # its name is in its band, drawn over everything else
        out.append(_el("rect", cls="outline", x=x, y=y, width=w, height=h, fill="#f7f9fb" if s.kind == "lane"
                       else "none", stroke="#9aa5b1" if s.kind == "lane" else "#3a4a5c"))
    elif s.kind.endswith("Event"):
        bold = max({"endEvent": 4.0, "startEvent": 2.0}.get(s.kind, 1.5), width)
        out.append(_el("circle", cls="outline", cx=cx, cy=cy, r=min(w, h) / 2, fill=fill, stroke=stroke,
                       stroke_width=bold))
        if s.kind not in ("startEvent", "endEvent"):
            out.append(_el("circle", cx=cx, cy=cy, r=min(w, h) / 2 - 3, fill="none", stroke=stroke))
    elif s.kind.endswith("Gateway"):
        out.append(_el("polygon", cls="outline", points=f"{_n(cx)},{_n(y)} {_n(x + w)},{_n(cy)} {_n(cx)},{_n(y + h)} "
                       f"{_n(x)},{_n(cy)}", fill=fill, stroke=stroke, stroke_width=width))
        a, b = w * 0.18, w * 0.25
        mark = {"exclusiveGateway": f"M{_n(cx - a)},{_n(cy - a)}l{_n(2 * a)},{_n(2 * a)}m0,{_n(-2 * a)}"
                                    f"l{_n(-2 * a)},{_n(2 * a)}",
                "parallelGateway": f"M{_n(cx)},{_n(cy - b)}v{_n(2 * b)}M{_n(cx - b)},{_n(cy)}h{_n(2 * b)}"}
        if s.kind in mark:
            out.append(_el("path", d=mark[s.kind], fill="none", stroke=stroke, stroke_width=3.5))
    else:
        rounded = s.kind.endswith("Task") or s.kind in ("task", "subProcess", "callActivity")
        out.append(_el("rect", cls="outline", x=x, y=y, width=w, height=h, rx=10 if rounded else 0, fill=fill,
                       stroke=stroke, stroke_width=width))
    if s.id in layout.texts:
        out.append(_text(layout.texts[s.id], layout.ascent, ink, bold=state == "current",
                         halo=is_rigid(s.kind)))
    if state == "done":
        out.append(_tick(s))
    return "".join(out + ["</g>"])


def _edge(e: Edge, state: str, pid: str, layout: Layout) -> str:
    _, stroke, _, ink = PALETTE[state]
    out = [f'<g class="{" ".join(filter(None, ["edge", state]))}" data-id="{_esc(e.id)}">',
           _el("polyline", points=" ".join(f"{_n(x)},{_n(y)}" for x, y in e.points), fill="none", stroke=stroke,
               stroke_width=2.5 if state == "current" else 1.5, stroke_linejoin="round",
               marker_end=f"url(#{pid}-arrow-{state or 'plain'})")]
    if e.id in layout.texts:
        out.append(_text(layout.texts[e.id], layout.ascent, ink, halo=True))
    return "".join(out + ["</g>"])


def _here(marker: Marker, text: str, layout: Layout) -> str:
    """The tag that says which step the nomination is at, its pointer touching the step's outline."""
    x, y, w, h = marker.box
    tx, ty = marker.tip
    base = {"above": ((tx - POINTER, y + h), (tx + POINTER, y + h)), "below": ((tx - POINTER, y), (tx + POINTER, y)),
            "left": ((x + w, ty - POINTER), (x + w, ty + POINTER)),
            "right": ((x, ty - POINTER), (x, ty + POINTER))}[marker.side]
    pointer = f"M{_n(base[0][0])},{_n(base[0][1])}L{_n(tx)},{_n(ty)}L{_n(base[1][0])},{_n(base[1][1])}z"
    baseline = y + h / 2 + (layout.ascent - layout.descent) / 2 * MARKER_SIZE
    return ('<g class="here" aria-hidden="true">' + _el("rect", x=x, y=y, width=w, height=h, rx=h / 2, fill=HERE)
            + _el("path", d=pointer, fill=HERE)
            + _el("text", _el("tspan", _esc(text), x=x + w / 2, y=baseline), font_size=MARKER_SIZE,
                  font_weight="700", fill="#ffffff", text_anchor="middle") + "</g>")


def _style(face: Typeface) -> str:
    return face.faces_css + ".bpmn-diagram text{font-family:" + face.family + "}" + STYLE


def render_svg(diagram: Diagram, *, current: AbstractSet[str] = frozenset(), done: AbstractSet[str] = frozenset(),
               title: str = "", embed_style: bool = False, names: Mapping[str, str] | None = None,
               description: str | None = None, typeface: Typeface | None = None, here: str = "Here now") -> str:
    """A standalone SVG of ``diagram``: ids in ``current`` highlighted and tagged ``here``, ids in ``done`` ticked.

    ``names`` replaces the diagram's own names by id (a reader's language). The drawing is at its
    own size, one unit a pixel; its words are laid out with the metrics of ``typeface`` and drawn in
    its family (without one, with wide estimates in any sans font). ``description`` replaces the
    English summary of the current and completed steps read out by screen readers.
    """
    face = typeface or ESTIMATED
    if names:
        diagram = replace(diagram, shapes=tuple(replace(s, name=names.get(s.id, s.name)) for s in diagram.shapes),
                          edges=tuple(replace(e, name=names.get(e.id, e.name)) for e in diagram.edges))
    pid = "bpmn-" + hashlib.sha1(repr((diagram, title)).encode("utf-8")).hexdigest()[:10]
    empty = not diagram.shapes and not diagram.edges
    label_of = {s.id: s.name or s.id for s in diagram.shapes}
    now = [label_of[s] for s in label_of if s in current]
    finished = [label_of[s.id] for s in diagram.shapes if s.id in done and s.id not in current
                and s.kind not in ("participant", "lane")]
    desc = " ".join(filter(None, [f"Current step: {', '.join(now)}." if now else "",
                                  f"Done: {', '.join(finished)}." if finished else ""]))
    desc = desc if description is None else description
    out = [_el("title", _esc(title or "Process diagram"), id=f"{pid}-title")]
    out += [_el("desc", _esc(desc), id=f"{pid}-desc")] if desc else []
    out += [f"<style>{_style(face)}</style>"] if embed_style else []
    if empty:
        width, height = 200.0, 40.0
        out.append(_el("text", "No diagram", x=100, y=25, font_size=14, fill="#56655a", text_anchor="middle"))
    else:
        layout = lay_out(diagram, face, here)
        diagram, width, height = layout.diagram, layout.width, layout.height
        out.append("<defs>" + "".join(
            _el("marker", _el("path", d="M0,0L10,5L0,10z", fill=stroke), id=f"{pid}-arrow-{key or 'plain'}",
                viewBox="0 0 10 10", refX=9, refY=5, markerWidth=7, markerHeight=7, orient="auto")
            for key, (_, stroke, _, _) in PALETTE.items()) + "</defs>")
        states = {**{item: "done" for item in done}, **{item: "current" for item in current}}
        order = {"participant": 0, "lane": 1, "boundaryEvent": 3}
        shapes = sorted(diagram.shapes, key=lambda s: order.get(s.kind, 2))  # stable: document order within a layer
        out += [_shape(s, states.get(s.id, ""), layout) for s in shapes if order.get(s.kind, 2) < 2]
        out += [_edge(e, states.get(e.id, ""), pid, layout) for e in diagram.edges if len(e.points) >= 2]
        out += [_shape(s, states.get(s.id, ""), layout) for s in shapes if order.get(s.kind, 2) >= 2]
        out += [_here(layout.markers[s.id], here, layout) for s in shapes
                if s.id in current and s.id in layout.markers]
        banded = [s for s in shapes if s.id in layout.bands]
        if banded:  # with a white margin at their left, that hides what they pass over when they move
            top, bottom = min(s.y for s in banded), max(s.y + s.height for s in banded)
            margin = _el("rect", x=0, y=top - 1, width=min(s.x for s in banded), height=bottom - top + 2,
                         fill="#ffffff")
            out.append('<g class="bands">' + margin + "".join(_band(s, layout.bands[s.id], layout)
                                                              for s in banded) + "</g>")
    labelled = f"{pid}-title {pid}-desc" if desc else f"{pid}-title"
    return _el("svg", "\n" + "\n".join(out) + "\n", xmlns="http://www.w3.org/2000/svg", cls="bpmn-diagram",
               viewBox=f"0 0 {_n(width)} {_n(height)}", width=width, height=height, role="img",
               aria_labelledby=labelled, font_family=face.family, text_rendering="geometricPrecision")
