"""Shared fixtures: the reference data folder (../shared/data or $DIACHI_DATA_DIR)."""
import csv
import os
import pathlib

import pytest

# Under a sanitized build, python3 preloads the sanitizer's runtime to load the module; the
# programs the tests start (the sanitized CLI, node, Chromium) must not inherit it.
os.environ.pop("LD_PRELOAD", None)


def data_dir() -> pathlib.Path:
    env = os.environ.get("DIACHI_DATA_DIR")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"


def read_rows(relative: str):
    """(line number, fields) of a CSV file under the data folder; skips the test if absent."""
    path = data_dir() / relative
    if not path.exists():
        pytest.skip(f"reference data {relative} not found under {data_dir()} "
                    "(set DIACHI_DATA_DIR to the shared/data folder)")
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            rows.append((number, next(csv.reader([line]))))
    assert rows, f"{relative} holds no rows"
    return rows


def data_file(relative: str) -> pathlib.Path:
    """A file under the data folder; skips the test if absent."""
    path = data_dir() / relative
    if not path.exists():
        pytest.skip(f"reference data {relative} not found under {data_dir()} "
                    "(set DIACHI_DATA_DIR to the shared/data folder)")
    return path


def cli() -> str:
    """The diachi command-line tool under test ($DIACHI_CLI, set by ctest)."""
    path = os.environ.get("DIACHI_CLI")
    if not path:
        pytest.skip("DIACHI_CLI is not set (run through ctest)")
    return path


@pytest.fixture
def sample_zones(tmp_path):
    """The generator's sample zones: (zones.geojson, postcodes.csv, prefixes.tsv)."""
    import subprocess
    subprocess.run([cli(), "sample", "zones", str(tmp_path / "zones")], check=True,
                   capture_output=True)
    z = tmp_path / "zones"
    return z / "zones.geojson", z / "postcodes.csv", z / "prefixes.tsv"


@pytest.fixture
def sample_registry(tmp_path, sample_zones):
    """A Registry on the sample zones with 3,000 generated households: (registry, CSV rows)."""
    import subprocess
    import diachi
    zones, postcodes, prefixes = sample_zones
    r = diachi.Registry(str(tmp_path / "store"))
    r.import_zones(str(zones), postcodes=str(postcodes), prefixes=str(prefixes))
    households = tmp_path / "households.csv"
    subprocess.run([cli(), "sample", "households", str(zones), "--postcodes", str(postcodes),
                    "--count", "3000", "--out", str(households)], check=True, capture_output=True)
    r.import_file(str(households))
    with open(households, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return r, rows


def run_cli(*args, env=None):
    """The diachi tool with @p args (converted to text); its CompletedProcess, raising on failure."""
    import subprocess
    return subprocess.run([cli(), *map(str, args)], check=True, capture_output=True, text=True, env=env)


def store_on_sample_zones(tmp_path, sample_zones, households, import_them=True, env=None):
    """A store at tmp_path/store with the sample zones, and a CSV of @p households generated
    households (imported unless @p import_them is false): (store, households CSV path)."""
    zones, postcodes, prefixes = sample_zones
    store = tmp_path / "store"
    run_cli("zones", "import", zones, "--postcodes", postcodes, "--prefixes", prefixes, "--store", store, env=env)
    csv_path = tmp_path / f"{tmp_path.name}-households.csv"
    run_cli("sample", "households", zones, "--postcodes", postcodes, "--count", households, "--out", csv_path,
            env=env)
    if import_them:
        run_cli("import", csv_path, "--store", store, env=env)
    return store, csv_path
