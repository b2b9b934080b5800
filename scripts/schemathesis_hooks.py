"""Schemathesis hooks for scripts/check-contract."""
import schemathesis

# POST /articles/bulk takes NDJSON, documented as a string: send the generated string as the body.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


@schemathesis.hook
def map_query(ctx, query):
    """A long poll of /changes holds its answer up to `wait` seconds: keep generated waits to one second,
    so the run tests the parameter without sleeping through minutes (the Swift tests check waiting)."""
    operation = getattr(ctx, "operation", None)
    if query and operation is not None and operation.path == "/changes":
        wait = query.get("wait")
        if isinstance(wait, int) and not isinstance(wait, bool) and wait > 1:
            query["wait"] = 1
    return query
