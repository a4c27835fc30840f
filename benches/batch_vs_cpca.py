"""HTTP batch resolution against cpca's in-process rate, in one run on the same texts.

cpca (PyPI) turns Chinese address text into province/city/county strings only; it is the
yardstick issue 5 sets: the HTTP batch rate of /v1/resolve/batch should be at least cpca's
in-process rate. Usage, from the repository root with ../shared beside it:

    pip install cpca && cargo build --release && python3 benches/batch_vs_cpca.py

Starts `menpai serve` on a fresh store with the dev gazetteer, on a free loopback port.
"""
import json, os, socket, subprocess, sys, tempfile, time, urllib.request

dev = os.environ.get("MENPAI_EVAL_DEV", "../shared/eval-dev")
binary = os.path.abspath("target/release/menpai")
texts = [json.loads(l)["q"] for l in open(os.path.join(dev, "queries.jsonl"), encoding="utf-8")] * 20

import cpca  # noqa: E402  (after the texts, so a missing package fails with a clear message)

t = time.perf_counter()
cpca.transform(texts)
cpca_rate = len(texts) / (time.perf_counter() - t)

work = tempfile.mkdtemp()
env = dict(os.environ, DATABASE_URL=os.path.join(work, "r.db"))
subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True)
subprocess.run([binary, "import", os.path.join(dev, "gazetteer.geojson")], env=env, check=True, capture_output=True)
token = subprocess.run([binary, "token", "create", "--role", "reader"], env=env, check=True, capture_output=True, text=True).stdout.strip()
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stderr=subprocess.DEVNULL)
try:
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    t = time.perf_counter()
    for i in range(0, len(texts), 10000):
        body = json.dumps({"queries": texts[i:i + 10000]}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/resolve/batch", data=body,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=300).read()
    http_rate = len(texts) / (time.perf_counter() - t)
finally:
    server.terminate()
    server.wait()
print(f"{len(texts)} texts: cpca in-process {cpca_rate:,.0f}/s, menpai HTTP batch {http_rate:,.0f}/s "
      f"({'at least' if http_rate >= cpca_rate else 'below'} cpca)")
sys.exit(0 if http_rate >= cpca_rate else 1)
