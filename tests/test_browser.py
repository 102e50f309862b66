"""Real-browser end-to-end test: Debian's Chromium driven by Playwright against a local server.

Skipped loudly (never silently) when Chromium is missing; `make test` installs it from
Debian's packages first. Set SITING_UPDATE_SCREENSHOT=1 to refresh docs/explorer.png and docs/surface.png.
"""

from __future__ import annotations

import csv
import io
import math
import os
import time
from pathlib import Path

import pytest

from siting.mapview import INITIAL_VIEW
from tests.browser_support import (
    REPO_ROOT,
    browser,
    chromium_available,
    outbound_connections,
    serve,
    top_site,
    wait_for_app,
    wait_idle,
)

pytestmark = pytest.mark.browser
MAP_CENTRE = (INITIAL_VIEW["longitude"], INITIAL_VIEW["latitude"], INITIAL_VIEW["zoom"])

if not chromium_available():  # pragma: no cover - depends on the machine
    message = ("BROWSER TESTS SKIPPED: /usr/bin/chromium or playwright is missing "
               "(run `make test`, which installs Debian's chromium)")
    print(f"\n{'!' * 80}\n{message}\n{'!' * 80}")
    pytest.skip(message, allow_module_level=True)


def _mercator(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    size = 512 * 2**zoom
    x = (lon + 180) / 360 * size
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * size
    return x, y


def _canvas_is_drawn(png: bytes) -> bool:
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("L")
    stat = ImageStat.Stat(image)
    colours = len(image.getcolors(maxcolors=1_000_000) or [])
    return stat.stddev[0] > 10 and colours > 20


@pytest.fixture(scope="module")
def app_url():
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _screenshot(page, url: str, path: Path) -> None:
    """Save a picture of ``url`` as a new visitor sees it (a fresh page of the same window, not scrolled)."""
    shot = page.context.new_page()
    shot.goto(url)
    wait_for_app(shot)
    time.sleep(1.0)
    shot.screenshot(path=str(path))
    shot.close()


def test_map_renders_slider_changes_ranking_and_a_click_opens_the_card(app_url, page):
    page.goto(f"{app_url}/?basemap=none")
    wait_for_app(page)

    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    time.sleep(1.0)  # let deck.gl draw its first frame
    assert _canvas_is_drawn(canvas.screenshot()), "the map canvas is blank"
    if os.environ.get("SITING_UPDATE_SCREENSHOT"):  # the README's picture: a first visit, at the top of the page
        _screenshot(page, f"{app_url}/", REPO_ROOT / "docs" / "explorer.png")

    before = top_site(page)
    assert before.startswith("Montereau")
    slider = page.locator("[data-testid='stSlider']").filter(
        has_text="Distance to a 400 kV substation").get_by_role("slider")
    slider.focus()
    slider.press("Home")  # weight 8 → 0: Montereau's 1 km to RTE's 400 kV substation no longer counts
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.innerText.startsWith('Fouju'))", timeout=30_000)
    assert top_site(page).startswith("Fouju")
    page.wait_for_url(lambda u: "w_dist_grid_400_km=0" in u, timeout=10_000)  # the link follows the slider

    # click Loire-sur-Rhône on the map (at the initial view, mapview.INITIAL_VIEW)
    box = canvas.bounding_box()
    cx, cy = _mercator(*MAP_CENTRE)
    sx, sy = _mercator(4.801, 45.551, MAP_CENTRE[2])
    x, y = box["x"] + box["width"] / 2 + sx - cx, box["y"] + box["height"] / 2 + sy - cy
    page.mouse.move(x, y)
    page.wait_for_timeout(800)
    page.mouse.down()
    page.mouse.up()
    page.locator("h3").filter(has_text="Loire-sur-Rhône").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_text("Why it ranks below").first.wait_for(timeout=10_000)
    assert "Nearest 400 kV" in page.content()
    page.wait_for_url(lambda u: "site=loire-sur-rhone-edf" in u, timeout=10_000)
    assert not page.errors, page.errors


