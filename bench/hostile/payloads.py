"""The strings the request probes send: SQL injection, path traversal, and the markers whose
appearance in an answer means something leaked."""

from __future__ import annotations

SQL_INJECTION = (
    "' OR '1'='1",
    "' OR 1=1 --",
    "\" OR \"\"=\"",
    "') OR ('1'='1",
    "1 OR 1=1",
    "1) OR (1=1",
    "%' OR '%'='",
    "1; DROP TABLE events; --",
    "' UNION SELECT name, sql FROM sqlite_master --",
    "' || (SELECT sqlite_version()) || '",
    "'; SELECT pg_sleep(5); --",
    "' AND 1=(SELECT 1 FROM pg_sleep(5)) --",
    "admin'--",
    "\\'; --",
)
# A harmless value of the same kind, matching nothing: what an injected filter is compared with.
SENTINEL = "zzqxjv"

TRAVERSAL_IDS = (
    "../../../../etc/passwd",
    "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....//....//....//etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "%252e%252e%252fetc%252fpasswd",
    "..%00/etc/passwd",
    "%2Fetc%2Fpasswd",
)
STATIC_PATHS = (
    "/../../../../etc/passwd",
    "/assets/../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "//etc/passwd",
    "/\\..\\..\\..\\etc\\passwd",
    "/..%5c..%5c..%5cetc%5cpasswd",
    "/%2e%2e/%2e%2e/pyproject.toml",
    "/../../../pyproject.toml",
    "/../api/__init__.py",
    "/%2e%2e/api/app.py",
    "/index.html%00.js",
    "/.env",
    "/.git/config",
    "/app.js.map",
    "/style.css.map",
    "/APP.JS.MAP",
    "/app.js.map/",
)
# Text that must never appear in an answer unless the request itself carried it.
LEAK_MARKERS = (
    "Traceback", "File \"/", "site-packages", "OperationalError", "ProgrammingError",
    "IntegrityError", "sqlalchemy", "sqlite3.", "psycopg", "SQLite format 3", "root:x:0:",
    "[project]", "build-system", "[core]", "sourceMappingURL", "\"mappings\"", "def create_app",
    "import ",
)
