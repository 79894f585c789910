"""Uploads through the real server (protocol-gen serve, waitress): a Word file of several
MB imports through the page and the API; anything over the limit gets the app's own
answer in plain words (a page, or JSON under /api/), never the server's plain text."""
from __future__ import annotations

import contextlib
import html
import http.client
import io
import re
import secrets
import socket
import struct
from urllib.parse import urlsplit
import zlib

from conftest import _serve
from docx import Document as WordDocument
from docx.shared import Cm
import pytest

MILCOMBE = "milcombe-parish-council"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _png(width: int, height: int) -> bytes:
    """A PNG of random pixels (which no compression makes smaller): a crest, as far as
    the size of a Word file goes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + secrets.token_bytes(width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


@pytest.fixture
def big_protocol(web_server) -> bytes:
    """Milcombe's protocol as the app writes it, renamed, with a 5 MB crest on top: a Word
    file of several MB."""
    with _connect(web_server) as conn:
        conn.request("GET", f"/api/councils/{MILCOMBE}/protocol.docx")
        data = conn.getresponse().read()
    word = WordDocument(io.BytesIO(data))
    for p in word.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("Milcombe", "Hollowmere")
    word.paragraphs[0].insert_paragraph_before().add_run().add_picture(
        io.BytesIO(_png(1300, 1300)), width=Cm(3))
    out = io.BytesIO()
    word.save(out)
    assert out.tell() > 5 * 1000 * 1000
    return out.getvalue()


def _connect(url: str):
    parts = urlsplit(url)
    return contextlib.closing(http.client.HTTPConnection(parts.hostname, parts.port,
                                                         timeout=120))


def _multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----protocolgen" + secrets.token_hex(8)
    body = b""
    for key, value in fields.items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n"
                 f"{value}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"protocol\"; "
             f"filename=\"{filename}\"\r\nContent-Type: {DOCX}\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _form_session(url: str) -> tuple[str, str]:
    """A browser's session cookie and the CSRF token of the add-a-council page."""
    with _connect(url) as conn:
        conn.request("GET", "/councils/new")
        r = conn.getresponse()
        page = r.read().decode()
        cookie = r.getheader("Set-Cookie").split(";")[0]
    return cookie, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_word_file_of_several_mb_imports_through_the_page(web_server, web_folder,
                                                            big_protocol):
    cookie, csrf = _form_session(web_server)
    body, kind = _multipart({"csrf_token": csrf}, "Our protocol.docx", big_protocol)
    with _connect(web_server) as conn:
        conn.request("POST", "/councils/import", body=body,
                     headers={"Content-Type": kind, "Cookie": cookie})
        r = conn.getresponse()
        r.read()
    assert r.status == 302, r.status
    assert (web_folder / "hollowmere-parish-council.yaml").is_file()
    assert "Hollowmere Parish Council" in (web_folder / "hollowmere-parish-council.yaml"
                                           ).read_text()


def test_a_word_file_of_several_mb_imports_through_the_api(web_server, web_folder,
                                                           big_protocol):
    import json
    body, kind = _multipart({}, "protocol.docx", big_protocol)
    with _connect(web_server) as conn:
        conn.request("POST", "/api/imports", body=body, headers={"Content-Type": kind})
        r = conn.getresponse()
        answer = json.loads(r.read())
    assert r.status == 201, answer
    assert answer["name"] == "hollowmere-parish-council"
    assert r.getheader("Location") == "/api/councils/hollowmere-parish-council"
    with _connect(web_server) as conn:
        conn.request("GET", r.getheader("Location"))
        council = json.loads(conn.getresponse().read())
    assert council["council"]["name"] == "Hollowmere Parish Council"
    with _connect(web_server) as conn:         # again: the council exists now
        conn.request("POST", "/api/imports", body=body, headers={"Content-Type": kind})
        again = conn.getresponse()
        assert again.status == 409 and json.loads(again.read())["fix"]