def test_table_row_selects_the_site(app_url, page):
    page.goto(f"{app_url}/")
    wait_for_app(page)
    grid = page.locator("[data-testid='stDataFrame']:visible").last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 200, box["y"] + 35 + 35 * 2 + 17)  # a click on the third row's name: rank 3
    page.locator("h3").filter(has_text="Escaudain").wait_for(timeout=30_000)
    # the keyboard: the grid's cell cursor moves down one row and selects it
    page.keyboard.press("ArrowDown")
    page.locator("h3").filter(has_text="Dunkirk").wait_for(timeout=30_000)
    assert not page.errors, page.errors


def test_the_ranking_shows_every_column_without_scrolling_sideways_in_a_1400_px_window(app_url, page):
    page.goto(f"{app_url}/")  # the page fixture's window is 1400 px wide
    wait_for_app(page)
    scroller = page.locator(".st-key-ranking_table .dvn-scroller")
    scroller.wait_for(timeout=30_000)
    wide, shown = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert wide <= shown, f"the ranking is {wide} px wide in a {shown} px box: its last columns are cut"


def test_a_click_on_overlapping_sites_opens_the_better_ranked_one(app_url, page):
    """At national zoom Fouju's circle and the Villaroche placeholder overlap: the click opens Fouju."""
    page.goto(f"{app_url}/")
    wait_for_app(page)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    time.sleep(1.0)
    box = canvas.bounding_box()
    cx, cy = _mercator(*MAP_CENTRE)
    sx, sy = _mercator(2.777, 48.584, MAP_CENTRE[2])  # Fouju, from sites/candidate_sites.geojson
    page.mouse.move(box["x"] + box["width"] / 2 + sx - cx, box["y"] + box["height"] / 2 + sy - cy)
    page.wait_for_timeout(800)
    page.mouse.down()
    page.mouse.up()
    page.locator("h3").filter(has_text="Fouju").wait_for(timeout=30_000)
    assert not page.locator("h3").filter(has_text="Villaroche").count()


def test_offline_mode_requests_nothing_outside_the_app(app_url, chromium):
    context = chromium.new_context()
    page = context.new_page()
    outside, layer_files = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(app_url) and
            not r.url.startswith(("data:", "blob:")) else None)
    page.on("response", lambda r: layer_files.append((r.url.rsplit("/", 1)[-1].split("-")[0], r.status))
            if "/app/static/mapdata/" in r.url else None)
    page.goto(f"{app_url}/")  # offline is the default: nothing to choose
    wait_for_app(page)
    page.wait_for_timeout(1500)
    fetched_on_first_view = list(layer_files)
    slider = page.locator(".st-key-weight_power_mw").get_by_role("slider")
    for key in ("ArrowRight", "ArrowLeft"):  # two weight changes
        slider.press(key)
        page.wait_for_timeout(300)
        wait_idle(page)
        page.wait_for_timeout(1500)
    context.close()
    assert outside == [], f"the page requested resources outside the app: {outside}"
    # the first view gets the fixed layers inline; from the first change on, their addresses: each of
    # the app's own static files is fetched once
    assert fetched_on_first_view == []
    assert sorted(layer_files) == [("announced", 200), ("cable_landings", 200), ("grid_points", 200),
                                   ("power_plants", 200), ("regions", 200)]
    assert outbound_connections(app_url.pid) == [], "the server opened a connection outside this machine"


HOSTILE_ROWS = [
    ["site_id", "name", "commune", "developer", "status", "evidence_note", "lat", "lon", "power_mw"],
    ["x-1", "<img src=x onerror=\"window.__xss.push('name')\">", "\"><script>window.__xss.push('c')</script>",
     "javascript:window.__xss.push('d')", '=HYPERLINK("http://evil.example";"x")',
     "<svg onload=window.__xss.push('note')>", "49,12", "6,18", "500"],
    ["x-2", "'\"><b onmouseover=window.__xss.push('b')>bold</b>", "@SUM(1+1)", "+cmd", "-2+3",
     "<iframe src=javascript:window.__xss.push('f')>", "48,58", "2,78", "300"],
]


