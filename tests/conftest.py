"""Hypothesis profiles.

- ``default``: fast; the whole suite runs in a few minutes on 2 cores (used unless told otherwise).
- ``thorough``: for nightly runs, ``pytest --hypothesis-profile=thorough`` (about 20 times more inputs).

Each property sets its own number of examples relative to the profile through ``scaled(n)``.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                     HealthCheck.filter_too_much,
                                                     HealthCheck.large_base_example], print_blob=True)
settings.register_profile("default", max_examples=40, **_COMMON)
settings.register_profile("thorough", max_examples=800, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    # pytest's hypothesis plugin applies --hypothesis-profile after this file is imported; nothing else to do
    config.addinivalue_line("markers", "slow: runs the CLI in subprocesses")
