from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.wsgi import get_wsgi_application
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from taizhang.core.server import (
    ServerConfigError,
    TaizhangServer,
    check_bind,
    gunicorn_options,
    uncollected_static_files,
)


class Command(BaseCommand):
    help = (
        "运行正式环境的网页服务（gunicorn）。未给出的选项取自 TAIZHANG_BIND、TAIZHANG_WORKERS、TAIZHANG_THREADS、"
        "TAIZHANG_TIMEOUT 等设置，见 docs/deploy.md。收到 SIGTERM 时等正在处理的请求完成后停止。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="监听地址，如 127.0.0.1:8000 或 unix:/run/taizhang/web.sock")
        parser.add_argument("--workers", help="进程数（默认：CPU 核数 × 2 + 1，SQLite 至多 4，其他至多 8）")
        parser.add_argument("--threads", help="每个进程的线程数（默认 4）")
        parser.add_argument("--timeout", help="进程无响应多少秒后重启（默认 60）")
        parser.add_argument(
            "--insecure-debug",
            action="store_true",
            help="允许在 TAIZHANG_DEBUG=1 时启动（只用于本机排查问题：调试页面会显示设置和数据）",
        )

    def handle(self, *args, bind=None, workers=None, threads=None, timeout=None, insecure_debug=False, **_):
        try:
            options = gunicorn_options(bind=bind, workers=workers, threads=threads, timeout=timeout)
            check_bind(options["bind"])
        except ServerConfigError as exc:
            raise CommandError(str(exc)) from None
        self.refuse_debug(insecure_debug)
        self.refuse_unmigrated()
        self.warn_uncollected_static()
        application = get_wsgi_application()
        # Workers are forked from this process: none may inherit its database connection.
        connections.close_all()
        self.stdout.write(
            f"台账网页服务启动：{options['bind']}（{options['workers']} 个进程 × {options['threads']} 个线程）。"
            "收到 SIGTERM 或按 Ctrl+C 时停止。"
        )
        self.stdout.flush()
        TaizhangServer(options, application).run()

    def refuse_debug(self, allowed: bool) -> None:
        if not settings.DEBUG:
            return
        if not allowed:
            raise CommandError(
                "调试模式已打开（TAIZHANG_DEBUG=1）：出错时页面会显示设置和数据，正式环境不能这样运行。"
                "请去掉 TAIZHANG_DEBUG 或设为 0；只在本机排查问题时可加 --insecure-debug。"
            )
        self.stderr.write(
            "警告：调试模式已打开（--insecure-debug），出错页面会显示设置和数据，切勿对外提供服务。"
        )

    def refuse_unmigrated(self) -> None:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise CommandError(
                f"数据库还有 {len(plan)} 个迁移未执行，页面会出错：请先运行 taizhang migrate，再启动服务。"
            )

    def warn_uncollected_static(self) -> None:
        missing = uncollected_static_files()
        if missing:
            self.stderr.write(
                f"警告：有 {len(missing)} 个静态文件（样式、脚本）未收集到 {settings.STATIC_ROOT} 或已过期，"
                "页面会缺样式或用旧样式：请运行 taizhang collectstatic --noinput（安装和每次升级后各一次）。"
            )
