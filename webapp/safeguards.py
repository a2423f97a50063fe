"""What every request and answer goes through: the client's address, caching, HTTPS.

- The client's address is what the sign-in throttle counts attempts by. It is
  ``request.remote_addr``: behind reverse proxies set ``TRUSTED_PROXIES`` to how many there are, so
  that it is read from their X-Forwarded-For (and the scheme from X-Forwarded-Proto); without
  that every client looks like the proxy. An IPv6 client is counted by its /64 network, which
  one host usually holds whole.
- Answers are not stored by browsers or proxies (``Cache-Control: no-store``): pages and API
  answers are a signed-in official's; only the static files are cacheable.
- Over HTTPS, ``Strict-Transport-Security`` tells the browser to keep to HTTPS.
"""

import ipaddress

from flask import g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from workflows.services import throttle

HSTS = "max-age=31536000"  # one year; no includeSubDomains: other hosts of the agency's domain are not ours


def init_app(app) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.before_request
    def declare_client():
        g.client_token = throttle.CLIENT.set(client_address())

    @app.teardown_request
    def forget_client(_error=None):
        token = g.pop("client_token", None)
        if token is not None:
            throttle.CLIENT.reset(token)

    @app.after_request
    def protect_answer(response):
        if request.path.startswith("/api/") or not (request.endpoint or "").endswith("static"):
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def client_address() -> str:
    """The client's address as the throttle counts it: IPv4 as is, IPv6 by its /64 network."""
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
