"""The process diagram drawn as inline SVG from the BPMN file's own diagram information."""

import math
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tests.diagram_geometry import inside, overlap, problems, scale_and_sizes, texts, things
from workflows.rendering.diagram import MARGIN, Diagram, Edge, Shape, read_diagram, render_svg
from workflows.rendering.diagram_layout import MIN_SIZE, lay_out
from workflows.rendering.diagram_text import ESTIMATED, balanced, load_typeface, words, wrap

BPMN_PATH = Path(__file__).resolve().parents[1] / "bpmn" / "nomination.bpmn"
FONTS = Path(__file__).resolve().parents[1] / "webapp" / "static" / "fonts"
FAMILY = "'Laurel Noto Sans', sans-serif"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SVG = "http://www.w3.org/2000/svg"
FLOW_NODE_KINDS = ("userTask", "scriptTask", "businessRuleTask", "exclusiveGateway", "startEvent", "endEvent",
                   "boundaryEvent")
DONE = {"start", "prepare_dossier", "endorse", "eligibility"}

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs" targetNamespace="urn:x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" name="Bắt đầu" />
    <bpmn:userTask id="t" name="{name}" />
    <bpmn:sequenceFlow id="f" name="Đúng &amp; đủ &lt;?&gt;" sourceRef="s" targetRef="t" />
  </bpmn:process>
  {diagram}
</bpmn:definitions>
"""
SMALL_DI = """<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
    <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="100" y="220" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="t_di" bpmnElement="t"><dc:Bounds x="200" y="198" width="140" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f_di" bpmnElement="f"><di:waypoint x="136" y="238" /><di:waypoint x="200" y="238" />
    </bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"""
VIETNAMESE = "Xét duyệt <hồ sơ> & khen thưởng"


def small(name: str = VIETNAMESE, diagram: str = SMALL_DI) -> str:
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return SMALL.replace("{name}", escaped).replace("{diagram}", diagram)


@pytest.fixture(scope="module")
def source() -> str:
    return BPMN_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def diagram(source) -> Diagram:
    return read_diagram(source)


@pytest.fixture(scope="module")
def svg(diagram) -> str:
    return render_svg(diagram, current={"check_dossier"}, done=DONE, title="Nomination for an award")


def parse(svg_text: str) -> etree._Element:
    root = etree.fromstring(svg_text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == f"{{{SVG}}}svg"
    return root


def marked(root: etree._Element, state: str) -> list[str]:
    return [el.get("data-id") for el in root.iter() if state in (el.get("class") or "").split()]


def text_of(root: etree._Element, data_id: str) -> list[str]:
    """The lines written in the group for ``data_id``, one per text element."""
    [group] = [el for el in root.iter(f"{{{SVG}}}g") if el.get("data-id") == data_id]
    return [" ".join(span.text for span in text.iter(f"{{{SVG}}}tspan")) or text.text
            for text in group.iter(f"{{{SVG}}}text")]


def test_every_flow_node_appears_once_as_a_shape(source, diagram):
    process = etree.fromstring(source.encode("utf-8")).find(f"{{{BPMN}}}process")
    expected = {el.get("id"): etree.QName(el).localname for kind in FLOW_NODE_KINDS
                for el in process.iter(f"{{{BPMN}}}{kind}")}
    assert len(expected) > 20
    counts = Counter(shape.id for shape in diagram.shapes)
    assert all(counts[node] == 1 for node in expected), counts
    assert {s.id: s.kind for s in diagram.shapes if s.kind in FLOW_NODE_KINDS} == expected
    check = next(s for s in diagram.shapes if s.id == "check_dossier")
    assert (check.kind, check.name, check.width, check.height) == ("userTask", "Check the dossier", 100, 80)


def test_pool_and_the_five_lanes(diagram):
    lanes = [(s.id, s.name) for s in diagram.shapes if s.kind == "lane"]
    assert lanes == [("lane_unit", "Unit"), ("lane_secretariat", "Secretariat"), ("lane_reviewer", "Reviewer"),
                     ("lane_council", "Council"), ("lane_chair", "Chair")]
    [pool] = [s for s in diagram.shapes if s.kind == "participant"]
    assert pool.name == "Emulation and commendation council"


def test_every_sequence_flow_has_an_edge(source, diagram):
    flows = {el.get("id"): el.get("name", "")
             for el in etree.fromstring(source.encode("utf-8")).iter(f"{{{BPMN}}}sequenceFlow")}
    edges = {edge.id: edge for edge in diagram.edges}
    assert set(edges) == set(flows)
    assert all(len(edge.points) >= 2 for edge in edges.values())
    assert {i: e.name for i, e in edges.items()} == flows


def test_coordinates_start_at_the_margin_and_fit(diagram):
    boxes = [(s.x, s.y, s.x + s.width, s.y + s.height) for s in diagram.shapes]
    points = [p for e in diagram.edges for p in e.points]
    assert min(b[0] for b in boxes) == MARGIN and min(b[1] for b in boxes) == MARGIN
    assert all(b[2] <= diagram.width - MARGIN and b[3] <= diagram.height - MARGIN for b in boxes)
    assert all(0 <= x <= diagram.width and 0 <= y <= diagram.height for x, y in points)


def test_svg_is_safe_standalone_xml(svg):
    root = parse(svg)
    assert "<script" not in svg.lower()
    assert not re.search(r"""href\s*=\s*["']?\s*https?:""", svg, re.IGNORECASE)
    assert not re.search(r"\son\w+\s*=", svg, re.IGNORECASE)
    assert all(not name.lower().startswith("on") for el in root.iter() for name in el.attrib)
    assert all(etree.QName(el).namespace == SVG for el in root.iter() if isinstance(el.tag, str))
    assert root.get("role") == "img"
    title_id = root.get("aria-labelledby").split()[0]
    [title] = root.iter(f"{{{SVG}}}title")
    assert (title.get("id"), title.text) == (title_id, "Nomination for an award")
    assert root.find(f"{{{SVG}}}style") is None


