"""diachi.olc against the shared conformance vectors, plus the numpy batch functions."""
import math

import numpy as np
import pytest

import diachi
from diachi import olc
from conftest import read_rows


def test_encoding_rows():
    rows = read_rows("olc/encoding.csv")
    for line, (lat, lng, lat_int, lng_int, length, code) in rows:
        n = int(length)
        assert olc.encode(float(lat), float(lng), n) == code, f"line {line}"
        assert olc.encode(lat, lng, n) == code, f"line {line} (exact decimal)"
        assert olc.grid_point_from_decimal(lat, lng) == (int(lat_int), int(lng_int)), f"line {line}"
        assert olc.encode_integers(int(lat_int), int(lng_int), n) == code, f"line {line}"


def test_decoding_rows():
    for line, (code, length, lat_lo, lng_lo, lat_hi, lng_hi) in read_rows("olc/decoding.csv"):
        area = olc.decode(code)
        assert area.length == int(length), f"line {line}"
        for got, want in ((area.south_deg, lat_lo), (area.west_deg, lng_lo),
                          (area.north_deg, lat_hi), (area.east_deg, lng_hi)):
            assert math.isclose(got, float(want), abs_tol=1e-10), f"line {line}"


def test_validity_rows():
    for line, (code, valid, short, full) in read_rows("olc/validityTests.csv"):
        assert olc.is_valid(code) == (valid == "true"), f"line {line}"
        assert olc.is_short(code) == (short == "true"), f"line {line}"
        assert olc.is_full(code) == (full == "true"), f"line {line}"


def test_short_code_rows():
    for line, (full, lat, lng, short, kind) in read_rows("olc/shortCodeTests.csv"):
        if kind in ("S", "B"):
            assert olc.shorten(full, float(lat), float(lng)) == short, f"line {line}"
        if kind in ("R", "B"):
            assert olc.recover_nearest(short, float(lat), float(lng)) == full, f"line {line}"


def test_errors_are_value_errors_with_a_code_and_position():
    with pytest.raises(diachi.CodeError) as info:
        olc.decode("7PH72I22+62")
    assert isinstance(info.value, ValueError)
    assert info.value.code == "invalid_character"
    assert info.value.position == 6
    assert "'I' at position 6" in str(info.value)
    with pytest.raises(diachi.CodeError, match="code length"):
        olc.encode(21.0, 105.0, 3)
    with pytest.raises(diachi.CodeError) as info:
        olc.encode("21,5", "105")
    assert info.value.code == "malformed_number"
    with pytest.raises(TypeError):
        olc.encode("21.5", 105.0)


def test_encode_many_matches_encode_and_decode_many_inverts_it():
    rng = np.random.default_rng(1)
    lats = rng.uniform(8.0, 23.5, 5000)
    lngs = rng.uniform(102.0, 110.0, 5000)
    codes = olc.encode_many(lats, lngs, 11)
    assert codes.dtype == np.dtype("S12")
    for i in range(0, 5000, 97):
        assert codes[i].decode() == olc.encode(float(lats[i]), float(lngs[i]), 11)
    areas = olc.decode_many(codes)
    assert areas.shape == (5000, 4)
    assert np.all((areas[:, 0] <= lats) & (lats < areas[:, 2]))
    assert np.all((areas[:, 1] <= lngs) & (lngs < areas[:, 3]))
    # A list of str works too, and a bad code names its index.
    assert np.array_equal(olc.decode_many([c.decode() for c in codes[:10]]), areas[:10])
    with pytest.raises(ValueError, match="code 1: invalid character"):
        olc.decode_many(["7PH72R22+62", "7PH72I22+62"])
    with pytest.raises(ValueError, match="same length"):
        olc.encode_many(lats, lngs[:10])
    with pytest.raises(ValueError, match="point 2 is not finite"):
        olc.encode_many([1.0, 2.0, float("nan")], [1.0, 2.0, 3.0])
    assert olc.encode_many(lats[:3], lngs[:3], 4).dtype == np.dtype("S9")
