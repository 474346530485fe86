"""The shipped samples load cleanly, are all listed with their sources, and give events."""
from __future__ import annotations

from pathlib import Path

from events.load import load_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def test_every_sample_loads_and_is_listed():
    result = load_path(SAMPLES)
    assert result.errors == []
    assert 15 <= len(result.articles) <= 30
    assert len({a.id for a in result.articles}) == len(result.articles)
    assert all(a.published is not None for a in result.articles)
    sources = (ROOT / "docs" / "sample-sources.md").read_text(encoding="utf-8")
    for path in SAMPLES.iterdir():
        assert path.name in sources, f"{path.name} has no source line"


def test_sample_boilerplate_is_removed():
    for article in load_path(SAMPLES).articles:
        lowered = article.text.lower()
        assert "newsletter" not in lowered and "mailing list" not in lowered and "donate" not in lowered
