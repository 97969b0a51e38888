"""Benchmarks run against the real PostgreSQL (``make bench``), with the kernel personas."""

from tests.conftest import *  # noqa: F403
