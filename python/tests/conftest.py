"""Shared helpers: results must equal numpy's bit for bit (dtype, shape and bytes)."""

import numpy as np


def assert_identical(got, want):
    """Same form (tuple or array or scalar), dtype, shape and bytes (NaN payloads and
    the sign of zero included)."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple), f"expected a tuple, got {type(got)}"
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_identical(g, w)
        return
    assert type(got) is type(want), f"{type(got)} != {type(want)}"
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, f"{got.dtype} != {want.dtype}"
    assert got.shape == want.shape, f"{got.shape} != {want.shape}"
    if got.tobytes() != want.tobytes():
        raise AssertionError(f"values differ:\n{got!r}\n{want!r}")
