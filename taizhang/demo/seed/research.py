"""The research area's records in the demo township and the scale county (to be filled by its issue)."""

from .context import SeedContext


def demo(ctx: SeedContext) -> None:
    pass


def scale(ctx: SeedContext, count: int) -> None:
    pass
