"""A coach's day for locust (make loadtest; bench/loadtest.sh runs it headless, bounded).

Four kinds of users, signed in once each, no think time (the load is as high as the server
takes): the return-to-work coach (caseload, a page further, a name search, a trajectory, a
contact registered through the form), the employee on the portal, the rapporteur (the yearly
report and the dashboard) and a client system on the API (trajectories, one trajectory with its
obligations, the yearly report). Accounts and ids come from LOADTEST_CONFIG (written by
bench/loadtest_setup.py). Only 127.0.0.1: the host is refused otherwise.

The site runs with production settings behind a TLS proxy, so requests carry
X-Forwarded-Proto: https and an https Origin/Referer (Django's CSRF check for secure requests),
and the Secure cookies are sent over the plain loopback connection (a cookie policy for this
test client only).
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import date
from urllib.parse import urlparse

from locust import HttpUser, constant, events, task
from requests.cookies import RequestsCookieJar

CONFIG = json.loads(open(os.environ["LOADTEST_CONFIG"]).read())  # noqa: SIM115
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "0"))
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"load test only against 127.0.0.1, not {host!r}")


@events.request.add_listener
def _bounded(request_type, name, response_time, response_length, exception, **kwargs):
    """Stop the whole run once MAX_REQUESTS requests were made (besides --run-time)."""
    runner = _bounded.environment.runner if hasattr(_bounded, "environment") else None
    if MAX_REQUESTS and runner is not None and runner.stats.total.num_requests >= MAX_REQUESTS:
        runner.quit()


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _bounded.environment = environment


class LoopbackJar(RequestsCookieJar):
    """Sends the Secure session and CSRF cookies to http://127.0.0.1 (where the TLS proxy would
    be): every cookie is kept without its Secure flag, in this test client only."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class Signed(HttpUser):
    abstract = True
    wait_time = constant(0)
    username = ""

    def on_start(self):
        origin = f"https://{urlparse(self.host).netloc}"
        self.client.cookies = LoopbackJar()
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"}
        )
        if self.username:
            page = self.page("/aanmelden/", "sign-in page")
            token = _CSRF.search(page.text).group(1)
            with self.client.post(
                "/aanmelden/",
                data={
                    "username": CONFIG[self.username],
                    "password": CONFIG["password"],
                    "csrfmiddlewaretoken": token,
                },
                name="sign in",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"sign-in refused ({response.status_code})")

    def page(self, url: str, name: str):
        """GET that must answer 200 itself (a redirect to the sign-in page is an error)."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response


class Coach(Signed):
    weight = 6
    username = "coach"

    @task(4)
    def caseload(self):
        self.page("/trajecten/", "caseload")

    @task(1)
    def caseload_page_2(self):
        self.page("/trajecten/?page=2", "caseload page 2")

    @task(1)
    def search(self):
        self.page("/trajecten/?q=an", "caseload search")

    @task(4)
    def trajectory(self):
        pk = random.choice(CONFIG["trajectories"])
        self.page(f"/trajecten/{pk}/", "trajectory")

    @task(1)
    def register_contact(self):
        pk = random.choice(CONFIG["trajectories"])
        url = f"/trajecten/{pk}/registreer/contact/"
        form = self.page(url, "event form")
        csrf, version = _CSRF.search(form.text), _VERSION.search(form.text)
        if not (csrf and version):
            return
        with self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "version": version.group(1),
                "date": date.today().isoformat(),
                "channel": "call",
                "contact_by": "manager",
                "note": "",
            },
            name="event posted",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: saved. 200: the form again, e.g. someone saved the same trajectory just now
            # (the optimistic lock) — an answer, not an error.
            if response.status_code not in (200, 302):
                response.failure(f"status {response.status_code}")


class Employee(Signed):
    weight = 2
    username = "employee"

    @task
    def portal(self):
        self.page("/mijn-traject/", "portal")


class Rapporteur(Signed):
    weight = 1
    username = "reporter"

    @task(3)
    def report(self):
        year = random.choice([2024, 2025])
        self.page(f"/rapporten/jaarrapport/?scope={CONFIG['scope']}&jaar={year}", "report")

    @task(1)
    def dashboard(self):
        self.page(f"/rapporten/dashboard/?scope={CONFIG['scope']}", "dashboard")


class ApiClient(Signed):
    weight = 1

    def on_start(self):
        super().on_start()
        self.client.headers["Authorization"] = f"Bearer {CONFIG['api_token']}"

    @task(3)
    def trajectories(self):
        self.page("/api/trajectories?open=true", "api trajectories")

    @task(3)
    def trajectory(self):
        pk = random.choice(CONFIG["trajectories"])
        self.page(f"/api/trajectories/{pk}", "api trajectory")

    @task(1)
    def report(self):
        self.page("/api/reports/yearly?year=2025", "api report")


# The ratio phase of scripts/loadtest.sh (not in the mix): the caseload's req/s against the
# sign-in page's (a page without a query) in the same conditions; issue 19's goal is >= 0.5.
class SignInPageOnly(HttpUser):
    wait_time = constant(0)
    weight = 1

    @task
    def sign_in_page(self):
        self.client.get("/aanmelden/", name="sign-in page", headers={"X-Forwarded-Proto": "https"})


class CaseloadOnly(Signed):
    weight = 1
    username = "coach"

    @task
    def caseload(self):
        self.page("/trajecten/", "caseload")
