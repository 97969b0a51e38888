"""The Redis cache backend, with one ``redis.Redis`` client a connection pool.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache call, and redis-py
builds the client's table of some 200 response callbacks in its constructor: on a case page
(session, the case's version and panels) that was a measurable part of the request. A
``redis.Redis`` is safe to share between threads (each command takes a connection from the
pool), so one is kept for each pool.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
