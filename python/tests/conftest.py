import os

import pytest

DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture
def data_path():
    return lambda name: os.path.join(DATA, name)
