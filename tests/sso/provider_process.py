"""Starts the real OpenID Connect provider of tests/sso/provider (panva's oidc-provider on Node)
on 127.0.0.1 and drives its sign-in pages like a browser would (for the Django test client).

Needs Node (>= 20) and `npm ci --prefix tests/sso/provider` (the Makefile's setup does it).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests
from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_ID = "terugkeer-test"
CLIENT_SECRET = "test-secret-of-the-terugkeer-client-0123456789"  # noqa: S105


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_signing_key(kid: str) -> dict:
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})
    return key.as_dict(private=True)


class OpenIDProvider:
    """One provider process; restart() with other keys to rotate them."""

    def __init__(self, workdir: Path, redirect_uris: list[str], post_logout_uris: list[str]):
        node = shutil.which("node")
        if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
            raise RuntimeError(
                "The SSO tests need Node and `npm ci --prefix tests/sso/provider` (make setup)."
            )
        version = subprocess.run(  # noqa: S603
            [node, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if tuple(int(p) for p in version.lstrip("v").split(".")[:2]) < (20, 12):
            raise RuntimeError(f"oidc-provider needs Node >= 20.12 (crypto.hash); found {version}")
        self.node = node
        self.workdir = workdir
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = workdir / "accounts.json"
        self.log_file = workdir / "requests.log"
        self.tamper_file = workdir / "tamper.json"
        self.config_file = workdir / "provider.json"
        self.redirect_uris = redirect_uris
        self.post_logout_uris = post_logout_uris
        self.keys = [new_signing_key("key-1")]
        self.id_token_ttl = 3600
        self.claims_at_userinfo_only = False
        self.process: subprocess.Popen | None = None
        self.set_accounts({})

    # -- the provider's "directory" and the attacker ------------------------------------------

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        self.accounts_file.write_text(json.dumps(accounts))

    def tamper(self, mode: str | None) -> None:
        self.tamper_file.write_text(json.dumps({"mode": mode} if mode else {}))

    def requests_log(self) -> list[dict]:
        if not self.log_file.exists():
            return []
        return [json.loads(line) for line in self.log_file.read_text().splitlines()]

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests_log() if r["path"] == path)

    # -- the process ---------------------------------------------------------------------------

    def start(self) -> None:
        self.config_file.write_text(
            json.dumps(
                {
                    "issuer": self.issuer,
                    "port": self.port,
                    "client": {
                        "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET,
                        "redirect_uris": self.redirect_uris,
                        "post_logout_redirect_uris": self.post_logout_uris,
                    },
                    "jwks": {"keys": self.keys},
                    "accounts_file": str(self.accounts_file),
                    "log_file": str(self.log_file),
                    "tamper_file": str(self.tamper_file),
                    "id_token_ttl": self.id_token_ttl,
                    "claims_at_userinfo_only": self.claims_at_userinfo_only,
                }
            )
        )
        output = self.workdir / "provider.out"
        with output.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [self.node, str(PROVIDER_DIR / "server.mjs"), str(self.config_file)],
                cwd=PROVIDER_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        # Wait until it listens (Node prints a warning first on Node 20: only 22+ is "supported").
        deadline = time.monotonic() + 30
        while "listening" not in output.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the OpenID provider did not start: {output.read_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def rotate_keys(self) -> None:
        """A new signing key first (the provider signs with it), the old one still published."""
        self.keys = [new_signing_key(f"key-{len(self.keys) + 1}"), *self.keys]
        self.stop()
        self.start()

    # -- a browser at the provider ---------------------------------------------------------------

    def sign_in_at_provider(
        self, authorize_url: str, login: str, *, second_factor: bool, back_to: str
    ) -> str:
        """Follow the provider's redirects and fill in its sign-in form; returns the URL the
        provider sends the browser back to (Terugkeer's callback with code and state)."""
        browser = requests.Session()
        url = authorize_url
        for _step in range(20):
            if url.startswith(back_to):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["Location"])
                continue
            form = re.search(r'<form method="post" action="([^"]+)"', response.text)
            if response.status_code != 200 or form is None:
                raise AssertionError(f"provider answered {response.status_code}: {response.text}")
            data = {"login": login}
            if second_factor:
                data["second_factor"] = "on"
            response = browser.post(
                urljoin(url, form.group(1)), data=data, allow_redirects=False, timeout=10
            )
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("too many redirects at the provider")
