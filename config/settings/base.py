"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LIANXIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Absolute base used in QR codes and emails; requests fall back to their own host.
SITE_URL = os.environ.get("SITE_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "lianxin.core",
    "lianxin.accounts",
    "lianxin.places",
    "lianxin.deputies",
    "lianxin.cases",
    "lianxin.notifications",
    "lianxin.cockpit",
    "lianxin.api",
    "lianxin.audit",
    "lianxin.routing",
    "lianxin.hotspots",
    "lianxin.rollups",
    "lianxin.reports",
    "lianxin.ballots",
    "lianxin.projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:work"
LOGOUT_REDIRECT_URL = "accounts:login"
CSRF_FAILURE_VIEW = "lianxin.core.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lianxin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lianxin.core.context_processors.site",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE writers avoid "database is locked" with a web server and a worker.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "lianxin" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: photos go through scoped views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: three photos of up to 10 MB each, plus the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 3

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianxin@localhost")

# Notification senders by channel; SMS and WeChat adapters plug in here later.
NOTIFICATION_SENDERS = {
    "in_app": "lianxin.notifications.senders.InAppSender",
    "email": "lianxin.notifications.senders.EmailSender",
}

# Case deadlines: the default reply window when no SLA rule matches.
DEFAULT_REPLY_HOURS = 48
# Remind the department this many hours before a deadline.
SLA_REMIND_BEFORE_HOURS = 8
# A replied case the resident never rates is closed after this many days.
AUTO_CLOSE_UNRATED_DAYS = 7
# Likely duplicates of a new opinion are looked for among its town's opinions of this many days before it.
DUPLICATE_WINDOW_DAYS = int(os.environ.get("DUPLICATE_WINDOW_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Quiet libraries that log every step at INFO (WeasyPrint logs each CSS it parses).
    "loggers": {name: {"level": "WARNING"} for name in ("jieba", "weasyprint", "fontTools")},
}

APP_NAME = _("Lianxin")

# (dotted task path, interval in seconds) enqueued by `manage.py scheduler`.
PERIODIC_TASKS = [
    ("lianxin.cases.tasks.sla_sweep", 300),
    # Retries messages whose channel failed (up to five attempts each).
    ("lianxin.notifications.tasks.deliver_pending", 120),
    ("lianxin.routing.tasks.retrain_weekly", 7 * 24 * 3600),
    # Queues last month's and last quarter's report of each district and town, once (idempotent).
    ("lianxin.reports.tasks.schedule_reports", 3600),
    # Signs (and looks for likely duplicates of) any case whose task after intake was lost.
    ("lianxin.hotspots.tasks.sign_missing", 3600),
    # Tells each livelihood project's supervision group and the office once about a milestone past its date.
    ("lianxin.projects.tasks.milestones_overdue", 3600),
]

# Trained category classifiers (routing.ModelVersion rows name files in here; never committed).
TRIAGE_MODEL_DIR = Path(os.environ.get("TRIAGE_MODEL_DIR", VAR_DIR / "models"))

# Open311 / API
# Shown in /open311/v2/discovery: who to ask for help, and how an app gets an api_key.
OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "")
OPEN311_KEY_SERVICE = os.environ.get("OPEN311_KEY_SERVICE", "")
# Requests one Open311 app may post per hour (0: no limit).
OPEN311_POSTS_PER_HOUR = int(os.environ.get("OPEN311_POSTS_PER_HOUR", "600"))
