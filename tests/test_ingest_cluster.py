"""Extraction on a real Dask cluster (LocalCluster, two worker processes on 127.0.0.1) stores what a
local run stores."""
from __future__ import annotations

import pytest
from distributed import Client, LocalCluster

import config
from events.cli import main
from events.cluster import ClusterError, DaskExtractor
from events.load import article_from_text
from events.pipeline import ingest_paths
from events.store import EventStore
from tests.test_ingest_resume import stored_rows, write_batch


def _gazetteers_on_worker() -> list[str]:
    import events.cluster
    return sorted(events.cluster._gazetteers)


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:
        yield local


def test_cluster_stores_what_a_local_run_stores(shared_data, tmp_path, cluster):
    batch = tmp_path / "batch.jsonl"
    write_batch(shared_data, batch, 120, copies=2)
    inputs = [batch, config.REPO_ROOT / "samples"]
    local = EventStore(f"sqlite:///{tmp_path / 'local.db'}")
    expected = ingest_paths(inputs, local, shared_data)
    remote = EventStore(f"sqlite:///{tmp_path / 'remote.db'}")
    got = ingest_paths(inputs, remote, shared_data, scheduler=cluster.scheduler_address)
    assert (got.read, got.new, got.events_stored) == \
           (expected.read, expected.new, expected.events_stored)
    rows = stored_rows(remote)
    assert rows[0] and rows == stored_rows(local)   # the same events (every field), sources and articles
    again = ingest_paths(inputs, remote, shared_data, scheduler=cluster.scheduler_address)
    assert again.new == 0 and stored_rows(remote) == rows
    with Client(cluster.scheduler_address) as client:   # one gazetteer per worker, whatever the tasks
        placed = client.run(_gazetteers_on_worker)
    assert len(placed) == 2 and all(len(digests) == 1 for digests in placed.values())


def test_the_command_line_sends_extraction_to_the_scheduler(shared_data, tmp_path, cluster, monkeypatch,
                                                            capsys):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    monkeypatch.setenv("EVENTMAP_SCHEDULER", cluster.scheduler_address)
    inputs = [str(config.REPO_ROOT / "samples")]
    before = cluster.scheduler.transition_counter
    assert main(["ingest", *inputs, "--db", db, "--data-dir", str(shared_data)]) == 0
    assert "events stored" in capsys.readouterr().out and EventStore(db).count() > 0
    assert cluster.scheduler.transition_counter > before   # the scheduler ran the extraction tasks


def test_an_unreachable_scheduler_is_one_line(shared_data, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("events.cluster.CONNECT_SECONDS", 2)
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskExtractor("tcp://127.0.0.1:9", shared_data)
    capsys.readouterr()   # what the command prints is measured from here
    status = main(["ingest", str(config.REPO_ROOT / "samples"), "--db", f"sqlite:///{tmp_path / 'e.db'}",
                   "--data-dir", str(shared_data), "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert status == 1 and len(err.splitlines()) == 1
    assert err.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_a_cluster_without_workers_is_one_line(shared_data, monkeypatch):
    monkeypatch.setattr("events.cluster.CONNECT_SECONDS", 2)
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None) as empty, \
            DaskExtractor(empty.scheduler_address, shared_data) as extractor:
        articles = [article_from_text("Two soldiers were killed in Kunduz province on Monday.", "one.txt")]
        with pytest.raises(ClusterError, match="has no workers: none joined within 2 s"):
            extractor.map(articles)
