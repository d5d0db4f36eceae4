from django.apps import AppConfig


class ServeConfig(AppConfig):
    name = "taizhang.serve"
    label = "serve"
    verbose_name = "为民服务与共建"
    part_links: dict[str, list[tuple[str, str]]] = {}
