"""The crew's web page end to end, in a real browser: the real lyktad with an
`http:` section sweeps `lykta-sim dali` over TCP and publishes through a real
mosquitto; headless Chromium (Debian's chromium + chromium-driver, driven by
python3-selenium) logs in, sees the areas and the map, watches a lamp failure
injected in the simulator turn up live, acknowledges it and sees it leave the
list of faults that need attention. A viewer gets no button and the API
refuses it with the router's envelope; wrong passwords are refused, logged and
answered more and more slowly. With LYKTA_SCREENSHOTS=DIR every page is saved
as DIR/crew-<page>.png (docs/crew-page.md uses docs/images/)."""
import http.client
import http.cookiejar
import json
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

from harness import (BIN, Lyktad, Mosquitto, Observer, Sim, free_port, minimal_config, wait_port, wait_until,
                     write_config)
from test_dali_gateway import SimControl as DaliControl

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # reported by the browser tests themselves
    webdriver = None

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CREW_PASSWORD = "lamp-post-crew"
VIEWER_PASSWORD = "lamp-post-viewer"


def passwd(users_file, user, role, password):
    done = subprocess.run([os.path.join(BIN, "lyktactl"), "http", "passwd", user, "--role", role,
                           "--file", users_file], input=password + "\n", capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Page:
    """A plain HTTP client of the page's API with its own cookie jar."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None, csrf=True):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if csrf and self.csrf:
            req.add_header("X-Lykta-CSRF", self.csrf)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, dict(r.headers), json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read() or b"{}")

    def login(self, user, password):
        status, headers, body = self.call("POST", "/api/login", {"user": user, "password": password}, csrf=False)
        if status == 200:
            self.csrf = body["csrf"]
        return status, headers, body


class CrewSite:
    """mosquitto + DALI sim (4 gear) + lyktad with the crew page on a free loopback port."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-crew-")
        self.prefix = "lykta/crew-gw"
        self.broker = Mosquitto()
        self.dali = Sim("dali", "--listen", "127.0.0.1:0", "--gear", "4", "--control", "127.0.0.1:0")
        dali_port = int(self.dali.read_line("listening ").rsplit(":", 1)[1])
        self.dali_control = DaliControl(self.dali)
        self.users = os.path.join(self.dir, "users")
        assert "added crew (crew)" in passwd(self.users, "crew", "crew", CREW_PASSWORD)
        passwd(self.users, "viewer", "viewer", VIEWER_PASSWORD)
        self.port = free_port()
        extra = f"""http:
  listen: 127.0.0.1:{self.port}
  users_file: {self.users}
dali:
  buses:
    - {{ id: bus1, interface: "foxtron://127.0.0.1:{dali_port}", sweep_s: 0.3, energy_sweep_s: 60 }}
luminaires:
  - {{ id: L-1, bus: bus1, address: 0, area: torget, location: {{ lat: 59.3001, lon: 18.0001, street: "Storgatan 1" }} }}
  - {{ id: L-2, bus: bus1, address: 1, area: torget, location: {{ lat: 59.3003, lon: 18.0004, street: "Storgatan 3" }} }}
  - {{ id: L-3, bus: bus1, address: 2, area: hamnen, location: {{ lat: 59.2998, lon: 18.0010, street: "Hamngatan 1" }} }}
  - {{ id: L-4, bus: bus1, address: 3, area: hamnen }}
areas:
  - {{ id: torget, name: Torget, profile: centrum }}
  - {{ id: hamnen, name: Hamnen, profile: centrum }}
profiles:
  centrum:
    - {{ at: "12:00", level: 100 }}
faults:
  debounce:
    lamp_failure: {{ raise_after: 2, clear_after: 2 }}
"""
        text = minimal_config(self.broker.port, os.path.join(self.dir, "lykta.db"), gateway_id="crew-gw", extra=extra)
        self.config = write_config(self.dir, text)
        self.observer = Observer(self.broker.port, topics=(f"{self.prefix}/#",))
        self.lyktad = Lyktad(self.config)
        self.observer.wait_for(f"{self.prefix}/status", lambda p: p and p.get("state") == "online")
        wait_port(self.port)
        self.base = f"http://127.0.0.1:{self.port}"

    def close(self):
        for part in (self.lyktad.stop, self.observer.close, self.dali_control.close, self.dali.stop, self.broker.stop):
            try:
                part()
            except Exception:  # tear down the rest whatever one part did
                pass
        subprocess.run(["rm", "-rf", self.dir], check=False)

    def raise_lamp_failure(self, address, luminaire):
        since = len(self.observer.snapshot())
        self.dali_control(f"lamp-failure {address} on")
        event = self.observer.wait_for(
            f"{self.prefix}/event", lambda e: isinstance(e, dict) and e.get("type") == "fault.raised"
            and e["fault"]["target"] == f"luminaire/{luminaire}", 20, since)
        return event["fault"]


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1000,1100", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class WithCrewSite(unittest.TestCase):
    """One CrewSite for all tests of a class (a class without tests starts none)."""

    @classmethod
    def setUpClass(cls):
        cls.site = CrewSite()

    @classmethod
    def tearDownClass(cls):
        cls.site.close()


