"""gunicorn's settings for the web service (systemd/wangge-web.service; docs/operations.md).

Environment (from /etc/wangge/wangge.env): WANGGE_WEB_BIND (127.0.0.1:8000), WANGGE_WEB_WORKERS
(2 × cores + 1), WANGGE_TRUSTED_PROXIES (the proxies whose X-Forwarded-* headers are believed,
as for the app's client address).
"""

import multiprocessing
import os

bind = os.environ.get("WANGGE_WEB_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WANGGE_WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
# Synchronous workers: nginx buffers each request body and each answer, so a slow phone never
# holds a worker; one request at a time per process keeps a heavy page from slowing the others.
worker_class = "sync"
# The longest request: an inline import or export (WANGGE["JOB_INLINE_MAX"]); larger ones are
# jobs of the task worker. nginx's proxy_read_timeout is the same.
timeout = 120
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, not all at once): memory a request
# left behind goes back to the system.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("WANGGE_TRUSTED_PROXIES", "127.0.0.1,::1")
# Managed by systemd's signals (HUP, TERM): no control socket in the service user's home.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
