"""The process diagram as a reader sees it in Chromium at 1280 pixels: its words' size, place and font, measured.

The page's own drawing is measured in the browser (getBBox, getBoundingClientRect, getComputedTextLength),
in English and in Vietnamese: every word at least 11 pixels high on the screen, no label on another label
or on a step it does not name, each line as wide as the layout measured it with the served font's widths,
and the figure opened on the current step without the page itself scrolling sideways.
"""

from pathlib import Path

import pytest

from tests.browser.conftest import VIEWPORT, require_browser, sign_in
from tests.diagram_geometry import overlap
from webapp.pages.nominations import DIAGRAM_FACES, DIAGRAM_FAMILY
from workflows.rendering.diagram_text import load_typeface

expect = require_browser()

FONTS = Path(__file__).resolve().parents[2] / "webapp" / "static" / "fonts"
FACE = load_typeface(DIAGRAM_FAMILY, *(FONTS / name for name, _ in DIAGRAM_FACES))
MIN_PX = 11.0

MEASURE = """svg => {
    const scale = svg.getScreenCTM().a;
    const owner = el => {
        const group = el.closest("g[data-id], g[data-band], g.here");
        if (group.classList.contains("here")) return ["here", "here"];
        if (group.dataset.band) return [group.dataset.band, group.classList[1]];
        return [group.dataset.id, group.classList[0] === "edge" ? "edge" : group.classList[1]];
    };
    const box = r => [r.left, r.top, r.width, r.height];
    const texts = [...svg.querySelectorAll("text")].map(text => ({
        owner: owner(text)[0], kind: owner(text)[1], size: parseFloat(text.getAttribute("font-size")),
        bold: text.getAttribute("font-weight") === "700", family: getComputedStyle(text).fontFamily,
        lines: [...text.querySelectorAll("tspan")].map(t => [t.textContent, t.getComputedTextLength()]),
        box: box(text.getBoundingClientRect()),
    }));
    const outlines = "g.shape:not(.lane):not(.participant) > .outline, g.band > rect";
    const shapes = [...svg.querySelectorAll(outlines)].map(outline => {
        const [id, kind] = owner(outline);
        return {owner: id, kind, box: box(outline.getBoundingClientRect())};
    });
    const ticks = [...svg.querySelectorAll("g.shape.done > circle[fill='#4f7a5a']")].map(c => ({
        owner: owner(c)[0], kind: "tick", box: box(c.getBoundingClientRect())}));
    const tags = [...svg.querySelectorAll("g.here > rect")].map(r => ({owner: "here", kind: "here",
                                                                        box: box(r.getBoundingClientRect())}));
    return {scale, texts, things: shapes.concat(ticks, tags)};
}"""


def fonts_loaded(page) -> list[str]:
    """The state of each face of the diagram's font, once the page's fonts have settled."""
    return page.evaluate("""async () => {
        await document.fonts.ready;
        await Promise.all([document.fonts.load('12px "Laurel Noto Sans"'),
                           document.fonts.load('bold 12px "Laurel Noto Sans"')]);
        return [...document.fonts].filter(f => f.family.replace(/"/g, "") === "Laurel Noto Sans")
                                  .map(f => `${f.weight}:${f.status}`);
    }""")


def shrunk(box, by=0.5):
    """A box a little smaller: edges that touch to a fraction of a pixel do not overlap."""
    x, y, w, h = box
    return x + by, y + by, w - 2 * by, h - 2 * by


@pytest.mark.parametrize("locale", ["en-US", "vi"])
def test_the_diagrams_words_are_readable_apart_and_measured_with_the_served_font(page, locale, nominate, walk):
    nid = nominate()
    walk(nid, "sign_decision")
    sign_in(page, "sec")
    page.goto(f"/nominations/{nid}")
    figure = page.locator("figure.bpmn-figure")
    expect(figure.locator("svg.bpmn-diagram")).to_be_visible()
    assert sorted(fonts_loaded(page)) == ["400:loaded", "700:loaded"]

    # The page does not scroll sideways: the figure does, and it opens on the current step, the bands
    # naming who works where kept at its left edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    frame = figure.bounding_box()
    assert frame["x"] >= 0 and frame["x"] + frame["width"] <= VIEWPORT["width"]
    assert figure.evaluate("f => f.scrollWidth > f.clientWidth && f.scrollLeft > 0")
    for shown in (figure.locator("g.shape.current[data-id=sign_decision]"), figure.locator("g.here")):
        box = shown.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    band = figure.locator("g.band.lane[data-band=lane_chair]").bounding_box()
    assert frame["x"] <= band["x"] <= frame["x"] + 60
    figure.evaluate("f => { f.scrollLeft = 0; }")
    page.wait_for_function("() => !document.querySelector('g.bands').getAttribute('transform')")

    drawn = figure.locator("svg.bpmn-diagram").evaluate(MEASURE)
    texts, things = drawn["texts"], drawn["things"]
    assert len(texts) > 40 and any(t["owner"] == "here" for t in texts)

    # Every word at least 11 pixels on the screen, in the font the layout measured.
    sizes = [t["size"] * drawn["scale"] for t in texts]
    assert min(sizes) >= MIN_PX, min(sizes)
    assert all(t["family"].startswith('"Laurel Noto Sans"') for t in texts)
    for text in texts:
        for line, length in text["lines"]:
            expected = FACE.width(line, text["size"], text["bold"])
            assert abs(length - expected) <= 0.01 * expected + 0.5, (line, length, expected)

    # No label on another, nor on a step, tick or tag it does not name; a box's name stays in its box.
    problems = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if overlap(shrunk(a["box"]), shrunk(b["box"])):
                problems.append(f"{a['lines']} / {b['lines']}")
        for thing in things:
            own = thing["owner"] == a["owner"]
            if own and (thing["kind"].endswith("Task") or thing["kind"] in ("lane", "participant", "here")):
                x, y, w, h = thing["box"]
                ax, ay, aw, ah = shrunk(a["box"])
                if not (ax >= x and ay >= y and ax + aw <= x + w and ay + ah <= y + h):
                    problems.append(f"{a['lines']} leaves {thing['owner']}")
            elif overlap(shrunk(a["box"]), shrunk(thing["box"])):
                problems.append(f"{a['lines']} on {thing['kind']} {thing['owner']}")
    for tag in [t for t in things if t["kind"] == "here"]:
        problems += [f"the tag on {thing['kind']} {thing['owner']}" for thing in things
                     if thing["kind"] not in ("here", "lane", "participant")
                     and overlap(shrunk(tag["box"]), shrunk(thing["box"]))]
    assert problems == []
