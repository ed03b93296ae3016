"""Writes the .npy test vectors with NumPy's own np.save (run: python3 make_npy.py)."""
import numpy as np
from numpy.lib import format as npformat

arrays = {
    "f4_2x3": np.array([[1.5, -2.0, 0.0], [3.25, 1e-3, -7.0]], dtype="<f4"),
    "f8_be": np.array([np.pi, -1e300, 0.5], dtype=">f8"),
    "f2": np.array([1.5, -65504.0, 0.333], dtype="<f2"),
    "i1": np.array([-128, 0, 127], dtype="i1"),
    "u1": np.array([255, 0, 1], dtype="u1"),
    "i4_be": np.array([-2147483648, 0, 2147483647], dtype=">i4"),
    "i8": np.array([[-9223372036854775808], [9223372036854775807]], dtype="<i8"),
    "bool": np.array([True, False, True]),
    "unicode": np.array(["a", "", "\u00e9t\u00e9 \U0001F680"]),
    "scalar": np.array(42.0, dtype="<f8"),
    "empty": np.zeros((0, 3), dtype="<f4"),
    # A header that is already 64-byte aligned before padding: NumPy adds 64 spaces.
    "aligned": np.ones((1,) * 20, dtype="<f4"),
    # Only trailing NULs are padding; one inside a string is part of it.
    "inner_nul": np.array(["a\x00b", "c"]),
}
for name, array in arrays.items():
    np.save(name + ".npy", array)

# Refused on purpose: Fortran order, object arrays (pickles), a format 2.0 header is read.
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
with open("v2.npy", "wb") as f:
    npformat.write_array(f, np.array([1, 2, 3], dtype="<i4"), version=(2, 0))
