"""Throughput of diachi.olc.encode_many / decode_many on 1M random points in Vietnam's box.

Run after building: python3 benches/bench_numpy.py [build dir]. Prints the median of 7 runs.
"""
import pathlib
import statistics
import sys
import time

build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build")
sys.path.insert(0, str(build / "bindings" / "python"))

import numpy as np  # noqa: E402
import diachi  # noqa: E402

N = 1_000_000
rng = np.random.default_rng(2026)
lats = rng.uniform(8.18, 23.39, N)
lngs = rng.uniform(102.14, 109.47, N)


def median_rate(fn):
    times = []
    for _ in range(7):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return N / statistics.median(times)


codes = diachi.olc.encode_many(lats, lngs, 11)
encode = median_rate(lambda: diachi.olc.encode_many(lats, lngs, 11))
decode = median_rate(lambda: diachi.olc.decode_many(codes))
print(f"encode_many: {encode / 1e6:.1f} M points/s (median of 7, {N:,} points, 11 digits)")
print(f"decode_many: {decode / 1e6:.1f} M codes/s")
