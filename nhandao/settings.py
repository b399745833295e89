"""Settings for nhandao.

Every setting that differs between machines is read here, once, from the
environment (or a `.env` file beside manage.py), with a typed default.  The
defaults give a working embedded set-up (SQLite under var/); production sets
DATABASE_URL, SECRET_KEY, DEBUG=false and ALLOWED_HOSTS.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]", "testserver"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{VAR_DIR / 'nhandao.sqlite3'}"),
    DATABASE_CONN_MAX_AGE=(int, 60),
    DATABASE_LOCK_TIMEOUT_MS=(int, 5000),
    DATABASE_STATEMENT_TIMEOUT_MS=(int, 30000),
    HTTPS=(bool, None),
    SECURE_HSTS_SECONDS=(int, 31536000),
    STATIC_ROOT=(str, str(VAR_DIR / "static")),
    STATIC_MANIFEST=(bool, False),
    MEDIA_ROOT=(str, str(VAR_DIR / "media")),
    # Uploaded files (stories' images): "file" keeps them under MEDIA_ROOT, "s3" sends them to an
    # S3-compatible store through django-storages (the S3_* variables below).
    MEDIA_STORAGE=(str, "file"),
    S3_BUCKET=(str, ""),
    S3_ENDPOINT_URL=(str, ""),
    S3_REGION=(str, ""),
    S3_ACCESS_KEY_ID=(str, ""),
    S3_SECRET_ACCESS_KEY=(str, ""),
    S3_CUSTOM_DOMAIN=(str, ""),
    DEFAULT_PROVINCE_CODE=(str, "31"),
    TIME_ZONE=(str, "Asia/Ho_Chi_Minh"),
    LOG_LEVEL=(str, "INFO"),
    CACHE_URL=(str, "locmemcache://nhandao"),
    PORTAL_CACHE_SECONDS=(int, 60),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "nhandao@localhost"),
    TASKS_BACKEND=(str, "database"),
    # A statement import reads the memos of its next chunks in a child process while it writes
    # the current one (core.ahead); false computes everything in the worker's own process.
    AHEAD_PROCESSES=(bool, True),
    LOGIN_FAILURE_LIMIT=(int, 5),
    LOGIN_LOCKOUT_MINUTES=(int, 15),
    PUBLIC_THROTTLE_LIMIT=(int, 10),
    PUBLIC_THROTTLE_MINUTES=(int, 15),
    SESSION_IDLE_MINUTES=(int, 30),
    OTP_REQUIRED_ROLES=(list, ["city_admin", "finance_officer", "finance_approver", "inspector"]),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    MESSAGING_EMAIL_SENDER=(str, "django"),
    MESSAGING_SMS_SENDER=(str, "file"),
    MESSAGING_OUTBOX_DIR=(str, str(VAR_DIR / "outbox")),
    MESSAGING_QUIET_HOURS=(str, "21:00-07:00"),
    MESSAGING_MAX_ATTEMPTS=(int, 3),
    ESMS_URL=(str, "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"),
    ESMS_API_KEY=(str, ""),
    ESMS_SECRET_KEY=(str, ""),
    ESMS_BRANDNAME=(str, ""),
    ESMS_SMS_TYPE=(str, "2"),
    ESMS_SANDBOX=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# A key given in the environment must be a real one; without one, a random key is made once and
# kept in var/secret_key (readable by this user only), so no installation runs on a published key.
DEVELOPMENT_KEYS = {"django-insecure-nhandao-development-key-change-me"}
SECRET_KEY = env("SECRET_KEY")
if SECRET_KEY and not DEBUG and (SECRET_KEY in DEVELOPMENT_KEYS or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "SECRET_KEY is the published development key or shorter than 40 characters: set a long random "
        "one (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or leave it unset to let "
        "nhandao make one in var/secret_key."
    )
if not SECRET_KEY:
    import os
    import secrets
    import time

    key_file = VAR_DIR / "secret_key"
    VAR_DIR.mkdir(exist_ok=True)
    try:  # the first process makes it; the others (workers starting together) read it
        fd = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            SECRET_KEY = key_file.read_text().strip()
            if SECRET_KEY:
                break
            time.sleep(0.1)
    else:
        SECRET_KEY = secrets.token_urlsafe(50)
        with os.fdopen(fd, "w") as f:
            f.write(SECRET_KEY)
    if not SECRET_KEY:
        raise ImproperlyConfigured(f"{key_file} is empty: delete it, or set SECRET_KEY.")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

# Security: HTTPS-only by default whenever DEBUG is off.  HTTPS=false serves
# plain HTTP (the local demo, a benchmark on loopback, tests).
HTTPS = (not DEBUG) if env("HTTPS") is None else env("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): our own origin only, no inline script or style, no
# third-party origin, no framing; data: images for QR codes.  A browser test
# (tests/browser/test_csp_browser.py) opens the main pages and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # nhandao, in dependency order (seed_demo runs each app's seed in this order)
    "nhandao.core",
    "nhandao.accounts",
    "nhandao.geo",
    "nhandao.org",
    "nhandao.office",
    "nhandao.people",
    "nhandao.messaging",
    "nhandao.beneficiaries",
    "nhandao.campaigns",
    "nhandao.funds",
    "nhandao.banking",
    "nhandao.relief",
    "nhandao.plans",
    "nhandao.blood",
    "nhandao.privacy",
    "nhandao.stories",
    "nhandao.movements",
    "nhandao.portal",
    "axes",  # failed sign-ins throttled and locked out (nhandao.accounts.security)
    # Two-factor sign-in: authenticator (TOTP) devices and recovery codes (nhandao.accounts.twofactor)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # After nhandao.core, whose `db_worker` command (the library's, made to stay up) wins.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nhandao.core.middleware.CleanInputMiddleware",
    "nhandao.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "nhandao.core.middleware.AuditContextMiddleware",
    "nhandao.core.middleware.DatabaseBusyMiddleware",
    "nhandao.accounts.security.IdleTimeoutMiddleware",
    "nhandao.accounts.twofactor.SecondFactorMiddleware",
    "nhandao.accounts.password_first.MustChangePasswordMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "nhandao.urls"
WSGI_APPLICATION = "nhandao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nhandao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "nhandao.office.context_processors.site",
            ],
            "builtins": ["nhandao.core.templatetags.nhandao"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env("DATABASE_CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL gives up on a statement that waits for a lock longer than DATABASE_LOCK_TIMEOUT_MS or
# runs longer than DATABASE_STATEMENT_TIMEOUT_MS (0: no limit), so a blocked web request fails fast
# (core.middleware.DatabaseBusyMiddleware: a 503 page in Vietnamese) instead of hanging; reads take
# no row locks and keep working.  The worker may run with other values (e.g. a statement limit of 0
# for long imports): set them in its environment.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={env('DATABASE_LOCK_TIMEOUT_MS')} "
        f"-c statement_timeout={env('DATABASE_STATEMENT_TIMEOUT_MS')}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the dev server read while a long import writes; IMMEDIATE avoids
    # "database is locked" upgrades inside write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    }
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # The donation list's covering index (INCLUDE amount) is PostgreSQL's; SQLite keeps the index on
    # its key columns and ignores the covered one, which is all the embedded demo needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL")}
# Anonymous transparency-portal pages are shared from the cache for this long at most (a new
# ledger posting changes the key at once); 0 turns the portal's cache off.
NHANDAO_PORTAL_CACHE_SECONDS = env("PORTAL_CACHE_SECONDS")
NHANDAO_PORTAL_VERSION_SECONDS = 1.0  # how stale the ledger version behind that cache may be
vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in hardening (nhandao/accounts/security.py): LOGIN_FAILURE_LIMIT failures for one username
# or from one address lock it for LOGIN_LOCKOUT_MINUTES; staff sessions end after
# SESSION_IDLE_MINUTES without a request (0: never).
AXES_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = dt.timedelta(minutes=env("LOGIN_LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "nhandao.accounts.security.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SESSION_IDLE_MINUTES = env("SESSION_IDLE_MINUTES")
# Public forms reached with a code or a phone (core/throttle.py): PUBLIC_THROTTLE_LIMIT failures
# from one address, or with one code, pause the form for PUBLIC_THROTTLE_MINUTES (HTTP 429).
PUBLIC_THROTTLE_LIMIT = env("PUBLIC_THROTTLE_LIMIT")
PUBLIC_THROTTLE_MINUTES = env("PUBLIC_THROTTLE_MINUTES")
# Roles whose holders must sign in with a second factor (the default is core.access.SECOND_FACTOR_ROLES;
# OTP_REQUIRED_ROLES= with an empty value makes it optional for everyone).  Others may enrol.
OTP_REQUIRED_ROLES = [role for role in env("OTP_REQUIRED_ROLES") if role]
OTP_TOTP_ISSUER = "nhandao"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "office:home"

# Vietnamese first: source strings are Vietnamese, English is a translation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE")
FORMAT_MODULE_PATH = ["nhandao.formats"]
LANGUAGE_COOKIE_NAME = "nhandao_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "nhandao" / "static"]
MEDIA_STORAGES = {
    "file": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": env("S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": True,  # private objects; public images are served through views
            "file_overwrite": False,
        },
    },
}
if env("MEDIA_STORAGE") not in MEDIA_STORAGES:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be one of {sorted(MEDIA_STORAGES)}")
STORAGES = {
    "default": MEDIA_STORAGES[env("MEDIA_STORAGE")],
    "staticfiles": {
        # Production runs collectstatic and sets STATIC_MANIFEST=true for hashed,
        # compressed, long-cached files; otherwise files are served from the source tree.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env("STATIC_MANIFEST")
WHITENOISE_MANIFEST_STRICT = False
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background jobs (long imports) through django-tasks.  "database" keeps the queue in the
# project's own database (django-tasks-db): no extra server, only `manage.py db_worker`
# running beside the web server (`make demo` starts one).  "immediate" runs each job at once
# inside the request that starts it (development without a worker; the tests use it).
TASKS_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
if env("TASKS_BACKEND") not in TASKS_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'")
TASKS = {"default": TASKS_BACKENDS[env("TASKS_BACKEND")]}
AHEAD_PROCESSES = env("AHEAD_PROCESSES")

# The province this installation serves (GSO code; 31 = Hải Phòng since 2025).
NHANDAO_DEFAULT_PROVINCE_CODE = env("DEFAULT_PROVINCE_CODE")
NHANDAO_PAGE_SIZE = 50
# The address people reach the site at: links in messages (the one-click unsubscribe) start with it.
NHANDAO_SITE_URL = env("SITE_URL").rstrip("/")

# Outgoing messages (nhandao.messaging).  A sender per channel: "console" (printed), "file" (one
# .eml/.json per message under MESSAGING_OUTBOX_DIR: the demo and tests), "django" (email through
# EMAIL_URL's backend), "esms" (SMS through the eSMS.vn gateway, ESMS_* below), or the dotted
# path of a Sender class.  No SMS leaves in the quiet hours (Vietnam time; "" turns them off): it
# waits for the morning.  A failed send is retried up to MESSAGING_MAX_ATTEMPTS times in all.
NHANDAO_MESSAGING_SENDERS = {"email": env("MESSAGING_EMAIL_SENDER"), "sms": env("MESSAGING_SMS_SENDER")}
NHANDAO_MESSAGING_OUTBOX_DIR = env("MESSAGING_OUTBOX_DIR")
NHANDAO_MESSAGING_QUIET_HOURS = env("MESSAGING_QUIET_HOURS")
NHANDAO_MESSAGING_MAX_ATTEMPTS = env("MESSAGING_MAX_ATTEMPTS")
NHANDAO_ESMS = {
    "url": env("ESMS_URL"),
    "api_key": env("ESMS_API_KEY"),
    "secret_key": env("ESMS_SECRET_KEY"),
    "brandname": env("ESMS_BRANDNAME"),
    "sms_type": env("ESMS_SMS_TYPE"),
    "sandbox": env("ESMS_SANDBOX"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
