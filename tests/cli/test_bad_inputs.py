"""The bad-input catalogue of the command-line tool and its file importers: each malformed
argument or file, the exit status and the exact message it gets. A store refuses each one
without writing anything (its household count and `diachi check` are unchanged)."""
import json

import pytest

from test_cli import CLI
from test_registry_cli import run, store  # noqa: F401 (the fixture)

pytestmark = pytest.mark.skipif(not CLI, reason="DIACHI_CLI (path of the diachi tool) not set")

ZWSP = "\u200b"

# (arguments, exit status, what stderr says). Exit 1: the input is refused; 2: a usage error.
ARGUMENTS = [
    # coordinates: words, NaN, infinities, huge exponents, abroad
    (["encode", "abc", "105"], 1, "'abc 105': malformed number 'a' at position 1: latitude"),
    (["encode", "nan", "105"], 1, "malformed number 'n' at position 1: latitude"),
    (["encode", "-inf", "105"], 2, "unknown option -inf"),
    (["encode", "1e999", "105"], 1, "malformed number 'e' at position 2: latitude"),
    (["where", "48.85", "2.35"], 1, "'48.85 2.35': outside every zone"),
    (["register", "48.85", "2.35"], 1, "'48.85 2.35': outside every zone"),
    (["reverse", "20.3", "105.9", "--k", "0"], 2, "--k takes a whole number from 1 to 1000, not '0'"),
    # codes: short, zero-width and mixed-script characters, SQL and JS
    (["code", "parse", "1102 2VH3"], 1, "invalid length: a household code has 12 characters"),
    (["code", "parse", f"11024{ZWSP}2VH3CM4"], 1, "invalid character 'U+200B' at position 6"),
    (["code", "parse", "1102\u04102VH3CM4"], 1, "invalid character 'U+0410' at position 5"),
    (["code", "parse", "<script>alert(1)</script>"], 1, "invalid character '<' at position 1"),
    (["decode", "'; DROP TABLE households;--"], 1, "invalid character ''' at position 1"),
    (["resolve", "' OR 1=1--"], 1, "invalid character ''' at position 1"),
    (["code", "parse", ""], 1, "empty input"),
    # stored text: too long, control and invisible characters
    (["register", "20.3", "105.9", "--house-number", "9" * 100], 1, "invalid length: house number: at most 64 bytes"),
    (["register", "20.3", "105.9", "--hamlet", f"Thôn{ZWSP}A"], 1,
     "invalid character 'U+200B' at position 5: hamlet: no control or invisible characters"),
    (["register", "20.3", "105.9", "--street", "a\tb"], 1, "invalid character 'U+0009' at position 2: street"),
    (["register", "20.3", "105.9", "--phone", "0912\u202e345"], 1, "invalid character 'U+202E' at position 5: phone"),
    (["register", "20.3", "105.9", "--head", "x" * 300], 1, "head of household: at most 200 bytes"),
    # ids, tiles, options
    (["history", "abc"], 2, "ID must be a household id (a positive number), got 'abc'"),
    (["retire", "999999"], 1, "'999999': not found: no household with this id"),
    (["tile", "99", "0", "0"], 1, "tile 99/0/0 is not a tile (zoom 0..22, x and y below 2^zoom)"),
    (["search", "x", "--limit", "-3"], 2, "--limit"),
]


@pytest.mark.parametrize("args,status,message", ARGUMENTS, ids=lambda a: str(a)[:40])
def test_bad_arguments(store, args, status, message):  # noqa: F811
    before = json.loads(run("check", "--json", check=True).stdout)
    result = run(*args)
    assert result.returncode == status, result.stderr
    assert message in result.stderr, result.stderr
    after = json.loads(run("check", "--json", check=True).stdout)
    assert after["ok"] and after["households"] == before["households"], "a refused input wrote something"


# (file name, bytes, extra arguments, exit status, what the output says). Rows with errors are
# named by row and line; a file that cannot be read at all is named by path.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
FILES = [
    ("missing.csv", None, [], 1, "missing.csv: cannot open as a vector dataset"),
    ("truncated.csv", b"id,lat,lng\n1,20.3,", [], 1, "row 1 (line 2): missing field: latitude or longitude is empty"),
    ("words.csv", b"id,lat,lng\n1,abc,105.9\n", [], 1, "row 1 (line 2): malformed number 'a' at position 1: latitude"),
    ("nan.csv", b"id,lat,lng\n1,nan,105.9\n", [], 1, "row 1 (line 2): malformed number 'n' at position 1"),
    ("abroad.csv", b"id,lat,lng\n1,48.85,2.35\n", [], 1, "row 1 (line 2): outside every zone"),
    ("utf8.csv", b"id,lat,lng,street\n1,20.3,105.9,\xff\xfe\n", [], 1,
     "row 1 (line 2): invalid character 'U+FFFD' at position 1: street: well-formed UTF-8"),
    ("zwsp.csv", f"id,lat,lng,hamlet\n1,20.3,105.9,Xóm{ZWSP}1\n".encode(), [], 1,
     "row 1 (line 2): invalid character 'U+200B' at position 4: hamlet"),
    ("script.csv", b"id,lat,lng,street\n1,20.3,105.9,<script>alert(1)</script>\n", [], 0, "1 households registered"),
    ("nofield.csv", b"id,lat,lng\n1,20.3,105.9\n", ["--lat-field", "nope"], 1, "no field 'nope' (fields: id, lat, lng)"),
    ("crs.csv", b"id,lat,lng\n1,20.3,105.9\n", ["--crs", "EPSG:999999"], 1, "CRS 'EPSG:999999'"),
    ("truncated.geojson", b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Po', [],
     1, "truncated.geojson: cannot open as a vector dataset"),
    ("image.geojson", PNG, [], 1, "image.geojson: cannot open as a vector dataset"),
    ("empty.csv", b"", [], 1, "empty.csv"),
]


@pytest.mark.parametrize("name,data,extra,status,message", FILES, ids=lambda a: str(a)[:30])
def test_bad_files(store, tmp_path, name, data, extra, status, message):  # noqa: F811
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    before = json.loads(run("check", "--json", check=True).stdout)
    result = run("import", str(path), *extra)
    assert result.returncode == status, result.stdout + result.stderr
    assert message in result.stdout + result.stderr, result.stdout + result.stderr
    after = json.loads(run("check", "--json", check=True).stdout)
    assert after["ok"]
    assert after["households"] == before["households"] + (1 if status == 0 else 0), "a refused row was written"