class CrewPage(WithCrewSite):

    def screenshot(self, driver, name):
        directory = os.environ.get("LYKTA_SCREENSHOTS")
        if directory:
            os.makedirs(directory, exist_ok=True)
            driver.save_screenshot(os.path.join(directory, f"crew-{name}.png"))

    def log_in(self, driver, user, password):
        driver.get(self.site.base + "/")
        wait = WebDriverWait(driver, 20)
        wait.until(ec.visibility_of_element_located((By.ID, "user"))).send_keys(user)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.ID, "login-submit").click()
        wait.until(ec.visibility_of_element_located((By.ID, "who")))
        wait.until(lambda d: "(" in d.find_element(By.ID, "who").text)
        return wait

    def test_api_is_the_routers_api(self):
        page = Page(self.site.base)
        status, _, body = page.call("GET", "/api/overview")
        self.assertEqual(status, 401)  # no anonymous access
        self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 200)
        status, _, overview = page.call("GET", "/api/overview")
        self.assertEqual(status, 200)
        self.assertEqual([a["id"] for a in overview["areas"]], ["torget", "hamnen"])
        self.assertEqual(len(overview["luminaires"]), 4)
        self.assertIsNone(overview["luminaires"][3]["location"])
        # Same arguments, answers and codes as over MQTT.
        status, _, answer = page.call("POST", "/api/explain", {"id": "x-1", "luminaire": "L-99"})
        mqtt_answer = self.site.observer.request(self.site.prefix, "explain", {"id": "x-1", "luminaire": "L-99"})
        self.assertEqual(status, 404)
        self.assertEqual(answer["error"]["code"], "unknown_luminaire")
        self.assertEqual(answer["id"], "x-1")
        self.assertEqual(answer["error"], mqtt_answer["error"])
        status, _, answer = page.call("POST", "/api/explain", {"luminaire": "L-1"})
        self.assertEqual((status, answer["status"]), (200, "ok"))
        self.assertIn("reason", answer["data"])
        status, _, answer = page.call("POST", "/api/nonsense", {})
        self.assertEqual((status, answer["error"]["code"]), (403, "forbidden"))
        # A POST without the session's CSRF token never runs.
        status, _, answer = page.call("POST", "/api/luminaire/identify", {"luminaire": "L-1"}, csrf=False)
        self.assertEqual((status, answer["error"]["code"]), (403, "forbidden"))

    def test_wrong_passwords_refused_logged_and_slowed(self):
        page = Page(self.site.base)
        took = []

        def wrong():
            t0 = time.monotonic()
            status, _, body = page.login("crew", "not the password")
            took.append(time.monotonic() - t0)
            self.assertEqual(status, 401)
            self.assertEqual(body["error"]["message"], "wrong user name or password")

        wrong()
        wrong()
        third = threading.Thread(target=wrong)
        third.start()
        # The third refusal is logged when the password was found wrong, then
        # held back 2 s; meanwhile the address waits: even the right password.
        wait_until(lambda: "wrong user name or password for 'crew' from 127.0.0.1 (3 in a row; next try in 2000 ms)"
                   in self.site.lyktad.stderr(), what="the third refusal in the log")
        status, headers, body = Page(self.site.base).login("crew", CREW_PASSWORD)
        self.assertEqual(status, 429)
        self.assertGreaterEqual(int(headers["Retry-After"]), 1)
        self.assertEqual(body["error"]["code"], "too_busy")
        third.join(30)
        self.assertEqual(len(took), 3)
        # 0.5 s, 1 s, 2 s (plus the hash): each refusal takes about twice as long as the one before.
        self.assertGreater(took[1], took[0] * 1.5, took)
        self.assertGreater(took[2], took[1] * 1.5, took)
        self.assertGreater(took[2], 1.9, took)
        # An unknown user is refused like a wrong password, never told apart.
        status, _, body = page.login("nobody", "x")
        self.assertEqual((status, body["error"]["message"]), (401, "wrong user name or password"))

    @unittest.skipIf(webdriver is None or not os.path.exists(CHROMEDRIVER),
                     "needs chromium, chromium-driver and python3-selenium (scripts/setup.sh installs them)")
    def test_crew_sees_and_acknowledges_a_lamp_failure(self):
        driver = browser()
        try:
            wait = self.log_in(driver, "crew", CREW_PASSWORD)
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#areas tr[data-area=torget]")))
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "svg#map circle.state-ok")) == 4)
            self.assertEqual(driver.find_element(By.ID, "who").text, "crew (crew)")
            fault = self.site.raise_lamp_failure(1, "L-2")
            # Live: the map turns L-2 red without a reload.
            wait.until(ec.presence_of_element_located(
                (By.CSS_SELECTOR, "svg#map circle.state-failed[data-luminaire='L-2']")))
            self.screenshot(driver, "overview")
            driver.find_element(By.ID, "nav-faults").click()
            row = f"#faults-active tr[data-fault='{fault['id']}']"
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, row)))
            self.screenshot(driver, "faults")
            driver.find_element(By.CSS_SELECTOR, row + " button.ack").click()
            wait.until(ec.visibility_of_element_located((By.ID, "ack-note"))).send_keys("lamp ordered")
            by = driver.find_element(By.ID, "ack-by")
            by.clear()
            by.send_keys("Anna, crew 3")
            driver.find_element(By.ID, "ack-submit").click()
            wait.until(ec.invisibility_of_element_located((By.CSS_SELECTOR, row)))
            acked = f"#faults-acknowledged tr[data-fault='{fault['id']}']"
            # Live updates re-render the table: read the row afresh until it shows the note.
            WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
                lambda d: "Anna, crew 3: lamp ordered" in d.find_element(By.CSS_SELECTOR, acked).text)
            driver.get(self.site.base + "/#/luminaire/L-2")
            wait.until(lambda d: d.find_element(By.ID, "lum-reason").text not in ("", "…"))
            wait.until(lambda d: d.find_element(By.ID, "lum-state").text == "lamp failure")
            self.assertTrue(driver.find_element(By.ID, "identify").is_displayed())
            self.screenshot(driver, "luminaire")
            driver.find_element(By.ID, "nav-stats").click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#stats-totals tr[data-area=torget]")))
            self.assertEqual(len(driver.find_elements(By.CSS_SELECTOR, ".charts svg")), 5)
            self.screenshot(driver, "stats")
        finally:
            driver.quit()
        ack = self.site.observer.wait_for(f"{self.site.prefix}/event",
                                          lambda e: isinstance(e, dict) and e.get("type") == "fault.acknowledged")
        self.assertEqual(json.dumps(ack).count("Anna, crew 3"), 1)

    @unittest.skipIf(webdriver is None or not os.path.exists(CHROMEDRIVER),
                     "needs chromium, chromium-driver and python3-selenium (scripts/setup.sh installs them)")
    def test_viewer_cannot_acknowledge(self):
        fault = self.site.raise_lamp_failure(2, "L-3")
        driver = browser()
        try:
            wait = self.log_in(driver, "viewer", VIEWER_PASSWORD)
            driver.get(self.site.base + "/#/faults")
            row = f"#faults-active tr[data-fault='{fault['id']}']"
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, row)))
            self.assertEqual(driver.find_elements(By.CSS_SELECTOR, row + " button.ack"), [])
            self.screenshot(driver, "faults-viewer")
        finally:
            driver.quit()
        page = Page(self.site.base)
        self.assertEqual(page.login("viewer", VIEWER_PASSWORD)[0], 200)
        status, _, answer = page.call("POST", "/api/faults/ack", {"id": "v-1", "fault": fault["id"], "note": "x"})
        self.assertEqual(status, 403)
        self.assertEqual(answer, {"id": "v-1", "status": "error",
                                  "error": {"code": "forbidden", "message": "role viewer may not run faults/ack"}})
        status, _, listed = page.call("POST", "/api/faults/list", {})
        self.assertFalse({f["id"]: f for f in listed["data"]["faults"]}[fault["id"]]["acknowledged"])


