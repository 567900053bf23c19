from collections.abc import Iterator
from contextlib import contextmanager


class DemoDataError(Exception):
    """The demo data is wrong; the message names the file and the record so it can be fixed."""


@contextmanager
def reading(label: str) -> Iterator[None]:
    """Turn a missing or malformed field in a data record into a DemoDataError naming it."""
    try:
        yield
    except DemoDataError as exc:
        if str(exc).startswith(label):
            raise
        raise DemoDataError(f"{label}: {exc}") from exc
    except KeyError as exc:
        raise DemoDataError(f"{label}: missing field {exc.args[0]!r}") from exc
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise DemoDataError(f"{label}: {exc}") from exc