def test_current_and_done_land_on_exactly_the_given_ids(svg):
    root = parse(svg)
    assert marked(root, "current") == ["check_dossier"]
    assert sorted(marked(root, "done")) == sorted(DONE)
    [current] = [el for el in root.iter(f"{{{SVG}}}g") if el.get("data-id") == "check_dossier"]
    outline = current.find(f"{{{SVG}}}rect")
    plain = next(el for el in root.iter(f"{{{SVG}}}g") if el.get("data-id") == "appraise").find(f"{{{SVG}}}rect")
    # Presentation lives in attributes, so the highlight shows without any style element.
    assert float(outline.get("stroke-width")) > float(plain.get("stroke-width"))
    assert outline.get("fill") != plain.get("fill") and outline.get("stroke") != plain.get("stroke")
    assert "Check the dossier" in root.find(f"{{{SVG}}}desc").text


def test_current_wins_over_done_and_edges_can_be_marked(diagram):
    root = parse(render_svg(diagram, current={"vote", "f_open_vote"}, done={"vote", "open_vote"}))
    assert sorted(marked(root, "current")) == ["f_open_vote", "vote"]
    assert marked(root, "done") == ["open_vote"]


def test_every_shape_and_edge_is_drawn_with_its_data_id(diagram, svg):
    ids = Counter(el.get("data-id") for el in parse(svg).iter() if el.get("data-id"))
    assert ids == Counter([s.id for s in diagram.shapes] + [e.id for e in diagram.edges])
    assert set(text_of(parse(svg), "appraise")) == {"Appraise the nomination"}


def test_drawing_order_puts_lanes_behind_and_boundary_events_on_top(svg):
    order = [el.get("data-id") for el in parse(svg).iter(f"{{{SVG}}}g")]
    assert order.index("lane_chair") < order.index("f_start_prepare") < order.index("start")
    assert order.index("check_dossier") < order.index("check_overdue")


def test_output_is_deterministic_and_style_is_optional(source, diagram, svg):
    again = render_svg(read_diagram(source), current={"check_dossier"}, done=set(DONE), title="Nomination for an award")
    assert again == svg
    styled = parse(render_svg(diagram, current={"check_dossier"}, embed_style=True))
    assert styled.find(f"{{{SVG}}}style") is not None


