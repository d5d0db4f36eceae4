"""`taizhang worker`: runs the jobs (ledger checks and imports, …) that the server processes queue in the
database. django-tasks-db's db_worker with the project's defaults (every queue, no autoreload) and a heartbeat
(core.workers): /healthz tells whether a worker runs, and jobs a dead worker left running are marked failed
when the next one starts. Works on SQLite and PostgreSQL alike, with no other server.

    taizhang worker              run until stopped (Ctrl+C, SIGTERM: the current job finishes first)
    taizhang worker --batch      run the jobs waiting now, then exit
"""

from __future__ import annotations

import signal

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from taizhang.core import workers


class Command(DatabaseWorker):
    help = "运行后台任务（台账检查与导入等）：各服务器进程放入数据库的任务由它执行。"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args, **options) -> None:
        worker_id = options["worker_id"]
        workers.start(worker_id)
        heart = workers.Heart(worker_id)
        heart.start()
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            super().handle(*args, **options)
        finally:
            heart.stop()
            for (
                sig,
                handler,
            ) in handlers.items():  # as they were (a --batch run called from a test or a script)
                signal.signal(sig, handler)
