"""Registry.search() and Registry.suggest() from Python, on the generator's sample communes and
its households (and on the real communes with the pre-2025 units when ../shared/data is here)."""
import csv
import subprocess
import unicodedata

import pytest

import diachi
from conftest import cli, data_file


def without_diacritics(text):
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.fixture
def loaded(sample_registry):
    return sample_registry


def test_search_finds_sample_households(loaded):
    registry, rows = loaded
    asked = found = 0
    for row in rows[::97]:
        h = registry.find_external("import:households.csv", row["id"])
        query = f"số {row['house_number']}, {row['hamlet']}, {h.commune}"
        results = registry.search(query, limit=3)
        asked += 1
        if results and results[0].household is not None \
                and results[0].household.external_id == row["id"]:
            found += 1
            assert results[0].kind == "household"
            assert "house_number" in results[0].matched
            assert results[0].household.personal is None  # anonymous by default
    assert asked >= 30 and found == asked


def test_search_without_diacritics_and_suggest(loaded):
    registry, rows = loaded
    row = rows[0]
    folded = without_diacritics(f"số {row['house_number']} {row['hamlet']}")
    assert folded.isascii()
    top = registry.search(folded, limit=1)
    assert top and top[0].household is not None
    assert top[0].household.address.hamlet == row["hamlet"]
    # The unit word and the first letters of the name, as typed: "Tổ dân phố An P".
    name_start = len(row["hamlet"]) - len(row["hamlet"].split(" ", 3)[-1])
    typed = row["hamlet"][:name_start + 4] if row["hamlet"].startswith("Tổ dân phố") \
        else row["hamlet"][:len(row["hamlet"].split(" ")[0]) + 4]
    completions = registry.suggest(typed, limit=5)
    assert completions and all(c.kind in ("hamlet", "street", "commune", "province")
                               for c in completions)
    assert any(c.label.startswith(row["hamlet"]) for c in completions)
    assert registry.search("") == []


def test_reading_focus_point_box_and_plus_codes(loaded):
    registry, rows = loaded
    row = rows[0]
    h = registry.find_external("import:households.csv", row["id"])
    top = registry.search(f"số {row['house_number']}, {row['hamlet']}, {h.commune}", limit=1)[0]
    roles = [span["role"] for span in top.reading]
    assert roles[0] == "house_number" and "commune" in roles
    assert top.distance_m is None
    # A focus point orders equal readings and gives distances; a box keeps what is inside.
    here = f"{h.lat},{h.lng}"
    near = registry.search(row["hamlet"], limit=10, near=here)
    assert near and all(r.distance_m is not None for r in near)
    same = [r for r in near if abs(r.score - near[0].score) < 1e-9]
    assert [r.distance_m for r in same] == sorted(r.distance_m for r in same)
    box = f"{h.lat - 0.001},{h.lng - 0.001},{h.lat + 0.001},{h.lng + 0.001}"
    for r in registry.search(row["hamlet"], limit=10, bbox=box):
        assert abs(r.lat - h.lat) <= 0.001 and abs(r.lng - h.lng) <= 0.001
    completions = registry.suggest(row["hamlet"][:8], limit=5, near=here)
    assert [c.distance_m for c in completions] == sorted(c.distance_m for c in completions)
    for bad in ("51.5,-0.1", "21.0", "a,b"):
        with pytest.raises(ValueError):
            registry.search(row["hamlet"], near=bad)
    with pytest.raises(ValueError):
        registry.search(row["hamlet"], bbox="11,106,10,107")
    # The household's plus code in the text finds it.
    full = diachi.olc.encode(str(h.lat), str(h.lng), 11)
    found = registry.search(full, limit=1)
    assert found and found[0].household is not None and found[0].household.id == h.id


def test_old_units_on_the_real_communes(tmp_path):
    wards = data_file("boundaries/wards_3321_simplified25m_v4.2.0.geojson")
    mapping = data_file("units/old_to_new_communes.csv")
    units = data_file("units/units_v2.4.1_pre-reform_2025-03-01.json")
    postcodes = data_file("postcodes/postcodes_by_commune_2025.csv")
    r = diachi.Registry(str(tmp_path / "store"))
    r.import_zones(str(wards), postcodes=str(postcodes))
    assert r.import_old_units(str(mapping), str(units)) == 10599
    # Phường Hàng Trống (Quận Hoàn Kiếm) is today in Phường Hoàn Kiếm.
    top = r.search("Hàng Trống, Hoàn Kiếm, Hà Nội", limit=1)[0]
    assert top.commune == "Phường Hoàn Kiếm" and top.postcode != ""
    assert any(n.startswith("old_commune") for n in top.notes)
    assert r.search("Hang Trong, Hoan Kiem, Ha Noi", limit=1)[0].zone_id == top.zone_id
