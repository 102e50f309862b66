"""The importer of RTE's official substation list (ODRÉ ``postes-electriques-rte``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siting.data import load_layer
from siting.rte_import import RteImportError, read_rte_substations, write_layer_geojson
from siting.schema import GRID_FIELDS, GRID_POINTS, STORAGE_CRS

SAMPLE = Path(__file__).resolve().parent / "data" / "rte" / "postes-electriques-rte-sample.csv"
HEADER = "Code poste;Nom poste;Fonction;Etat;Tension (kV);Longitude poste (DD);Latitude poste (DD);Géo-point poste (DD)"


@pytest.fixture(scope="module")
def sample():
    return read_rte_substations(SAMPLE)


def _write(tmp_path: Path, text: str, name: str = "postes.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _by_id(gdf):
    return {row.grid_point_id: row for row in gdf.itertuples(index=False)}


def test_fixture_is_in_odre_format():
    raw = SAMPLE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "ODRÉ exports start with a UTF-8 byte-order mark"
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert 8 <= len(lines) - 1 <= 15


def test_keeps_in_service_substations_at_225_kv_and_above(sample):
    assert list(sample["grid_point_id"]) == ["rte-mondi", "rte-v-por", "rte-v-sep", "rte-xtsta", "rte-xtste"]
    assert (sample["voltage_kv"] >= 225).all()
    # left out: 90 kV, 63 kV and <45 kV stations; a tap point; a planned and a de-energised
    # station; a 400 kV station without coordinates
    names = set(sample["name"])
    for gone in ("BARRE-THOMAS (LA)", "AIRE-SUR-ADOUR", "AVALATS(LES)", "PIQUAGE A VILLIERS LE BEL",
                 "TEST B SANS COORDONNEES (FICTIF)", "TEST C EN PROJET (FICTIF)",
                 "TEST D HORS TENSION (FICTIF)"):
        assert gone not in names
    assert sample.attrs["import_summary"] == {
        "rows": 14, "below_225_kv": 3, "not_in_service": 2, "tap_points": 1,
        "no_coordinates": 1, "outside_mainland": 0, "stations": 5,
    }


def test_highest_class_and_all_classes(sample):
    rows = _by_id(sample)
    # three rows (400, 225 and 63 kV) of one station become one point with every class
    assert rows["rte-xtsta"].voltage_kv == 400
    assert rows["rte-xtsta"].voltage_classes_kv == "400;225;63"
    assert rows["rte-v-sep"].voltage_kv == 225
    assert rows["rte-v-sep"].voltage_classes_kv == "225"
    assert rows["rte-xtste"].voltage_classes_kv == "400"
    assert sample["voltage_kv"].dtype == "int64"


def test_coordinates(sample):
    rows = _by_id(sample)
    sep = rows["rte-v-sep"].geometry
    assert sep.x == pytest.approx(2.2014874715868253, abs=1e-6)
    assert sep.y == pytest.approx(49.35864164277698, abs=1e-6)
    por = rows["rte-v-por"].geometry
    assert (por.x, por.y) == pytest.approx((5.369363, 43.289644), abs=1e-6)
    # only the geo point ("latitude,longitude") is filled for this one
    geo_only = rows["rte-xtste"].geometry
    assert (geo_only.x, geo_only.y) == pytest.approx((6.2, 48.5))
    assert sample.crs.equals(STORAGE_CRS)


def test_output_has_exactly_the_grid_layer_fields(sample):
    assert list(sample.columns) == [f.name for f in GRID_FIELDS] + ["geometry"]
    assert set(sample["operator"]) == {"RTE"}
    assert set(sample["kind"]) == {"substation"}
    assert sample["plant_type"].isna().all()
    assert set(sample["source"]) == {"RTE, postes électriques (ODRÉ, Licence Ouverte)"}
    assert (sample["position_precision_km"] == 0.5).all()
    assert sample["grid_point_id"].is_unique


def test_written_layer_validates_as_the_grid_layer(sample, tmp_path):
    out = tmp_path / "grid_connection_points.geojson"
    write_layer_geojson(sample, out)
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 2 + len(sample)  # header line, one line per feature, closing line
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert {"title", "description", "source", "source_url", "licence", "attribution", "date",
            "compiled", "precision"} <= set(data["metadata"])
    feature = data["features"][0]
    assert feature["id"] == feature["properties"]["grid_point_id"]
    assert list(feature["properties"]) == [f.name for f in GRID_FIELDS]
    assert isinstance(feature["properties"]["voltage_kv"], int)
    loaded = load_layer(out, GRID_POINTS)
    assert list(loaded["grid_point_id"]) == list(sample["grid_point_id"])
    assert list(loaded["voltage_classes_kv"]) == list(sample["voltage_classes_kv"])


def test_variants_bom_decimal_commas_and_lower_case_field_names(tmp_path):
    text = (
        "\ufeffcode_poste;nom_poste;fonction;etat;tension;longitude;latitude\n"
        "ABCDE;POSTE A;POSTE DE TRANSFORMATION;EN EXPLOITATION;400kV;2,35;48,85\n"
        "ABCDE;POSTE A;POSTE DE TRANSFORMATION;EN EXPLOITATION;225kV;2,35;48,85\n"
        "FGHIJ;POSTE B;POSTE DE TRANSFORMATION;EN CONSTRUCTION;225kV;3,0;47,0\n"
    )
    gdf = read_rte_substations(_write(tmp_path, text))
    assert list(gdf["grid_point_id"]) == ["rte-abcde"]
    assert gdf.loc[0, "voltage_classes_kv"] == "400;225"
    assert (gdf.geometry[0].x, gdf.geometry[0].y) == pytest.approx((2.35, 48.85))


def test_geo_point_with_space_and_windows_1252(tmp_path):
    text = "Code poste;Nom poste;Etat;Tension (kV);Geo Point\nGRAND;GRANDE-SYNTHE Écluse;E;400kV;51.01, 2.30\n"
    gdf = read_rte_substations(_write(tmp_path, text, encoding="cp1252"))
    assert gdf.loc[0, "name"] == "GRANDE-SYNTHE Écluse"
    assert (gdf.geometry[0].x, gdf.geometry[0].y) == pytest.approx((2.30, 51.01))


def test_missing_columns_raise_a_clear_error(tmp_path):
    path = _write(tmp_path, "Code poste;Nom poste;Fonction;Etat\nV.SEP;VILLERS;POSTE DE TRANSFORMATION;E\n")
    with pytest.raises(RteImportError) as info:
        read_rte_substations(path)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "missing column" in message
    assert "Tension (kV)" in message
    assert "Longitude poste (DD)" in message and "Latitude poste (DD)" in message
    assert "postes.csv" in message


def test_comma_separated_file_gets_a_hint(tmp_path):
    path = _write(tmp_path, "code,name,voltage\nA,B,400kV\n")
    with pytest.raises(RteImportError, match="semicolon"):
        read_rte_substations(path)


def test_bad_rows_are_named_with_their_line(tmp_path):
    text = (
        HEADER + "\n"
        "V.SEP;VILLERS;POSTE DE TRANSFORMATION;E;225kV;2.20;49.36;49.36,2.20\n"
        "BADKV;BAD;POSTE DE TRANSFORMATION;E;beaucoup;2.20;49.36;49.36,2.20\n"
        "BADXY;BAD;POSTE DE TRANSFORMATION;E;400kV;deux;49.36;\n"
        "SWAPD;SWAPPED;POSTE DE TRANSFORMATION;E;400kV;49.36;2.20;\n"
    )
    with pytest.raises(RteImportError) as info:
        read_rte_substations(_write(tmp_path, text))
    message = str(info.value)
    assert "3 bad row(s)" in message
    assert "line 3 (BADKV)" in message and "'beaucoup'" in message
    assert "line 4 (BADXY)" in message and "Longitude poste (DD)" in message
    assert "line 5 (SWAPD)" in message and "swapped" in message


def test_empty_and_header_only_files(tmp_path):
    with pytest.raises(RteImportError, match="empty"):
        read_rte_substations(_write(tmp_path, ""))
    with pytest.raises(RteImportError, match="no rows"):
        read_rte_substations(_write(tmp_path, HEADER + "\n"))


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "postes.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(RteImportError, match="binary"):
        read_rte_substations(path)
