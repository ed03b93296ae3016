#!/usr/bin/env python3
"""Writes evidently-choices.json: the drift method Evidently would pick for every feature of the
CSV pairs in this folder, and the number it would compute with that method.

Run from this directory with Debian's python3-numpy, python3-scipy and python3-sklearn
(sklearn is only asked for its version):
    python3 make_evidently_choices.py
The CSV files are written by make_evidently_data.py. The Java tests read the CSV files and the
JSON; they never run Python.

Evidently itself is not installed here. The method choice and the statistics below are a
re-implementation, written from scratch, of what Evidently's legacy data-drift code documents
and does when no test is configured (evidently/legacy/calculations/stattests/registry.py,
_get_default_stattest, and the stattest modules it names). No Evidently code is copied.
"""
import csv
import json
import math
from collections import Counter

import numpy as np
import scipy
import sklearn
from scipy import stats
from scipy.spatial import distance

DATASETS = [
    # name, categorical column (every other column is numeric)
    ("iris", "species"),
    ("breast-cancer", "diagnosis"),
    ("digits", "digit"),
]

# Evidently's default thresholds: p-value tests report drift below the threshold (KS: at or
# below), distance measures at or above it.
THRESHOLDS = {"ks": 0.05, "z": 0.05, "chisquare": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1}


def read_csv(path, categorical):
    """Returns (column names, {column: list of values}); numeric as float, the rest as str.
    An empty cell is a missing value (None); the bundled data has none."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = {c: [] for c in header}
        for row in reader:
            for c, cell in zip(header, row):
                if cell == "":
                    columns[c].append(None)
                elif c == categorical:
                    columns[c].append(cell)
                else:
                    columns[c].append(float(cell))
    return header, columns


def choose_method(n_reference, n_values, kind):
    """Evidently's default rule. Small reference (up to 1000 rows): few-valued features get a
    chi-square test (3 to 5 values) or a two-proportion z-test (1 or 2 values); numeric
    features with more than 5 values get Kolmogorov-Smirnov; categorical features always get
    chi-square or z by their number of values. Larger reference: numeric features with up to
    5 values and all categorical features get the Jensen-Shannon distance, other numeric
    features the Wasserstein distance normed by the reference standard deviation."""
    if n_reference <= 1000:
        if kind == "numeric" and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if kind == "numeric" and n_values > 5:
        return "wasserstein"
    return "jensenshannon"


def ks(ref, cur):
    res = stats.ks_2samp(np.array(ref), np.array(cur))  # two-sided, method "auto"
    return {"statistic": float(res.statistic), "pvalue": float(res.pvalue)}


def wasserstein(ref, cur):
    scale = max(float(np.std(np.array(ref))), 0.001)  # population std (ddof 0), floored
    return {"statistic": float(stats.wasserstein_distance(ref, cur)) / scale, "pvalue": None}


def z_test(ref, cur):
    """Two-proportion z-test with pooled variance. Rows equal to the smallest value (in sorted
    order) count as 0, every other row as 1. If both sides hold one and the same value,
    Evidently reports p = 1 without a statistic."""
    ref_set, cur_set = set(ref), set(cur)
    if len(ref_set) == 1 and ref_set == cur_set:
        return {"statistic": None, "pvalue": 1.0}
    first = sorted(ref_set | cur_set)[0]
    n1, n2 = len(ref), len(cur)
    p1 = sum(0 if v == first else 1 for v in ref) / n1
    p2 = sum(0 if v == first else 1 for v in cur) / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return {"statistic": float(z), "pvalue": float(2 * (1 - stats.norm.cdf(abs(z))))}


def chi_square(ref, cur):
    """Evidently's goodness-of-fit form: the current counts are the observations, the
    reference counts scaled to the current size the expectations. The chi-square test of
    homogeneity on the same 2 x k table is recorded beside it."""
    keys = sorted(set(ref) | set(cur))
    ref_counts, cur_counts = Counter(ref), Counter(cur)
    scale = len(cur) / len(ref)
    observed = [cur_counts[k] for k in keys]
    expected = [ref_counts[k] * scale for k in keys]
    gof = stats.chisquare(observed, expected)
    table = np.array([[ref_counts[k] for k in keys], [cur_counts[k] for k in keys]])
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    return {
        "statistic": float(gof.statistic),
        "pvalue": float(gof.pvalue),
        "homogeneityStatistic": float(chi2),
        "homogeneityPvalue": float(p),
    }


def zero_filled(proportions):
    """Evidently's smoothing of empty cells (used by its PSI, KL and similar measures): zeros
    become a millionth of the smallest non-zero share if that share is at most 0.0001, else
    0.0001. Applied to each side on its own."""
    p = np.array(proportions, dtype=float)
    smallest = p[p != 0].min()
    p[p == 0] = smallest / 1e6 if smallest <= 0.0001 else 0.0001
    return p


def jensen_shannon(ref, cur):
    """Jensen-Shannon distance (natural log) between the per-value shares of both sides, keys
    being the distinct values of both sides together. Evidently bins numeric features with
    more than 20 distinct reference values into a Sturges histogram first, but its default rule
    sends only numeric features with at most 5 values here, so per-value shares are exact.
    Evidently's Jensen-Shannon test asks for the shares without zero filling; the value with
    zero filling is recorded as statisticZeroFilled."""
    keys = sorted(set(ref) | set(cur))
    ref_counts, cur_counts = Counter(ref), Counter(cur)
    p = np.array([ref_counts[k] / len(ref) for k in keys])
    q = np.array([cur_counts[k] / len(cur) for k in keys])
    return {
        "statistic": float(distance.jensenshannon(p, q)),
        "pvalue": None,
        "statisticZeroFilled": float(distance.jensenshannon(zero_filled(p), zero_filled(q))),
    }


METHODS = {"ks": ks, "wasserstein": wasserstein, "z": z_test, "chisquare": chi_square,
           "jensenshannon": jensen_shannon}


def drifted(method, result):
    t = THRESHOLDS[method]
    if method == "ks":
        return result["pvalue"] <= t
    if result["pvalue"] is not None:
        return result["pvalue"] < t
    return result["statistic"] >= t


def main():
    entries = []
    for name, categorical in DATASETS:
        header, reference = read_csv(f"{name}-reference.csv", categorical)
        _, current = read_csv(f"{name}-current.csv", categorical)
        for column in header:
            ref = [v for v in reference[column] if v is not None]
            cur = [v for v in current[column] if v is not None]
            kind = "categorical" if column == categorical else "numeric"
            n_values = len(set(ref) | set(cur))
            method = choose_method(len(ref), n_values, kind)
            result = METHODS[method](ref, cur)
            entry = {
                "dataset": name,
                "feature": column,
                "type": kind,
                "referenceCount": len(ref),
                "currentCount": len(cur),
                "nValues": n_values,
                "method": method,
            }
            entry.update(result)
            entry["threshold"] = THRESHOLDS[method]
            entry["drifted"] = bool(drifted(method, result))
            entries.append(entry)
    out = {
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "entries": entries,
    }
    with open("evidently-choices.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