def test_names_are_escaped_and_preserved():
    diagram = read_diagram(small())
    [task] = [s for s in diagram.shapes if s.id == "t"]
    assert task.name == VIETNAMESE and task.kind == "userTask"
    svg = render_svg(diagram, current={"t"}, title="Hồ sơ <1> & \"2\"")
    assert "<hồ sơ>" not in svg and "&lt;hồ sơ&gt; &amp;" in svg
    root = parse(svg)
    assert text_of(root, "t") == [VIETNAMESE]
    assert text_of(root, "s") == ["Bắt đầu"]
    assert text_of(root, "f") == ["Đúng & đủ <?>"]
    assert root.find(f"{{{SVG}}}title").text == 'Hồ sơ <1> & "2"'
    assert marked(root, "current") == ["t"]


def test_long_names_are_wrapped_inside_the_box():
    name = "Một tên rất dài cho một bước xét duyệt hồ sơ khen thưởng của hội đồng thi đua " * 3
    root = parse(render_svg(read_diagram(small(name))))
    [group] = [el for el in root.iter(f"{{{SVG}}}g") if el.get("data-id") == "t"]
    spans = list(group.iter(f"{{{SVG}}}tspan"))
    assert 1 < len(spans) <= 5
    assert spans[-1].text.endswith("…")
    rect = group.find(f"{{{SVG}}}rect")
    top, bottom = float(rect.get("y")), float(rect.get("y")) + float(rect.get("height"))
    assert all(top < float(span.get("y")) < bottom for span in spans)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE bpmn:definitions [<!ENTITY boom "EXPANDED">]>',
    '<!DOCTYPE bpmn:definitions [<!ENTITY boom SYSTEM "file:///etc/hostname">]>',
    '<!DOCTYPE bpmn:definitions [<!ENTITY a "aaaaaaaaaa"><!ENTITY boom "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
])
def test_a_doctype_is_refused(doctype):
    text = small().replace('<bpmn:process id="p" isExecutable="true">',
                           '<bpmn:process id="p" isExecutable="true"><bpmn:documentation>&boom;</bpmn:documentation>')
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    text = text.replace(declaration, declaration + doctype)
    assert "&boom;" in text
    with pytest.raises(ValueError, match="DOCTYPE"):
        read_diagram(text)


def test_malformed_xml_is_a_value_error():
    with pytest.raises(ValueError):
        read_diagram("<bpmn:definitions")


def test_no_diagram_information_gives_an_empty_diagram():
    diagram = read_diagram(small(diagram=""))
    assert diagram == Diagram() and diagram.shapes == () and diagram.edges == ()
    svg = render_svg(diagram, title="Nomination")
    root = parse(svg)
    assert "No diagram" in "".join(root.itertext())
    assert float(root.get("width")) <= 300 and float(root.get("height")) <= 100
    assert render_svg(Diagram()) == render_svg(Diagram())


def test_dataclasses_are_frozen():
    shape = Shape("a", "task", "A", 0, 0, 10, 10)
    edge = Edge("e", ((0, 0), (1, 1)), "")
    with pytest.raises(AttributeError):
        shape.x = 1
    with pytest.raises(AttributeError):
        edge.points = ()


# -- words: measured with the served font, wrapped between words, clear of everything -------------------------


@pytest.fixture(scope="module")
def face():
    return load_typeface(FAMILY, FONTS / "NotoSans-Regular.ttf", FONTS / "NotoSans-Bold.ttf")


def names_of(diagram: Diagram) -> dict[str, str]:
    return {item.id: item.name for item in (*diagram.shapes, *diagram.edges) if item.name}


def flow_nodes(diagram: Diagram) -> list[str]:
    return [s.id for s in diagram.shapes if s.kind not in ("participant", "lane")]


def test_widths_are_the_fonts_own(face):
    # Noto Sans's advance widths, in thousandths of an em: A 639, a 561, space 260, ệ 564, bold A 692.
    assert face.width("A", 1000) == pytest.approx(639) and face.width("a ", 1000) == pytest.approx(561 + 260)
    assert face.width("ệ", 1000) == pytest.approx(564) and face.width("A", 1000, bold=True) == pytest.approx(692)
    decomposed = "Kie\u0302\u0309m tra"  # "Kiểm tra" typed with combining marks measures as the composed one
    assert face.width(" ".join(words(decomposed)), 12) == pytest.approx(face.width("Kiểm tra", 12))
    assert face.width("Kiểm tra hồ sơ", 13) == pytest.approx(13 * face.width("Kiểm tra hồ sơ", 1))
    assert face.family.startswith("'Laurel Noto Sans'") and 1.0 < face.height < 1.5


