"""diachi.Registry from Python: generated zones and the real national communes."""
import csv
import os
import signal
import subprocess
import time

import pytest

import diachi
from conftest import cli, data_file


@pytest.fixture
def registry(tmp_path, sample_zones):
    zones, postcodes, prefixes = sample_zones
    r = diachi.Registry(str(tmp_path / "store"))
    summary = r.import_zones(str(zones), postcodes=str(postcodes), prefixes=str(prefixes))
    assert summary == {"zones": 30, "with_postcode": 30, "closed": 0}
    return r


def test_register_resolve_reverse_history(registry):
    place = registry.where("20.2251234", "105.8251234")
    assert place["postcode"] == "43001" and place["inside"]
    a = registry.register("20.2251234", "105.8251234", house_number="5",
                          hamlet="Thôn Liên Trì 2", head_of_household="Nguyễn Văn An",
                          phone="0912345678", actor="staff-1")
    assert a.code == diachi.HouseholdCode.from_degrees(43001, "20.2251234", "105.8251234")
    assert a.lat_e7 == 202251234 and a.address.hamlet == "Thôn Liên Trì 2"
    assert a.personal is None or a.personal["phone"] == "0912345678"
    b = registry.register(20.2251234, 105.8251234)
    assert b.code.unit == 2
    found = registry.resolve(a.code.canonical)
    assert found.match == "exact"
    assert [h.id for h in found.households] == [a.id, b.id]
    assert all(h.personal is None for h in found.households)
    assert registry.resolve(a.code.canonical, staff=True).households[0].personal["phone"] \
        == "0912345678"
    nearest = registry.reverse(20.2251, 105.8251, k=1)
    assert nearest[0][1].id == a.id and nearest[0][0] < 5
    moved = registry.move(a.id, "20.23", "105.83", actor="staff-2")
    assert moved.code != a.code
    # The base code lists the whole cell: a (moved away, with its new code) and b.
    old = registry.resolve(a.code.display)
    assert [h.id for h in old.households] == [a.id, b.id]
    assert old.households[0].code == moved.code
    assert "moved" in old.notes[0]
    registry.retire(b.id, reason="demolished")
    assert [e["action"] for e in registry.history(a.id)] == ["registered", "moved"]
    assert registry.history(a.id)[0]["actor"] == "staff-1"
    assert [row[0] for row in registry.within(20.22, 105.82, 20.24, 105.84)] == [a.id]


def test_errors_are_code_errors(registry):
    with pytest.raises(diachi.CodeError) as outside:
        registry.register(10.0, 100.0)
    assert outside.value.code == "outside_zones"
    with pytest.raises(diachi.CodeError) as bad:
        registry.resolve("43001 7Q8I+XG2")
    assert bad.value.code == "invalid_character" and bad.value.position == 10
    with pytest.raises(diachi.CodeError) as missing:
        registry.get(12345)
    assert missing.value.code == "not_found"
    with pytest.raises(RuntimeError):
        diachi.Registry("/nonexistent/dir/store", read_only=True)


def test_did_you_mean_and_old_postcodes(registry):
    a = registry.register("20.3112345", "105.9612345")
    text = a.code.canonical
    typo = text[:8] + ("2" if text[8] != "2" else "3") + text[9:]
    r = registry.resolve(typo)
    assert r.match == "not_found"
    assert [s["household_id"] for s in r.suggestions] == [a.id]
    old = registry.resolve("44" + text[2:])  # prefix 44: the sample province's old prefix
    assert old.match == "postcode_replaced" and old.households[0].id == a.id


def test_import_then_checkpoint(registry, tmp_path, sample_zones):
    zones, postcodes, _ = sample_zones
    out = tmp_path / "households.csv"
    subprocess.run([cli(), "sample", "households", str(zones), "--postcodes", str(postcodes),
                    "--count", "3000", "--out", str(out), "--seed", "7"], check=True,
                   capture_output=True)
    progress = []
    summary = registry.import_file(str(out), batch_size=500, progress=progress.append)
    assert summary["created"] == 3000 and summary["failed"] == 0
    # One report per batch, then one as the new store's files are merged (a bulk load).
    assert [p["rows"] for p in progress] == [500, 1000, 1500, 2000, 2500, 3000, 3000]
    assert [p["merging"] for p in progress] == [False] * 6 + [True]
    again = registry.import_file(str(out))
    assert again["created"] == 0 and again["existing"] == 3000
    registry.checkpoint(str(tmp_path / "copy"))
    copy = diachi.Registry(str(tmp_path / "copy"), read_only=True)
    assert copy.household_count == 3000
    with pytest.raises(Exception):
        copy.register(20.2251, 105.8251)


