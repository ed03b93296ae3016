#!/usr/bin/env python3
"""Writes the drift test data and the values scipy computes for it.

Run from this directory with Debian's python3-numpy and python3-scipy:
    python3 make_reference_values.py
It writes data/*.txt (one number per line, repr precision) and reference-values.json. Both are
committed; the Java tests read them and never run Python.
"""
import json

import numpy as np
from scipy import spatial, special, stats

rng = np.random.default_rng(20261126)


def write(name, values):
    with open(f"data/{name}.txt", "w") as f:
        for v in values:
            f.write(repr(float(v)) + "\n")


samples = {
    # small, exact KS path; ties through rounding
    "small-ref": np.round(rng.normal(0.0, 1.0, 40), 1),
    "small-cur": np.round(rng.normal(0.4, 1.2, 55), 1),
    # medium, exact KS path (max(n1, n2) <= 10000)
    "medium-ref": rng.normal(10.0, 2.0, 3000),
    "medium-cur": rng.normal(10.3, 2.0, 2500),
    # large, asymptotic KS path
    "large-ref": rng.lognormal(0.0, 0.5, 12000),
    "large-cur": rng.lognormal(0.05, 0.55, 15000),
}
for name, values in samples.items():
    write(name, values)

out = {"ks": [], "wasserstein": [], "binned": [], "chi2": [], "ztest": []}
for pair in ["small", "medium", "large"]:
    a = np.array([float(repr(float(v))) for v in samples[f"{pair}-ref"]])
    b = np.array([float(repr(float(v))) for v in samples[f"{pair}-cur"]])
    res = stats.ks_2samp(a, b, alternative="two-sided", method="auto")
    exact = stats.ks_2samp(a, b, alternative="two-sided", method="exact") if max(len(a), len(b)) <= 10000 else None
    asymp = stats.ks_2samp(a, b, alternative="two-sided", method="asymp")
    out["ks"].append({
        "pair": pair,
        "statistic": float(res.statistic),
        "pvalue": float(res.pvalue),
        "exactPvalue": None if exact is None else float(exact.pvalue),
        "asymptoticPvalue": float(asymp.pvalue),
    })
    std = float(np.std(a))
    w = float(stats.wasserstein_distance(a, b))
    out["wasserstein"].append({"pair": pair, "distance": w, "normed": w / max(std, 0.001), "referenceStd": std})

# Binned metrics on fixed frequency vectors (already smoothed, no zero bins).
binned = [
    ([0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]),
    ([0.05, 0.15, 0.5, 0.2, 0.1], [0.1, 0.1, 0.4, 0.3, 0.1]),
]
for p, q in binned:
    p = np.array(p)
    q = np.array(q)
    out["binned"].append({
        "reference": p.tolist(),
        "current": q.tolist(),
        "psi": float(np.sum((q - p) * np.log(q / p))),
        "kl": float(stats.entropy(q, p)),
        "jensenShannon": float(spatial.distance.jensenshannon(p, q)),
        "jensenShannonBase2": float(spatial.distance.jensenshannon(p, q, base=2)),
        "hellinger": float(np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2))),
    })

# Chi-square test of homogeneity on contingency tables (reference counts, current counts).
for ref, cur in [([30, 50, 20], [25, 45, 40]), ([500, 300, 150, 50], [480, 320, 140, 60])]:
    chi2, p, dof, _ = stats.chi2_contingency(np.array([ref, cur]), correction=False)
    out["chi2"].append({"reference": ref, "current": cur, "statistic": float(chi2), "dof": int(dof), "pvalue": float(p)})

# Two-proportion Z-test with pooled variance (as Evidently computes it).
for s1, n1, s2, n2 in [(30, 100, 45, 110), (5000, 10000, 5200, 10000)]:
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    out["ztest"].append({"successes1": s1, "n1": n1, "successes2": s2, "n2": n2,
                         "statistic": float(z), "pvalue": float(2 * stats.norm.sf(abs(z)))})

# Benjamini-Hochberg adjustment of the three KS p-values above, as a drift report gives them.
ks_pvalues = [entry["pvalue"] for entry in out["ks"]]
out["benjaminiHochberg"] = {
    "pvalues": ks_pvalues,
    "adjusted": [float(p) for p in stats.false_discovery_control(ks_pvalues, method="bh")],
}

with open("reference-values.json", "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
