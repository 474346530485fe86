"""Folium map builders on hand-made units and events (no boundary data needed)."""
from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from folium.elements import JSCSSMixin
from folium.plugins import FastMarkerCluster, Fullscreen, HeatMap
from shapely.geometry import box
from streamlit_folium import generate_leaflet_string

from events.model import EXPORT_COLUMNS
from geo import maps

ASSETS = "/app/static/vendor/node_modules"
SHAPES = {"district": "/app/static/shapes/d.json", "province": "/app/static/shapes/p.json"}

DISTRICTS = gpd.GeoDataFrame({
    "adm1_pcode": ["AF01", "AF01", "AF02"], "adm1_name": ["Kabul", "Kabul", "Kapisa"],
    "adm2_pcode": ["AF0101", "AF0102", "AF0201"], "adm2_name": ["Kabul", "Paghman", "Mahmud Raqi"],
    "geometry": [box(69.0, 34.4, 69.3, 34.7), box(68.7, 34.4, 69.0, 34.7), box(69.3, 34.7, 69.6, 35.0)],
}, crs="EPSG:4326")


def events(n: int, evidence: str = "Fighting in Kabul.") -> pd.DataFrame:
    """``n`` events alternating between the first two districts."""
    frame = pd.DataFrame({c: None for c in EXPORT_COLUMNS}, index=range(n))
    frame["event_id"] = [f"e{i}" for i in range(n)]
    frame["event_date"] = pd.Timestamp("2021-08-01")
    frame["event_type"] = ["Battles", "Protests"] * (n // 2) + ["Battles"] * (n % 2)
    frame["sub_event_type"] = "Armed clash"
    frame["adm2_pcode"] = ["AF0101", "AF0102"] * (n // 2) + ["AF0101"] * (n % 2)
    frame["latitude"], frame["longitude"] = 34.55, 69.1
    frame["evidence"], frame["location"], frame["admin1"] = evidence, "Kabul", "Kabul"
    frame["article_url"], frame["source"] = "https://example.org/a", "Wire"
    frame["fatalities"] = 2.0
    return frame


def counts_for(frame: pd.DataFrame) -> pd.DataFrame:
    units = pd.DataFrame(DISTRICTS.drop(columns="geometry"))
    units["count"] = units["adm2_pcode"].map(frame["adm2_pcode"].value_counts()).fillna(0).astype(int)
    return units


def children(fmap, kind):
    found, stack = [], list(fmap._children.values())
    while stack:
        child = stack.pop()
        found += [child] if isinstance(child, kind) else []
        stack += list(child._children.values())
    return found


def view_of(layer) -> dict:
    """The view a layer of :func:`maps.view_layers` applies in the browser."""
    (update,) = children(layer, maps.ViewUpdate)
    return update.view


def shown(frame, counts=None, **options):
    """The view layer for ``frame`` (on the map, as the page adds it)."""
    layer = maps.view_layers(frame, counts_for(frame) if counts is None else counts, asset_url=ASSETS,
                             **options)
    layer.add_to(maps.base_map(shapes=SHAPES, asset_url=ASSETS))
    return layer


def test_base_map_units_tooltip_layers_and_offline():
    points = pd.DataFrame({"level": ["adm1", "adm1", "adm2"], "name": ["Kabul", "Kapisa", "Paghman"],
                           "latitude": [34.5, 35.0, 34.6], "longitude": [69.2, 69.6, 68.9]})
    fmap = maps.base_map("district", shapes=SHAPES, asset_url=ASSETS, labels=maps.province_labels(points))
    (units,) = children(fmap, maps.Units)
    assert units.url == SHAPES["district"]
    assert units.aliases == ["District:", "Province:", "Pcode:", "Events:"]
    (outlines,) = children(fmap, maps.Outlines)
    assert outlines.url == SHAPES["province"]
    assert [label[0] for label in outlines.labels] == ["Kabul", "Kapisa"]
    html = fmap.get_root().render()
    assert "L.control.layers" in html and "District events" in html and "Province outlines" in html
    assert "tile.openstreetmap.org" not in html   # offline unless an online basemap is chosen
    # a view rewrites the one legend box; a note that the shapes failed to load is another box
    assert html.count('L.DomUtil.create("div", "eventmap-legend")') == 1
    assert 'L.DomUtil.create("div", "eventmap-note")' in html


def test_unit_shapes_carry_what_the_map_shows():
    shapes = json.loads(maps.unit_shapes(DISTRICTS, "district"))
    assert [f["properties"] for f in shapes["features"]][0] == {
        "adm2_pcode": "AF0101", "adm2_name": "Kabul", "adm1_name": "Kabul", "count": 0}
    assert shapes["features"][2]["geometry"]["type"] == "Polygon"
    provinces = json.loads(maps.unit_shapes(DISTRICTS.drop_duplicates("adm1_pcode"), "province"))
    assert set(provinces["features"][0]["properties"]) == {"adm1_pcode", "adm1_name", "count"}


def test_base_map_is_the_same_for_the_same_arguments():
    """The browser keeps a map whose script did not change: a filter change must not change it."""
    def script(**options) -> str:
        return generate_leaflet_string(maps.base_map(shapes=SHAPES, asset_url=ASSETS, **options))
    assert script() == script()
    assert script(metric="fatalities") != script()


def test_view_colours_units_by_counts_with_integer_legend():
    view = view_of(shown(events(5)))
    assert view["code"] == "adm2_pcode"
    assert {code: value for code, (value, _) in view["values"].items()} == {"AF0101": 3, "AF0102": 2}
    assert view["values"]["AF0101"][1] == maps.colour_for(3, maps.scale_bins(3))
    assert "Events per district" in view["legend"] and "1-2" not in view["legend"].split("Events")[0]


def test_province_level():
    counts = pd.DataFrame({"adm1_pcode": ["AF01", "AF02"], "count": [4, 0]})
    fmap = maps.base_map("province", shapes=SHAPES, asset_url=ASSETS)
    (units,) = children(fmap, maps.Units)
    assert units.url == SHAPES["province"] and "Province events" in fmap.get_root().render()
    view = view_of(maps.view_layers(events(4), counts, "province", asset_url=ASSETS))
    assert view["code"] == "adm1_pcode" and list(view["values"]) == ["AF01"]
    assert "Events per province" in view["legend"]


def test_unknown_level_or_show_is_refused():
    with pytest.raises(ValueError, match="district or province"):
        maps.base_map("village", shapes=SHAPES, asset_url=ASSETS)
    with pytest.raises(ValueError, match="unknown level"):
        maps.view_layers(events(1), counts_for(events(1)), "village", asset_url=ASSETS)
    with pytest.raises(ValueError, match="show"):
        maps.view_layers(events(1), counts_for(events(1)), asset_url=ASSETS, show="bubbles")


def test_popups_escape_article_text():
    frame = events(2, evidence='Attack <script>alert("x")</script> & "quotes"')
    frame.loc[1, "article_url"] = "javascript:alert(1)"
    layer = shown(frame)
    assert "<script>alert" not in layer.get_root().render()
    (cluster,) = children(layer, FastMarkerCluster)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in cluster.data[0][4]
    assert "javascript:alert(1)" not in maps.popup_html(frame.iloc[1].to_dict())
    assert 'href="https://example.org/a"' in maps.popup_html(frame.iloc[0].to_dict())
    noted = maps.popup_html(frame.iloc[0].to_dict() | {"notes": "Figures also from: <b>12</b> killed"})
    assert "Figures also from: &lt;b&gt;12&lt;/b&gt; killed" in noted


def test_events_at_one_point_stay_clustered_at_every_zoom():
    (cluster,) = children(shown(events(5)), FastMarkerCluster)
    assert "disableClusteringAtZoom" not in cluster.options and cluster.options["spiderfyOnMaxZoom"] is True


def test_a_selected_table_row_is_marked_with_its_popup_open():
    frame = events(3, evidence="Gunmen <b>stormed</b> a post.")
    layer = shown(frame, highlight=frame.iloc[1].to_dict())
    (mark,) = children(layer, folium.CircleMarker)
    assert mark.location == [frame.iloc[1]["latitude"], frame.iloc[1]["longitude"]]
    assert not children(mark, folium.Popup)   # folium's needs jQuery, which the page does not load
    (popup,) = children(mark, maps.OpenPopup)
    assert "&lt;b&gt;stormed&lt;/b&gt;" in popup.html and "<b>stormed</b>" not in popup.html
    page = layer.get_root().render()
    assert f'{mark.get_name()}.on("add"' in page and f"{mark.get_name()}.bindPopup(" in page
    south, west = view_of(layer)["bounds"][0]   # the map zooms to the row
    assert south < frame.iloc[1]["latitude"] < south + 0.2 and west < frame.iloc[1]["longitude"] < west + 0.2
    assert not children(shown(frame), folium.CircleMarker)


def test_points_carry_popups_only_for_small_sets():
    (small,) = children(shown(events(10)), FastMarkerCluster)
    assert len(small.data) == 10 and all(len(row) == 6 for row in small.data)
    assert "Armed clash" in small.data[0][4] and small.data[1][5] == "Protests (Kabul)"
    n = maps.MAX_POPUP_MARKERS + 1
    (large,) = children(shown(events(n)), FastMarkerCluster)
    assert len(large.data) == n and all(len(row) == 4 for row in large.data)
    assert {row[2] for row in large.data} == {0.0, 3.0}    # Battles, Protests as colour indexes


def test_a_point_shows_how_much_of_its_place_is_known():
    """A point placed only by its province stands at the province's centre: the popup says so in words,
    the marker is a ring (the callback reads the precision), and the legend explains the markers."""
    frame = events(2)
    frame["geo_precision"] = [1, 4]
    (cluster,) = children(shown(frame), FastMarkerCluster)
    assert [row[3] for row in cluster.data] == [1.0, 4.0]
    assert "located at: the place itself" in cluster.data[0][4]
    assert "province centre (only the province known)" in cluster.data[1][4]
    assert "fills[row[3]]" in maps.POINT_CALLBACK and "province centre" in view_of(shown(frame))["legend"]
    assert "eventmap-cluster" in cluster.icon_create_function   # grey bubbles, not the type colours


def test_the_district_legend_counts_events_placed_only_by_province():
    frame = events(2)
    layer = maps.view_layers(frame, counts_for(frame), asset_url=ASSETS, above_level=3)
    assert "3 events placed only by province: no district coloured" in view_of(layer)["legend"]
    heat = maps.view_layers(frame, counts_for(frame), asset_url=ASSETS, show="heat")
    assert "Events per district" in view_of(heat)["legend"] and "Event type" not in view_of(heat)["legend"]
    none = maps.view_layers(frame.iloc[:0], counts_for(frame.iloc[:0]), asset_url=ASSETS, above_level=1)
    assert "No events in the view's districts" in view_of(none)["legend"]
    assert "1 event placed only by province: no district coloured" in view_of(none)["legend"]


def test_heat_map_sums_events_per_cell_instead_of_points():
    frame = events(6)
    frame.loc[5, ["latitude", "longitude"]] = [34.9, 69.5]
    layer = shown(frame, show="heat")
    (heat,) = children(layer, HeatMap)
    assert sorted(point[2] for point in heat.data) == [1, 5]
    assert heat.options["max"] == 5   # intensity against the busiest cell, not saturated at one event
    assert not children(layer, FastMarkerCluster)


def test_events_without_coordinates_stay_off_the_points():
    frame = events(4)
    frame.loc[[0, 1], "latitude"] = None
    (cluster,) = children(shown(frame), FastMarkerCluster)
    assert len(cluster.data) == 2


def test_empty_view_draws_no_points_and_colours_nothing():
    layer = shown(events(0))
    assert view_of(layer)["values"] == {}
    assert not children(layer, FastMarkerCluster) and not children(layer, HeatMap)


def test_selection_is_outlined_and_its_bounds_fitted():
    selected = DISTRICTS[DISTRICTS["adm2_pcode"] == "AF0201"]
    layer = shown(events(2), selected=selected)
    (outline,) = children(layer, folium.GeoJson)
    assert outline.style_function(None)["color"] == maps.SELECTED_COLOUR
    assert view_of(layer)["bounds"] == [[34.7, 69.3], [35.0, 69.6]]
    assert view_of(shown(events(2)))["bounds"] == maps.AFGHANISTAN_BOUNDS


def test_view_reports_its_first_drawing_with_the_pages_token():
    """The page's token goes with the view; the map sends it back through streamlit-folium's channel, as
    the component value, once its first view is drawn."""
    layer = shown(events(2), report="c0ffee")
    assert view_of(layer)["report"] == "c0ffee" and view_of(shown(events(2)))["report"] is None
    (update,) = children(layer, maps.ViewUpdate)
    script = update._template.module.script(update, {})
    assert "eventmapViews === 1) eventmapReport(view.report)" in script
    assert "window.Streamlit.setComponentValue" in script and f"{{{maps.REPORT}: token}}" in script


def test_legend_names_every_type_and_integer_classes():
    legend = maps.legend_html([1, 2, 5], 17, "fatalities", "province")
    assert legend.startswith("<details open><summary>")   # the user can fold the key away
    assert all(name in legend for name in maps.TYPE_COLOURS)
    assert "Fatalities per province" in legend
    assert [label in legend for label in (">0<", ">1<", ">2-4<", ">5-17<")] == [True] * 4
    assert maps.scale_labels(maps.scale_bins(300), 300)[-1].endswith("-300")
    assert all("." not in label for label in maps.scale_labels(maps.scale_bins(12000), 12000))
    empty = maps.legend_html(maps.scale_bins(0), 0, "events", "district")
    assert "No events in the view" in empty and ">0<" not in empty and ">1<" not in empty


def test_every_script_and_style_is_local():
    """The base map loads every file a view may need (points and heat), all from the app."""
    fmap = maps.base_map(shapes=SHAPES, asset_url=ASSETS, labels=[["Kabul", 34.5, 69.2]])
    fmap.get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', fmap.get_root().header.render())
    assert links and all(link.startswith(ASSETS + "/") for link in links), links
    assert {link[len(ASSETS) + 1:] for link in links} == set(maps.ASSETS.values())
    for show in maps.SHOW:
        layer = maps.view_layers(events(3), counts_for(events(3)), asset_url=ASSETS, show=show)
        assert all(url.startswith(ASSETS + "/") for element in children(layer, JSCSSMixin)
                   for _, url in element.default_js + element.default_css)


def test_element_without_local_copy_is_refused():
    fmap = maps.base_map(shapes=SHAPES, asset_url=ASSETS)
    Fullscreen().add_to(fmap)   # a plugin with CDN files only
    with pytest.raises(ValueError, match="no local copy"):
        maps.localise(fmap, ASSETS)


def test_online_layers_only_when_chosen():
    html = maps.base_map(shapes=SHAPES, asset_url=ASSETS, basemap="Satellite").get_root().render()
    assert "tile.openstreetmap.org" in html and "World_Imagery" in html
    assert "openstreetmap.org/copyright" in html and "Esri" in html   # attributions


def test_popup_has_title_and_no_dangling_arrow():
    row = events(1).iloc[0].to_dict() | {"actor1": "Taliban", "actor2": None,
                                         "title": "Clash <b>near</b> Kabul"}
    text = maps.popup_html(row)
    assert "&rarr;" not in text and "Taliban" in text
    assert "Clash &lt;b&gt;near&lt;/b&gt; Kabul" in text and ">Wire</a>" in text


def test_script_files_linked_from_outside_the_served_folder_count_as_missing(tmp_path):
    served = tmp_path / "static"
    elsewhere = tmp_path / "elsewhere"
    for path in maps.ASSETS.values():
        (elsewhere / path).parent.mkdir(parents=True, exist_ok=True)
        (elsewhere / path).write_text("//")
    (served / "vendor").mkdir(parents=True)
    (served / "vendor" / "node_modules").symlink_to(elsewhere)
    linked = served / "vendor" / "node_modules"
    assert maps.missing_assets(linked) == []   # the files are there, but the server refuses them
    assert len(maps.missing_assets(linked, served_from=served)) == len(maps.ASSETS)
