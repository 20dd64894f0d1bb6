"""Tiles from Python: Registry.tile() and export_pyramid(), and the archives read back by the npm
packages MapLibre apps use (pmtiles, @mapbox/vector-tile): every tile they read must equal what
diachi rendered, feature for feature. MBTiles archives are read back with SQLite."""
import gzip
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess

import pytest

import diachi

JS = pathlib.Path(__file__).resolve().parents[1] / "js"


def node_reader():
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "pmtiles").exists():
        pytest.skip("node or tests/js/node_modules is missing (.ci/install-deps installs them)")
    return [node, str(JS / "read_tiles.mjs")]


def ours(tile: bytes):
    """diachi's own decoding, in the structure read_tiles.mjs prints."""
    return json.loads(diachi.decode_tile(tile)) if tile else None


def normalised(decoded):
    """Layers by name and features by id, so that two readers' outputs compare."""
    if decoded is None:
        return None
    for layer in decoded["layers"]:
        layer["features"].sort(key=lambda f: (f["id"] is None, f["id"], json.dumps(f["geometry"])))
    decoded["layers"].sort(key=lambda layer: layer["name"])
    return decoded


def test_tile_is_valid_mvt_without_personal_fields(sample_registry):
    registry, rows = sample_registry
    lat, lng = float(rows[0]["lat"]), float(rows[0]["lng"])
    import math
    for z in (6, 10, 14, 19):
        n = 2 ** z
        x = int((lng + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        tile = registry.tile(z, x, y)
        assert tile, f"{z}/{x}/{y} is empty"
        assert diachi.check_tile(tile) == []
        assert rows[0]["phone"].encode() not in tile
        assert rows[0]["head_of_household"].encode() not in tile
    with pytest.raises(ValueError, match="not a tile"):
        registry.tile(3, 8, 0)
    with pytest.raises(ValueError, match="unknown layer 'roads'"):
        registry.tile(3, 0, 0, "roads")


def test_archives_read_back_by_pmtiles_vector_tile_and_sqlite(sample_registry, tmp_path):
    registry, rows = sample_registry
    lats = [float(r["lat"]) for r in rows]
    lngs = [float(r["lng"]) for r in rows]
    bbox = (min(lngs) - 0.01, min(lats) - 0.01, max(lngs) + 0.01, max(lats) + 0.01)
    layers = "households,communes,provinces,labels"
    pm = registry.export_pyramid(str(tmp_path / "a.pmtiles"), maxzoom=15, bbox=bbox, layers=layers)
    mb = registry.export_pyramid(str(tmp_path / "a.mbtiles"), format="mbtiles", maxzoom=15,
                                 bbox=bbox, layers=layers)
    assert pm.tiles_written == mb.tiles_written > 20

    # MBTiles with SQLite: every tile equals a live render.
    db = sqlite3.connect(str(tmp_path / "a.mbtiles"))
    tiles = {}
    for z, x, row, data in db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
        y = (1 << z) - 1 - row
        tiles[f"{z}/{x}/{y}"] = gzip.decompress(data)
    metadata = dict(db.execute("SELECT name, value FROM metadata"))
    assert metadata["format"] == "pbf"
    assert [layer["id"] for layer in json.loads(metadata["json"])["vector_layers"]] == layers.split(",")
    assert len(tiles) == mb.tiles_written
    for zxy, data in tiles.items():
        z, x, y = map(int, zxy.split("/"))
        assert data == registry.tile(z, x, y, layers), zxy

    # PMTiles with the pmtiles package, decoded with @mapbox/vector-tile.
    result = subprocess.run(node_reader() + ["pmtiles", str(tmp_path / "a.pmtiles"), *tiles],
                            check=True, capture_output=True, text=True)
    read = json.loads(result.stdout)
    header = read["header"]
    assert header["tileType"] == 1 and header["tileCompression"] == 2
    assert header["clustered"] is True
    assert header["minZoom"] == 0 and header["maxZoom"] == 15
    assert header["rootDirectoryOffset"] + header["rootDirectoryLength"] <= 16384
    assert header["numAddressedTiles"] == pm.tiles_written
    assert [layer["id"] for layer in read["metadata"]["vector_layers"]] == layers.split(",")
    for zxy, data in tiles.items():
        assert normalised(read["tiles"][zxy]) == normalised(ours(data)), zxy


def test_raw_tiles_read_by_vector_tile_equal_what_was_written(sample_registry, tmp_path):
    registry, rows = sample_registry
    lat, lng = float(rows[0]["lat"]), float(rows[0]["lng"])
    import math
    paths = []
    for z in (8, 12, 14, 16, 19, 20):
        n = 2 ** z
        x = int((lng + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        path = tmp_path / f"{z}-{x}-{y}.mvt"
        path.write_bytes(registry.tile(z, x, y))
        paths.append(path)
    result = subprocess.run(node_reader() + ["mvt", *map(str, paths)], check=True,
                            capture_output=True, text=True)
    read = json.loads(result.stdout)["tiles"]
    for path in paths:
        assert normalised(read[str(path)]) == normalised(ours(path.read_bytes())), path.name
