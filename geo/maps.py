"""Folium map builders: a base map the browser keeps and the layer of each view.

:func:`base_map` holds what filters do not change: the province or district units (their shapes read by
the browser from a file the app serves, :func:`unit_shapes`), the offline basemap of province outlines and
names, the online layers when asked for, the legend's box and the user's last view.  :func:`view_layers`
holds what a filter changes: the event points (clustered; popups only for small sets) or a heat map on a
0.05-degree grid, the selected unit's outline, and a script that colours the units and writes the legend;
streamlit-folium swaps that layer without rebuilding the map.  Every script and style sheet comes from
``asset_url`` (the app's own copies of the npm packages, see :data:`ASSETS`); online tile layers are added
only when the caller asks for them, so a map built with ``basemap="offline"`` makes no request outside
the app.  Every piece of article text that reaches the map is escaped here.
"""
from __future__ import annotations

import html
import json
import math
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import FastMarkerCluster, HeatMap
from jinja2 import Template

CENTER = (34.0, 66.0)
ZOOM = 6
MAX_ZOOM = 18
AFGHANISTAN_BOUNDS = [[29.3, 60.5], [38.5, 74.9]]
MAX_POPUP_MARKERS = 1500
HEAT_GRID = 0.05
TYPE_COLOURS = {
    "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e", "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c", "Riots": "#8c564b", "Strategic developments": "#1f77b4",
}
SELECTED_COLOUR = "#00bcd4"   # outline of the selected province or district
HIGHLIGHT_SPAN = 0.05   # degrees around a selected table row's point that the map zooms to (about 11 km)
SCALE_COLOURS = ["#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"]
METRICS = {"events": "Events", "fatalities": "Fatalities"}
# Files of the npm packages in static/vendor/package.json, relative to their node_modules folder.
ASSETS = {
    "leaflet_js": "leaflet/dist/leaflet.js", "leaflet_css": "leaflet/dist/leaflet.css",
    "markercluster_js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markercluster_css": "leaflet.markercluster/dist/MarkerCluster.css",
    "markercluster_default_css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "heat_js": "leaflet.heat/dist/leaflet-heat.js",
}
# Online base layers, offered only when the user turns an online basemap on: (tiles URL, attribution).
ONLINE_LAYERS = {
    "OpenStreetMap": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                      '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
                      " contributors"),
    "Satellite": ("https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/"
                  "{z}/{y}/{x}",
                  "Imagery &copy; Esri, Maxar, Earthstar Geographics, and the GIS User Community"),
}
BASEMAPS = ["offline", *ONLINE_LAYERS]
# What an event's geo_precision says of its point, in words (the popup) and as a marker's fill (the map):
# a point placed only by its district or province stands at that unit's centre, not where it happened.
PRECISION_WORDS = {1: "the place itself", 2: "near a named place",
                   3: "district centre (only the district known)",
                   4: "province centre (only the province known)", 5: "the country only"}
PRECISION_FILL = {1: 0.9, 2: 0.9, 3: 0.45, 4: 0.08}
# Draws one row of the point data: [lat, lon, type index, precision(, popup HTML, tooltip)]; text pre-escaped.
POINT_CALLBACK = (
    "function (row) { var colours = " + json.dumps(list(TYPE_COLOURS.values())) + ", "
    "fills = " + json.dumps({str(k): v for k, v in PRECISION_FILL.items()}) + "; "
    "var fill = fills[row[3]] === undefined ? 0.9 : fills[row[3]]; "
    "var marker = L.circleMarker(new L.LatLng(row[0], row[1]), "
    "{radius: fill < 0.2 ? 8 : 6, weight: fill < 0.2 ? 2 : 1, color: colours[row[2]] || '#333', "
    "fillOpacity: fill}); "
    "if (row.length > 4) { marker.bindPopup(row[4], {maxWidth: 300}); marker.bindTooltip(row[5]); } "
    "return marker; }")
# Cluster bubbles in grey: the default green, yellow and orange would read as event types.
CLUSTER_ICON = (
    "function (cluster) { var n = cluster.getChildCount(); var size = n < 10 ? 30 : n < 100 ? 36 : 44; "
    "return L.divIcon({html: '<div><span>' + n + '</span></div>', "
    "className: 'marker-cluster eventmap-cluster', iconSize: new L.Point(size, size)}); }")
