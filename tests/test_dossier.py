"""The printable site dossier: content, labels, hostile data, self-containment, well-formedness."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import jinja2
import pytest

from siting import data, dossier, explain, robustness, schema, scoring
from siting.proximity import Infrastructure
from siting.scoring import Constraints, Scenario, ScoringError, rank_sites
from tests.conftest import REPO_ROOT, make_grid, make_infra, make_landings, make_sites, module_imports

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
QUOTED_URL = "https://example.org/a?b=1&c=\"'><script>"
AMP_URL = "https://example.org/a?b=1&c=2"

GRID = make_grid([("g-north", 3.0, 50.3, 400), ("g-east", 6.2, 49.2, 400), ("g-south", 4.8, 45.5, 225),
                  ("<i>g-west</i>", -1.0, 47.5, 400)])
LANDINGS = make_landings([("marseille", 5.37, 43.29, 16), ("dunkerque", 2.37, 51.03, 2)])
SITES = make_sites([
    dict(site_id="big", lon=3.02, lat=50.31, region="Hauts-de-France", evidence="official",
         power_mw=1000.0, area_ha=150.0, available_year=2027, brownfield=True, fast_track=True,
         turnkey_site=True, edf_site=False, land_price_eur_m2=20.0, developer="Big Dev", status="Announced"),
    dict(site_id="mid", lon=6.1, lat=49.1, region="Grand Est", evidence="reported",
         power_mw=500.0, area_ha=60.0, available_year=2029, brownfield=True, fast_track=False,
         turnkey_site=False, edf_site=True, land_price_eur_m2=40.0),
    dict(site_id="small", lon=4.9, lat=45.6, region="Auvergne-Rhône-Alpes", evidence="project",
         power_mw=50.0, area_ha=20.0, available_year=2030, brownfield=False, fast_track=False,
         turnkey_site=False, edf_site=False, land_price_eur_m2=80.0),
    dict(site_id="vague", lon=2.4, lat=48.8, region="Île-de-France", evidence="indicative",
         area_ha=34.0, estimated_fields=["area_ha"]),
    dict(site_id="hostile", lon=-1.1, lat=47.4, region="Pays de la Loire", evidence="project",
         name=SCRIPT, commune=IMG, department=SCRIPT, evidence_note=f"note {SCRIPT} {IMG}",
         value_notes=f"values {IMG}", developer=SCRIPT, status=IMG, power_mw=200.0, area_ha=30.0,
         available_year=2028, sources=[JS_URL, QUOTED_URL, AMP_URL, "https://example.org/ok", "/relative/path",
                                       "data:text/html,<script>alert(1)</script>"]),
])
PREPARED = scoring.prepare_sites(SITES, make_infra(GRID, LANDINGS))
RANKING = rank_sites(PREPARED)
STAMP = "2026-11-20 10:00 UTC"

VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr", "source", "area", "base", "embed"}
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "section", "footer", "div",
    "h1", "h2", "h3", "p", "span", "b", "i", "strong", "code", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "ul", "ol", "li", "a",
}
INLINE = {"a", "b", "i", "strong", "code", "span"}
ALLOWED_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class", "style", "href", "rel",
                 "colspan", "role", "aria-label"}


class _Audit(HTMLParser):
    """Collect tags, attributes and text, and check that every non-void tag is closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.style_text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "style":
            self._in_style = True
        if tag not in VOID:
            self.stack.append(tag)
        if tag not in INLINE:
            self.text.append(" ")  # block boundaries separate words; inline tags do not

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag not in INLINE:
            self.text.append(" ")
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def handle_data(self, data):
        (self.style_text if self._in_style else self.text).append(data)


def audit(page: str) -> _Audit:
    parser = _Audit()
    parser.feed(page)
    parser.close()
    return parser


