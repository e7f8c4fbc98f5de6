"""The examples in the package's docstrings run and print what they say."""

import doctest

import pytest

import ndkit


def test_ndkit_docstrings():
    assert doctest.testmod(ndkit).failed == 0


def test_dask_docstrings():
    pytest.importorskip("dask.array")
    import ndkit.dask

    assert doctest.testmod(ndkit.dask).failed == 0
