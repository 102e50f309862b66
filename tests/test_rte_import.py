"""The importer of RTE's official substation list (ODRÉ ``postes-electriques-rte``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siting.data import load_layer
from siting.rte_import import RteImportError, read_rte_substations, write_layer_geojson
from siting.schema import GRID_FIELDS, GRID_POINTS, STORAGE_CRS

SAMPLE = Path(__file__).resolve().parent / "data" / "rte" / "postes-electriques-rte-excerpt-latin1.csv"
"""15 rows copied from RTE's real export (data/open_data), saved in Latin-1 as the portal serves it."""
REAL = Path(__file__).resolve().parent.parent / "data" / "open_data" / "rte_postes_electriques_2024-09.csv"
HEADER = ("Code poste;Nom poste;FONCTION;Etat;Tension (kV);Longitude poste (DD);Latitude poste (DD);"
          "Géo-point poste (DD)")


@pytest.fixture(scope="module")
def sample():
    return read_rte_substations(SAMPLE)


def _write(tmp_path: Path, text: str, name: str = "postes.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _by_id(gdf):
    return {row.grid_point_id: row for row in gdf.itertuples(index=False)}


def test_fixture_is_an_excerpt_of_the_real_export_in_latin_1():
    raw = SAMPLE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("latin-1").splitlines()
    assert lines[0] == HEADER
    real = set(REAL.read_text(encoding="utf-8").splitlines())
    assert all(line in real for line in lines), "every fixture row is a row of RTE's file"


def test_keeps_substations_at_225_kv_and_above_in_service_or_planned(sample):
    assert list(sample["grid_point_id"]) == ["rte-bouch", "rte-bourb", "rte-chin2", "rte-f-fre", "rte-mtere",
                                             "rte-s-guy", "rte-tuili"]
    assert (sample["voltage_kv"] >= 225).all()
    rows = _by_id(sample)
    assert rows["rte-bourb"].status == "planned"  # ACCORD ADMINISTRATIF: approved, not built
    assert {r.status for k, r in rows.items() if k != "rte-bourb"} == {"in service"}
    assert rows["rte-mtere"].name == "MONTEREAU" and rows["rte-mtere"].rte_code == "MTERE"
    # left out: three tap points (one planned), a <45 kV and a DC station, a de-energised one
    assert sample.attrs["import_summary"] == {
        "rows": 15, "below_225_kv": 3, "not_in_service": 1, "tap_points": 3, "no_coordinates": 0,
        "duplicate_rows": 1, "planned": 1, "stations": 7, "in_service_400_kv": 4, "in_service_225_kv": 2,
    }


def test_a_code_published_twice_keeps_one_published_position(sample):
    rows = _by_id(sample)
    chinon = rows["rte-chin2"].geometry  # two 400 kV rows 0.57 km apart: the first is kept, not averaged
    assert (chinon.x, chinon.y) == pytest.approx((0.167500, 47.229094), abs=1e-6)
    tuilieres = rows["rte-tuili"]  # a 225 kV and a 63 kV row: the 225 kV row's position, both classes
    assert tuilieres.voltage_kv == 225 and tuilieres.voltage_classes_kv == "225;63"
    assert (tuilieres.geometry.x, tuilieres.geometry.y) == pytest.approx((0.635854, 44.844456), abs=1e-6)
    assert rows["rte-mtere"].voltage_classes_kv == "400"  # RTE's list gives the highest level only
    assert sample["voltage_kv"].dtype == "int64"


def test_positions_are_rte_s_published_coordinates(sample):
    rows = _by_id(sample)
    bouchain = rows["rte-bouch"].geometry
    assert (bouchain.x, bouchain.y) == pytest.approx((3.315286057345295, 50.296260578567455), abs=1e-6)
    assert sample.crs.equals(STORAGE_CRS)


def test_output_has_exactly_the_grid_layer_fields(sample):
    assert list(sample.columns) == [f.name for f in GRID_FIELDS] + ["geometry"]
    assert set(sample["operator"]) == {"RTE"}
    assert set(sample["kind"]) == {"substation"}
    assert sample["plant_type"].isna().all()
    assert set(sample["source"]) == {"RTE – ODRÉ, postes électriques RTE (Licence Ouverte / Etalab 2.0)"}
    assert (sample["position_precision_km"] == 1.0).all()
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
            "precision"} <= set(data["metadata"])
    assert data["metadata"]["attribution"] == "RTE – ODRÉ, postes électriques"
    feature = data["features"][0]
    assert feature["id"] == feature["properties"]["grid_point_id"]
    assert list(feature["properties"]) == [f.name for f in GRID_FIELDS]
    assert isinstance(feature["properties"]["voltage_kv"], int)
    loaded = load_layer(out, GRID_POINTS)
    assert list(loaded["grid_point_id"]) == list(sample["grid_point_id"])
    assert list(loaded["voltage_classes_kv"]) == list(sample["voltage_classes_kv"])


def test_the_real_export_gives_rte_s_counts():
    gdf = read_rte_substations(REAL)
    summary = gdf.attrs["import_summary"]
    assert (summary["in_service_400_kv"], summary["in_service_225_kv"], summary["planned"]) == (189, 834, 17)
    assert gdf.attrs["metadata"]["date"] == "2024-09"  # from the file name
    names = set(gdf.loc[(gdf["voltage_kv"] == 400) & (gdf["status"] == "in service"), "name"])
    assert {"MONTEREAU", "BOUCHAIN", "CHESNOY (LE)", "GRAVELINES (CENTRALE)", "JONQUIERES"} <= names


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


def test_bad_rows_are_all_named_with_their_line(tmp_path):
    text = (
        HEADER + "\n"
        "V.SEP;VILLERS;POSTE DE TRANSFORMATION;E;225kV;2.20;49.36;49.36,2.20\n"
        "BADKV;BAD;POSTE DE TRANSFORMATION;E;beaucoup;2.20;49.36;49.36,2.20\n"
        "BADXY;BAD;POSTE DE TRANSFORMATION;E;400kV;deux;49.36;\n"
        "SWAPD;SWAPPED;POSTE DE TRANSFORMATION;E;400kV;49.36;2.20;\n"
        "MADRI;MADRID;Poste de transformation;EN EXPLOITATION;400kV;-3.70;40.42;\n"
        "NYORK;NEW YORK;Poste de transformation;EN EXPLOITATION;63kV;-74.0;40.7;\n"
    )
    with pytest.raises(RteImportError) as info:
        read_rte_substations(_write(tmp_path, text))
    message = str(info.value)
    assert "5 bad row(s)" in message
    assert "line 6 (MADRI)" in message and "outside mainland France" in message
    assert "line 7 (NYORK)" in message  # a position outside France is an error whatever the voltage
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
