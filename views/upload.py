"""Your sites: upload a GeoJSON or CSV, validated with the same schema, kept in this session only.

Nothing is written to the server's disk: the uploaded bytes and the parsed sites live in this
session's state, which no other session can see. The bytes are copied out of the file widget when
the user uploads or removes a file, so the sites stay while the "Your sites" tab is hidden (a hidden
tab's widgets are not created, and Streamlit forgets a file widget it did not create).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from siting.data import DataValidationError, complete_upload, load_upload
from siting.proximity import Infrastructure
from siting.schema import UPLOAD_MAX_MB, UPLOAD_REQUIRED, UPLOADED_SITES
from siting.scoring import prepare_sites
from siting.text import md_escape

ss = st.session_state
MODES = {"add": "Score them next to the 35 zones", "replace": "Replace the 35 zones with them (this session only)"}


def _store_upload() -> None:
    """File widget callback: keep the new file's bytes, or forget them when the user removed the file."""
    file = ss.get("upload_file")
    ss.pop("upload_cache", None)
    if file is None:
        ss.pop("upload_store", None)
    else:
        ss["upload_store"] = {"file_id": file.file_id, "name": file.name, "data": file.getvalue()}


def _remove_upload() -> None:
    ss.pop("upload_store", None)
    ss.pop("upload_cache", None)


def current_upload(inputs, existing_ids: set[str]):
    """Parse the uploaded file once per file; return (prepared sites or None, report dict)."""
    stored = ss.get("upload_store")
    if stored is None:
        ss.pop("upload_cache", None)
        return None, None
    cached = ss.get("upload_cache")
    if cached and cached[0] == stored["file_id"]:
        return cached[1], cached[2]
    report = {"name": stored["name"], "problems": [], "notes": [], "error": None, "accepted": 0, "total": 0}
    prepared = None
    try:
        result = load_upload(stored["data"], UPLOADED_SITES, stored["name"])
    except DataValidationError as exc:
        report["error"] = [str(p) for p in exc.problems[:50]]
    else:
        accepted = result.accepted
        clashes = sorted(set(accepted["site_id"]) & existing_ids)
        if clashes and ss.get("upload_mode", "add") == "add":
            report["notes"].append(f"{len(clashes)} site id(s) already used by the 35 zones were renamed "
                                      f"with a 'my-' prefix, e.g. {clashes[0][:60]}")
            accepted = accepted.assign(site_id=[f"my-{s}" if s in clashes else s for s in accepted["site_id"]])
        report["problems"] += [str(p) for p in result.problems[:200]]
        report["left_out"] = result.left_out()  # "3 problems in 1 row; that row was left out" (rows from 1)
        report["accepted"], report["total"] = len(accepted), result.total
        if len(accepted):
            completed = complete_upload(accepted, inputs.regions)
            prepared = prepare_sites(gpd.GeoDataFrame(completed.drop(columns="uploaded"), crs=completed.crs),
                                     Infrastructure.of(inputs))
            prepared["uploaded"] = True
    ss["upload_cache"] = (stored["file_id"], prepared, report)
    return prepared, report


def merge_located(prepared: pd.DataFrame, located: pd.DataFrame | None) -> pd.DataFrame:
    """Add the zones located by the model (Beyond the 35 tab) to the site set, after the uploads."""
    if located is None or not len(located):
        return prepared
    fresh = located[~located["site_id"].isin(set(prepared["site_id"]))]
    return gpd.GeoDataFrame(pd.concat([prepared, fresh], ignore_index=True), crs=prepared.crs)


def merge(prepared: pd.DataFrame, uploaded: pd.DataFrame | None) -> pd.DataFrame:
    """Return the site set to score: the 35, the 35 plus the uploaded sites, or the uploaded sites alone."""
    if uploaded is None or not len(uploaded):
        return prepared
    if ss.get("upload_mode", "add") == "replace":
        return uploaded
    base = prepared.assign(uploaded=False)
    return gpd.GeoDataFrame(pd.concat([base, uploaded], ignore_index=True), crs=prepared.crs)


def render(report) -> None:
    """Draw the upload tab: widgets, the validation report."""
    st.markdown(
        f"Upload candidate sites as **GeoJSON** (Point features, WGS84) or **CSV** with `lat` and `lon` columns "
        f"(comma or semicolon; decimal commas with semicolons). Only {', '.join(f'`{f}`' for f in UPLOAD_REQUIRED)} "
        "are required; any other field of the site schema (see *Data & method*) is used when present. "
        f"Limit {UPLOAD_MAX_MB} MB. Uploads stay in this browser session: nothing is stored on the server or "
        "shown to anyone else.")
    st.file_uploader("Sites file", type=["geojson", "json", "csv"], key="upload_file", on_change=_store_upload)
    stored = ss.get("upload_store")
    if stored is not None and ss.get("upload_file") is None:
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.caption(f"In use: {md_escape(stored['name'], 80)}, uploaded earlier in this session.")
        c2.button("Remove my sites", on_click=_remove_upload, key="upload_remove")
    st.radio("Use them to", list(MODES), format_func=MODES.get, key="upload_mode", horizontal=True,
             on_change=lambda: ss.pop("upload_cache", None))
    if report is None:
        return
    if report["error"]:
        st.error(f"{md_escape(report['name'], 80)} could not be read; nothing was added:")
        st.code("\n".join(report["error"]), language=None)
        return
    if report["accepted"]:
        st.success(f"{report['accepted']} of {report['total']} site(s) from {md_escape(report['name'], 80)} accepted "
                   "and shown on the map with a pink ring.")
    else:
        st.error(f"No valid site in {md_escape(report['name'], 80)}.")
    for note in report.get("notes", []):
        st.info(md_escape(note, 300))
    if report["problems"]:
        st.warning(f"{md_escape(report.get('left_out') or 'Some rows were left out', 300)}:")
        st.code("\n".join(report["problems"]), language=None)