def assert_safe_and_well_formed(page: str) -> _Audit:
    """Structural checks every dossier must pass, hostile data or not."""
    a = audit(page)
    assert not a.errors, a.errors[:5]
    assert not a.stack, f"unclosed tags: {a.stack}"
    assert page.startswith("<!DOCTYPE html>")
    for tag in ("html", "head", "body", "main", "style", "title"):
        assert sum(t == tag for t, _ in a.tags) == 1, tag
    assert "<script" not in page.lower()
    names = {t for t, _ in a.tags}
    assert names <= ALLOWED_TAGS, names - ALLOWED_TAGS
    for tag, attrs in a.tags:
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        assert not any(k.startswith("on") for k in attrs)
        for key, value in attrs.items():
            if value and re.search(r"https?:", value, re.IGNORECASE):
                assert tag == "a" and key == "href", (tag, key, value)
        if "style" in attrs:
            assert re.fullmatch(r"width:\d{1,3}(\.\d)?%", attrs["style"]), attrs["style"]
        if tag == "a":
            assert re.match(r"https?://", attrs["href"]), attrs["href"]
            assert attrs.get("rel") == "noopener noreferrer"
    css = "".join(a.style_text).lower()
    for bad in ("url(", "@import", "@font-face", "expression(", "http"):
        assert bad not in css
    assert "@media print" in css and "a4" in css
    return a


def visible_text(page: str) -> str:
    return " ".join("".join(audit(page).text).split())


# ---------------------------------------------------------------------------------------


def test_ranked_site_shows_name_score_rank_and_every_criterion():
    page = dossier.build_dossier(RANKING, "big", generated_at=STAMP)
    assert_safe_and_well_formed(page)
    row = RANKING.table.set_index("site_id").loc["big"]
    text = visible_text(page)
    assert row["name"] in text
    assert f"{row['score']:.1f}" in text
    assert f"Rank {int(row['rank'])} of {len(RANKING.table)}" in text
    for c in schema.CRITERIA:
        assert c.label in text, c.label
    assert schema.EVIDENCE_MEANING["official"] in text
    assert "Hauts-de-France" in text and "Big Dev" in text
    assert "Generated 2026-11-20 10:00 UTC" in text
    assert "ENTSO-E" in text and "© TeleGeography" in text


def test_unknown_facts_say_unknown_and_scenario_is_described():
    ranking = rank_sites(PREPARED, Scenario(method="topsis", unknown="pessimistic",
                                            constraints=Constraints(min_area_ha=25)))
    page = dossier.build_dossier(ranking, "vague", generated_at=STAMP)
    assert_safe_and_well_formed(page)
    text = visible_text(page)
    assert re.search(r"Announced power unknown", text)
    assert scoring.METHODS["topsis"] in text
    assert schema.UNKNOWN_RULES["pessimistic"] in text
    for line in ranking.scenario.constraints.describe():
        assert html.unescape(html.escape(line)) in text
    for c in schema.CRITERIA:
        assert f"{c.label} {ranking.weights[c.key]:.1f}" in text


def test_estimated_and_unknown_values_are_labelled():
    page = dossier.build_dossier(RANKING, "vague")
    text = visible_text(page)
    assert "(estimate, rule area_programme_mean)" in text
    rule = next(r for r in schema.ESTIMATION_RULES if r.key == "area_programme_mean")
    assert rule.rule in text
    area_row = re.search(r"<tr[^>]*><td>Land area</td>(.*?)</tr>", page, re.S).group(1)
    assert 'class="tag est"' in area_row
    power_row = re.search(r"<tr[^>]*><td>Announced power</td>(.*?)</tr>", page, re.S).group(1)
    assert 'class="tag unk"' in power_row
    # a fully sourced site carries no estimate tag
    assert 'class="tag est"' not in dossier.build_dossier(RANKING, "big")


def test_indicative_site_shows_the_placeholder_banner_and_others_do_not():
    vague = dossier.build_dossier(RANKING, "vague")
    assert 'class="banner"' in vague and "Indicative placeholder" in visible_text(vague)
    assert schema.EVIDENCE_MEANING["indicative"] in visible_text(vague)
    big = dossier.build_dossier(RANKING, "big")
    assert 'class="banner"' not in big and "Indicative placeholder" not in big


def test_excluded_site_shows_its_reason_and_no_rank():
    ranking = rank_sites(PREPARED, Scenario(constraints=Constraints(min_power_mw=500)))
    assert "small" in set(ranking.excluded["site_id"])
    reason = ranking.excluded.set_index("site_id").loc["small", "excluded_reason"]
    page = dossier.build_dossier(ranking, "small")
    assert_safe_and_well_formed(page)
    text = visible_text(page)
    assert reason in text and "Not ranked" in text
    assert 'class="rank"' not in page
    assert "Rank " not in text
    assert "Why it ranks" not in text


