#!/usr/bin/env python3
# Soak test: `ledger serve --demo` under a steady, mixed load for a fixed time.
#
#   benchmarks/soak.py [--ledger PATH] [--minutes 30] [--port 18090] [--out FILE.csv] [--keep]
#
# Starts its own server (`ledger serve --data <tempdir> --listen 127.0.0.1:PORT --demo`), waits for
# GET /healthz, then runs a few client threads against 127.0.0.1 only (Python 3.11 standard library, no
# installs), each paced so that the 2-core machine is loaded but not simply saturated:
#
#   signin    POST /api/v1/session as demo and simulated users, GET /api/v1/me, DELETE /api/v1/session
#   reads (2) claim lists (paged, filtered), a claim by id, its history, reports (JSON and CSV), worklists,
#             services, offers, providers, events, as a commissioner (tier1, auditor) and as a practice
#   writer    practice2.user (single-level) and practice.user (multi-level) draft claims for the periods whose
#             claim window is open now, edit them (If-Match), submit them, resubmit or withdraw the ones
#             returned to them, and churn drafts of future periods (create, edit, delete); every write carries
#             an Idempotency-Key and some are replayed to check the first answer comes back
#   approver  practice.approver, tier1, tier2 and finance work their worklists: provider approval, Tier 1
#             approval (some returns), Tier 2 approval of the demo's waiting claims and returns of the soak's
#             own (so its claim keys come back round), Finance approval, and now and then a payment run
#             (create, confirm, paid)
#   bulk      a simulated practice user uploads small CSV files to POST /api/v1/claims/bulk: drafts of future
#             periods (then deleted) and submissions for open periods (then withdrawn)
#   sse (2)   the auditor reads GET /api/v1/events/stream continuously; one client reconnects now and then
#             with Last-Event-ID; both check that event ids only go up
#
# Which (service, period) pairs are claimable is worked out through the API at start-up (the demo history ends
# two months back, so last month's monthly services are open during the first 30 days of a month); on a day
# when no claim window is open the script says so and the writers only make, edit and delete drafts.
#
# Every minute, and once more at the end, it appends a row to the CSV (--out, default
# /tmp/ledger-soak-<time>.csv) and prints a line: the server's RSS (VmRSS from /proc/PID/status, the lowest of
# five reads 0.1 s apart, since each sign-in briefly takes Argon2id's 64 MiB), open descriptors
# (/proc/PID/fd), threads, requests by kind, 2xx and 4xx (by status), errors (5xx, transport failures and
# timeouts, failed client-side checks), latency p50/p95/p99/max of that minute, SSE events received, and from
# /metrics the log head, projection lag, open connections and streams, RocksDB's memory, the ledger's caches and
# the heap (in use, and freed but held). The leak measure is heap in use less RocksDB less the caches: RSS keeps
# what a flushed memtable freed. 4xx answers are business-rule refusals and are counted apart from errors.
#
# At the end it waits for the SSE clients to reach the log head, prints a summary (RSS and descriptors in the
# first minute against the last, totals, samples of errors and 4xx answers) and stops the server (SIGTERM,
# SIGKILL after a grace period), whatever happens, and removes the temporary directory unless --keep.
#
# Exit status: 0 clean; 1 when there were errors, descriptor growth beyond --fd-tolerance, SSE clients that did
# not catch up, a server that exited or did not stop cleanly, or the run was interrupted (SIGINT/SIGTERM end the
# load early and still print the summary; a second signal aborts); 2 when the server could not be started or
# set up.
#
# The 45-minute soak recorded in docs/performance.md:   benchmarks/soak.py --minutes 45
# A quick functional check:                             benchmarks/soak.py --minutes 2

import argparse
import collections
import csv
import datetime as dt
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

PASSWORD = "soak-password-2026"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0  # seconds; the server's own request and response limits are 30 s
SSE_STALL_SECONDS = 45.0  # the server sends a keep-alive comment every 15 s on an idle stream
LIVE_STATUSES_END = {"Withdrawn", "Rejected", "Deleted"}

STOP = threading.Event()  # the load ends (deadline or signal)
SSE_STOP = threading.Event()  # the SSE clients end (after the catch-up check)


# ---- statistics ---------------------------------------------------------------------------------------------

KINDS = ("signin", "read", "write", "bulk", "sse")


class Bucket:
    def __init__(self):
        self.requests = collections.Counter()  # kind -> count
        self.classes = collections.Counter()  # "2xx", "3xx", "4xx"
        self.kind_class = collections.Counter()  # (kind, class)
        self.status_4xx = collections.Counter()  # status -> count
        self.err_5xx = 0
        self.err_transport = 0
        self.err_check = 0
        self.latencies = []
        self.sse_events = 0
        self.sse_reconnects = 0
        self.sse_drops = 0
        self.replays = 0
        self.routes = collections.Counter()  # (kind, method, route) -> count

    @property
    def errors(self):
        return self.err_5xx + self.err_transport + self.err_check


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.minute = Bucket()
        self.total = Bucket()
        self.error_samples = collections.deque(maxlen=40)
        self.error_sample_count = 0
        self.sample_4xx = collections.OrderedDict()  # (status, method, route, code) -> [count, detail]
        self.all_latencies = []

    def _both(self):
        return (self.minute, self.total)

    def request(self, kind, method, route, status, latency, detail=""):
        with self.lock:
            for b in self._both():
                b.requests[kind] += 1
                b.routes[(kind, method, route)] += 1
                if latency is not None:
                    b.latencies.append(latency)
            if latency is not None:
                self.all_latencies.append(latency)
            if status is None:
                for b in self._both():
                    b.err_transport += 1
                self._error_sample(f"transport {method} {route}: {detail}")
                return
            cls = f"{status // 100}xx"
            if status >= 500:
                for b in self._both():
                    b.err_5xx += 1
                self._error_sample(f"{status} {method} {route}: {detail}")
            else:
                for b in self._both():
                    b.classes[cls] += 1
                    b.kind_class[(kind, cls)] += 1
                if 400 <= status < 500:
                    for b in self._both():
                        b.status_4xx[status] += 1
                    key = (status, method, route, _problem_code(detail))
                    entry = self.sample_4xx.get(key)
                    if entry is None:
                        if len(self.sample_4xx) < 60:
                            self.sample_4xx[key] = [1, detail[:240]]
                    else:
                        entry[0] += 1

    def check_failed(self, what):
        with self.lock:
            for b in self._both():
                b.err_check += 1
            self._error_sample("check: " + what)

    def _error_sample(self, text):
        self.error_sample_count += 1
        self.error_samples.append(f"{time.strftime('%H:%M:%S')} {text[:400]}")
        if self.error_sample_count <= 20:
            print(f"  ! {text[:400]}", file=sys.stderr, flush=True)

    def add(self, field, n=1):
        with self.lock:
            for b in self._both():
                setattr(b, field, getattr(b, field) + n)

    def take_minute(self):
        with self.lock:
            b, self.minute = self.minute, Bucket()
            return b


def _problem_code(detail):
    m = re.search(r'"code"\s*:\s*"([^"]*)"', detail or "")
    return m.group(1) if m else ""


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    index = max(0, min(len(sorted_values) - 1, int(math.ceil(q * len(sorted_values))) - 1))
    return sorted_values[index]


STATS = Stats()
_counter_lock = threading.Lock()
_counter = [0]
RUN_ID = f"{int(time.time()):x}{random.randrange(16**4):04x}"


def next_key(prefix):
    with _counter_lock:
        _counter[0] += 1
        return f"soak-{RUN_ID}-{prefix}-{_counter[0]}"


# ---- HTTP ---------------------------------------------------------------------------------------------------