class CrewPageReload(unittest.TestCase):
    """SIGHUP rebuilds the daemon: the page's live streams end cleanly, the
    page listens again on the same port, and sessions (in memory) are gone."""

    def test_reload_with_a_live_stream(self):
        site = CrewSite()
        try:
            page = Page(site.base)
            self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 200)
            cookie = "; ".join(f"{c.name}={c.value}" for c in page.jar)
            conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
            conn.request("GET", "/api/events", headers={"Cookie": cookie})
            stream = conn.getresponse()
            self.assertEqual(stream.getheader("Content-Type"), "text/event-stream")
            self.assertEqual(stream.readline(), b"event: overview\n")
            site.lyktad.signal(signal.SIGHUP)
            # The stream ends (EOF) when the old page stops; bounded by the socket timeout.
            while stream.readline():
                pass
            conn.close()
            wait_until(lambda: site.lyktad.stderr().count("crew page on http://127.0.0.1") >= 2,
                       what="the page listening again after the reload")
            self.assertTrue(site.lyktad.running())
            status, _, _ = page.call("GET", "/api/session")
            self.assertEqual(status, 401)  # sessions do not survive a reload
            self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 200)
        finally:
            site.close()


class CrewPageTls(unittest.TestCase):
    """With `tls:` the page speaks HTTPS only and the session cookie is Secure."""

    def test_https_and_secure_cookie(self):
        d = tempfile.mkdtemp(prefix="lykta-crew-tls-")
        broker = Mosquitto()
        lyktad = None
        try:
            cert, key = os.path.join(d, "crew.crt"), os.path.join(d, "crew.key")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                            "/CN=127.0.0.1", "-keyout", key, "-out", cert], check=True, capture_output=True,
                           timeout=60)
            users = os.path.join(d, "users")
            passwd(users, "crew", "crew", CREW_PASSWORD)
            port = free_port()
            extra = (f"http: {{ listen: 127.0.0.1:{port}, users_file: {users},"
                     f" tls: {{ cert_file: {cert}, key_file: {key} }} }}\n")
            config = write_config(d, minimal_config(broker.port, os.path.join(d, "lykta.db"), extra=extra))
            lyktad = Lyktad(config)
            wait_until(lambda: f"crew page on https://127.0.0.1:{port}" in lyktad.stderr(), what="https listening")
            context = ssl.create_default_context(cafile=cert)
            context.check_hostname = False  # the certificate names 127.0.0.1 as CN only
            req = urllib.request.Request(f"https://127.0.0.1:{port}/api/login", method="POST",
                                         data=json.dumps({"user": "crew", "password": CREW_PASSWORD}).encode(),
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, context=context, timeout=30) as r:
                self.assertEqual(r.status, 200)
                cookie = r.headers["Set-Cookie"]
            for attribute in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/"):
                self.assertIn(attribute, cookie)
            with self.assertRaises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
        finally:
            if lyktad:
                lyktad.stop()
            broker.stop()
            subprocess.run(["rm", "-rf", d], check=False)