def test_hostile_strings_are_only_escaped_and_bad_urls_are_not_links():
    page = dossier.build_dossier(RANKING, "hostile", generated_at=SCRIPT)
    a = assert_safe_and_well_formed(page)
    for raw in (SCRIPT, IMG, "<img", "<i>g-west", "<I>G-WEST"):
        assert raw not in page
    assert html.escape(SCRIPT, quote=True) in page
    assert html.escape(IMG, quote=True) in page
    text = visible_text(page)
    assert SCRIPT in text and IMG in text  # shown as the literal text it is
    assert f"note {SCRIPT} {IMG}" in text and f"values {IMG}" in text
    hrefs = [attrs["href"] for tag, attrs in a.tags if tag == "a"]
    assert hrefs == [AMP_URL, "https://example.org/ok"]  # parsed back: the escaped "&" stayed inside
    assert 'href="https://example.org/a?b=1&amp;c=2"' in page
    assert not any("javascript" in h.lower() or h.startswith(("/", "data:")) for h in hrefs)
    # the one URL rule (siting.text.is_http_url) refuses quotes and brackets, as validation does
    assert html.escape(QUOTED_URL, quote=True) in page and QUOTED_URL in text
    assert JS_URL in text and "/relative/path" in text  # listed as plain text
    # no string from data reaches a tag name, attribute name, or style
    assert not any(tag == "img" for tag, _ in a.tags)


def test_unrecognised_evidence_value_stays_out_of_attributes():
    prepared = PREPARED.copy()
    prepared.loc[prepared["site_id"] == "mid", "evidence"] = '" onmouseover="alert(1)'
    page = dossier.build_dossier(rank_sites(prepared), "mid")
    a = assert_safe_and_well_formed(page)
    assert "unrecognised evidence level" in visible_text(page)
    for _, attrs in a.tags:
        assert "onmouseover" not in " ".join(f"{k}={v}" for k, v in attrs.items())


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/x?a=1&b=2", "https://example.org/x?a=1&amp;b=2"),
    ("http://example.org", "http://example.org"),
    ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
    (JS_URL, None),
    (QUOTED_URL, None),
    ("https://user:secret@example.org/", None),
    (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("https://exa mple.org", None),
    ("data:text/html,hi", None),
    ("//example.org/x", None),
    ("https:///nohost", None),
    ("https://[::1", None),
    ("", None),
    (None, None),
    (["https://example.org"], None),
    ("https://example.org/" + "a" * 3000, None),
])
def test_safe_href(url, expected):
    assert dossier.safe_href(url) == expected


def test_no_script_and_no_external_resource():
    page = dossier.build_dossier(RANKING, "big")
    assert_safe_and_well_formed(page)
    lower = page.lower()
    for bad in ("<script", "src=", "@import", "url(", "<link", "<img", "<iframe", "@font-face", "srcset"):
        assert bad not in lower, bad
    # every http(s) reference in the markup is an <a href> link
    outside_links = re.sub(r'<a href="https?://[^"]*" rel="noopener noreferrer">', "", page)
    visible = visible_text(page)
    for url in re.findall(r"https?://[^\s\"<]+", outside_links):
        assert url in visible  # only as link text, never as a resource


def test_robustness_row_and_settings_appear():
    result = robustness.monte_carlo(RANKING, draws=200, seed=3)
    page = dossier.build_dossier(RANKING, "mid", robustness=result)
    assert_safe_and_well_formed(page)
    row = result.table.set_index("site_id").loc["mid"]
    text = visible_text(page)
    assert f"{100 * row['p_top3']:.1f}%" in text
    assert f"{100 * row['p_top5']:.1f}%" in text
    assert f"{row['median_rank']:.1f}" in text
    assert "200 draws" in text and "seed 3" in text


def test_robustness_for_an_excluded_site_says_it_took_no_part():
    ranking = rank_sites(PREPARED, Scenario(constraints=Constraints(min_power_mw=500)))
    result = robustness.monte_carlo(ranking, draws=50, seed=1)
    page = dossier.build_dossier(ranking, "small", robustness=result)
    assert "took no part" in visible_text(page)


def test_sensitivity_is_shown_only_for_the_first_site():
    sens = robustness.weight_sensitivity(RANKING)
    first, second = RANKING.table["site_id"].iloc[:2]
    top = dossier.build_dossier(RANKING, first, sensitivity=sens)
    assert_safe_and_well_formed(top)
    text = visible_text(top)
    assert "Weight sensitivity" in text
    for label in sens["label"]:
        assert label in text
    assert "Weight sensitivity" not in visible_text(dossier.build_dossier(RANKING, second, sensitivity=sens))


