from django.apps import AppConfig


class RectifyConfig(AppConfig):
    name = "taizhang.rectify"
    label = "rectify"
    verbose_name = "检视整改"
    part_links: dict[str, list[tuple[str, str]]] = {}
