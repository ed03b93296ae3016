#!/usr/bin/env python3
"""Writes the reference/current CSV pairs used by the Evidently comparison tests.

Run from this directory with Debian's python3-sklearn and python3-pandas:
    python3 make_evidently_data.py
The data come from the CSV files that scikit-learn bundles (sklearn/datasets/data/); nothing is
downloaded. Numbers are written as Python repr of float (measurements) or int (digit pixels),
comma separated, one header row, UTF-8, LF line endings.
"""
from sklearn.datasets import load_breast_cancer, load_digits, load_iris


def fmt(value, kind):
    if kind == "float":
        return repr(float(value))
    if kind == "int":
        return repr(int(value))
    return str(value)


def write(name, columns, kinds, rows):
    with open(name, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(columns) + "\n")
        for row in rows:
            f.write(",".join(fmt(v, k) for v, k in zip(row, kinds)) + "\n")


def rows_of(frame, columns, index):
    return [[frame.at[i, c] for c in columns] for i in index]


# Iris: reference = even rows (75, all three species); current = odd rows from 50 on
# (50 rows, versicolor and virginica only).
iris = load_iris(as_frame=True)
df = iris.data.copy()
df.columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
df["species"] = [str(iris.target_names[t]) for t in iris.target]
cols = list(df.columns)
kinds = ["float"] * 4 + ["str"]
write("iris-reference.csv", cols, kinds, rows_of(df, cols, [i for i in range(150) if i % 2 == 0]))
write("iris-current.csv", cols, kinds, rows_of(df, cols, [i for i in range(150) if i % 2 == 1 and i >= 50]))

# Breast Cancer Wisconsin (Diagnostic): reference = first 300 rows, current = remaining 269.
bc = load_breast_cancer(as_frame=True)
df = bc.data.copy()
df.columns = [c.lower().replace(" ", "_") for c in df.columns]
df["diagnosis"] = [str(bc.target_names[t]) for t in bc.target]
cols = list(df.columns)
kinds = ["float"] * 30 + ["str"]
write("breast-cancer-reference.csv", cols, kinds, rows_of(df, cols, range(0, 300)))
write("breast-cancer-current.csv", cols, kinds, rows_of(df, cols, range(300, len(df))))

# Optical Recognition of Handwritten Digits (8x8 pixel counts 0..16): reference = first 1100
# rows, current = remaining 697.
dg = load_digits(as_frame=True)
df = dg.data.copy()
df.columns = [f"px_{i}" for i in range(64)]
df["digit"] = [str(int(t)) for t in dg.target]
cols = list(df.columns)
kinds = ["int"] * 64 + ["str"]
write("digits-reference.csv", cols, kinds, rows_of(df, cols, range(0, 1100)))
write("digits-current.csv", cols, kinds, rows_of(df, cols, range(1100, len(df))))