@pytest.mark.parametrize("text", ["Kiểm tra hồ sơ đề nghị khen thưởng của đơn vị", "Appraise the nomination",
                                  "Supercalifragilisticexpialidocious and more", "Một", ""])
@pytest.mark.parametrize("width", [30, 60, 90, 140, 400])
def test_wrapping_never_breaks_a_word(face, text, width):
    def measure(line):
        return face.width(line, 12)

    lines = wrap(text, width, measure)
    if any(measure(word) > width for word in words(text)):
        assert lines is None
    else:
        assert " ".join(lines).split(" ") == words(text) if text else lines == []
        assert all(measure(line) <= width for line in lines)
        greedy = len(wrap(text, width, measure))
        assert len(balanced(text, greedy, measure)) <= greedy


def test_a_last_word_alone_takes_the_word_before_it_along(face):
    def measure(line):
        return face.width(line, 13, True)

    width = measure("Chuẩn bị hồ") + 1  # "Chuẩn bị hồ / sơ" when lines are simply filled
    assert wrap("Chuẩn bị hồ sơ", width, measure) == ["Chuẩn bị", "hồ sơ"]
    assert balanced("Lập đề nghị khen thưởng", 2, measure) == ["Lập đề nghị", "khen thưởng"]
    width = measure("hồ sơ khen") - 1
    assert wrap("hồ sơ khen", width, measure) == ["hồ", "sơ khen"]
    assert wrap("hồ\u00a0sơ khen", width, measure) == ["hồ\u00a0sơ", "khen"]  # a no-break space holds


@pytest.mark.parametrize("current", [None, *flow_nodes(read_diagram(BPMN_PATH.read_text(encoding="utf-8")))])
def test_no_label_touches_another_or_a_step_it_does_not_name(diagram, face, current):
    steps = flow_nodes(diagram)
    done = set(steps[:steps.index(current)]) if current else set(steps)  # every step before ticked
    svg = render_svg(diagram, current={current} if current else set(), done=done, typeface=face)
    assert problems(svg, face, names_of(diagram)) == []
    scale, sizes = scale_and_sizes(svg)
    assert scale == 1.0 and min(sizes) >= MIN_SIZE
    root = parse(svg)
    assert root.get("font-family") == FAMILY
    tags = [g for g in root.iter(f"{{{SVG}}}g") if g.get("class") == "here"]
    kind = {s.id: s.kind for s in diagram.shapes}.get(current, "")
    if kind.endswith(("Task", "task", "subProcess", "callActivity")):  # a step worked at always has its tag
        [tag] = tags
        assert "".join(tag.itertext()) == "Here now"
    assert len(tags) <= (1 if current else 0)


def test_the_current_step_is_bold_thick_and_tagged_the_done_ones_ticked(diagram, face):
    root = parse(render_svg(diagram, current={"appraise"}, done={"check_dossier"}, typeface=face, here="Đang ở đây"))
    groups = {g.get("data-id"): g for g in root.iter(f"{{{SVG}}}g") if g.get("data-id")}
    [name] = groups["appraise"].iter(f"{{{SVG}}}text")
    assert name.get("font-weight") == "700"
    assert all(t.get("font-weight") != "700" for t in groups["vote"].iter(f"{{{SVG}}}text"))
    assert float(groups["appraise"].find(f"{{{SVG}}}rect").get("stroke-width")) >= 3
    [tag] = [g for g in root.iter(f"{{{SVG}}}g") if g.get("class") == "here"]
    assert "".join(tag.itertext()) == "Đang ở đây" and tag.get("aria-hidden") == "true"
    box = [t for t in things(root) if t.kind == "here"][0].box
    step = [t for t in things(root) if t.owner == "appraise"][0].box
    assert math.dist((box[0] + box[2] / 2, box[1] + box[3] / 2), (step[0] + step[2] / 2, step[1] + step[3] / 2)) < 120
    assert groups["check_dossier"].find(f"{{{SVG}}}path[@class='check']") is not None
    assert groups["vote"].find(f"{{{SVG}}}path[@class='check']") is None