def test_generator_is_deterministic(tmp_path, sample_zones):
    zones, postcodes, _ = sample_zones
    outputs = []
    for name in ("a.csv", "b.csv"):
        subprocess.run([cli(), "sample", "households", str(zones), "--postcodes", str(postcodes),
                        "--count", "2000", "--out", str(tmp_path / name), "--seed", "3"],
                       check=True, capture_output=True)
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    rows = list(csv.DictReader(open(tmp_path / "a.csv", encoding="utf-8")))
    assert len(rows) == 2000
    assert all(row["hamlet"] for row in rows)


def test_kill_9_during_import_loses_nothing_acknowledged(tmp_path, sample_zones):
    """Kill the importer mid-run: every row it reported committed is in the store; running the
    same file again completes it without duplicates."""
    zones, postcodes, prefixes = sample_zones
    store = tmp_path / "store"
    subprocess.run([cli(), "zones", "import", str(zones), "--postcodes", str(postcodes),
                    "--store", str(store)], check=True, capture_output=True)
    households = tmp_path / "households.csv"
    total = 120_000
    subprocess.run([cli(), "sample", "households", str(zones), "--postcodes", str(postcodes),
                    "--count", str(total), "--out", str(households)], check=True,
                   capture_output=True)
    importer = subprocess.Popen(
        [cli(), "import", str(households), "--store", str(store), "--progress", "batch",
         "--batch-size", "1000"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    acknowledged = 0
    for line in importer.stderr:
        if line.startswith("committed "):
            acknowledged = int(line.split()[1])
            if acknowledged >= 20_000:
                break
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    assert importer.returncode == -signal.SIGKILL
    assert 20_000 <= acknowledged < total, "the import finished before it could be killed"

    registry = diachi.Registry(str(store), read_only=True)
    assert registry.household_count >= acknowledged
    for row in list(range(1, acknowledged + 1, 97)) + [acknowledged]:
        household = registry.find_external("import:households.csv", f"H{row:09d}")
        assert household.external_id == f"H{row:09d}"
    del registry

    finish = subprocess.run([cli(), "import", str(households), "--store", str(store),
                             "--json", "--progress", "none"], capture_output=True, text=True)
    assert finish.returncode == 0, finish.stderr
    registry = diachi.Registry(str(store), read_only=True)
    assert registry.household_count == total
    codes = {registry.get(i).code.canonical for i in range(1, total + 1, 50)}
    assert len(codes) == len(range(1, total + 1, 50))


def test_national_zones(tmp_path):
    wards = data_file("boundaries/wards_3321_simplified25m_v4.2.0.geojson")
    postcodes = data_file("postcodes/postcodes_by_commune_2025.csv")
    prefixes = data_file("postcodes/qd2334-provinces.tsv")
    vectors = list(csv.DictReader(open(data_file("crs/olc_and_commune_test_vectors.csv"),
                                       encoding="utf-8")))
    r = diachi.Registry(str(tmp_path / "store"))
    summary = r.import_zones(str(wards), postcodes=str(postcodes), prefixes=str(prefixes))
    assert summary["zones"] == 3321 and summary["with_postcode"] == 3321
    for v in vectors:
        place = r.where(v["wgs84_lat"], v["wgs84_lon"])
        assert place["zone_id"] == v["commune_code_gso_2026"], v["point"]
        assert place["postcode"] == v["postcode_qd2334"], v["point"]
        h = r.register(v["wgs84_lat"], v["wgs84_lon"])
        assert h.code.canonical == v["postcode_qd2334"] + v["olc11_digits_5to11"], v["point"]
    # Hoàn Kiếm (postcode 11024, prefix 11 of Hà Nội) written with Hà Nội's old prefix 10.
    hoan_kiem = next(v for v in vectors if v["point"] == "HaNoi_HoanKiem_lake")
    old = r.resolve("10024" + hoan_kiem["olc11_digits_5to11"])
    assert old.match == "postcode_replaced"
    assert old.households[0].commune == "Phường Hoàn Kiếm"