class CrewPageCannotStart(unittest.TestCase):
    """The lights come first: a page that cannot listen is logged and left
    off; the daemon runs and answers the platform."""

    def test_port_in_use(self):
        d = tempfile.mkdtemp(prefix="lykta-crew-busy-")
        broker = Mosquitto()
        lyktad = None
        taken = socket.socket()
        try:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            users = os.path.join(d, "users")
            passwd(users, "crew", "crew", CREW_PASSWORD)
            extra = f"http: {{ listen: 127.0.0.1:{port}, users_file: {users} }}\n"
            config = write_config(d, minimal_config(broker.port, os.path.join(d, "lykta.db"), extra=extra))
            observer = Observer(broker.port, topics=("lykta/test-gw/#",))
            lyktad = Lyktad(config)
            observer.wait_for("lykta/test-gw/status", lambda p: p and p.get("state") == "online")
            wait_until(lambda: f"crew page off: cannot listen on 127.0.0.1:{port}" in lyktad.stderr(),
                       what="the page's error in the log")
            self.assertEqual(observer.request("lykta/test-gw", "faults/list", {})["status"], "ok")
            observer.close()
        finally:
            taken.close()
            if lyktad:
                lyktad.stop()
            broker.stop()
            subprocess.run(["rm", "-rf", d], check=False)