def route_of(path):
    path = path.split("?", 1)[0]
    path = re.sub(r"/claims/(?!bulk$)[^/]+", "/claims/{id}", path)
    path = re.sub(r"/payment-runs/[^/]+", "/payment-runs/{id}", path)
    path = re.sub(r"/services/[^/]+", "/services/{id}", path)
    path = re.sub(r"/offers/[^/]+/[^/]+", "/offers/{service}/{provider}", path)
    path = re.sub(r"/reports/[^/]+", "/reports/{name}", path)
    return path


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self._json = None

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300

    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body or b"null")
            except ValueError:
                self._json = {}
        return self._json if self._json is not None else {}


TRANSPORT_FAILED = Resp(None, {}, b"")


class Client:
    """One keep-alive connection per thread; a transport failure is an error and the next call reconnects."""

    all_clients = []
    all_lock = threading.Lock()

    def __init__(self, port):
        self.port = port
        self.conn = None
        with Client.all_lock:
            Client.all_clients.append(self)

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None

    def call(self, kind, method, path, token=None, body=None, ctype=None, headers=None, record=True):
        hdrs = {"Accept": "application/json"}
        if token:
            hdrs["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            if isinstance(body, (bytes, str)):
                data = body.encode() if isinstance(body, str) else body
                hdrs["Content-Type"] = ctype or "application/octet-stream"
            else:
                data = json.dumps(body).encode()
                hdrs["Content-Type"] = ctype or "application/json"
        if headers:
            hdrs.update(headers)
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            self.conn.request(method, path, body=data, headers=hdrs)
            r = self.conn.getresponse()
            payload = r.read()
            latency = (time.perf_counter() - started) * 1000.0
            resp = Resp(r.status, {k.lower(): v for k, v in r.getheaders()}, payload)
            if r.will_close:
                self.close()
        except (OSError, http.client.HTTPException) as e:
            latency = (time.perf_counter() - started) * 1000.0
            self.close()
            if record:
                STATS.request(kind, method, route_of(path), None, latency, f"{type(e).__name__}: {e}")
            return TRANSPORT_FAILED
        if record:
            detail = ""
            if resp.status >= 400:
                detail = resp.body[:400].decode("utf-8", "replace")
            STATS.request(kind, method, route_of(path), resp.status, latency, detail)
        return resp


def sign_in(client, username, kind="signin", record=True):
    r = client.call(kind, "POST", "/api/v1/session", body={"username": username, "password": PASSWORD},
                    record=record)
    if r.status == 201:
        return r.json().get("token")
    return None


class Session:
    """A signed-in user of a worker thread; signs in again when the session is gone (401)."""

    def __init__(self, client, username):
        self.client = client
        self.username = username
        self.token = None

    def call(self, kind, method, path, **kw):
        if self.token is None:
            self.token = sign_in(self.client, self.username)
            if self.token is None:
                return TRANSPORT_FAILED if STOP.is_set() else Resp(401, {}, b"")
        r = self.client.call(kind, method, path, token=self.token, **kw)
        if r.status == 401:
            self.token = None
        return r


# ---- the demo's data: periods, services, values ------------------------------------------------------------

def month_index(y, m):
    return y * 12 + (m - 1)


def month_of(index):
    return index // 12, index % 12 + 1


def month_end(y, m):
    ny, nm = month_of(month_index(y, m) + 1)
    return dt.date(ny, nm, 1) - dt.timedelta(days=1)


def quarter_of(y, m):
    """NHS financial quarter of a month: (label year, quarter number, first month index)."""
    if m >= 4:
        fy, q = y, (m - 4) // 3 + 1
    else:
        fy, q = y - 1, 4
    first = month_index(fy, 4) + (q - 1) * 3
    return fy, q, first


def period_label(frequency, first_month_index):
    y, m = month_of(first_month_index)
    if frequency == "monthly":
        return f"{y:04}-{m:02}"
    fy, q, _ = quarter_of(y, m)
    return f"{fy:04}-Q{q}"


def period_end(frequency, first_month_index):
    months = 1 if frequency == "monthly" else 3
    y, m = month_of(first_month_index + months - 1)
    return month_end(y, m)


def open_periods(frequency, window_days, today):
    """The periods whose claim window (end + 1 day to end + window_days) holds today."""
    if frequency not in ("monthly", "quarterly"):
        return []
    step = 1 if frequency == "monthly" else 3
    here = month_index(today.year, today.month)
    if frequency == "quarterly":
        here = quarter_of(today.year, today.month)[2]
    out = []
    for back in range(1, 14):
        first = here - back * step
        end = period_end(frequency, first)
        if end < today <= end + dt.timedelta(days=window_days):
            out.append(period_label(frequency, first))
    return out


def future_periods(frequency, today, service_end, count=24):
    """Periods starting two or more steps ahead whose whole period lies within the service."""
    if frequency not in ("monthly", "quarterly"):
        return []
    step = 1 if frequency == "monthly" else 3
    here = month_index(today.year, today.month)
    if frequency == "quarterly":
        here = quarter_of(today.year, today.month)[2]
    out = []
    for ahead in range(2, 2 + count):
        first = here + ahead * step
        if period_end(frequency, first) > service_end:
            break
        out.append(period_label(frequency, first))
    return out


def values_for(defn, rnd, cap, base=None):
    """Values within each component's range (counts at most `cap`, the list size); answers for every question."""
    values = {}
    comps = defn.get("components", [])
    for c in comps:
        if c.get("numerator_of"):
            continue
        lo, hi = int(c.get("min", 0)), int(c.get("max", 0))
        kind = c.get("unit_kind")
        if kind == "yes_no":
            v = 1
        elif kind == "money":
            v = base * 100 if base is not None else rnd.randint(10, 500) * 100
        else:
            v = base if base is not None else rnd.randint(1, 40)
            v = min(v, cap)
        values[c["id"]] = max(lo, min(hi, v))
    for c in comps:
        if c.get("numerator_of"):
            den = values.get(c["numerator_of"], 1)
            lo, hi = int(c.get("min", 0)), int(c.get("max", 0))
            values[c["id"]] = max(lo, min(hi, den * rnd.randint(50, 95) // 100))
    answers = {}
    for q in defn.get("questions", []):
        kind = q.get("kind")
        answers[q["id"]] = "yes" if kind == "yes_no" else ("1" if kind == "number" else "Soak test answer.")
    return values, answers


class Practice:
    """A practice account the soak writes as, with what its services allow now."""

    def __init__(self, username):
        self.username = username
        self.code = ""
        self.commissioner = ""
        self.list_size = 1000
        self.definitions = {}  # service id -> definition
        self.open_combos = []  # [(service id, period)] whose window is open and no live claim holds the key
        self.future = []  # [(service id, period)] for drafts only
        self.blocked = set()  # keys left held by a failed delete

    def discover(self, client, token, today):
        me = client.call("read", "GET", "/api/v1/me", token=token, record=False)
        if not me.ok:
            raise SetupError(f"GET /api/v1/me as {self.username}: {me.status}")
        org = me.json().get("organisation", {})
        self.code, self.commissioner = org.get("code", ""), org.get("commissioner_code", "")
        services = client.call("read", "GET", "/api/v1/services", token=token, record=False)
        if not services.ok:
            raise SetupError(f"GET /api/v1/services as {self.username}: {services.status}")
        for s in services.json().get("services", []):
            if s.get("status") != "published" or s.get("offer_status") != "accepted":
                continue
            sid = s["service_id"]
            d = client.call("read", "GET", f"/api/v1/services/{urllib.parse.quote(sid)}", token=token,
                            record=False)
            if not d.ok:
                continue
            defn = d.json().get("definition", {})
            if defn.get("evidence_required"):
                continue  # keeps the writes to JSON and CSV; evidence uploads are not part of this soak
            self.definitions[sid] = defn
            end = dt.date.fromisoformat(defn["end"])
            for p in open_periods(defn.get("frequency"), int(defn.get("window_days", 0)), today):
                self.open_combos.append((sid, p))
            for p in future_periods(defn.get("frequency"), today, end):
                self.future.append((sid, p))
        # Leave out the keys a live claim already holds (and future drafts someone left).
        held = set()
        periods = sorted({p for _, p in self.open_combos + self.future})
        for p in periods:
            cursor = ""
            for _ in range(20):
                q = f"/api/v1/claims?period={urllib.parse.quote(p)}&limit=1000"
                if cursor:
                    q += "&cursor=" + urllib.parse.quote(cursor)
                r = client.call("read", "GET", q, token=token, record=False)
                if not r.ok:
                    raise SetupError(f"GET {q} as {self.username}: {r.status}")
                for c in r.json().get("claims", []):
                    if c.get("status") not in LIVE_STATUSES_END:
                        held.add((c["service_id"], c["period"]))
                cursor = r.json().get("next_cursor") or ""
                if not cursor:
                    break
        self.open_combos = [k for k in self.open_combos if k not in held]
        self.future = [k for k in self.future if k not in held]


class SetupError(Exception):
    pass


# ---- worker threads -----------------------------------------------------------------------------------------

def pace(seconds):
    """Sleeps about `seconds` (jittered); False once the load is to stop."""
    return not STOP.wait(seconds * random.uniform(0.6, 1.4))


def worker(name, body):
    def run():
        while not STOP.is_set():
            try:
                body()
            except Exception as e:  # a bug of this script: counted as an error, then carry on
                STATS.check_failed(f"{name}: {type(e).__name__}: {e} | "
                                   + traceback.format_exc().strip().splitlines()[-3][:200])
                STOP.wait(1.0)
    t = threading.Thread(target=run, name=name, daemon=True)
    return t


SIGNIN_USERS = ["admin", "icb.admin", "tier1", "tier2", "finance", "auditor", "practice.user",
                "practice.approver", "practice2.user", "00l.tier1", "00l.auditor", "00n.tier2"]


def make_signin(port):
    client = Client(port)
    rnd = random.Random(1)

    def body():
        user = rnd.choice(SIGNIN_USERS)
        token = sign_in(client, user)
        if token is None:
            pace(1.0)
            return
        client.call("signin", "GET", "/api/v1/me", token=token)
        if rnd.random() < 0.5:
            client.call("read", "GET", "/api/v1/worklist", token=token)
        r = client.call("signin", "DELETE", "/api/v1/session", token=token)
        if r.status == 204:
            # The token must be dead now (a check, not counted as a request).
            after = client.call("signin", "GET", "/api/v1/me", token=token, record=False)
            if after.status not in (None, 401):
                STATS.check_failed(f"a signed-out token still answers {after.status}")
        pace(1.5)
    return body


class SharedState:
    def __init__(self):
        self.lock = threading.Lock()
        self.claim_ids = []  # a sample of claim ids the commissioner readers saw
        self.soak_claims = set()  # claims the writer created (tier2 returns them, so keys come back round)
        self.skip_providers = set()  # the bulk practice: its claims are withdrawn by the bulk thread

    def remember_ids(self, ids, rnd):
        with self.lock:
            for i in ids:
                if len(self.claim_ids) < 2000:
                    self.claim_ids.append(i)
                else:
                    self.claim_ids[rnd.randrange(len(self.claim_ids))] = i

    def some_id(self, rnd):
        with self.lock:
            return rnd.choice(self.claim_ids) if self.claim_ids else None


def make_commissioner_reader(port, shared, reports):
    client = Client(port)
    tier1 = Session(client, "tier1")
    auditor = Session(client, "auditor")
    rnd = random.Random(2)
    cursor = [""]
    statuses = ["", "", "awaiting_commissioning_organisation_approval", "paid", "approved_for_payment",
                "returned_for_amendment", "awaiting_tier_2_approval"]

    def body():
        pick = rnd.random()
        if pick < 0.30:
            q = "/api/v1/claims?limit=50"
            st = rnd.choice(statuses)
            if st:
                q += "&status=" + st
            elif cursor[0]:
                q += "&cursor=" + urllib.parse.quote(cursor[0])
            r = tier1.call("read", "GET", q)
            if r.ok:
                page = r.json()
                shared.remember_ids([c["claim_id"] for c in page.get("claims", [])], rnd)
                if not st:
                    cursor[0] = page.get("next_cursor") or ""
        elif pick < 0.55:
            cid = shared.some_id(rnd)
            if cid:
                r = tier1.call("read", "GET", f"/api/v1/claims/{cid}")
                if r.ok and r.json().get("claim_id") != cid:
                    STATS.check_failed(f"GET /api/v1/claims/{cid} answered claim {r.json().get('claim_id')}")
        elif pick < 0.62:
            cid = shared.some_id(rnd)
            if cid:
                tier1.call("read", "GET", f"/api/v1/claims/{cid}/history")
        elif pick < 0.72:
            tier1.call("read", "GET", "/api/v1/worklist")
        elif pick < 0.86:
            name = rnd.choice(reports) if reports else "activity"
            fmt = "csv" if rnd.random() < 0.3 else "json"
            extra = "&provider=A84002" if name == "statement" else ""
            auditor.call("read", "GET", f"/api/v1/reports/{name}?format={fmt}{extra}")
        elif pick < 0.92:
            r = auditor.call("read", "GET", "/api/v1/events?limit=1")
            head = r.json().get("head", 0) if r.ok else 0
            start = max(1, rnd.randint(1, max(1, head)))
            auditor.call("read", "GET", f"/api/v1/events?from={start}&limit=100")
        elif pick < 0.96:
            tier1.call("read", "GET", rnd.choice(["/api/v1/services", "/api/v1/offers", "/api/v1/providers",
                                                   "/api/v1/organisations", "/api/v1/reports"]))
        elif pick < 0.985:
            auditor.call("read", "GET", "/api/v1/payment-runs")
        else:
            auditor.call("read", "GET", "/api/v1/verify")
        pace(0.08)
    return body


def make_practice_reader(port):
    client = Client(port)
    user = Session(client, "practice.user")
    rnd = random.Random(3)
    ids = []
    cursor = [""]

    def body():
        pick = rnd.random()
        if pick < 0.35:
            q = "/api/v1/claims?limit=25" + ("&cursor=" + urllib.parse.quote(cursor[0]) if cursor[0] else "")
            r = user.call("read", "GET", q)
            if r.ok:
                page = r.json()
                cursor[0] = page.get("next_cursor") or ""
                for c in page.get("claims", []):
                    if len(ids) < 500:
                        ids.append(c["claim_id"])
        elif pick < 0.65 and ids:
            user.call("read", "GET", f"/api/v1/claims/{rnd.choice(ids)}")
        elif pick < 0.75:
            user.call("read", "GET", "/api/v1/worklist")
        elif pick < 0.85:
            user.call("read", "GET", rnd.choice(["/api/v1/services", "/api/v1/offers", "/api/v1/me"]))
        else:
            name = rnd.choice(["statement", "activity", "claims", "turnaround"])
            user.call("read", "GET", f"/api/v1/reports/{name}?format=json")
        pace(0.12)
    return body


class Writer:
    """Claims of one practice account, taken round: draft, edit, submit, and on return resubmit or withdraw."""

    def __init__(self, client, practice, shared, rnd):
        self.s = Session(client, practice.username)
        self.p = practice
        self.shared = shared
        self.rnd = rnd
        self.live = {}  # claim id -> (service id, period) for keys our claims hold
        self.dead = set()  # open combos that turned out not to be claimable (a 422 submission)

    def free_combos(self):
        used = set(self.live.values())
        return [k for k in self.p.open_combos if k not in used and k not in self.dead]

    def step(self):
        free = self.free_combos()
        pick = self.rnd.random()
        if free and pick < 0.45:
            self.new_claim(self.rnd.choice(free))
        elif self.live and pick < 0.80:
            self.follow_up(self.rnd.choice(list(self.live)))
        else:
            self.draft_churn()

    def create(self, sid, period, values, answers, replay_chance):
        key = next_key("draft")
        body = {"service_id": sid, "period": period, "values": values}
        if answers:
            body["answers"] = answers
        r = self.s.call("write", "POST", "/api/v1/claims", body=body, headers={"Idempotency-Key": key})
        if r.status != 201:
            return None, None
        cid = r.json().get("claim_id")
        if self.rnd.random() < replay_chance:
            again = self.s.call("write", "POST", "/api/v1/claims", body=body, headers={"Idempotency-Key": key})
            STATS.add("replays")
            if again.status is not None and (again.status != 201 or again.json().get("claim_id") != cid):
                STATS.check_failed(f"replayed POST /api/v1/claims answered {again.status} "
                                   f"{again.json().get('claim_id')} instead of 201 {cid}")
        return cid, r.headers.get("etag")

    def new_claim(self, combo):
        sid, period = combo
        values, answers = values_for(self.p.definitions[sid], self.rnd, self.p.list_size)
        cid, etag = self.create(sid, period, {}, {}, 0.1) if self.rnd.random() < 0.5 else \
            self.create(sid, period, values, answers, 0.1)
        if cid is None:
            return
        with self.shared.lock:
            self.shared.soak_claims.add(cid)
        self.live[cid] = combo
        # Enter (or change) the values with If-Match, then submit.
        values, answers = values_for(self.p.definitions[sid], self.rnd, self.p.list_size)
        hdrs = {"Idempotency-Key": next_key("values")}
        if etag:
            hdrs["If-Match"] = etag
        self.s.call("write", "PUT", f"/api/v1/claims/{cid}", body={"values": values, "answers": answers},
                    headers=hdrs)
        self.submit(cid, combo)

    def submit(self, cid, combo):
        r = self.s.call("write", "POST", f"/api/v1/claims/{cid}/submit", headers={"Idempotency-Key": next_key("submit")})
        if r.status == 422:
            # The window is not open (or something else makes the period unclaimable): stop using it.
            self.dead.add(combo)
            self.live.pop(cid, None)
            d = self.s.call("write", "DELETE", f"/api/v1/claims/{cid}", headers={"Idempotency-Key": next_key("del")})
            if d.status not in (204,):
                self.withdraw(cid)

    def withdraw(self, cid):
        r = self.s.call("write", "POST", f"/api/v1/claims/{cid}/withdraw", body={"reason": "Soak test: withdrawn."},
                        headers={"Idempotency-Key": next_key("withdraw")})
        if r.ok:
            self.live.pop(cid, None)
        return r

    def follow_up(self, cid):
        r = self.s.call("read", "GET", f"/api/v1/claims/{cid}")
        if not r.ok:
            return
        c = r.json()
        status = c.get("status", "")
        if status == "Returned for Amendment":
            if self.rnd.random() < 0.5:
                values, answers = values_for(self.p.definitions[c["service_id"]], self.rnd, self.p.list_size)
                self.s.call("write", "PUT", f"/api/v1/claims/{cid}", body={"values": values, "answers": answers},
                            headers={"Idempotency-Key": next_key("values"), "If-Match": r.headers.get("etag", "*")})
                self.submit(cid, self.live[cid])
            else:
                self.withdraw(cid)
        elif status in LIVE_STATUSES_END:
            self.live.pop(cid, None)
        elif status in ("Approved for Payment", "Payment Held", "Sent for Payment", "Paid"):
            # The key stays with a paid claim: the combination is used up.
            self.dead.add(self.live.pop(cid))
        elif status == "Draft":
            self.submit(cid, self.live[cid])
        else:
            self.s.call("read", "GET", f"/api/v1/claims/{cid}/history")

    def draft_churn(self):
        choices = [k for k in self.p.future if k not in self.p.blocked]
        if not choices:
            return
        sid, period = self.rnd.choice(choices)
        values, answers = values_for(self.p.definitions[sid], self.rnd, self.p.list_size)
        cid, etag = self.create(sid, period, values, answers, 0.05)
        if cid is None:
            return
        values, answers = values_for(self.p.definitions[sid], self.rnd, self.p.list_size)
        r = self.s.call("write", "PUT", f"/api/v1/claims/{cid}", body={"values": values, "answers": answers},
                        headers={"Idempotency-Key": next_key("values"), "If-Match": etag or "*"})
        d = self.s.call("write", "DELETE", f"/api/v1/claims/{cid}", headers={"Idempotency-Key": next_key("del")})
        if d.status != 204:
            self.p.blocked.add((sid, period))
        elif r.ok and d.headers.get("etag") is None:
            STATS.check_failed(f"DELETE /api/v1/claims/{cid} answered 204 without an ETag")


def make_writer(port, practices, shared):
    client = Client(port)
    rnd = random.Random(4)
    writers = [Writer(client, p, shared, rnd) for p in practices]

    def body():
        for w in writers:
            if STOP.is_set():
                return
            w.step()
            pace(0.15)
    return body


def make_approver(port, shared):
    client = Client(port)
    papprover = Session(client, "practice.approver")
    tier1 = Session(client, "tier1")
    tier2 = Session(client, "tier2")
    finance = Session(client, "finance")
    rnd = random.Random(5)
    last_run = [time.monotonic() - 135.0]  # the first payment run after about 45 s, then every 3 minutes

    def first_claim(session, role):
        r = session.call("read", "GET", f"/api/v1/worklist?role={role}")
        if not r.ok:
            return None
        for wl in r.json().get("worklists", []):
            for c in wl.get("claims", []):
                if c.get("provider") not in shared.skip_providers:
                    return c
        return None

    def decide(session, cid, action, body):
        return session.call("write", "POST", f"/api/v1/claims/{cid}/{action}", body=body,
                            headers={"Idempotency-Key": next_key(action)})

    def body():
        c = first_claim(papprover, "provider_approver")
        if c:
            decide(papprover, c["claim_id"], "provider-approve", None)
        c = first_claim(tier1, "tier1")
        if c:
            with shared.lock:
                ours = c["claim_id"] in shared.soak_claims
            if ours and rnd.random() < 0.15:
                decide(tier1, c["claim_id"], "return", {"reason": "Soak test: please check the figures.",
                                                        "tier": "tier1"})
            else:
                decide(tier1, c["claim_id"], "approve", {"tier": "tier1"})
        c = first_claim(tier2, "tier2")
        if c:
            with shared.lock:
                ours = c["claim_id"] in shared.soak_claims
            if ours:
                decide(tier2, c["claim_id"], "return", {"reason": "Soak test: returned so the key comes round.",
                                                        "tier": "tier2"})
            else:
                decide(tier2, c["claim_id"], "approve", {"tier": "tier2"})
        c = first_claim(finance, "finance")
        if c:
            decide(finance, c["claim_id"], "approve", {"tier": "finance"})
        if time.monotonic() - last_run[0] > 180:
            last_run[0] = time.monotonic()
            payable = tier2.call("read", "GET", "/api/v1/worklist?role=payments")
            waiting = payable.ok and any(wl.get("claims") for wl in payable.json().get("worklists", []))
            if waiting:
                pay_date = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=3)).isoformat()
                r = tier2.call("write", "POST", "/api/v1/payment-runs", body={"pay_date": pay_date},
                               headers={"Idempotency-Key": next_key("run")})
                if r.status == 201:
                    run = r.json().get("run_id")
                    c1 = tier2.call("write", "POST", f"/api/v1/payment-runs/{run}/confirm",
                                    headers={"Idempotency-Key": next_key("confirm")})
                    if c1.ok:
                        tier2.call("write", "POST", f"/api/v1/payment-runs/{run}/paid",
                                   headers={"Idempotency-Key": next_key("paid")})
                    tier2.call("read", "GET", f"/api/v1/payment-runs/{run}")
        pace(0.3)
    return body


def csv_cell(s):
    s = str(s)
    return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\r\n') else s


def bulk_csv(practice, rows, rnd, base):
    """rows: [(service id, period)]; values made distinct by `base` so every file (and its claim ids) is new."""
    comp_cols, answer_cols = [], []
    per_row = []
    for i, (sid, period) in enumerate(rows):
        defn = practice.definitions[sid]
        v = 1 + (base + i * 7) % max(1, min(practice.list_size // 2, 2000))
        values, answers = values_for(defn, rnd, practice.list_size, base=v)
        kinds = {c["id"]: c.get("unit_kind") for c in defn.get("components", [])}
        for k in values:
            if k not in comp_cols:
                comp_cols.append(k)
        for k in answers:
            if k not in answer_cols:
                answer_cols.append(k)
        per_row.append((sid, period, values, answers, kinds))
    lines = [",".join(["provider", "service", "period"] + comp_cols + ["answer:" + a for a in answer_cols])]
    for sid, period, values, answers, kinds in per_row:
        cells = [practice.code, sid, period]
        for k in comp_cols:
            if k not in values:
                cells.append("")
            elif kinds.get(k) == "money":
                cells.append(f"{values[k] // 100}.{values[k] % 100:02}")
            else:
                cells.append(str(values[k]))
        cells += [answers.get(a, "") for a in answer_cols]
        lines.append(",".join(csv_cell(c) for c in cells))
    return "\r\n".join(lines) + "\r\n"


def make_bulk(port, practice):
    client = Client(port)
    s = Session(client, practice.username)
    rnd = random.Random(6)
    state = {"n": 0, "dead": set()}

    def body():
        state["n"] += 1
        base = state["n"]
        open_rows = [k for k in practice.open_combos if k not in state["dead"]]
        submit = bool(open_rows) and state["n"] % 2 == 0
        if submit:
            rows = rnd.sample(open_rows, min(len(open_rows), 3))
        else:
            choices = [k for k in practice.future if k not in practice.blocked]
            if not choices:
                pace(2.0)
                return
            rows, seen = [], set()
            for sid, period in rnd.sample(choices, min(len(choices), 6)):
                if (sid, period) not in seen and len(rows) < 3:
                    seen.add((sid, period))
                    rows.append((sid, period))
        text = bulk_csv(practice, rows, rnd, base)
        r = s.call("bulk", "POST", f"/api/v1/claims/bulk?submit={'true' if submit else 'false'}", body=text,
                   ctype="text/csv", headers={"Idempotency-Key": next_key("bulk")})
        if r.status in (200, 201):
            ids = r.json().get("claims", [])
            if len(ids) != len(rows):
                STATS.check_failed(f"bulk upload of {len(rows)} rows named {len(ids)} claims")
            if r.status == 200 or r.json().get("duplicate"):
                STATS.check_failed("a new bulk file was answered as a duplicate")
            for cid, key in zip(ids, rows):
                if submit:
                    w = s.call("write", "POST", f"/api/v1/claims/{cid}/withdraw", body={"reason": "Soak test."},
                               headers={"Idempotency-Key": next_key("withdraw")})
                    if not w.ok:
                        state["dead"].add(key)
                else:
                    d = s.call("write", "DELETE", f"/api/v1/claims/{cid}", headers={"Idempotency-Key": next_key("del")})
                    if d.status != 204:
                        practice.blocked.add(key)
        elif r.status == 422 and submit:
            # A row could not be submitted (the window closed, say): drop the open periods named.
            text_body = r.body.decode("utf-8", "replace")
            for m in re.finditer(r"line (\d+)", text_body):
                line = int(m.group(1))
                if 2 <= line < 2 + len(rows):
                    state["dead"].add(rows[line - 2])
        pace(2.0)
    return body


# ---- SSE ----------------------------------------------------------------------------------------------------

class SseClient:
    """GET /api/v1/events/stream as the auditor over a raw socket; reconnects with Last-Event-ID."""

    def __init__(self, port, index, reconnect_every):
        self.port = port
        self.index = index
        self.reconnect_every = reconnect_every
        self.client = Client(port)
        self.token = None
        self.last_id = None
        self.sock = None
        self.thread = threading.Thread(target=self.run, name=f"sse-{index}", daemon=True)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def run(self):
        while not SSE_STOP.is_set():
            try:
                self.stream_once()
            except Exception as e:
                STATS.check_failed(f"sse-{self.index}: {type(e).__name__}: {e}")
                self.close()
                SSE_STOP.wait(1.0)
        self.close()

    def stream_once(self):
        if self.token is None:
            self.token = sign_in(self.client, "auditor")
            self.client.close()  # only for signing in: an idle connection would be closed by the server anyway
            if self.token is None:
                SSE_STOP.wait(2.0)
                return
        request = (f"GET /api/v1/events/stream HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                   f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n")
        if self.last_id is not None:
            request += f"Last-Event-ID: {self.last_id}\r\n"
        request += "\r\n"
        started = time.perf_counter()
        route = "/api/v1/events/stream"
        try:
            self.sock = socket.create_connection((HOST, self.port), timeout=REQUEST_TIMEOUT)
            self.sock.sendall(request.encode())
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed before the response headers")
                buf += chunk
        except OSError as e:
            STATS.request("sse", "GET", route, None, (time.perf_counter() - started) * 1000.0,
                          f"{type(e).__name__}: {e}")
            self.close()
            SSE_STOP.wait(1.0)
            return
        latency = (time.perf_counter() - started) * 1000.0
        head, rest = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            STATS.request("sse", "GET", route, None, latency, f"bad status line {lines[0]!r}")
            self.close()
            return
        headers = {}
        for h in lines[1:]:
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        STATS.request("sse", "GET", route, status, latency, rest[:300].decode("utf-8", "replace") if status >= 400 else "")
        if status != 200:
            if status == 401:
                self.token = None
            self.close()
            SSE_STOP.wait(2.0)
            return
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        self.read_events(rest, chunked)
        self.close()

    def read_events(self, initial, chunked):
        self.sock.settimeout(1.0)
        connected = time.monotonic()
        last_data = time.monotonic()
        raw = initial
        text = b""
        event = {"id": None, "data": False, "event": None}
        first_after_connect = True
        while not SSE_STOP.is_set():
            if raw:
                if chunked:
                    decoded, raw, done = dechunk(raw)
                    text += decoded
                    if done:
                        break
                else:
                    text, raw = text + raw, b""
                while b"\n" in text:
                    line, text = text.split(b"\n", 1)
                    line = line.rstrip(b"\r").decode("utf-8", "replace")
                    if line == "":
                        if event["data"] or event["event"]:
                            STATS.add("sse_events")
                            if event["id"] is not None:
                                try:
                                    eid = int(event["id"])
                                except ValueError:
                                    STATS.check_failed(f"sse-{self.index}: event id {event['id']!r} is not a number")
                                    eid = None
                                if eid is not None:
                                    if self.last_id is not None and eid <= self.last_id:
                                        STATS.check_failed(
                                            f"sse-{self.index}: event id {eid} after {self.last_id}"
                                            + (" (first after a reconnect)" if first_after_connect else ""))
                                    self.last_id = eid
                                    first_after_connect = False
                        event = {"id": None, "data": False, "event": None}
                    elif line.startswith(":"):
                        continue
                    else:
                        field, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        if field == "id":
                            event["id"] = value
                        elif field == "data":
                            event["data"] = True
                        elif field == "event":
                            event["event"] = value
            if (self.reconnect_every and time.monotonic() - connected > self.reconnect_every
                    and not STOP.is_set()):
                STATS.add("sse_reconnects")
                return  # a deliberate reconnect, resuming with Last-Event-ID
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                if time.monotonic() - last_data > SSE_STALL_SECONDS:
                    STATS.request("sse", "GET", "/api/v1/events/stream (read)", None, None,
                                  f"no bytes for {SSE_STALL_SECONDS:.0f} s")
                    return
                continue
            except OSError as e:
                if not SSE_STOP.is_set():
                    STATS.add("sse_drops")
                    STATS.add("sse_reconnects")
                    print(f"  sse-{self.index}: connection failed ({e}); reconnecting with Last-Event-ID",
                          file=sys.stderr, flush=True)
                return
            if not chunk:
                if not SSE_STOP.is_set():
                    STATS.add("sse_drops")
                    STATS.add("sse_reconnects")
                    print(f"  sse-{self.index}: the server ended the stream; reconnecting with Last-Event-ID",
                          file=sys.stderr, flush=True)
                return
            last_data = time.monotonic()
            raw += chunk


def dechunk(raw):
    """Decodes the complete chunks of `raw`: (bytes, the rest, whether the last chunk was seen)."""
    out = b""
    while True:
        if b"\r\n" not in raw:
            return out, raw, False
        size_line, after = raw.split(b"\r\n", 1)
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            raise ConnectionError(f"bad chunk size {size_line[:20]!r}")
        if size == 0:
            return out, b"", True
        if len(after) < size + 2:
            return out, raw, False
        out += after[:size]
        raw = after[size + 2:]


# ---- the server -------------------------------------------------------------------------------------------

class Server:
    def __init__(self, ledger, port, workdir, cache_mib):
        self.ledger = ledger
        self.port = port
        self.workdir = workdir
        self.cache_mib = cache_mib
        self.proc = None
        self.exit_code = None
        self.killed = False

    def start(self, timeout):
        out = open(os.path.join(self.workdir, "serve.out"), "wb")
        err = open(os.path.join(self.workdir, "serve.log"), "wb")
        cmd = [self.ledger, "serve", "--data", os.path.join(self.workdir, "data"),
               "--listen", f"{HOST}:{self.port}", "--demo", "--demo-password", PASSWORD]
        if self.cache_mib is not None:
            cmd += ["--cache-mib", str(self.cache_mib)]
        print("starting: " + " ".join(cmd), flush=True)
        # Its own session: a Ctrl+C in the terminal reaches this script, which then stops the server itself.
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        err.close()
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if STOP.is_set():
                return False
            if self.proc.poll() is not None:
                print(f"the server exited with status {self.proc.returncode} while starting:", file=sys.stderr)
                self.tail()
                return False
            try:
                c = http.client.HTTPConnection(HOST, self.port, timeout=2)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    print(f"the server is ready after {time.monotonic() - started:.1f} s (pid {self.proc.pid})",
                          flush=True)
                    return True
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        print(f"the server did not answer /healthz within {timeout:.0f} s", file=sys.stderr)
        self.tail()
        return False

    def tail(self):
        for name in ("serve.out", "serve.log"):
            try:
                with open(os.path.join(self.workdir, name), "rb") as f:
                    lines = f.read().decode("utf-8", "replace").splitlines()[-15:]
                for line in lines:
                    print(f"  {name}: {line}", file=sys.stderr)
            except OSError:
                pass

    def stop(self, grace=30.0):
        if self.proc is None or self.proc.poll() is not None:
            if self.proc is not None:
                self.exit_code = self.proc.returncode
            return
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.exit_code = self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            print(f"the server did not stop within {grace:.0f} s of SIGTERM; sending SIGKILL", file=sys.stderr)
            self.killed = True
            self.proc.kill()
            self.exit_code = self.proc.wait()

    def sample(self):
        """(RSS MiB: the lowest of five reads, open descriptors, threads) or Nones when the process is gone."""
        pid = self.proc.pid
        rss_values, threads = [], None
        for i in range(5):
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss_values.append(int(line.split()[1]) / 1024.0)
                        elif line.startswith("Threads:"):
                            threads = int(line.split()[1])
            except OSError:
                return None, None, None
            if i < 4:
                time.sleep(0.1)
        try:
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            fds = None
        return (min(rss_values) if rss_values else None), fds, threads


# RocksDB's own memory, from /metrics: it fills up to the write buffers and the block caches, then levels off.
ROCKS_DBS = ("log", "projections")
ROCKS_PARTS = ("memtable", "block_cache", "table_readers")


def rocks_mib(metrics):
    """RocksDB's memory in MiB (memtables, block caches, table readers of both databases), or None."""
    values = [metrics.get(f"rocks_{db}_{part}") for db in ROCKS_DBS for part in ROCKS_PARTS]
    if any(v is None for v in values):
        return None
    return sum(values) / (1024.0 * 1024.0)


MIB = 1024.0 * 1024.0


def mib_or_blank(value):
    return "" if value is None else round(value / MIB, 1)


def caches_mib(metrics):
    """The ledger's own caches in front of both databases, in MiB (the heap they hold, by the server), or None."""
    values = [metrics.get(f"cache_{db}") for db in ROCKS_DBS]
    if any(v is None for v in values):
        return None
    return sum(values) / (1024.0 * 1024.0)


def read_metrics(port):
    wanted = {"ledger_log_head": "log_head", "ledger_projection_lag": "projection_lag",
              "ledger_http_connections": "connections", "ledger_stream_subscribers": "streams"}
    wanted.update({f"ledger_{db}_{part}_bytes": f"rocks_{db}_{part}"
                   for db in ROCKS_DBS for part in ROCKS_PARTS})
    wanted.update({f"ledger_{db}_cache_bytes": f"cache_{db}" for db in ROCKS_DBS})
    wanted.update({"ledger_heap_in_use_bytes": "heap_in_use", "ledger_heap_free_bytes": "heap_free"})
    out = {}
    try:
        c = http.client.HTTPConnection(HOST, port, timeout=10)
        c.request("GET", "/metrics")
        r = c.getresponse()
        text = r.read().decode("utf-8", "replace")
        c.close()
    except (OSError, http.client.HTTPException) as e:
        STATS.request("monitor", "GET", "/metrics", None, None, f"{type(e).__name__}: {e}")
        return out
    if r.status != 200:
        STATS.request("monitor", "GET", "/metrics", r.status, None, text[:200])
        return out
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) == 2 and parts[0] in wanted:
            try:
                out[wanted[parts[0]]] = int(float(parts[1]))
            except ValueError:
                pass
    return out


# ---- reporting --------------------------------------------------------------------------------------------

CSV_FIELDS = ["minute", "elapsed_s", "rss_mib", "rocksdb_mib", "rss_less_rocksdb_mib", "caches_mib",
              "rss_less_held_mib", "heap_in_use_mib", "heap_free_mib", "heap_less_held_mib", "fds", "threads", "requests", "signin", "read", "write", "bulk",
              "sse", "s2xx", "s4xx", "s4xx_by_status", "errors", "errors_5xx", "errors_transport", "errors_check",
              "p50_ms", "p95_ms", "p99_ms", "max_ms", "sse_events", "sse_reconnects", "sse_drops", "writes_2xx",
              "writes_4xx", "log_head", "projection_lag", "connections", "streams"]


def make_row(label, elapsed, bucket, sample, metrics):
    rss, fds, threads = sample
    rocks = rocks_mib(metrics)
    caches = caches_mib(metrics)
    lat = sorted(bucket.latencies)
    row = {
        "minute": label, "elapsed_s": round(elapsed, 1),
        "rss_mib": "" if rss is None else round(rss, 1),
        "rocksdb_mib": "" if rocks is None else round(rocks, 1),
        "rss_less_rocksdb_mib": "" if rss is None or rocks is None else round(rss - rocks, 1),
        "caches_mib": "" if caches is None else round(caches, 1),
        "rss_less_held_mib": "" if rss is None or rocks is None or caches is None else round(rss - rocks - caches, 1),
        "heap_in_use_mib": mib_or_blank(metrics.get("heap_in_use")),
        "heap_free_mib": mib_or_blank(metrics.get("heap_free")),
        "heap_less_held_mib": "" if metrics.get("heap_in_use") is None or rocks is None or caches is None
        else round(metrics["heap_in_use"] / MIB - rocks - caches, 1),
        "fds": "" if fds is None else fds,
        "threads": "" if threads is None else threads,
        "requests": sum(bucket.requests[k] for k in KINDS),
        "s2xx": bucket.classes["2xx"], "s4xx": bucket.classes["4xx"],
        "s4xx_by_status": " ".join(f"{k}:{v}" for k, v in sorted(bucket.status_4xx.items())),
        "errors": bucket.errors, "errors_5xx": bucket.err_5xx, "errors_transport": bucket.err_transport,
        "errors_check": bucket.err_check,
        "p50_ms": round(percentile(lat, 0.50), 2), "p95_ms": round(percentile(lat, 0.95), 2),
        "p99_ms": round(percentile(lat, 0.99), 2), "max_ms": round(lat[-1], 2) if lat else 0.0,
        "sse_events": bucket.sse_events, "sse_reconnects": bucket.sse_reconnects, "sse_drops": bucket.sse_drops,
        "writes_2xx": bucket.kind_class[("write", "2xx")] + bucket.kind_class[("bulk", "2xx")],
        "writes_4xx": bucket.kind_class[("write", "4xx")] + bucket.kind_class[("bulk", "4xx")],
        "log_head": metrics.get("log_head", ""), "projection_lag": metrics.get("projection_lag", ""),
        "connections": metrics.get("connections", ""), "streams": metrics.get("streams", ""),
    }
    for k in KINDS:
        row[k] = bucket.requests[k]
    return row


def growth_line(rows, label, field, aside, highest=False):
    """Prints a memory measure in the first minute against the last (and its highest, if asked)."""
    first, last = rows[0], rows[-1]
    if first[field] == "" or last[field] == "":
        return
    top = ""
    if highest:
        top = f", highest {max(r[field] for r in rows if r[field] != '')} MiB"
    print(f"  {label} minute {first['minute']}: {first[field]} MiB, last: {last[field]} MiB, "
          f"growth {last[field] - first[field]:+.1f} MiB{top} ({aside})")


def print_row(row):
    kinds = " ".join(f"{k} {row[k]}" for k in KINDS)
    s4 = f" [{row['s4xx_by_status']}]" if row["s4xx_by_status"] else ""
    print(f"min {row['minute']:>3} | rss {row['rss_mib']} MiB (rocksdb {row['rocksdb_mib']}, caches {row['caches_mib']}) | "
          f"heap in use {row['heap_in_use_mib']} (less rocksdb and caches {row['heap_less_held_mib']}), "
          f"free {row['heap_free_mib']} | fds {row['fds']} | thr {row['threads']} | "
          f"req {row['requests']} ({kinds}) | 2xx {row['s2xx']} 4xx {row['s4xx']}{s4} | err {row['errors']} | "
          f"ms p50 {row['p50_ms']} p95 {row['p95_ms']} p99 {row['p99_ms']} max {row['max_ms']} | "
          f"sse {row['sse_events']} ev | head {row['log_head']} lag {row['projection_lag']} "
          f"conn {row['connections']}", flush=True)


# ---- main -------------------------------------------------------------------------------------------------

def parse_args():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description="Soak test of `ledger serve`: mixed load for a fixed time, "
                                            "with the server's RSS, descriptors, errors and latency every minute.")
    p.add_argument("--ledger", default=os.path.join(root, "build", "tools", "ledger"),
                   help="the ledger binary (default: build/tools/ledger of this repository)")
    p.add_argument("--minutes", type=float, default=30.0, help="how long the load runs (default 30)")
    p.add_argument("--port", type=int, default=18090, help="the port on 127.0.0.1 to serve on (default 18090)")
    p.add_argument("--out", default=None, help="the CSV file (default /tmp/ledger-soak-<time>.csv)")
    p.add_argument("--keep", action="store_true", help="keep the temporary data directory and server logs")
    p.add_argument("--fd-tolerance", type=int, default=16,
                   help="descriptors the server may hold in the last minute beyond the first (default 16: new "
                        "table files of the stores)")
    p.add_argument("--cache-mib", type=int, default=None,
                   help="the server's --cache-mib (default: the server's own); a small budget makes the caches "
                        "fill and empty many times in a short soak")
    p.add_argument("--start-timeout", type=float, default=600.0,
                   help="seconds to wait for the demo history to load (default 600)")
    return p.parse_args()


def main():
    args = parse_args()
    if args.minutes <= 0:
        print("--minutes must be positive", file=sys.stderr)
        return 2
    if not (os.path.isfile(args.ledger) and os.access(args.ledger, os.X_OK)):
        print(f"no ledger binary at {args.ledger}: build it (make) or pass --ledger", file=sys.stderr)
        return 2
    try:
        with socket.create_connection((HOST, args.port), timeout=1):
            print(f"something already listens on {HOST}:{args.port}; choose another --port", file=sys.stderr)
            return 2
    except OSError:
        pass
    out_path = args.out or os.path.join(tempfile.gettempdir(),
                                        f"ledger-soak-{time.strftime('%Y%m%d-%H%M%S')}.csv")

    signals_seen = [0]
    failures = []

    def on_signal(signum, _frame):
        signals_seen[0] += 1
        if signals_seen[0] == 1:
            print(f"\nsignal {signum}: ending the load early (again to abort)", file=sys.stderr, flush=True)
            failures.append(f"interrupted by signal {signum} before the {args.minutes:g} minutes were up")
            STOP.set()
        else:
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    workdir = tempfile.mkdtemp(prefix="ledger-soak.")
    server = Server(args.ledger, args.port, workdir, args.cache_mib)
    rows = []
    sse_clients = []
    threads = []
    try:
        if not server.start(args.start_timeout):
            return 2
        setup = Client(args.port)
        today = dt.datetime.now(dt.timezone.utc).date()
        shared = SharedState()

        # What the practices may claim now, the bulk practice, the reports the auditor may run.
        try:
            practices = []
            setup_tokens = []
            for username in ("practice2.user", "practice.user"):
                token = sign_in(setup, username, kind="setup", record=False)
                if token is None:
                    raise SetupError(f"cannot sign in as {username}")
                setup_tokens.append(token)
                p = Practice(username)
                p.discover(setup, token, today)
                practices.append(p)
            admin = sign_in(setup, "icb.admin", kind="setup", record=False)
            providers = setup.call("setup", "GET", "/api/v1/providers", token=admin, record=False)
            if not providers.ok:
                raise SetupError(f"GET /api/v1/providers: {providers.status}")
            plist = providers.json().get("providers", [])
            sizes = {x["code"]: int(x.get("list_size") or 0) for x in plist}
            for p in practices:
                p.list_size = max(1, sizes.get(p.code, 1000))
            writer_codes = {p.code for p in practices}
            bulk = None
            for x in plist:
                if x.get("approval_mode") != "single" or x["code"] in writer_codes or sizes.get(x["code"], 0) < 2000:
                    continue
                cand = Practice(x["code"].lower() + ".user")
                token = sign_in(setup, cand.username, kind="setup", record=False)
                if token is None:
                    continue
                setup_tokens.append(token)
                cand.discover(setup, token, today)
                cand.list_size = sizes[x["code"]]
                if cand.future:
                    bulk = cand
                    break
            if bulk is None:
                raise SetupError("no single-level practice of the demo commissioner to upload files as")
            shared.skip_providers.add(bulk.code)
            auditor = sign_in(setup, "auditor", kind="setup", record=False)
            rl = setup.call("setup", "GET", "/api/v1/reports", token=auditor, record=False)
            reports = [x["name"] for x in rl.json().get("reports", [])
                       if "run" not in x.get("filters", []) and x["name"] != "claims"] if rl.ok else []
            reports += ["claims"]  # the largest report: once in a while
            for token in [admin, auditor] + setup_tokens:
                setup.call("setup", "DELETE", "/api/v1/session", token=token, record=False)
            setup.close()
        except SetupError as e:
            print(f"setup failed: {e}", file=sys.stderr)
            return 2
        for p in practices + [bulk]:
            print(f"  {p.username} ({p.code}, list size {p.list_size}): {len(p.definitions)} services, "
                  f"open now {sorted(p.open_combos)}, {len(p.future)} future periods for drafts", flush=True)
        if not any(p.open_combos for p in practices):
            print("  note: no claim window is open today for the writers' services; writes are drafts only",
                  flush=True)

        # The load.
        threads = [
            worker("signin", make_signin(args.port)),
            worker("read-commissioner", make_commissioner_reader(args.port, shared, reports)),
            worker("read-practice", make_practice_reader(args.port)),
            worker("writer", make_writer(args.port, practices, shared)),
            worker("approver", make_approver(args.port, shared)),
            worker("bulk", make_bulk(args.port, bulk)),
        ]
        sse_clients = [SseClient(args.port, 1, 0), SseClient(args.port, 2, 90)]
        for c in sse_clients:
            c.thread.start()
        for t in threads:
            t.start()
        STATS.take_minute()  # setup requests are not part of minute 1
        started = time.monotonic()
        deadline = started + args.minutes * 60.0
        print(f"load running for {args.minutes:g} min: 6 worker threads, 2 SSE clients; CSV: {out_path}",
              flush=True)

        with open(out_path, "w", newline="") as f:
            out = csv.DictWriter(f, fieldnames=CSV_FIELDS)
            out.writeheader()
            f.flush()
            minute = 0
            while True:
                minute += 1
                target = started + 60.0 * minute
                if target >= deadline - 1.0:
                    break
                STOP.wait(max(0.0, target - time.monotonic()))
                if STOP.is_set():
                    break
                row = make_row(str(minute), time.monotonic() - started, STATS.take_minute(), server.sample(),
                               read_metrics(args.port))
                rows.append(row)
                out.writerow(row)
                f.flush()
                print_row(row)
                if server.proc.poll() is not None:
                    failures.append(f"the server exited during the run (status {server.proc.returncode})")
                    STOP.set()
                    break
            STOP.wait(max(0.0, deadline - time.monotonic()))
            STOP.set()
            for t in threads:
                t.join(timeout=REQUEST_TIMEOUT * 3)
            # The SSE clients should reach the log head once the writes stop.
            head = read_metrics(args.port).get("log_head")
            caught_up = False
            wait_until = time.monotonic() + 20.0
            while time.monotonic() < wait_until:
                if head is not None and all(c.last_id == head for c in sse_clients):
                    caught_up = True
                    break
                time.sleep(0.25)
            sse_state = ", ".join(f"sse-{c.index} at {c.last_id}" for c in sse_clients)
            if not caught_up and server.proc.poll() is None:
                failures.append(f"the SSE clients did not reach the log head {head} ({sse_state})")
            # The last row: taken before the clients close their connections, so descriptors compare like with like.
            final = make_row(str(minute) if not rows or rows[-1]["minute"] != str(minute) else f"{minute}+",
                             time.monotonic() - started, STATS.take_minute(), server.sample(),
                             read_metrics(args.port))
            rows.append(final)
            out.writerow(final)
            f.flush()
            print_row(final)
    except KeyboardInterrupt:
        print("aborted", file=sys.stderr)
        failures.append("aborted")
    finally:
        STOP.set()
        SSE_STOP.set()
        for c in sse_clients:
            c.close()
            c.thread.join(timeout=5)
        with Client.all_lock:
            for c in Client.all_clients:
                c.close()
        server.stop()
        if server.exit_code not in (None, 0) or server.killed:
            failures.append(f"the server did not stop cleanly (exit status {server.exit_code}"
                            f"{', killed' if server.killed else ''})")
            server.tail()
        if args.keep:
            print(f"kept {workdir} (data/, serve.out, serve.log)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    return summary(rows, failures, args, out_path, sse_clients)


def summary(rows, failures, args, out_path, sse_clients):
    if not rows:
        print("no measurements", file=sys.stderr)
        return 2 if not failures else 1
    t = STATS.total
    first, last = rows[0], rows[-1]
    lat = sorted(STATS.all_latencies)
    print()
    print("summary")
    if first["rss_mib"] != "" and last["rss_mib"] != "":
        growth = last["rss_mib"] - first["rss_mib"]
        print(f"  RSS         minute {first['minute']}: {first['rss_mib']} MiB, last ({last['minute']}): "
              f"{last['rss_mib']} MiB, growth {growth:+.1f} MiB ({100.0 * growth / max(first['rss_mib'], 1):+.1f}%); "
              f"highest {max(r['rss_mib'] for r in rows if r['rss_mib'] != '')} MiB")
    growth_line(rows, "RSS - RocksDB", "rss_less_rocksdb_mib",
                f"RocksDB itself: {first['rocksdb_mib']} -> {last['rocksdb_mib']} MiB")
    growth_line(rows, "RSS - RocksDB - caches", "rss_less_held_mib",
                f"caches: {first['caches_mib']} -> {last['caches_mib']} MiB")
    growth_line(rows, "heap in use - RocksDB - caches", "heap_less_held_mib",
                f"heap freed but held: {first['heap_free_mib']} -> {last['heap_free_mib']} MiB", highest=True)
    fd_growth = None
    if first["fds"] != "" and last["fds"] != "":
        fd_growth = last["fds"] - first["fds"]
        print(f"  fds         minute {first['minute']}: {first['fds']}, last: {last['fds']}, growth {fd_growth:+d} "
              f"(tolerance {args.fd_tolerance})")
        if fd_growth > args.fd_tolerance:
            failures.append(f"descriptors grew by {fd_growth} (more than {args.fd_tolerance})")
    if first["threads"] != "" and last["threads"] != "":
        print(f"  threads     minute {first['minute']}: {first['threads']}, last: {last['threads']}")
    kinds = ", ".join(f"{k} {t.requests[k]}" for k in KINDS)
    print(f"  requests    {sum(t.requests[k] for k in KINDS)} ({kinds}); 2xx {t.classes['2xx']}, "
          f"4xx {t.classes['4xx']}"
          + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(t.status_4xx.items()))})" if t.status_4xx else ""))
    w2 = t.kind_class[("write", "2xx")] + t.kind_class[("bulk", "2xx")]
    w4 = t.kind_class[("write", "4xx")] + t.kind_class[("bulk", "4xx")]
    print(f"  writes      {w2} 2xx, {w4} 4xx ({100.0 * w2 / max(1, w2 + w4):.1f}% 2xx); {t.replays} "
          f"idempotent replays checked")
    print("  by route:")
    for (kind, method, route), n in sorted(t.routes.items(), key=lambda kv: (KINDS.index(kv[0][0])
                                                                          if kv[0][0] in KINDS else 9, -kv[1])):
        print(f"    {kind:<6} {n:>7}  {method} {route}")
    print(f"  latency     p50 {percentile(lat, .5):.2f} ms, p95 {percentile(lat, .95):.2f} ms, "
          f"p99 {percentile(lat, .99):.2f} ms, max {lat[-1] if lat else 0:.2f} ms")
    print(f"  SSE         {t.sse_events} events, {t.sse_reconnects} reconnects ({t.sse_drops} dropped by the "
          f"server); last ids: {', '.join(str(c.last_id) for c in sse_clients)}")
    print(f"  errors      {t.errors} (5xx {t.err_5xx}, transport {t.err_transport}, checks {t.err_check})")
    if STATS.sample_4xx:
        print("  4xx answers (status, route, code: count, first detail):")
        for (status, method, route, code), (n, detail) in STATS.sample_4xx.items():
            print(f"    {status} {method} {route} {code}: {n}  {detail[:160]}")
    if STATS.error_samples:
        print("  errors (latest):")
        for e in list(STATS.error_samples)[-15:]:
            print(f"    {e}")
    if t.errors:
        failures.append(f"{t.errors} errors")
    print(f"  CSV         {out_path}")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("OK: no errors, no descriptor growth beyond the tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
