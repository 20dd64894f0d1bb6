"""The registry commands of the diachi tool: a golden transcript on the generator's sample
communes (tests/cli/golden/registry/, same format and DIACHI_REGEN_GOLDEN switch as
test_cli.py), and the error paths: exit codes and messages that name what and where."""
import json
import os
import pathlib
import subprocess

import pytest

from test_cli import CLI, parse_transcript, render

GOLDEN = pathlib.Path(__file__).parent / "golden" / "registry"

pytestmark = pytest.mark.skipif(not CLI, reason="DIACHI_CLI (path of the diachi tool) not set")


def run(*args, check=False):
    result = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store with the sample communes, DIACHI_STORE pointing at it."""
    run("sample", "zones", str(tmp_path / "zones"), check=True)
    z = tmp_path / "zones"
    path = tmp_path / "store"
    run("zones", "import", str(z / "zones.geojson"), "--postcodes", str(z / "postcodes.csv"),
        "--prefixes", str(z / "prefixes.tsv"), "--store", str(path), check=True)
    monkeypatch.setenv("DIACHI_STORE", str(path))
    return path


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_golden(path, store):
    expected = path.read_text(encoding="utf-8")
    actual = render(parse_transcript(expected))
    if os.environ.get("DIACHI_REGEN_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == expected


def test_import_names_bad_rows_and_keeps_good_ones(store, tmp_path):
    csv = tmp_path / "h.csv"
    csv.write_text("id,lat,lng,hamlet\nA,20.2251,105.8251,Thôn Một\nB,20.22.5,105.8,\n"
                   "C,10.0,100.0,\nD,20.2351,105.8351,Thôn Hai\n", encoding="utf-8")
    result = run("import", str(csv), "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["created"], summary["failed"]) == (4, 2, 2)
    assert [e["row"] for e in summary["errors"]] == [2, 3]
    assert "line 3" in summary["errors"][0]["message"]
    assert "malformed number" in summary["errors"][0]["message"]
    assert "outside every zone" in summary["errors"][1]["message"]
    again = json.loads(run("import", str(csv), "--json").stdout)
    assert (again["created"], again["existing"]) == (0, 2)


def test_errors_exit_codes(store, tmp_path):
    sea = run("where", "17.0", "110.0")
    assert sea.returncode == 1 and "outside every zone" in sea.stderr
    bad = run("resolve", "43001 7Q8I+XG2")
    assert bad.returncode == 1 and "position 10" in bad.stderr
    missing = run("import", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1 and "absent.csv" in missing.stderr
    wrong_field = run("import", str(tmp_path / "absent.csv"), "--batch-size", "0")
    assert wrong_field.returncode == 2
    no_store = subprocess.run([CLI, "where", "20.2", "105.8"], capture_output=True, text=True,
                              env={k: v for k, v in os.environ.items() if k != "DIACHI_STORE"})
    assert no_store.returncode == 2 and "--store" in no_store.stderr
    nowhere = run("resolve", "430017Q89XG2", "--store", str(tmp_path / "nowhere"))
    assert nowhere.returncode == 1 and "nowhere" in nowhere.stderr


def test_personal_fields_need_staff(store):
    run("register", "20.2251", "105.8251", "--head", "Nguyễn Văn An", "--phone", "0912345678",
        check=True)
    public = json.loads(run("household", "1", "--json").stdout)
    assert "personal" not in public
    staff = json.loads(run("household", "1", "--json", "--staff").stdout)
    assert staff["personal"]["phone"] == "0912345678"
    resolved = json.loads(run("resolve", public["code"], "--json").stdout)
    assert "personal" not in resolved["households"][0]


def test_history_and_backup(store, tmp_path):
    run("register", "20.2251", "105.8251", check=True)
    run("move", "1", "20.2351", "105.8351", "--actor", "surveyor", check=True)
    updated = json.loads(run("update", "1", "--hamlet", "Xóm Mới", "--json").stdout)
    assert updated["address"]["hamlet"] == "Xóm Mới" and updated["version"] == 3
    history = json.loads(run("history", "1", "--json").stdout)["history"]
    assert [e["action"] for e in history] == ["registered", "moved", "address_updated"]
    assert history[1]["actor"] == "surveyor"
    run("backup", str(tmp_path / "replica"), check=True)
    replica = json.loads(run("household", "1", "--json", "--store", str(tmp_path / "replica")).stdout)
    assert replica["version"] == 3
