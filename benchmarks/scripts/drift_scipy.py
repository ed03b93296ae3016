#!/usr/bin/env python3
"""The numpy/scipy equivalent of airgap's drift comparison, on the same binary data files.

Usage: drift_scipy.py DATA_DIR FEATURES ROWS   Prints: scipy-drift SECONDS
Reads reference-<i>.f64 and current-<i>.f64 (float64, little-endian), and per feature: quantile
bin edges of the reference, histograms of both sides, ks_2samp and wasserstein_distance.
"""
import sys
import time

import numpy as np
from scipy import stats

data, features, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
for i in range(features):
    ref = np.fromfile(f"{data}/reference-{i}.f64", dtype="<f8", count=rows)
    cur = np.fromfile(f"{data}/current-{i}.f64", dtype="<f8", count=rows)
    edges = np.quantile(ref, np.linspace(0, 1, 11))
    np.histogram(ref, edges)
    np.histogram(cur, edges)
    stats.ks_2samp(ref, cur)
    stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
print(f"scipy-drift {time.perf_counter() - start:.3f}")
