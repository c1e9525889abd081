"""The query-pack fixture graph, opened once per module."""

import pytest

import kg


@pytest.fixture(scope="module")
def graph(query_build):
    return kg.open(query_build)