class CrewPageOff(unittest.TestCase):
    """Without `http:` the daemon maps none of the page's libraries
    (libmicrohttpd and the GnuTLS stack it links, libcrypt): the page is
    loaded with dlopen when it starts, so it costs no RSS when off
    (docs/benchmarks.md, "Fourth pass")."""

    def test_no_page_library_mapped(self):
        with tempfile.TemporaryDirectory(prefix="lykta-crew-off-") as d, Mosquitto() as broker:
            prefix = "lykta/crew-off"
            observer = Observer(broker.port, topics=(f"{prefix}/#",))
            try:
                config = write_config(d, minimal_config(broker.port, os.path.join(d, "lykta.db"), "crew-off"))
                with Lyktad(config) as lyktad:
                    observer.wait_for(f"{prefix}/status", lambda p: p and p.get("state") == "online")
                    with open(f"/proc/{lyktad.proc.pid}/maps") as f:
                        mapped = {os.path.basename(line.split()[5]) for line in f if len(line.split()) > 5}
            finally:
                observer.close()
        self.assertTrue([m for m in mapped if m.startswith("libc.so")], "the daemon's maps were read")
        for library in ("libcrypt.so", "libmicrohttpd.so", "libgnutls.so"):
            self.assertEqual([m for m in mapped if m.startswith(library)], [], library)


def open_stream(site, page):
    """A raw event stream of `page`'s session: (connection, response) after the first event line."""
    cookie = "; ".join(f"{c.name}={c.value}" for c in page.jar)
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    conn.request("GET", "/api/events", headers={"Cookie": cookie})
    stream = conn.getresponse()
    assert stream.readline() == b"event: overview\n"
    return conn, stream


def read_to_end(stream, timeout=30):
    """Reads until EOF; True when the server ended the stream within `timeout`
    (keepalives every 20 s keep a stream that never ends returning lines)."""
    deadline = time.monotonic() + timeout
    try:
        while stream.readline():
            if time.monotonic() > deadline:
                return False
        return True
    except (socket.timeout, TimeoutError):
        return False


