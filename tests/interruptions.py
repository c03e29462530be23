"""A run killed part-way, as the resume tests interrupt one: a model that raises after a number of calls."""

from collections.abc import Callable


class Killed(Exception):
    """The stand-in for a kill: raised where the process would have died."""


def killing_after(calls: int, model: Callable) -> Callable:
    """``model``, raising ``Killed`` from its call number ``calls`` + 1 on."""
    count = 0

    def killed(*args, **kwargs):
        nonlocal count
        count += 1
        if count > calls:
            raise Killed
        return model(*args, **kwargs)
    return killed