# The style of the map's own elements: legend, notes, province names, cluster bubbles.
MAP_STYLE = (
    "<style>.eventmap-legend,.eventmap-note{background:rgba(255,255,255,.9);padding:4px 6px;"
    "font:11px/1.35 sans-serif;border-radius:4px;max-width:46vw}"
    ".eventmap-legend summary{cursor:pointer;font-weight:600}"
    ".eventmap-legend i{display:inline-block;width:10px;height:10px;"
    "margin-right:4px;border:1px solid #999}.eventmap-label{font:600 10px sans-serif;color:#222;"
    "white-space:nowrap;transform:translate(-50%,-50%);text-shadow:0 0 2px #fff,0 0 2px #fff}"
    ".eventmap-cluster{background:rgba(90,90,90,.3)}.eventmap-cluster div{background:rgba(60,60,60,.75);"
    "color:#fff}</style>")
LEVELS = {"district": ("adm2_pcode", "adm2_name", "District"),
          "province": ("adm1_pcode", "adm1_name", "Province")}


class Legend(MacroElement):
    """A Leaflet control holding ready-made (escaped) HTML; no script library needed."""

    _template = Template("""{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "eventmap-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self, legend: str, position: str = "bottomleft"):
        super().__init__()
        self._name = "Legend"
        self.html, self.position = legend, position


class OpenPopup(MacroElement):
    """A popup of ready-made (escaped) HTML for its parent marker, opened once the marker is on the map
    (folium's Popup needs jQuery, which the page does not load, and opens before a layer is on the map)."""

    _template = Template("""{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {maxWidth: 300});
        {{ this._parent.get_name() }}.on("add", function (e) { e.target.openPopup(); });
        {% endmacro %}""")

    def __init__(self, html: str):
        super().__init__()
        self._name = "OpenPopup"
        self.html = html


class ViewAssets(JSCSSMixin, MacroElement):
    """The scripts of every layer :func:`view_layers` may draw, loaded with the map (the browser loads
    a map's scripts once, when it is made, and keeps the map while views change).  Its files are set by
    :func:`localise`."""

    def __init__(self):
        super().__init__()
        self._name = "ViewAssets"
        self.default_js = self.default_css = [("", "")]   # placeholders, so that localise sees them


# The assets each Folium class used here needs, (scripts, style sheets); replaces folium's CDN lists.
ELEMENT_ASSETS: dict[type[JSCSSMixin], tuple[list[str], list[str]]] = {
    folium.Map: (["leaflet_js"], ["leaflet_css"]),
    FastMarkerCluster: (["markercluster_js"], ["markercluster_css", "markercluster_default_css"]),
    HeatMap: (["heat_js"], []),
}
VIEW_KINDS = (FastMarkerCluster, HeatMap)   # what view_layers may draw: ViewAssets loads all their files
ELEMENT_ASSETS[ViewAssets] = ([name for kind in VIEW_KINDS for name in ELEMENT_ASSETS[kind][0]],
                              [name for kind in VIEW_KINDS for name in ELEMENT_ASSETS[kind][1]])


# Loads a GeoJSON file once per page, however many layers draw it.
_LOAD_SHAPES = """window.eventmapShapes = window.eventmapShapes || {};
    function eventmapLoadShapes(url) {
        if (!window.eventmapShapes[url]) {
            window.eventmapShapes[url] = fetch(url).then(function (response) {
                if (!response.ok) throw new Error(response.status + " " + response.statusText);
                return response.json();
            });
        }
        return window.eventmapShapes[url];
    }"""


class Units(Layer):
    """The provinces or districts, read by the browser from ``url`` (a file the app serves, see
    :func:`unit_shapes`: the map's script stays small and the browser caches the shapes).  Each unit is
    filled from its ``fill`` and ``count`` properties (set by :class:`ViewUpdate`), outlined on hover,
    and has a tooltip of ``fields`` under ``aliases``.  ``window.eventmapUnitsReady`` settles once the
    units are drawn; if the file cannot be read, the map says so in words."""

    _template = Template("""{% macro script(this, kwargs) %}
        """ + _LOAD_SHAPES + """
        var {{ this.get_name() }} = L.geoJson(null, {
            style: function (feature) {
                var p = feature.properties;
                return {fillColor: p.fill || "#ffffff", color: "#777777", weight: 0.5,
                        fillOpacity: p.count ? 0.75 : 0.3};
            },
            onEachFeature: function (feature, layer) {
                layer.on({
                    mouseover: function (e) { e.target.setStyle({weight: 2, color: "#000000"}); },
                    mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
            }
        });
        {{ this.get_name() }}.bindTooltip(function (layer) {
            var table = document.createElement("table"), fields = {{ this.fields|tojson }};
            {{ this.aliases|tojson }}.forEach(function (alias, i) {
                var row = table.insertRow(), head = document.createElement("th");
                head.textContent = alias + " ";   // spaced, so the text a click returns keeps words apart
                row.appendChild(head);
                row.insertCell().textContent = layer.feature.properties[fields[i]] + " ";
            });
            return table;
        }, {sticky: false, className: "foliumtooltip"});
        window.eventmapUnits = {{ this.get_name() }};
        window.eventmapUnitsReady = eventmapLoadShapes({{ this.url|tojson }}).then(function (data) {
            {{ this.get_name() }}.addData(data);
        }).catch(function (err) {
            var note = L.control({position: "topright"});
            note.onAdd = function () {
                var div = L.DomUtil.create("div", "eventmap-note");   // not the legend, which views rewrite
                div.textContent = "The map's unit shapes could not be loaded (" + err.message + ").";
                return div;
            };
            note.addTo({{ this._parent.get_name() }});
        });
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}""")

    def __init__(self, url: str, level: str, metric: str):
        code, name, label = LEVELS[level]
        super().__init__(name=f"{label} {metric}")
        self._name = "Units"
        self.url = url
        self.fields, self.aliases = [name, code, "count"], [f"{label}:", "Pcode:", f"{METRICS[metric]}:"]
        if level == "district":
            self.fields.insert(1, "adm1_name")
            self.aliases.insert(1, "Province:")


class Outlines(Layer):
    """Borders read by the browser from ``url`` (another layer's file: the same request), not filled and
    not interactive, with labels at ``labels`` (rows of name, latitude, longitude)."""

    _template = Template("""{% macro script(this, kwargs) %}
        """ + _LOAD_SHAPES + """
        var {{ this.get_name() }} = L.geoJson(null, {
            interactive: false, style: {fill: false, color: "#333333", weight: 1.6}});
        eventmapLoadShapes({{ this.url|tojson }}).then(function (data) {
            {{ this.get_name() }}.addData(data);
        }).catch(function () { /* Units says so */ });
        {{ this.labels|tojson }}.forEach(function (label) {
            var div = document.createElement("div");
            div.className = "eventmap-label";
            div.textContent = label[0];
            L.marker([label[1], label[2]], {interactive: false,
                icon: L.divIcon({iconSize: [0, 0], html: div, className: ""})}).addTo({{ this.get_name() }});
        });
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}""")

    def __init__(self, url: str, labels: list, name: str):
        super().__init__(name=name)
        self._name = "Outlines"
        self.url, self.labels = url, labels


class ViewMemory(MacroElement):
    """Keeps the user's pan and zoom in the browser (the map frame's sessionStorage) when the map is
    made anew (another level, metric or basemap)."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function (map) {
            try {
                var kept = JSON.parse(window.sessionStorage.getItem("eventmap-view") || "null");
                if (kept) map.setView(kept.center, kept.zoom, {animate: false});
            } catch (err) { /* no storage: the map keeps its default view */ }
            map.on("moveend", function () {
                var c = map.getCenter();
                try {
                    window.sessionStorage.setItem("eventmap-view",
                        JSON.stringify({center: [c.lat, c.lng], zoom: map.getZoom()}));
                } catch (err) { /* no storage */ }
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "ViewMemory"


REPORT = "eventmap_drawn"   # the key of the map's report in streamlit-folium's component value
# Sends the report through streamlit-folium's own channel (window.Streamlit in the map's frame), beside the
# last value it sent: its own filter (returned_objects) knows only its keys, so it would drop this one.
_REPORT = """function eventmapReport(token) {
        var key = "eventmap-reported", kept = null;
        try { kept = window.sessionStorage.getItem(key); } catch (err) { /* no storage: report */ }
        if (kept === token || !window.Streamlit) return;
        try { window.sessionStorage.setItem(key, token); } catch (err) { /* no storage */ }
        var last = (window.__GLOBAL_DATA__ || {}).previous_data || {};
        window.Streamlit.setComponentValue(Object.assign({}, last, {""" + REPORT + """: token}));
    }"""


class ViewUpdate(MacroElement):
    """Applies a view to the map already in the browser, once its units are loaded: each unit's value
    and colour (``values``: pcode -> [value, fill] under the key ``code``), the legend's HTML, and the
    selection's ``bounds``, fitted only when they differ from the last selection fitted (so pan and zoom
    survive a filter change).  Counts the views applied in ``map.eventmapViews``.  With a ``report``
    token, the map's first view drawn is reported to the page as the component value ``{REPORT: token}``
    (once per token in the browser tab, so a map made anew for another level does not report again)."""

    _template = Template("""{% macro script(this, kwargs) %}
        """ + _REPORT + """
        (function (map, view) {
            (window.eventmapUnitsReady || Promise.resolve()).then(function () {
                var units = window.eventmapUnits;
                if (units) {
                    units.eachLayer(function (layer) {
                        var p = layer.feature.properties, v = view.values[p[view.code]] || [0, "#ffffff"];
                        p.count = v[0];
                        p.fill = v[1];
                    });
                    units.setStyle(units.options.style);
                }
                var legend = document.querySelector(".eventmap-legend");
                if (legend) {   // a key the user folded away stays folded
                    var folded = legend.querySelector("details:not([open])") !== null;
                    legend.innerHTML = view.legend;
                    if (folded) legend.querySelector("details").removeAttribute("open");
                }
                var selection = JSON.stringify(view.bounds), kept = null;
                try { kept = window.sessionStorage.getItem("eventmap-selection"); } catch (err) { /* none */ }
                if (kept !== selection) {
                    map.fitBounds(view.bounds);
                    try { window.sessionStorage.setItem("eventmap-selection", selection); } catch (err) { }
                }
                map.eventmapViews = (map.eventmapViews || 0) + 1;
                if (view.report && map.eventmapViews === 1) eventmapReport(view.report);
            });
        })({{ this._parent._parent.get_name() }}, {{ this.view|tojson }});
        {% endmacro %}""")

    def __init__(self, view: dict):
        super().__init__()
        self._name = "ViewUpdate"
        self.view = view


def base_map(level: str = "district", *, shapes: dict[str, str], asset_url: str, metric: str = "events",
             labels: list | None = None, basemap: str = "offline") -> folium.Map:
    """The part of the page's map that stays while the filters change: the units (coloured by
    :func:`view_layers`), the offline basemap, the online layers, the legend's box and the kept view.

    ``shapes``: level -> URL of that level's :func:`unit_shapes` file; ``labels``: the provinces' names
    and where to write them, rows of (name, latitude, longitude), drawn with the province outlines (the
    offline basemap; :func:`province_labels`); ``basemap``: "offline" or a name of
    :data:`ONLINE_LAYERS` (then all online layers are offered, that one shown).  The same arguments give
    the same map, so the browser keeps it and only redraws the view's layers.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be district or province, not {level!r}")
    if metric not in METRICS or basemap not in BASEMAPS:
        raise ValueError(f"unknown metric {metric!r} or basemap {basemap!r}")
    fmap = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True, prefer_canvas=True)
    # no base layer by default, so the map itself must know (clusters need it)
    fmap.options["maxZoom"] = MAX_ZOOM
    if basemap != "offline":
        for name, (tiles, attribution) in ONLINE_LAYERS.items():
            folium.TileLayer(tiles, attr=attribution, name=f"{name} (online)", max_zoom=MAX_ZOOM,
                             show=name == basemap).add_to(fmap)
    Units(shapes[level], level, metric).add_to(fmap)
    if labels is not None:
        Outlines(shapes["province"], labels, "Province outlines and names").add_to(fmap)
    fmap.fit_bounds(AFGHANISTAN_BOUNDS)
    root = fmap.get_root()
    assert isinstance(root, Figure)   # a map's root is its page
    root.header.add_child(Element(MAP_STYLE), name="eventmap_style")
    Legend(legend_html(), position="bottomright").add_to(fmap)   # over Pakistan, not western Afghanistan
    folium.LayerControl(collapsed=True).add_to(fmap)
    ViewMemory().add_to(fmap)
    ViewAssets().add_to(fmap)
    localise(fmap, asset_url)
    return fmap


