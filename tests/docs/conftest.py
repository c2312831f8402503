"""The docs tests run the real system with the integration fixtures."""
from tests.integration.conftest import make_system  # noqa: F401  (a fixture)
