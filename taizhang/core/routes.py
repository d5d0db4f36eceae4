"""A view's address stands above the view: `@route("users/<int:pk>/")` in views.py, and the area's urls.py
lists the module's routes (`route.urls`) beside the record kit's. NetBox's register_model_view is the model.

The URL name is the view's function name unless `name=` says otherwise; further keyword arguments are
passed to the view, as path()'s kwargs are."""

from django.urls import URLPattern, path


class Routes:
    def __init__(self) -> None:
        self._patterns: list[tuple[int, int, URLPattern]] = []

    def __call__(self, pattern: str, name: str | None = None, **kwargs):
        def register(view):
            entry = path(pattern, view, kwargs or None, name=name or view.__name__)
            self._patterns.append((pattern.count("<"), len(self._patterns), entry))
            return view

        return register

    @property
    def urls(self) -> list[URLPattern]:
        """Fixed words before converters ("signin/today/" before "signin/<str:token>/"), else in the order
        the views stand in their module."""
        return [entry for *_, entry in sorted(self._patterns, key=lambda t: t[:2])]
