"""Folium map builders: choropleth of event counts, event points (clustered), heat map.

Every piece of article text that reaches the map is HTML-escaped here.  Points are drawn in the
browser by FastMarkerCluster (popups only for small sets; details of large ones are in the table)
and the heat map is aggregated on a 0.05-degree grid, so the page stays small at 100k events.
"""
from __future__ import annotations

import html
import json

import branca.colormap as cm
import folium
import numpy as np
import pandas as pd
from folium.plugins import FastMarkerCluster, HeatMap

CENTER = (34.0, 66.0)
ZOOM = 6
MAX_ZOOM = 18
MAX_POPUP_MARKERS = 1500
HEAT_GRID = 0.05
TYPE_COLOURS = {
    "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e", "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c", "Riots": "#8c564b", "Strategic developments": "#1f77b4",
}
# Draws one row of the point data: [lat, lon, type index(, popup HTML, tooltip)]; all text pre-escaped.
POINT_CALLBACK = (
    "function (row) { var colours = " + json.dumps(list(TYPE_COLOURS.values())) + "; "
    "var marker = L.circleMarker(new L.LatLng(row[0], row[1]), "
    "{radius: 6, weight: 1, color: colours[row[2]] || '#333', fillOpacity: 0.9}); "
    "if (row.length > 3) { marker.bindPopup(row[3], {maxWidth: 380}); marker.bindTooltip(row[4]); } "
    "return marker; }")
LEVELS = {"district": ("adm2_pcode", "adm2_name", "District"), "province": ("adm1_pcode", "adm1_name", "Province")}


def build_map(events: pd.DataFrame, units, counts: pd.DataFrame, level: str = "district") -> folium.Map:
    """The page's map: choropleth of ``counts`` over ``units`` (web layer), points and heat of ``events``."""
    if level not in LEVELS:
        raise ValueError(f"level must be district or province, not {level!r}")
    fmap = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True, prefer_canvas=True)
    fmap.options["maxZoom"] = MAX_ZOOM   # no base layer by default, so the map itself must know (clusters need it)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", show=False).add_to(fmap)
    add_choropleth(fmap, units, counts, level)
    located = events.dropna(subset=["latitude", "longitude"])
    add_points(fmap, located)
    add_heat(fmap, located)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[29.3, 60.5], [38.5, 74.9]])
    return fmap


def add_choropleth(fmap: folium.Map, units, counts: pd.DataFrame, level: str) -> None:
    """Units coloured by event count, with a legend and a tooltip naming unit, pcode and count."""
    code, name, label = LEVELS[level]
    shapes = units[[code, name, "geometry"] + (["adm1_name"] if level == "district" else [])].merge(
        counts[[code, "count"]], on=code, how="left").fillna({"count": 0})
    shapes["count"] = shapes["count"].astype(int)
    top = max(int(shapes["count"].max()), 1)
    bins = sorted({0, *np.unique(np.ceil(np.geomspace(1, top + 1, 6)) - 1).astype(int).tolist(), top})
    colours = ["#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"]
    colormap = cm.StepColormap(colours[:len(bins)], index=bins + [top + 1], vmin=0, vmax=top + 1,
                               caption=f"Events per {level} (filtered)")

    def style(feature):
        value = feature["properties"]["count"]
        return {"fillColor": colormap(value) if value else "#ffffff", "color": "#555555", "weight": 0.6,
                "fillOpacity": 0.75 if value else 0.35}

    fields, aliases = [name, code, "count"], [f"{label}:", "Pcode:", "Events:"]
    if level == "district":
        fields.insert(1, "adm1_name")
        aliases.insert(1, "Province:")
    folium.GeoJson(shapes.to_json(), name=f"{label} counts", style_function=style,
                   highlight_function=lambda _: {"weight": 2, "color": "#000000"},
                   tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=False)).add_to(fmap)
    colormap.add_to(fmap)


def popup_html(row) -> str:
    """An event's popup; every value escaped."""
    def e(value):
        return html.escape("" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value))
    counts = ", ".join(f"{label} {e(row.get(key))}" for key, label in (
        ("fatalities", "killed"), ("injured", "injured"), ("detained", "detained"), ("displaced", "displaced"))
        if pd.notna(row.get(key)))
    date = pd.Timestamp(row["event_date"]).strftime("%Y-%m-%d") if pd.notna(row.get("event_date")) else "date unknown"
    url = row.get("article_url") or ""
    link = (f'<a href="{e(url)}" target="_blank" rel="noopener noreferrer">{e(row.get("source") or url)}</a>'
            if str(url).startswith(("http://", "https://")) else e(row.get("source")))
    return (f"<b>{e(date)}</b> &middot; {e(row.get('event_type'))} / {e(row.get('sub_event_type'))}<br>"
            f"{e(row.get('actor1'))} &rarr; {e(row.get('actor2'))}<br>{counts}<br>"
            f"{e(row.get('location'))}, {e(row.get('admin1'))} (precision {e(row.get('geo_precision'))})<br>"
            f"<i>{e(row.get('evidence'))}</i><br>{link}")


def add_points(fmap: folium.Map, events: pd.DataFrame) -> None:
    """Event points coloured by type in one browser-side cluster; popups and tooltips for sets up to
    MAX_POPUP_MARKERS (larger sets carry coordinates and type only, to keep the page small)."""
    if events.empty:
        return
    codes = {t: i for i, t in enumerate(TYPE_COLOURS)}
    data = np.column_stack([events["latitude"].round(4), events["longitude"].round(4),
                            events["event_type"].map(codes).fillna(-1)]).tolist()
    if len(events) <= MAX_POPUP_MARKERS:
        records = events.to_dict(orient="records")
        data = [row + [popup_html(r), html.escape(f"{r['event_type']} ({r.get('location') or ''})")]
                for row, r in zip(data, records)]
    cluster = FastMarkerCluster([], callback=POINT_CALLBACK, name="Events", disableClusteringAtZoom=10)
    cluster.data = data   # finite floats from the store: skips folium's per-row check (about 1 s at 100k rows)
    cluster.add_to(fmap)


def add_heat(fmap: folium.Map, events: pd.DataFrame) -> None:
    """Heat map layer (off by default), events summed on a small grid."""
    if events.empty:
        return
    grid = pd.DataFrame({"lat": (events["latitude"] / HEAT_GRID).round() * HEAT_GRID,
                         "lon": (events["longitude"] / HEAT_GRID).round() * HEAT_GRID})
    cells = grid.value_counts().reset_index(name="n")
    HeatMap(cells[["lat", "lon", "n"]].round(3).values.tolist(), name="Heat map", show=False,
            radius=18, blur=15).add_to(fmap)


def legend_html() -> str:
    """Colour key for event types, as HTML for the page."""
    items = "".join(f'<span style="color:{c}">&#9679;</span> {html.escape(t)}&nbsp;&nbsp;' for t, c in
                    TYPE_COLOURS.items())
    return f'<div style="font-size:0.85em">{items}</div>'