def _replace_the_35_with(page, path: Path) -> None:
    """Upload a two-site file in "Your sites", replace the 35 with it, and come back to the drawn map."""
    page.get_by_role("tab", name="Your sites").click()
    page.locator("[data-testid='stFileUploader']").filter(has_text="Sites file").locator(
        "input[type=file]").set_input_files(str(path))
    page.get_by_text("2 of 2 site(s)").wait_for(timeout=30_000)
    page.get_by_text("Replace the 35 zones").click()
    wait_idle(page)
    page.get_by_role("tab", name="Map & ranking").click()
    page.get_by_text("2 of 2", exact=True).wait_for(timeout=30_000)  # "Sites shown" metric
    wait_for_app(page)  # the tab is lazy: its map is drawn anew


def _hostile_csv() -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(HOSTILE_ROWS)
    return out.getvalue()


def test_hostile_upload_runs_no_script_anywhere(app_url, chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.add_init_script("window.__xss = [];")
    page = context.new_page()
    dialogs, console = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:"))
            else None)
    page.goto(f"{app_url}/?basemap=none")
    wait_for_app(page)
    path = tmp_path / "evil.csv"
    path.write_text(_hostile_csv(), encoding="utf-8")
    _replace_the_35_with(page, path)
    # the card: select the first site through the table
    grid = page.locator("[data-testid='stDataFrame']:visible").last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    page.get_by_text("Why it ranks").first.wait_for(timeout=30_000)
    # tooltips: hover over the map's centre of mass of the two sites
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.scroll_into_view_if_needed()
    cbox = canvas.bounding_box()
    for fx, fy in ((0.5, 0.5), (0.62, 0.42), (0.55, 0.38)):
        page.mouse.move(cbox["x"] + cbox["width"] * fx, cbox["y"] + cbox["height"] * fy)
        page.wait_for_timeout(300)
    with page.expect_download() as info:
        page.get_by_role("button", name="Ranking (CSV)").click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    page.get_by_role("tab", name="Compare").click()
    page.get_by_text("Why one ranks above the other").wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_timeout(1000)

    assert dialogs == [], dialogs
    assert page.evaluate("window.__xss") == []
    assert page.locator("img[src='x'], svg[onload], iframe[src^='javascript'], b[onmouseover]").count() == 0
    assert not [line for line in console if "__xss" in line]
    assert outside == [], outside  # no payload made the browser fetch anything
    names = {row["name"] for row in csv.DictReader(io.StringIO(csv_text))}
    assert "'\"><b onmouseover=window.__xss.push('b')>bold</b>" in names  # kept verbatim, as inert text
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    # formula-looking text is neutralised in the export (a formula-looking site_id is refused: ids are slugs)
    assert all(not str(v).startswith(("=", "+", "-", "@")) for row in rows for v in row.values() if v)
    context.close()


def test_upload_shows_sites_on_the_map_and_in_compare(app_url, page, tmp_path):
    page.goto(f"{app_url}/?basemap=none&layers=")
    wait_for_app(page)
    path = tmp_path / "mine.csv"
    path.write_text("site_id,name,lat,lon,power_mw,area_ha\n"
                    "mine-north,Northern test campus,50.0,3.0,800,90\n"
                    "mine-south,Southern test campus,44.0,4.0,200,30\n", encoding="utf-8")
    _replace_the_35_with(page, path)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas:visible").first
    box = canvas.bounding_box()
    cx, cy = _mercator(*MAP_CENTRE)
    sx, sy = _mercator(3.0, 50.0, MAP_CENTRE[2])
    x, y = box["x"] + box["width"] / 2 + sx - cx, box["y"] + box["height"] / 2 + sy - cy
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tooltip = page.locator(".deck-tooltip").filter(has_text="Northern test campus")
    for _ in range(20):  # hover again until deck.gl has drawn the layer it picks from
        page.mouse.move(x + 3, y)
        page.mouse.move(x, y)
        try:
            tooltip.wait_for(timeout=1_000)
            break
        except PlaywrightTimeout:
            continue
    tooltip.wait_for(timeout=1_000)
    page.get_by_role("tab", name="Compare").click()  # a lazy tab: its content is built on this click
    page.get_by_text("Why one ranks above the other").wait_for(timeout=30_000)
    wait_idle(page)
    metrics = page.locator("[data-testid='stMetric']:visible").all_inner_texts()
    assert any("Northern test campus" in m for m in metrics) and any("Southern test campus" in m for m in metrics)
    assert not page.errors, page.errors