def province_labels(points: pd.DataFrame) -> list[list]:
    """The provinces' names at their points (``geo.boundaries.unit_points``: where their province-level events
    are drawn), as :func:`base_map`'s ``labels``."""
    provinces = points[points["level"] == "adm1"]
    return [[str(row.name), round(float(row.latitude), 4), round(float(row.longitude), 4)]
            for row in provinces.itertuples(index=False)]


def view_layers(events: pd.DataFrame, counts: pd.DataFrame, level: str = "district", *, asset_url: str,
                metric: str = "events", show: str = "points", selected=None,
                report: str | None = None, above_level: int = 0,
                highlight: dict | None = None) -> folium.FeatureGroup:
    """What a filter changes, as one layer for :func:`base_map`'s map: the events (``show``: "points"
    or "heat"), the selected unit's outline, and a script that colours the units by ``counts`` (one row
    per unit with its pcode and ``count``), writes the legend and, on a new selection, fits the map to
    it (``selected``: the selected unit's rows, a GeoDataFrame, or None for the whole country).
    ``report``: a token the map sends back once its first view is drawn (:class:`ViewUpdate`); the same
    token on every run of a page, so that the layer stays the same for the same filters.
    ``above_level``: how many events of the view are placed only above ``level`` (in a province but no
    district): the legend says they colour no unit.  ``highlight``: one event's row (a table row the
    analyst selected): the map zooms to it and marks it by a ring with its popup open.
    """
    if level not in LEVELS or metric not in METRICS or show not in SHOW:
        raise ValueError(f"unknown level {level!r}, metric {metric!r} or show {show!r}")
    group = folium.FeatureGroup(name="Events", control=False)
    located = events.dropna(subset=["latitude", "longitude"])
    SHOW[show](group, located)
    marked = highlight if highlight is not None and pd.notna(highlight.get("latitude")) \
        and pd.notna(highlight.get("longitude")) else None
    if marked is not None:
        mark = folium.CircleMarker([marked["latitude"], marked["longitude"]], radius=14,
                                   color=SELECTED_COLOUR, weight=3, fill=False)
        mark.add_child(OpenPopup(popup_html(marked))).add_to(group)
    bounds = AFGHANISTAN_BOUNDS
    if selected is not None and not selected.empty:
        folium.GeoJson(feature_collection(selected[["geometry"]]), interactive=False,
                       style_function=lambda _: {"fill": False, "color": SELECTED_COLOUR, "weight": 4}
                       ).add_to(group)
        west, south, east, north = selected.total_bounds
        bounds = [[south, west], [north, east]]
    if marked is not None:
        lat, lon = float(marked["latitude"]), float(marked["longitude"])
        bounds = [[lat - HIGHLIGHT_SPAN, lon - HIGHLIGHT_SPAN], [lat + HIGHLIGHT_SPAN, lon + HIGHLIGHT_SPAN]]
    code = LEVELS[level][0]
    values = counts.set_index(code)["count"].astype(int) if len(counts) else pd.Series(dtype=int)
    values = values[values > 0]
    top = int(values.max()) if len(values) else 0
    bins = scale_bins(top)
    ViewUpdate({"code": code, "values": {str(k): [int(v), colour_for(v, bins)] for k, v in values.items()},
                "legend": legend_html(bins, top, metric, level, above_level, points=show == "points"),
                "bounds": bounds,
                "report": report}
               ).add_to(group)
    localise(group, asset_url)
    return group


