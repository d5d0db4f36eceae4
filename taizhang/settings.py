"""Every setting comes from a TAIZHANG_* environment variable, read by small helpers that fail loudly."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Files this process creates are its own: the database, uploads (ledgers with whole mobiles), job files and
# backups are 0600 and their folders 0700. Settings are read before anything is created by every entry point
# (the taizhang command, wsgi, the worker, tests), so the umask is set here, once.
os.umask(0o077)

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TAIZHANG_VAR_DIR", Path.cwd() / "var")).resolve()


def make_private(path: Path, mode: int) -> None:
    """Close a file or folder of ours that an earlier version left open to others (0644, 0755); one that
    belongs to another user (a folder root made for us) is left as it is."""
    status = path.stat()
    shared = status.st_mode & 0o1000  # a sticky folder (/tmp) is shared by design: never ours to close
    if status.st_mode & 0o077 and status.st_uid == os.getuid() and not shared:
        path.chmod(mode)


def private_dir(path: Path) -> Path:
    """Create a folder only this user may enter."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(path, 0o700)
    return path


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(f"TAIZHANG_{name}")
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"TAIZHANG_{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(f"TAIZHANG_{name}")
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"TAIZHANG_{name}={value!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(f"TAIZHANG_{name}")
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"TAIZHANG_{name}={value!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(f"TAIZHANG_{name}")
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    """TAIZHANG_SECRET_KEY, or a key generated once into var/secret_key (never committed)."""
    key = os.environ.get("TAIZHANG_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_dir(VAR_DIR)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "taizhang.core",
    "taizhang.accounts",
    "taizhang.orgs",
    "taizhang.campaigns",
    "taizhang.study",
    "taizhang.rectify",
    "taizhang.research",
    "taizhang.serve",
    "taizhang.indicators",
    "taizhang.reports",
    "taizhang.ledgers",
    "taizhang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taizhang.core.middleware.SessionIdleMiddleware",
    "taizhang.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "taizhang.core.middleware.LoginRequiredMiddleware",
    "taizhang.core.middleware.MethodNotAllowedPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taizhang.urls"
WSGI_APPLICATION = "taizhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # the project-level pages (taizhang.views)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taizhang.core.context_processors.shell",
                "taizhang.campaigns.context_processors.current_campaign",
            ],
            "builtins": ["taizhang.core.templatetags.taizhang_tags"],
        },
    }
]

# Database: TAIZHANG_DATABASE_URL, default a SQLite file under ./var/.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'taizhang.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        _database_file = Path(DATABASES["default"]["NAME"])
        # A folder made for the database, or var/, is ours to close; one that was there (/tmp, /srv) is not.
        if not _database_file.parent.exists() or _database_file.parent.is_relative_to(VAR_DIR):
            private_dir(_database_file.parent)
        if _database_file.exists():
            make_private(_database_file, 0o600)
    # WAL and a busy timeout: several branch secretaries saving at once wait rather than fail.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed figures are cached per process under a fingerprint of the data (indicators/cache.py), so no shared
# cache server is needed: a process never serves figures from before a change.
# Jobs (ledger checks and imports, large exports, archives) run on django-tasks' database backend: their
# state lives in the database, seen from every server process, run by `taizhang worker` (no other server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_ENTRIES", 1000)},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name")},
    },
    {"NAME": "taizhang.accounts.validators.NameInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A session ends after TAIZHANG_SESSION_IDLE_MINUTES without a request (SessionIdleMiddleware moves its
# expiry forward at most once a minute, so pages do not each write to the database).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# Login throttling (django-axes): five wrong passwords for one name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The proxies (nginx on the same machine: 127.0.0.1) whose X-Forwarded-For names the client (core.proxies).
TRUSTED_PROXIES = frozenset(filter(None, (p.strip() for p in env_str("TRUSTED_PROXIES", "").split(","))))
AXES_CLIENT_IP_CALLABLE = "taizhang.core.proxies.client_ip"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
if not STATIC_ROOT.exists():  # whitenoise serves from finders until collectstatic fills it
    STATIC_ROOT.mkdir(parents=True)
    STATIC_ROOT.chmod(0o755)  # public files, which a reverse proxy may serve (var/ itself stays 0700)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
        # Stylesheets and scripts are public: a reverse proxy may serve them from a STATIC_ROOT outside var/.
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
# Uploads are private (Django's default would make them 0644 whatever the umask).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
WHITENOISE_USE_FINDERS = True
# Uploaded files live here, outside the static root; they are served only through views that check scope.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_NUMBER_FILES = 50

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Behind HTTPS (a reverse proxy that terminates TLS): TAIZHANG_HTTPS=1 marks cookies secure and trusts
# the proxy's X-Forwarded-Proto. Intranet installations on plain HTTP leave it off.
# The proxy must then send X-Forwarded-Proto on every request (plain-HTTP requests are redirected to HTTPS,
# except the health check a local monitor calls), and browsers are told to use HTTPS only (HSTS) for
# TAIZHANG_HSTS_SECONDS (one year; 0 turns it off while trying HTTPS out).
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# The browsers' HSTS preload list is for public domains; an intranet host cannot be on it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
CSRF_FAILURE_VIEW = "taizhang.core.errors.csrf_failure"  # in Chinese
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site, no inline
# script or style (htmx's own indicator style is turned off in base.html), no frames, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

PAGE_SIZE = env_int("PAGE_SIZE", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