class CrewPageHardening(WithCrewSite):
    """What the review found: a crew's commands are limited by their arguments,
    a user taken out of the users file loses the session at once, logins are
    bounded, and only /api/ takes POSTs."""

    def test_crew_commands_limited_by_arguments(self):
        page = Page(self.site.base)
        self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 200)
        refused = [
            ("override/clear", {"area": "torget"}, "area"),
            ("override/clear", {"luminaire": "L-1", "area": "torget"}, "area"),
            ("override/clear", {}, "luminaire"),
            ("luminaire/set", {"luminaire": "L-1", "level": 40}, "duration_s"),
            ("luminaire/set", {"luminaire": "L-1", "level": 40, "duration_s": 366 * 86400}, "duration_s"),
            ("luminaire/set", {"luminaire": "L-1", "level": 40, "duration_s": 10}, "duration_s"),
            ("luminaire/set", {"luminaire": "L-1", "level": 40, "duration_s": 600,
                               "until": "2099-01-01T00:00:00Z"}, "until"),
        ]
        for command, args, why in refused:
            with self.subTest(command=command, args=args):
                status, _, answer = page.call("POST", "/api/" + command, dict(args, id="c-1"))
                self.assertEqual(status, 403, answer)
                self.assertEqual(answer["id"], "c-1")
                self.assertEqual(answer["error"]["code"], "forbidden")
                self.assertIn(why, answer["error"]["message"])
        status, _, answer = page.call("POST", "/api/luminaire/set", {"luminaire": "L-1", "level": 40, "duration_s": 600})
        self.assertEqual((status, answer["status"]), (200, "ok"), answer)
        status, _, answer = page.call("POST", "/api/override/clear", {"luminaire": "L-1"})
        self.assertEqual((status, answer["status"]), (200, "ok"), answer)

    def test_removed_user_loses_session_and_stream(self):
        users = os.path.join(self.site.dir, "users-removal")
        # Own users file copy is not possible (the daemon reads one): edit the real one and put it back.
        with open(self.site.users) as f:
            original = f.read()
        try:
            crew, viewer = Page(self.site.base), Page(self.site.base)
            self.assertEqual(crew.login("crew", CREW_PASSWORD)[0], 200)
            self.assertEqual(viewer.login("viewer", VIEWER_PASSWORD)[0], 200)
            conn, stream = open_stream(self.site, crew)
            kept = "".join(line for line in original.splitlines(True) if not line.startswith("crew:"))
            with open(users, "w") as f:
                f.write(kept)
            os.rename(users, self.site.users)
            # Any request re-reads the file: the crew's stream ends, its session is gone.
            self.assertEqual(viewer.call("GET", "/api/session")[0], 200)
            self.assertTrue(read_to_end(stream), "the removed user's event stream stayed open")
            conn.close()
            self.assertEqual(crew.call("GET", "/api/session")[0], 401)
            # A missing file means no users at all.
            os.unlink(self.site.users)
            self.assertEqual(viewer.call("GET", "/api/session")[0], 401)
        finally:
            with open(users, "w") as f:
                f.write(original)
            os.rename(users, self.site.users)
        self.assertEqual(Page(self.site.base).login("crew", CREW_PASSWORD)[0], 200)

    def test_logins_bounded(self):
        page = Page(self.site.base)
        status, _, body = page.login("crew", "x" * 1025)
        self.assertEqual((status, body["error"]["code"]), (400, "bad_request"))
        self.assertIn("1024", body["error"]["message"])
        # Parallel logins from one address: one is checked, the others are refused at once.
        results = []
        barrier = threading.Barrier(6)

        def attempt():
            barrier.wait(10)
            results.append(Page(self.site.base).login("viewer", VIEWER_PASSWORD)[0])

        threads = [threading.Thread(target=attempt) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(len(results), 6)
        self.assertIn(200, results)
        self.assertIn(429, results)
        self.assertEqual(set(results), {200, 429}, results)

    def test_logins_capped_over_all_addresses(self):
        """Twelve logins at once, each from its own loopback address
        (127.0.0.2-13): no address has a second login in flight, so the
        per-address limit cannot trip; the cap of 8 password checks over all
        addresses does (503, too_busy, Retry-After). Right passwords, so the
        throttle slows no one; a burst is repeated (at most 5 times) until one
        arrives while 8 are still being hashed."""
        def attempt(source, barrier, results):
            conn = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=30, source_address=(source, 0))
            try:
                conn.connect()
                barrier.wait(10)
                conn.request("POST", "/api/login", json.dumps({"user": "viewer", "password": VIEWER_PASSWORD}),
                             {"Content-Type": "application/json"})
                r = conn.getresponse()
                results.append((r.status, r.getheader("Retry-After"), json.loads(r.read() or b"{}")))
            finally:
                conn.close()

        seen = []
        for _ in range(5):
            results, barrier = [], threading.Barrier(12)
            threads = [threading.Thread(target=attempt, args=(f"127.0.0.{2 + i}", barrier, results)) for i in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(len(results), 12)
            statuses = [status for status, _, _ in results]
            self.assertNotIn(429, statuses, results)  # one login per address: never the address's own limit
            self.assertTrue(set(statuses) <= {200, 503}, results)
            self.assertIn(200, statuses)
            seen += [(retry, body) for status, retry, body in results if status == 503]
            if seen:
                break
        self.assertTrue(seen, "twelve logins at once never met the cap of eight password checks")
        retry, body = seen[0]
        self.assertEqual(retry, "1")
        self.assertEqual(body["error"]["code"], "too_busy")
        self.assertIn("too many logins at once", body["error"]["message"])

    def test_unreadable_users_file_logged_once_per_version(self):
        """A users file that cannot be read logs everyone out and says so once,
        not at every request; another version of it is logged again, and a
        readable file lets users in again."""
        with open(self.site.users) as f:
            original = f.read()
        page = Page(self.site.base)
        self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 200)
        message = "no one can log in until it is readable"
        before = self.site.lyktad.stderr().count(message)
        try:
            # Unreadable even for root (the tests' user): a directory in its place.
            os.unlink(self.site.users)
            os.mkdir(self.site.users)
            for _ in range(5):
                self.assertEqual(page.call("GET", "/api/session")[0], 401)
            self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 401)
            wait_until(lambda: self.site.lyktad.stderr().count(message) > before, what="the users file's error")
            log = self.site.lyktad.stderr()
            self.assertEqual(log.count(message), before + 1, log[-3000:])
            self.assertIn(f"cannot read {self.site.users}: Is a directory", log)
            # Another version (a new directory): logged again, once.
            os.rmdir(self.site.users)
            os.mkdir(self.site.users)
            for _ in range(3):
                self.assertEqual(Page(self.site.base).call("GET", "/api/session")[0], 401)
            wait_until(lambda: self.site.lyktad.stderr().count(message) > before + 1, what="the second error")
            for _ in range(3):
                self.assertEqual(Page(self.site.base).call("GET", "/api/session")[0], 401)
            self.assertEqual(self.site.lyktad.stderr().count(message), before + 2)
        finally:
            if os.path.isdir(self.site.users):
                os.rmdir(self.site.users)
            with open(self.site.users + ".tmp", "w") as f:
                f.write(original)
            os.rename(self.site.users + ".tmp", self.site.users)
        self.assertEqual(Page(self.site.base).login("crew", CREW_PASSWORD)[0], 200)

    def test_post_outside_api_is_not_found(self):
        page = Page(self.site.base)
        self.assertEqual(page.login("crew", CREW_PASSWORD)[0], 200)
        status, _, answer = page.call("POST", "/xyzfaults/list", {})
        self.assertEqual(status, 404, answer)
        status, _, answer = page.call("POST", "/api/faults/list", {})
        self.assertEqual(status, 200, answer)
        status, _, answer = page.call("POST", "/api/logout", {})
        self.assertEqual(status, 200, answer)
        self.assertEqual(page.call("GET", "/api/session")[0], 401)