def localise(fmap: Element, asset_url: str) -> None:
    """Point every script and style sheet of ``fmap`` (a map or a layer) and its elements at
    ``asset_url`` + :data:`ASSETS`.

    Raises ValueError for an element with CDN files and no local copy listed here, so a new map
    feature cannot quietly bring back a request to the internet.
    """
    base = asset_url.rstrip("/") + "/"
    stack: list[Element] = [fmap]
    while stack:
        element = stack.pop()
        stack += list(element._children.values())
        if not (getattr(element, "default_js", None) or getattr(element, "default_css", None)):
            continue
        kind = next((k for k in type(element).__mro__ if k in ELEMENT_ASSETS), None)
        if kind is None:
            raise ValueError(f"no local copy of the files {type(element).__name__} needs: add them to ASSETS")
        assert isinstance(element, JSCSSMixin)   # every class in ELEMENT_ASSETS is one
        scripts, sheets = ELEMENT_ASSETS[kind]
        element.default_js = [(name, base + ASSETS[name]) for name in scripts]
        element.default_css = [(name, base + ASSETS[name]) for name in sheets]


def missing_assets(folder: Path, served_from: Path | None = None) -> list[str]:
    """The files of :data:`ASSETS` absent from ``folder`` (a node_modules folder), or, given the folder
    ``served_from`` that the web server serves, reached through a link that leads outside it (Streamlit
    refuses those: a linked node_modules left the map blank without a word)."""
    root = Path(served_from).resolve() if served_from is not None else None
    return [path for path in ASSETS.values() if not (Path(folder) / path).is_file()
            or root is not None and not (Path(folder) / path).resolve().is_relative_to(root)]