def test_why_above_and_below_name_the_neighbours():
    ids = list(RANKING.table["site_id"])
    middle = ids[1]
    text = visible_text(dossier.build_dossier(RANKING, middle))
    above = explain.why_above(RANKING, middle, ids[0])[0]
    below = explain.why_above(RANKING, middle, ids[2])[0]
    assert above in text and below in text
    first_text = visible_text(dossier.build_dossier(RANKING, ids[0]))
    assert "Next one up" not in first_text and "Next one down" in first_text


def test_infrastructure_distances_and_latency_are_called_estimates():
    text = visible_text(dossier.build_dossier(RANKING, "big"))
    row = RANKING.table.set_index("site_id").loc["big"]
    assert f"{row['nearest_grid_400_name']} — {row['dist_grid_400_km']:.1f} km" in text
    assert f"{row['dist_landing_km']:.1f} km" in text and str(row["nearest_landing_name"]) in text
    assert f"Paris ≈ {row['latency_paris_ms']:.1f} ms" in text
    assert "straight lines" in text and "× 1.5 / 200 km/ms × 2" in text


def test_default_timestamp_is_utc():
    text = visible_text(dossier.build_dossier(RANKING, "big"))
    assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", text)


def test_unknown_site_id_raises():
    with pytest.raises(ScoringError):
        dossier.build_dossier(RANKING, "no-such-site")


def test_module_imports_nothing_but_the_standard_library_numpy_pandas_and_jinja2():
    # its siting imports are checked with every module's in tests/test_architecture.py
    imported = module_imports(REPO_ROOT / "siting" / "dossier.py")
    third_party = {name.split(".")[0] for name in imported} - {"siting", "__future__"}
    stdlib = {"math", "datetime", "functools", "importlib", "typing"}
    assert third_party <= stdlib | {"numpy", "pandas", "jinja2", "markupsafe"}


def test_template_autoescapes_and_refuses_undefined_names():
    env = dossier._template().environment
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ no_such_name }}").render()
    assert env.from_string("{{ x }}").render(x=SCRIPT + "\u202e") == html.escape(SCRIPT) + " "


def test_real_shipped_data():
    from siting import data

    inputs = data.load_inputs()
    ranking = rank_sites(scoring.prepare_sites(inputs.sites, Infrastructure.of(inputs)))
    result = robustness.monte_carlo(ranking, draws=100, seed=0)
    sens = robustness.weight_sensitivity(ranking)
    table = ranking.table
    picks = [table["site_id"].iloc[0], table["site_id"].iloc[len(table) // 2]]
    indicative = table[table["evidence"] == "indicative"]
    if len(indicative):
        picks.append(indicative["site_id"].iloc[0])
    for site_id in picks:
        page = dossier.build_dossier(ranking, site_id, robustness=result, sensitivity=sens, generated_at=STAMP)
        assert_safe_and_well_formed(page)
        row = table.set_index("site_id").loc[site_id]
        text = visible_text(page)
        assert " ".join(str(row["name"]).split()) in text
        assert f"{row['score']:.1f}" in text and f"Rank {int(row['rank'])} of {len(table)}" in text
        for source in row["sources"]:
            if dossier.safe_href(source):
                assert f'href="{html.escape(source, quote=True)}"' in page
        lower = page.lower()
        for bad in ("src=", "@import", "url("):
            assert bad not in lower
        if row["evidence"] == "indicative":
            assert "Indicative placeholder" in text
        for field in row["estimated_fields"]:
            rules = [r for r in schema.ESTIMATION_RULES if r.field == field]
            assert rules, f"{field} is estimated by no written rule"
            for rule in rules:  # each rule behind an estimate is named and spelled out
                assert " ".join(f"Rule {rule.key}: {rule.rule}".split()) in text, (site_id, field, rule.key)


def test_dossier_names_the_nearest_nuclear_plant_and_the_people_nearby():
    inputs = data.load_inputs()
    ranking = rank_sites(scoring.prepare_sites(inputs.sites, Infrastructure.of(inputs)))
    page = dossier.build_dossier(ranking, "dunkerque-loon-plage")
    assert "Gravelines, 6 × 910 MW — 6.3 km" in page
    assert "nearest large town Dunkerque" in page
