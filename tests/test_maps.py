"""Folium map builders on hand-made units and events (no boundary data needed)."""
from __future__ import annotations

import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from folium.plugins import FastMarkerCluster, Fullscreen, HeatMap
from shapely.geometry import box

from events.model import EXPORT_COLUMNS
from geo import maps

ASSETS = "/app/static/vendor/node_modules"

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


def choropleth_counts(fmap) -> dict:
    """pcode -> count of the map's unit layer."""
    (layer,) = children(fmap, folium.GeoJson)
    return {f["properties"]["adm2_pcode"]: f["properties"]["count"] for f in layer.data["features"]}


def test_choropleth_counts_legend_and_layers():
    frame = events(5)
    fmap = maps.build_map(frame, DISTRICTS, counts_for(frame), "district", asset_url=ASSETS)
    assert choropleth_counts(fmap) == {"AF0101": 3, "AF0102": 2, "AF0201": 0}
    html = fmap.get_root().render()
    assert '"count": 3' in html
    assert "Events per district" in html and "1-2" not in html.split("Events per district")[0][-5:]
    assert "L.control.layers" in html and "District events" in html
    assert "tile.openstreetmap.org" not in html   # offline unless an online basemap is chosen
    assert "Province:" in html and "Pcode:" in html


def test_province_level():
    provinces = DISTRICTS.dissolve("adm1_pcode", as_index=False)[["adm1_pcode", "adm1_name", "geometry"]]
    counts = pd.DataFrame({"adm1_pcode": ["AF01", "AF02"], "count": [4, 0]})
    html = maps.build_map(events(4), provinces, counts, "province", asset_url=ASSETS).get_root().render()
    assert "Events per province" in html and "Province events" in html


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="district or province"):
        maps.build_map(events(1), DISTRICTS, counts_for(events(1)), "village", asset_url=ASSETS)


def test_popups_escape_article_text():
    frame = events(2, evidence='Attack <script>alert("x")</script> & "quotes"')
    frame.loc[1, "article_url"] = "javascript:alert(1)"
    fmap = maps.build_map(frame, DISTRICTS, counts_for(frame), asset_url=ASSETS)
    assert "<script>alert" not in fmap.get_root().render()
    (cluster,) = children(fmap, FastMarkerCluster)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in cluster.data[0][3]
    assert "javascript:alert(1)" not in maps.popup_html(frame.iloc[1].to_dict())
    assert 'href="https://example.org/a"' in maps.popup_html(frame.iloc[0].to_dict())


def test_points_carry_popups_only_for_small_sets():
    (small,) = children(maps.build_map(events(10), DISTRICTS, counts_for(events(10)), asset_url=ASSETS),
                        FastMarkerCluster)
    assert len(small.data) == 10 and all(len(row) == 5 for row in small.data)
    assert "Armed clash" in small.data[0][3] and small.data[1][4] == "Protests (Kabul)"
    n = maps.MAX_POPUP_MARKERS + 1
    (large,) = children(maps.build_map(events(n), DISTRICTS, counts_for(events(n)), asset_url=ASSETS),
                        FastMarkerCluster)
    assert len(large.data) == n and all(len(row) == 3 for row in large.data)
    assert {row[2] for row in large.data} == {0.0, 3.0}    # Battles, Protests as colour indexes


def test_heat_map_sums_events_per_cell():
    frame = events(6)
    frame.loc[5, ["latitude", "longitude"]] = [34.9, 69.5]
    (heat,) = children(maps.build_map(frame, DISTRICTS, counts_for(frame), asset_url=ASSETS), HeatMap)
    assert sorted(point[2] for point in heat.data) == [1, 5]


def test_events_without_coordinates_stay_off_the_points():
    frame = events(4)
    frame.loc[[0, 1], "latitude"] = None
    (cluster,) = children(maps.build_map(frame, DISTRICTS, counts_for(frame), asset_url=ASSETS),
                          FastMarkerCluster)
    assert len(cluster.data) == 2


def test_empty_selection_still_draws_units():
    frame = events(0)
    fmap = maps.build_map(frame, DISTRICTS, counts_for(frame), asset_url=ASSETS)
    assert choropleth_counts(fmap) == {"AF0101": 0, "AF0102": 0, "AF0201": 0}
    assert not children(fmap, FastMarkerCluster) and not children(fmap, HeatMap)


def test_legend_names_every_type_and_integer_classes():
    legend = maps.legend_html([1, 2, 5], 17, "fatalities", "province")
    assert all(name in legend for name in maps.TYPE_COLOURS)
    assert "Fatalities per province" in legend
    assert [label in legend for label in (">0<", ">1<", ">2-4<", ">5-17<")] == [True] * 4
    assert maps.scale_labels(maps.scale_bins(300), 300)[-1].endswith("-300")
    assert all("." not in label for label in maps.scale_labels(maps.scale_bins(12000), 12000))


def test_every_script_and_style_is_local():
    frame = events(maps.MAX_POPUP_MARKERS + 1)   # points, heat map, legend, outlines
    provinces = DISTRICTS.dissolve("adm1_pcode", as_index=False)[["adm1_pcode", "adm1_name", "geometry"]]
    fmap = maps.build_map(frame, DISTRICTS, counts_for(frame), asset_url=ASSETS, provinces=provinces)
    fmap.get_root().render()
    head = fmap.get_root().header.render()
    links = re.findall(r'(?:src|href)="([^"]+)"', head)
    assert links and all(link.startswith(ASSETS + "/") for link in links), links
    assert {link[len(ASSETS) + 1:] for link in links} <= set(maps.ASSETS.values())


def test_element_without_local_copy_is_refused():
    fmap = maps.build_map(events(2), DISTRICTS, counts_for(events(2)), asset_url=ASSETS)
    Fullscreen().add_to(fmap)   # a plugin with CDN files only
    with pytest.raises(ValueError, match="no local copy"):
        maps.localise(fmap, ASSETS)


def test_online_layers_only_when_chosen():
    frame = events(2)
    html = maps.build_map(frame, DISTRICTS, counts_for(frame), asset_url=ASSETS,
                          basemap="Satellite").get_root().render()
    assert "tile.openstreetmap.org" in html and "World_Imagery" in html
    assert "openstreetmap.org/copyright" in html and "Esri" in html   # attributions


def test_popup_has_title_and_no_dangling_arrow():
    row = events(1).iloc[0].to_dict() | {"actor1": "Taliban", "actor2": None,
                                         "title": "Clash <b>near</b> Kabul"}
    text = maps.popup_html(row)
    assert "&rarr;" not in text and "Taliban" in text
    assert "Clash &lt;b&gt;near&lt;/b&gt; Kabul" in text and ">Wire</a>" in text