def scale_bins(top: int) -> list[int]:
    """Lower bounds of the integer colour classes for values 1..top (0 has its own colour)."""
    top = max(int(top), 1)
    edges = np.unique(np.floor(np.geomspace(1, top + 1, len(SCALE_COLOURS) + 1)).astype(int))
    return [int(e) for e in edges if e <= top]


def colour_for(value: float, bins: list[int]) -> str:
    """Fill colour of a unit with ``value`` under ``bins`` (from :func:`scale_bins`)."""
    if not value or value <= 0:
        return "#ffffff"
    index = int(np.searchsorted(bins, value, side="right")) - 1
    return SCALE_COLOURS[max(index, 0) * (len(SCALE_COLOURS) - 1) // max(len(bins) - 1, 1)]


def unit_shapes(units, level: str) -> str:
    """The GeoJSON file of a level's units as :class:`Units` draws it: pcode, names, and count 0."""
    code, name, _ = LEVELS[level]
    columns = [code, name, "geometry"] + (["adm1_name"] if level == "district" else [])
    return feature_collection(units[columns].assign(count=0))


def feature_collection(frame) -> str:
    """A GeoDataFrame in EPSG:4326 as GeoJSON text; shapely writes the geometries (in C: several times
    faster than GeoDataFrame.to_json)."""
    properties = frame.drop(columns="geometry").to_dict(orient="records")
    geometries = shapely.to_geojson(frame.geometry.values)
    features = ",".join(f'{{"type": "Feature", "properties": {json.dumps(p)}, "geometry": {g}}}'
                        for p, g in zip(properties, geometries, strict=True))
    return f'{{"type": "FeatureCollection", "features": [{features}]}}'


def _text(value) -> str:
    """A cell as escaped text; missing values are empty."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA \
        else html.escape(str(value))


def popup_html(row) -> str:
    """An event's popup: date, type, actors, counts, place, evidence (and the sentences of further figures),
    article title and source/link."""
    e = _text
    counts = ", ".join(f"{label} {e(row.get(key))}" for key, label in (
        ("fatalities", "killed"), ("injured", "injured"), ("detained", "detained"),
        ("displaced", "displaced"))
        if pd.notna(row.get(key)))
    date = (pd.Timestamp(row["event_date"]).strftime("%Y-%m-%d") if pd.notna(row.get("event_date"))
            else "date unknown")
    actors = " &rarr; ".join(a for a in (e(row.get("actor1")), e(row.get("actor2"))) if a)
    url = str(row.get("article_url") or "")
    source = e(row.get("source")) or "article"
    link = (f'<a href="{e(url)}" target="_blank" rel="noopener noreferrer">{source}</a>'
            if url.startswith(("http://", "https://")) else e(row.get("source")))
    place = ", ".join(p for p in (e(row.get("location")), e(row.get("admin1"))) if p)
    precision = row.get("geo_precision")
    located = PRECISION_WORDS.get(int(precision)) if pd.notna(precision) else None
    lines = [f"<b>{e(date)}</b> &middot; {e(row.get('event_type'))} / {e(row.get('sub_event_type'))}",
             actors, counts, f"{place} &middot; located at: {e(located)}" if place and located else place,
             f"<i>{e(row.get('evidence'))}</i>",
             f"<small>{e(row.get('notes'))}</small>" if e(row.get("notes")) else "",
             f"<b>{e(row.get('title'))}</b>" if e(row.get("title")) else "",
             link]
    return "<br>".join(line for line in lines if line)


def add_points(layer: folium.FeatureGroup, events: pd.DataFrame) -> None:
    """Event points coloured by type in one browser-side cluster; popups and tooltips for sets up to
    MAX_POPUP_MARKERS (larger sets carry coordinates and type only, to keep the page small)."""
    if events.empty:
        return
    codes = {t: i for i, t in enumerate(TYPE_COLOURS)}
    precision = events["geo_precision"] if "geo_precision" in events else pd.Series(1, index=events.index)
    data = np.column_stack([events["latitude"].round(4), events["longitude"].round(4),
                            events["event_type"].map(codes).fillna(-1),
                            pd.to_numeric(precision, errors="coerce").fillna(1)]).tolist()
    if len(events) <= MAX_POPUP_MARKERS:
        records = events.to_dict(orient="records")
        data = [row + [popup_html(r), html.escape(f"{r['event_type']} ({r.get('location') or ''})")]
                for row, r in zip(data, records, strict=True)]
    # clustered at every zoom: events at one point (a district's or province's centre) stay a counted bubble
    # that spreads them out when clicked at the closest zoom, instead of one dot hiding the others
    cluster = FastMarkerCluster([], callback=POINT_CALLBACK, name="Events", spiderfyOnMaxZoom=True,
                                icon_create_function=CLUSTER_ICON)
    # finite floats from the store: skips folium's per-row check (about 1 s at 100k rows)
    cluster.data = data
    cluster.add_to(layer)


def add_heat(layer: folium.FeatureGroup, events: pd.DataFrame) -> None:
    """A heat map of the events, summed on a small grid."""
    if events.empty:
        return
    grid = pd.DataFrame({"lat": (events["latitude"] / HEAT_GRID).round() * HEAT_GRID,
                         "lon": (events["longitude"] / HEAT_GRID).round() * HEAT_GRID})
    cells = grid.value_counts().reset_index(name="n")
    # the busiest cell is the hottest: leaflet.heat reads weights against "max" (1 unless given, so that every
    # cell with an event saturated)
    HeatMap(cells[["lat", "lon", "n"]].round(3).values.tolist(), name="Heat map", radius=18,
            blur=15, max=float(cells["n"].max())).add_to(layer)


# How the events of a view are drawn (view_layers' ``show``).
SHOW = {"points": add_points, "heat": add_heat}


def scale_labels(bins: list[int], top: int) -> list[str]:
    """Integer labels of the colour classes: "1", "2-4", "5-20" ...; the last ends at ``top``."""
    ends = [b - 1 for b in bins[1:]] + [max(int(top), bins[-1])]
    return [str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in zip(bins, ends, strict=True)]


def legend_html(bins: list[int] | None = None, top: int = 0, metric: str = "events",
                level: str = "district", above_level: int = 0, points: bool = True) -> str:
    """The map's key: given ``bins``, the choropleth's integer classes (``above_level``: events of the view
    placed only in a province, which colour no district); with ``points`` drawn, their colours by event
    type and how a point shows what is known of its place."""
    types = "".join(f'<div><span style="color:{c}">&#9679;</span> {html.escape(t)}</div>'
                    for t, c in TYPE_COLOURS.items()) if points else ""
    types_key = ("<b>Event type</b>" + types + '<div><span>&#9679;</span> place known &middot; <span '
                 'style="opacity:.5">&#9679;</span> district centre &middot; <span>&#9675;</span> province '
                 "centre</div>") if points else ""
    if not bins:
        return _foldable(f'<div class="eventmap-types">{types}</div>')
    above = (f"<div>{above_level:,} {'event' if above_level == 1 else 'events'} placed only by province: "
             "no district coloured for them</div>" if above_level and level == "district" else "")
    if top <= 0:   # nothing to colour: no classes to read
        nothing = f"No {html.escape(METRICS[metric].lower())} in the view's {html.escape(level)}s"
        return _foldable(f'<div><b>{nothing}</b></div>{above}{types_key}')
    classes = ['<div><i style="background:#ffffff"></i>0</div>'] + [
        f'<div><i style="background:{colour_for(low, bins)}"></i>{text}</div>'
        for low, text in zip(bins, scale_labels(bins, top), strict=True)]
    title = f"<b>{html.escape(METRICS[metric])} per {html.escape(level)}</b>"
    return _foldable(f'{title}{"".join(classes)}{above}{types_key}')


def _foldable(key: str) -> str:
    """The key in a box the user can fold away (it covers part of the map on small screens)."""
    return f'<details open><summary>Key</summary>{key}</details>'

