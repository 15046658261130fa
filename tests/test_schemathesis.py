"""Property-based API testing from the OpenAPI spec (schemathesis): no input may cause a 5xx.

Every operation of the spec gets generated requests (valid and invalid) through the real app."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from assistant.api import create_app


@pytest.fixture(scope="module")
def api_schema(data_dir, assistant, tmp_path_factory):
    app = create_app(data_dir, tmp_path_factory.mktemp("st") / "web.sqlite3", assistant=assistant)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_server_errors(api_schema):
    operations = [op.ok() for op in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(checks=[not_a_server_error])

        check()
