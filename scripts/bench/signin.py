"""Sign-in benchmark (scripts/bench.sh signin): times POST /api/v1/session (one Argon2id verification with
the configured parameters) against an authenticated GET /api/v1/me on the same server, and prints both
medians and their ratio. Uses a throwaway SQLite database; stdlib only."""
import argparse, json, re, statistics, subprocess, tempfile, time, urllib.error, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--govtrack", required=True)
ap.add_argument("--runs", type=int, default=7)
args = ap.parse_args()

work = tempfile.mkdtemp()
db = "sqlite:" + work + "/signin.db"
subprocess.run([args.govtrack, "--db", db, "migrate"], check=True, capture_output=True)
with open(work + "/pw", "w") as f:
    f.write("a long enough password\n")
subprocess.run([args.govtrack, "--db", db, "user", "add", "bench", "--role", "viewer", "--password-file", work + "/pw"],
               check=True, capture_output=True)
server = subprocess.Popen([args.govtrack, "--db", db, "serve", "--port", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
try:
    port = re.search(r":(\d+)/", server.stdout.readline()).group(1)
    base = "http://127.0.0.1:" + port

    def sign_in():
        body = json.dumps({"username": "bench", "password": "a long enough password"}).encode()
        request = urllib.request.Request(base + "/api/v1/session", data=body,
                                         headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        response = urllib.request.urlopen(request)
        elapsed = time.perf_counter() - started
        return elapsed, response.headers["Set-Cookie"].split(";")[0]

    def me(cookie):
        started = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(base + "/api/v1/me", headers={"Cookie": cookie})).read()
        return time.perf_counter() - started

    # Fewer sign-ins than the throttle allows failures is not a concern: these all succeed.
    signins = [sign_in() for _ in range(args.runs)]
    cookie = signins[-1][1]
    reads = [me(cookie) for _ in range(args.runs * 10)]
    s, r = statistics.median(t for t, _ in signins), statistics.median(reads)
    print(f"sign-in benchmark: {args.runs} sign-ins, {args.runs * 10} authenticated reads")
    print(f"  POST /api/v1/session (Argon2id verify): median {s * 1000:.0f} ms")
    print(f"  GET /api/v1/me with the session cookie: median {r * 1000:.2f} ms")
    print(f"  ratio sign-in / authenticated request: {s / r:.0f}x")
finally:
    server.terminate()
    server.wait()
