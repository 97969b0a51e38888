"""The shared personas and service checks for every test package (apps, tests/, bench/)."""

pytest_plugins = ["tests.fixtures"]