class CrewPageStopUnderLoad(unittest.TestCase):
    """Reloading and stopping with requests in flight: logins being hashed, a
    live event stream, commands in a loop. The daemon reloads, then exits 0;
    libmicrohttpd never aborts on a suspended connection."""

    def test_reload_and_stop_with_requests_in_flight(self):
        site = CrewSite()
        stop = threading.Event()
        try:
            def hammer():
                # Logins wait for their hash with the connection suspended: one that
                # arrives while the page stops is what aborted libmicrohttpd.
                page = Page(site.base)
                while not stop.is_set():
                    try:
                        page.login("viewer", VIEWER_PASSWORD)
                        page.call("POST", "/api/faults/list", {})
                    except (OSError, http.client.HTTPException, ValueError):
                        time.sleep(0.01)  # the page is restarting: try again

            def login_in_flight():
                # Right passwords only: wrong ones would close the door for 127.0.0.1.
                try:
                    Page(site.base).login("viewer", VIEWER_PASSWORD)
                except (OSError, http.client.HTTPException):
                    pass

            workers = [threading.Thread(target=hammer) for _ in range(3)]
            for w in workers:
                w.start()
            for round_ in range(5):
                page = Page(site.base)
                wait_until(lambda: page.login("crew", CREW_PASSWORD)[0] == 200, what="a login")
                conn, stream = open_stream(site, page)
                login = threading.Thread(target=login_in_flight)
                login.start()
                site.lyktad.signal(signal.SIGHUP)
                self.assertTrue(read_to_end(stream))
                conn.close()
                login.join(30)
                wait_until(lambda: not site.lyktad.running()
                           or site.lyktad.stderr().count("crew page on http://127.0.0.1") >= round_ + 2,
                           what="the page listening again after the reload")
                self.assertTrue(site.lyktad.running(), site.lyktad.stderr()[-2000:])
            page = Page(site.base)
            wait_until(lambda: page.login("crew", CREW_PASSWORD)[0] == 200, what="a login")
            conn, stream = open_stream(site, page)
            self.assertEqual(site.lyktad.stop(), 0, site.lyktad.stderr()[-3000:])
            self.assertNotIn("suspended connections", site.lyktad.stderr())
            conn.close()
        finally:
            stop.set()
            for w in workers:
                w.join(30)
            site.close()