def _refused(url: str, path: str, length: int, kind: str) -> tuple[int, dict, str]:
    """Send only the headers of a request whose body is ``length`` bytes, as a browser
    starts an upload, and read the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                      f"Content-Type: {kind}\r\nContent-Length: {length}\r\n\r\n").encode())
        sock.sendall(b"x" * 65536)
        data = b""
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + int(
                re.search(rb"Content-Length: (\d+)", data, re.I).group(1)):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body.decode("utf-8")


@pytest.mark.parametrize("length", [21 * 1024 * 1024, 200 * 1024 * 1024])
def test_over_20_mb_the_page_says_so_in_plain_words(web_server, length):
    status, headers, body = _refused(web_server, "/councils/import", length,
                                     "multipart/form-data; boundary=x")
    assert status == 413
    assert headers["content-type"].startswith("text/html")
    text = html.unescape(body)
    assert "at most 20 MB" in text and "<html" in text
    assert "max_body" not in text and "Request Entity Too Large" not in text


@pytest.mark.parametrize("path,limit", [("/api/imports", "20 MB"),
                                        (f"/api/councils/{MILCOMBE}", "512 KB")])
def test_over_the_limit_the_api_answers_in_json(web_server, path, limit):
    import json
    kind = "multipart/form-data; boundary=x" if path == "/api/imports" else \
        "application/json"
    status, headers, body = _refused(web_server, path, 50 * 1024 * 1024, kind)
    assert status == 413 and headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert limit in answer["fix"] and "max_body" not in body


def test_json_bodies_stay_limited_to_512_kb_through_the_server(web_server, web_folder):
    import json
    before = (web_folder / f"{MILCOMBE}.yaml").read_bytes()
    with _connect(web_server) as conn:
        conn.request("PUT", f"/api/councils/{MILCOMBE}", body=b"{" + b" " * 600_000 + b"}",
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        answer = json.loads(r.read())
    assert r.status == 413 and "512 KB" in answer["fix"]
    assert (web_folder / f"{MILCOMBE}.yaml").read_bytes() == before


@pytest.fixture(scope="module")
def word_bomb() -> bytes:
    """A Word file of a few hundred KB whose document.xml unpacks to 200 MB."""
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                    'schemas.openxmlformats.org/package/2006/content-types"/>')
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>')
            block = b" " * (1024 * 1024)
            for _ in range(200):
                part.write(block)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert out.tell() < 1024 * 1024
    return out.getvalue()


def test_a_word_decompression_bomb_is_refused_through_the_api_and_the_page(
        web_client, web_folder, word_bomb):
    before = sorted(p.name for p in web_folder.iterdir())
    r = web_client.post("/api/imports", data={"protocol": (io.BytesIO(word_bomb),
                                                           "protocol.docx")})
    assert r.status_code == 422
    problem = r.get_json()["problems"][0]
    assert "unpacks to" in problem["message"] and problem["fix"]
    assert problem["file"] == "protocol.docx"
    form = web_client.get("/councils/new").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    page = web_client.post("/councils/import", data={
        "csrf_token": csrf, "protocol": (io.BytesIO(word_bomb), "protocol.docx")})
    assert page.status_code == 422 and page.mimetype == "text/html"
    assert "unpacks to" in html.unescape(page.get_data(as_text=True))
    assert sorted(p.name for p in web_folder.iterdir()) == before


def test_in_the_browser_a_file_over_20_mb_gets_the_apps_page(web_server, page, tmp_path):
    big = tmp_path / "Our protocol with photographs.pdf"
    with big.open("wb") as out:
        out.truncate(22 * 1000 * 1000)
    page.goto(web_server + "/councils/new")
    page.set_input_files("#import-protocol input[type=file]", str(big))
    page.locator("#import-protocol [type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Too large to send"
    assert "at most 20 MB" in page.inner_text("main")
