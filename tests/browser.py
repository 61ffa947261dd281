"""A headless Chromium (Debian's package) driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: commands on fd 3, answers on fd 4), with no driver or library.

    with Browser.start() as b:
        b.open("file:///…/index.html")
        b.eval("document.title")
        b.platform_fonts("h1")      # the fonts that really drew the node's text
        b.screenshot()              # PNG bytes
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> Optional[str]:
    """Chromium's executable, installed with apt-get (scripts/install_test_browser.sh) when it or a
    Chinese font is missing and we are root; None when it cannot be had."""
    exe = shutil.which("chromium")
    fonts = shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                                       text=True).stdout.strip()
    if exe and fonts:
        return exe
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["bash", str(ROOT / "scripts" / "install_test_browser.sh")], timeout=900)
    return shutil.which("chromium")


class Browser:
    def __init__(self, proc: subprocess.Popen, rfd: int, wfd: int, profile: str):
        self.proc, self.rfd, self.wfd, self.profile = proc, rfd, wfd, profile
        self._id = 0
        self._buf = b""
        self.events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "DOM", "CSS", "Runtime"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 900, "deviceScaleFactor": 1,
                                                         "mobile": False})

    @classmethod
    def start(cls, exe: str) -> "Browser":
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def fds():  # in the child: its fd 3 reads our commands, its fd 4 writes the answers
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        profile = tempfile.mkdtemp(prefix="report-chromium-")
        proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, pass_fds=(3, 4))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        return cls(proc, from_chrome_r, to_chrome_w, profile)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        try:
            self._send({"id": self._next(), "method": "Browser.close"})
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.rfd, self.wfd):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    # -- the protocol
    def _next(self) -> int:
        self._id += 1
        return self._id

    def _send(self, msg: dict) -> None:
        os.write(self.wfd, json.dumps(msg).encode() + b"\0")

    def _read(self, timeout: float) -> dict:
        import select

        while b"\0" not in self._buf:
            ready, _, _ = select.select([self.rfd], [], [], timeout)
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.rfd, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def _call(self, method: str, params: Optional[dict] = None, session: Optional[str] = None,
              timeout: float = 30) -> dict:
        mid = self._next()
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._send(msg)
        while True:
            m = self._read(timeout)
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def call(self, method: str, params: Optional[dict] = None, timeout: float = 30) -> dict:
        return self._call(method, params, self.session, timeout)

    def _wait_event(self, method: str, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read(max(0.1, end - time.monotonic())))

    # -- what a test uses
    def open(self, url: str) -> None:
        """Navigate and wait for the load event (every image loaded or failed)."""
        self.events.clear()
        res = self.call("Page.navigate", {"url": url})
        if res.get("errorText"):
            raise RuntimeError(f"{url}: {res['errorText']}")
        if res.get("loaderId"):  # none for a same-document navigation (another #fragment of the page)
            self._wait_event("Page.loadEventFired")

    def eval(self, expression: str):
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def platform_fonts(self, selector: str) -> list[dict]:
        """The fonts that drew the text of the first node matching selector: familyName, glyphCount."""
        root = self.call("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise LookupError(selector)
        return self.call("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])