ROW = """<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
    <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="100" y="220" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="t_di" bpmnElement="t"><dc:Bounds x="170" y="198" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="g_di" bpmnElement="g"><dc:Bounds x="290" y="213" width="50" height="50" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="u_di" bpmnElement="u"><dc:Bounds x="360" y="198" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f_di" bpmnElement="f"><di:waypoint x="136" y="238" /><di:waypoint x="170" y="238" />
    </bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="h_di" bpmnElement="h"><di:waypoint x="270" y="238" /><di:waypoint x="290" y="238" />
    </bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="k_di" bpmnElement="k"><di:waypoint x="340" y="238" /><di:waypoint x="360" y="238" />
    </bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"""


def crowded(task: str, flow: str) -> Diagram:
    """Start, task, gateway and task in a row with little room between them; ``flow`` names gateway to task."""
    text = small(task, ROW).replace(
        '<bpmn:sequenceFlow id="f" name="Đúng &amp; đủ &lt;?&gt;" sourceRef="s" targetRef="t" />',
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" /><bpmn:exclusiveGateway id="g" name="Đạt?" />'
        '<bpmn:sequenceFlow id="h" sourceRef="t" targetRef="g" /><bpmn:userTask id="u" name="Ghi nhận" />'
        f'<bpmn:sequenceFlow id="k" name="{flow}" sourceRef="g" targetRef="u" />')
    return read_diagram(text)


def test_a_word_too_long_for_its_box_grows_the_box_and_moves_the_rest_along(face):
    word = "Khenthưởngđộtxuấtcấpnhànướckhôngcóchỗtrống"
    diagram = crowded(f"Xét {word}", "Không")
    layout = lay_out(diagram, face)
    shapes = {s.id: s for s in layout.diagram.shapes}
    before = {s.id: s for s in diagram.shapes}
    label = layout.texts["t"]
    assert word in label.lines and label.size >= MIN_SIZE
    assert face.width(word, label.size, True) <= shapes["t"].width
    assert shapes["t"].width > before["t"].width
    grown = shapes["t"].width - before["t"].width
    assert shapes["u"].x - before["u"].x >= grown  # what stood right of it moved on, the gap kept
    assert shapes["s"].x == before["s"].x
    edge = {e.id: e for e in layout.diagram.edges}["h"]
    assert edge.points[0][0] == shapes["t"].x + shapes["t"].width and edge.points[-1][0] == shapes["g"].x
    svg = render_svg(diagram, typeface=face)
    assert problems(svg, face, names_of(diagram)) == []


def test_a_flow_name_with_no_room_beside_its_flow_makes_the_flow_longer(face):
    diagram = crowded("Xét", "Không được thông qua")
    layout = lay_out(diagram, face)
    before = {e.id: e for e in diagram.edges}["k"].points
    after = {e.id: e for e in layout.diagram.edges}["k"].points
    assert after[1][0] - after[0][0] > before[1][0] - before[0][0]
    label = layout.texts["k"]
    assert label.box[0] >= after[0][0] and label.box[0] + label.box[2] <= after[1][0]  # beside its own flow
    svg = render_svg(diagram, typeface=face)
    assert problems(svg, face, names_of(diagram)) == []
    assert min(scale_and_sizes(svg)[1]) >= MIN_SIZE


def test_without_the_fonts_metrics_the_words_are_counted_wide(diagram):
    svg = render_svg(diagram, current={"vote"})
    assert parse(svg).get("font-family") == ESTIMATED.family
    assert problems(svg, ESTIMATED, names_of(diagram)) == []


def test_band_names_stay_in_their_band(diagram, face):
    root = parse(render_svg(diagram, typeface=face))
    bands = {t.owner: t.box for t in things(root) if t.kind in ("lane", "participant")}
    for label in texts(root, face):
        if label.owner in bands:
            assert inside(label.box, bands[label.owner]) and label.size >= MIN_SIZE
            assert not any(overlap(label.box, box) for owner, box in bands.items() if owner != label.owner)