class CrewPagePasswd(unittest.TestCase):
    """`lyktactl http passwd` keeps the users file the daemon's: owner, group
    and mode stay, a new file is 0640, and a file it cannot read is an error
    (never taken for an empty one)."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lykta-passwd-")

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.dir], check=False)

    def run_passwd(self, users, user="crew"):
        return subprocess.run([os.path.join(BIN, "lyktactl"), "http", "passwd", user, "--role", "crew", "--file",
                               users], input=CREW_PASSWORD + "\n", capture_output=True, text=True, timeout=30)

    def test_new_file_is_0640(self):
        users = os.path.join(self.dir, "users")
        self.assertEqual(self.run_passwd(users).returncode, 0)
        self.assertEqual(os.stat(users).st_mode & 0o7777, 0o640)
        self.assertFalse(os.path.exists(users + ".tmp"))

    def test_owner_group_and_mode_kept(self):
        if os.geteuid() != 0:
            self.skipTest("giving the file to another user needs root")
        users = os.path.join(self.dir, "users")
        passwd(users, "viewer", "viewer", VIEWER_PASSWORD)
        os.chown(users, 65534, 65534)  # nobody:nogroup, standing in for lykta:lykta
        os.chmod(users, 0o600)
        done = self.run_passwd(users)
        self.assertEqual(done.returncode, 0, done.stderr)
        st = os.stat(users)
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o7777), (65534, 65534, 0o600))
        with open(users) as f:
            names = [line.split(":")[0] for line in f if line.strip()]
        self.assertEqual(names, ["viewer", "crew"])

    def test_unreadable_file_is_an_error(self):
        users = os.path.join(self.dir, "users")
        os.mkdir(users)  # exists, cannot be read as a file (root reads any file, so no chmod 000)
        done = self.run_passwd(users)
        self.assertEqual(done.returncode, 1, done.stdout)
        self.assertIn("cannot read " + users, done.stderr)
        self.assertTrue(os.path.isdir(users))


class CrewPageCheck(unittest.TestCase):
    """`lyktad --check` warns when the page is reachable from the network in clear text."""

    def check(self, http_section):
        d = tempfile.mkdtemp(prefix="lykta-crew-check-")
        self.addCleanup(subprocess.run, ["rm", "-rf", d], check=False)
        config = write_config(d, minimal_config(1883, os.path.join(d, "lykta.db"), extra=http_section))
        done = subprocess.run([os.path.join(BIN, "lyktad"), "--check", config], capture_output=True, text=True,
                              timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stderr

    def test_network_listen_without_tls_warns(self):
        warned = self.check("http: { listen: 0.0.0.0:8080, users_file: /etc/lykta/http-users }\n")
        self.assertIn("warning: http.listen 0.0.0.0:8080 is reachable from the network without tls", warned)
        self.assertNotIn("warning: http", self.check("http: { listen: 127.0.0.1:8080, users_file: /u }\n"))
        self.assertNotIn("warning: http", self.check(
            "http: { listen: 0.0.0.0:8443, users_file: /u, tls: { cert_file: /c.pem, key_file: /k.pem } }\n"))

if __name__ == "__main__":
    unittest.main()