def test_surface_overlay_draws_and_explains_itself(app_url, page, tmp_path):
    page.goto(f"{app_url}/?layers=surface&v=2")
    wait_for_app(page)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    time.sleep(1.5)
    shot = canvas.screenshot(path=str(tmp_path / "surface.png"))
    assert _canvas_is_drawn(shot), "the map canvas is blank"
    if os.environ.get("SITING_UPDATE_SCREENSHOT"):  # the README's picture, at the top of the page
        _screenshot(page, f"{app_url}/?layers=surface&v=2", REPO_ROOT / "docs" / "surface.png")
    box = canvas.bounding_box()
    cx, cy = _mercator(*MAP_CENTRE)
    sx, sy = _mercator(1.0, 45.5, MAP_CENTRE[2])  # open country in Nouvelle-Aquitaine: only hexagons there
    for dx in (0, 6, -6):
        page.mouse.move(box["x"] + box["width"] / 2 + sx - cx + dx, box["y"] + box["height"] / 2 + sy - cy)
        page.wait_for_timeout(600)
        if "Screening surface" in page.locator("[data-testid='stDeckGlJsonChart']").inner_text():
            break
    assert "not a site offer" in page.locator("[data-testid='stDeckGlJsonChart']").inner_text()
    assert not page.errors, page.errors


def test_a_closed_sidebar_section_opens_with_a_click_and_keeps_its_values(app_url, page):
    """Constraints sit in a closed section: a click opens it, a value set there holds after closing it."""
    page.goto(f"{app_url}/")
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.locator("[data-testid='stNumberInput']").count() == 0  # closed: nothing built
    header = sidebar.locator("[data-testid='stExpander'] summary").filter(has_text="Constraints")
    header.click()
    field = sidebar.locator("[data-testid='stNumberInput']").filter(has_text="Minimum power").locator("input")
    field.wait_for(timeout=30_000)
    field.fill("1000")
    field.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')].some(e => /^\\d+ of 35$/.test("
        "e.innerText) && !e.innerText.startsWith('35'))", timeout=30_000)
    shown = page.locator("[data-testid='stMetricValue']").first.inner_text()
    wait_idle(page)
    header.click()  # close: the widgets go, the constraint stays and is said
    sidebar.locator("[data-testid='stNumberInput']").first.wait_for(state="detached", timeout=30_000)
    wait_idle(page)
    assert "power ≥ 1000 MW" in sidebar.inner_text()
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == shown
    header.click()
    field.wait_for(timeout=30_000)
    assert field.input_value() == "1000"
    assert not page.errors, page.errors


def test_ahp_weights_applied_in_a_tab_move_the_sidebar_sliders(app_url, page):
    """A button inside the results sets the sidebar's sliders: the fragment's own rerun redraws them."""
    page.goto(f"{app_url}/?tab=ahp")
    apply = page.get_by_role("button", name="Apply these weights")
    apply.wait_for(timeout=60_000)
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    power = sidebar.locator(".st-key-weight_power_mw").get_by_role("slider")
    fast_track = sidebar.locator(".st-key-weight_fast_track").get_by_role("slider")
    assert power.input_value() != "10" and fast_track.input_value() != "0"
    apply.click()
    for _ in range(300):  # up to 30 s
        if power.input_value() == "10":
            break
        page.wait_for_timeout(100)
    wait_idle(page)
    assert power.input_value() == "10" and fast_track.input_value() == "0"  # AHP's criteria only, scaled to 10
    assert "weight(s) changed" in sidebar.inner_text()
    assert not page.errors, page.errors
