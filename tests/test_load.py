"""Loading articles from files, batches, folders and URLs; bad input is reported, not fatal."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from events.load import LoadError, decode, load_bytes, load_path, load_url

PAGE = """SUPPORT OUR NEWSROOM - donate today and keep reporting free!

Kabul Daily News

Clashes reported in Baghlan province

Kabul Daily News

Tue Mar 3, 2020 09:15AM

Fighting broke out between Taliban militants and Afghan forces in Baghlan province on Monday, officials said.

Local officials said at least four soldiers were killed and six wounded in the clashes \
near the provincial capital.

Subscribe to our newsletter for daily updates
"""


def test_text_page_boilerplate_and_metadata(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    result = load_path(path)
    assert result.errors == []
    article = result.articles[0]
    assert article.title == "Clashes reported in Baghlan province"
    assert article.source == "Kabul Daily News"
    assert article.published.isoformat() == "2020-03-03T09:15:00"
    assert (article.text.startswith("Fighting broke out")
            and article.text.endswith("near the provincial capital."))
    assert "donate" not in article.text.lower() and "newsletter" not in article.text.lower()


def test_same_text_in_two_files_is_one_article(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PAGE.replace("\n\n", "\n\n\n"), encoding="utf-8")
    ids = {a.id for a in load_path(tmp_path).articles}
    assert len(ids) == 1


def test_bad_files_are_reported_and_the_rest_loads(tmp_path):
    (tmp_path / "good.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01\x02" * 20)
    (tmp_path / "big.txt").write_text("x " * 600, encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(json.dumps({"text": PAGE.replace("Baghlan", "Takhar")})
                                          + "\n{broken\n" + json.dumps({"title": "no text"}) + "\n",
                                          encoding="utf-8")
    (tmp_path / "notext.csv").write_text("title,body\nA,B\n", encoding="utf-8")
    result = load_path(tmp_path, max_bytes=1000)
    reasons = {origin.split("/")[-1]: reason for origin, reason in result.errors}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["big.txt"].startswith("too large")
    assert reasons["batch.jsonl:2"].startswith("malformed JSON")
    assert reasons["batch.jsonl:3"] == "no text"
    assert "no 'text' column" in reasons["notext.csv"]
    assert len(result.articles) == 2


def test_legacy_encoding_is_detected():
    text = "Les combats ont repris près de la ville de Kunduz, selon la police régionale. " * 3
    assert decode(text.encode("cp1252")) == text


def test_csv_and_jsonl_batches_keep_metadata():
    csv_data = ("text,title,url,published,source\n"
                '"Police arrested three men in Herat city on Sunday, officials said in a statement.",Arrests,'
                "https://example.org/a,2021-06-01,Example News\n").encode()
    article = load_bytes("batch.csv", csv_data).articles[0]
    assert ((article.title, article.url, article.source)
            == ("Arrests", "https://example.org/a", "Example News"))
    assert article.published.date().isoformat() == "2021-06-01"


def test_html_page(shared_data):
    html = ("<html><head><title>Blast in Kabul</title>"
            "<meta property='article:published_time' content='2022-04-19'>"
            "</head><body><nav>Home | World | Sport</nav><article><h1>Blast in Kabul</h1>"
            + "".join(f"<p>Paragraph {i}: an explosion struck a school in western Kabul on Tuesday, killing "
                      f"several students, officials said.</p>" for i in range(4))
            + "</article><footer>Copyright 2022</footer></body></html>").encode()
    article = load_bytes("page.html", html).articles[0]
    assert "explosion struck a school" in article.text and "Home | World" not in article.text
    assert article.title == "Blast in Kabul" and article.published.date().isoformat() == "2022-04-19"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/article":
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(500)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_is_fetched(server):
    result = load_url(f"{server}/article")
    assert result.errors == [] and result.articles[0].url == f"{server}/article"
    assert result.articles[0].title == "Clashes reported in Baghlan province"


def test_url_error_is_reported(server):
    result = load_url(f"{server}/broken")
    assert result.articles == [] and "500" in result.errors[0][1]


def test_undecodable_bytes_raise():
    with pytest.raises(LoadError):
        decode(bytes(range(128, 256)) * 8)


def test_batch_site_lines_name_the_outlet_and_banners_go(tmp_path):
    pages = [("Clashes in Baghlan province today", "Fighting broke out in Baghlan."),
             ("Blast hits a market in Kabul city", "A bomb went off in a market."),
             ("Police detain suspects in Herat", "Police detained three suspects.")]
    for i, (headline, body) in enumerate(pages):
        (tmp_path / f"{i}.txt").write_text(
            f"Sample Desk - rewritten summaries for testing number {i}\n\nSample Desk\n\n{headline}\n\n"
            f"Tue Mar 3, 2020 09:15AM\n\n{body} It happened after a long night of tension in the area.\n",
            encoding="utf-8")
    articles = load_path(tmp_path).articles
    assert [a.title for a in articles] == [headline for headline, _ in pages]
    assert {a.source for a in articles} == {"Sample Desk"}
    assert not any("Sample Desk" in a.text for a in articles)


def test_an_editors_note_above_the_article_is_not_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("[N.B. this is similar to another incident on the same day, so why two airstrikes?]\n\n"
                    "Airstrike kills two insurgents in Kunduz\n\nTue Mar 3, 2020 09:15AM\n\n"
                    "An airstrike killed two armed insurgents in Archi district, Kunduz province, "
                    "yesterday.\n",
                    encoding="utf-8")
    article = load_path(path).articles[0]
    assert article.title == "Airstrike kills two insurgents in Kunduz" and "N.B." not in article.text


def test_hard_wrapped_paragraphs_are_joined_and_short_lines_stay_apart():
    text = ("For Immediate Release\n\n"
            "       A combined security force killed a suspected insurgent and detained\n"
            "several other suspected insurgents in Khost province last night while\n"
            "pursuing a weapons facilitator.\n\n"
            "       The force found weapons.\n"
            "Officials said nobody else was hurt.\n")
    article = load_bytes("wrapped.txt", text.encode()).articles[0]
    assert article.text.split("\n\n")[-3:] == [
        "A combined security force killed a suspected insurgent and detained several other suspected "
        "insurgents in Khost province last night while pursuing a weapons facilitator.",
        "The force found weapons.", "Officials said nobody else was hurt."]
