import redis

from portal import caching


def test_an_unreachable_cache_costs_a_database_read_not_a_failure(monkeypatch):
    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("connection refused")

    monkeypatch.setattr(caching.cache, "get", down)
    monkeypatch.setattr(caching.cache, "set", down)
    monkeypatch.setattr(caching.cache, "delete", down)
    assert caching.read_through("k", 60, lambda: "from the database") == "from the database"
    caching.forget("k")


def test_a_value_is_read_once_then_from_the_cache():
    reads = []

    def read():
        reads.append(1)
        return "row"

    assert [caching.read_through("k", 60, read) for _ in range(3)] == ["row"] * 3
    assert len(reads) == 1
    caching.forget("k")
    assert caching.read_through("k", 60, read) == "row" and len(reads) == 2
