#!/usr/bin/env python3
"""Set-up of benchmarks/http_bench.sh's approval cycle.

    http_bench_claims.py BASE_URL PASSWORD OUT_FILE

Every practice with claims in the demo commissioners (00L, 00N) drafts a claim
for last month under each monthly service it has accepted (whose window is
open now), with 10 for every component, and submits it. Every claim that
reached Tier 1 is then taken once round the cycle (Tier 1 approves, Tier 2
returns, the practice resubmits), and written as "claim_id tier1_token
tier2_token provider_token" when that worked. Prints how many it kept.
"""
import datetime
import json
import sys
import urllib.error
import urllib.request


def main():
    base, password, out = sys.argv[1:]

    def call(method, path, token=None, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, method=method, data=data)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, {}

    tokens = {}

    def token(user):
        if user not in tokens:
            status, body = call("POST", "/api/v1/session", body={"username": user, "password": password})
            if status not in (200, 201):
                sys.exit(f"http_bench_claims: {user} cannot sign in ({status})")
            tokens[user] = body["token"]
        return tokens[user]

    today = datetime.date.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    waiting = {"Awaiting Commissioning Organisation Approval"}
    kept = []
    for org in ("00l", "00n"):
        t1, t2 = token(org + ".tier1"), token(org + ".tier2")
        _, page = call("GET", "/api/v1/claims?limit=1000", t1)
        for provider in sorted({c["provider"] for c in page.get("claims", [])}):
            p = token(provider.lower() + ".user")
            _, services = call("GET", "/api/v1/services", p)
            for svc in services.get("services", []):
                definition = svc["definition"]
                if definition["frequency"] != "monthly" or svc.get("offer_status") != "accepted":
                    continue
                values = {c["id"]: 10 for c in definition["components"]}
                status, claim = call("POST", "/api/v1/claims", p,
                                     {"service_id": svc["service_id"], "period": last_month, "values": values})
                if status != 201:
                    continue
                path = "/api/v1/claims/" + claim["claim_id"]
                status, claim = call("POST", path + "/submit", p)
                if status != 200 or claim.get("status") not in waiting:
                    continue
                if (call("POST", path + "/approve", t1)[0] == 200
                        and call("POST", path + "/return", t2, {"reason": "Please check the count"})[0] == 200
                        and call("POST", path + "/submit", p)[0] == 200):
                    kept.append(" ".join([claim["claim_id"], t1, t2, p]))
    with open(out, "w") as f:
        f.write("".join(line + "\n" for line in kept))
    print(f"{len(kept)} claims go round the approval cycle", file=sys.stderr)


if __name__ == "__main__":
    main()
