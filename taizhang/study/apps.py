from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "taizhang.study"
    label = "study"
    verbose_name = "学习与部署"
    # Links on the campaign's part pages (core.views.part_page): part slug -> [(label, url name)].
    part_links: dict[str, list[tuple[str, str]]] = {}
