"""The nomination page's diagram in English and Vietnamese: its words whole, apart, large, in the served font."""

import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from lxml import etree

from tests.diagram_geometry import problems, scale_and_sizes, texts
from webapp import vocabulary
from webapp.pages.nominations import DIAGRAM_FACES, DIAGRAM_FAMILY, diagram_typeface
from workflows.rendering.diagram import read_diagram, render_svg

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}
MIN_PX = 11.0


def css_rules(selector: str) -> str:
    """The declarations of the rule for ``selector`` in laurel.css."""
    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", (STATIC / "laurel.css").read_text(encoding="utf-8"))
    assert found, selector
    return found.group(1)


def the_diagram(html: str) -> str:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="bpmn-diagram"')
    return html[start:html.index("</svg>", start) + len("</svg>")]


def words_of(app, locale: str):
    with app.test_request_context(), force_locale(locale):
        return diagram_typeface(), vocabulary.diagram_names(), gettext("Here now")


@pytest.mark.parametrize("headers, locale", [({}, "en"), (VI, "vi")], ids=["en", "vi"])
def test_the_pages_diagram_writes_whole_words_apart_and_at_least_11_pixels(app, browser, nominate, walk,
                                                                            headers, locale):
    nid = nominate()
    walk(nid, "vote")
    svg = the_diagram(browser("sec", **headers).get(f"/nominations/{nid}").get_data(as_text=True))
    face, names, here = words_of(app, locale)
    assert problems(svg, face, names) == []
    # The page gives the drawing no width of its own: it is drawn at its size and the figure scrolls, so
    # at 1280 pixels as at any width, a unit of the drawing is a pixel on the screen.
    figure = css_rules(".bpmn-figure svg.bpmn-diagram")
    assert "max-width: none" in figure and not re.search(r"(?<![-\w])width\s*:", figure)
    assert "overflow-x: auto" in css_rules(".bpmn-figure ")
    scale, sizes = scale_and_sizes(svg)
    assert scale == 1.0 and min(sizes) * scale >= MIN_PX
    written = {t.owner: " ".join(t.lines) for t in texts(etree.fromstring(svg.encode("utf-8")), face)}
    assert written["tally"] == names["tally"] and written["f_not_passed"] == names["f_not_passed"]
    assert here in svg and ("Đang ở đây" in svg) == (locale == "vi")


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_every_step_as_the_current_one_keeps_every_label_clear(app, locale):
    diagram = read_diagram((Path(app.config["BPMN_FOLDER"]) / "nomination.bpmn").read_text(encoding="utf-8"))
    face, names, here = words_of(app, locale)
    steps = [s.id for s in diagram.shapes if s.kind not in ("participant", "lane")]
    for step in steps:
        svg = render_svg(diagram, current={step}, done=set(steps[:steps.index(step)]), names=names,
                         typeface=face, here=here)
        assert problems(svg, face, names) == [], step
        assert min(scale_and_sizes(svg)[1]) >= MIN_PX


def test_the_diagram_names_the_font_the_page_serves_and_measures(app, browser, nominate):
    family = DIAGRAM_FAMILY.split(",")[0].strip().strip("'\"")
    faces = re.findall(r"@font-face\s*\{([^}]*)\}", (STATIC / "laurel.css").read_text(encoding="utf-8"))
    served = {re.search(r"font-weight:\s*(\d+)", f).group(1): re.search(r'url\("fonts/([^"]+)"\)', f).group(1)
              for f in faces if family in f}
    assert served == {str(weight): name for name, weight in DIAGRAM_FACES}
    anonymous = browser()
    for name, _ in DIAGRAM_FACES:
        response = anonymous.get(f"/static/fonts/{name}")
        assert response.status_code == 200 and response.data == (STATIC / "fonts" / name).read_bytes()
        response.close()
    nid = nominate()
    page = browser("clerk_a").get(f"/nominations/{nid}").get_data(as_text=True)
    assert 'class="bpmn-diagram"' in page and f'font-family="{DIAGRAM_FAMILY}"' in page
    standalone = browser("clerk_a").get(f"/nominations/{nid}/diagram.svg")
    svg = standalone.get_data(as_text=True)
    assert "font-src 'self'" in standalone.headers["Content-Security-Policy"]
    for name, weight in DIAGRAM_FACES:
        assert f"font-weight:{weight};font-display:block;src:url(/static/fonts/{name})" in svg
    assert f"text{{font-family:{DIAGRAM_FAMILY}}}" in svg
