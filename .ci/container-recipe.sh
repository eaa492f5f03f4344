#!/usr/bin/env bash
# Runs the Dockerfile's steps without Docker (no registry here): production install into a clean
# directory, the build copied in, start as the image would, /healthz answers, SIGTERM exits in time.
# Keeps the image recipe from rotting; takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
app=$(mktemp -d)
pid=""
slack=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; [ -n "$slack" ] && { kill "$slack"; wait "$slack"; } 2>/dev/null || true; rm -rf "$app"; }
trap cleanup EXIT

# Build stage (the checkout already has the dev dependencies installed).
npx tsc -p tsconfig.build.json --outDir "$app/dist"
# Runtime stage.
cp package.json package-lock.json "$app/"
cp -r templates manifests assets "$app/"
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
api=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# sitrep checks its Slack token at start-up: a stand-in Web API that accepts every call (auth.test included).
node -e "require('http').createServer((q,r)=>{q.resume();r.setHeader('content-type','application/json');r.end(JSON.stringify({ok:true,user_id:'U_SITREP',bot_id:'B_SITREP',team_id:'T_CI',team:'ci',user:'sitrep'}))}).listen($api,'127.0.0.1')" &
slack=$!
(cd "$app" && exec env -i PATH="$PATH" NODE_ENV=production PORT="$port" HOST=127.0.0.1 \
  SLACK_BOT_TOKEN=xoxb-container-recipe SLACK_SIGNING_SECRET=container-recipe SLACK_API_URL="http://127.0.0.1:$api/api/" \
  REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}" REDIS_KEY_PREFIX="ci-container-recipe:$$:" SHUTDOWN_TIMEOUT_MS=5000 LOG_LEVEL=warn \
  node dist/main.js) &
pid=$!

for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "container recipe: sitrep exited before answering /healthz" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "container recipe: /healthz did not answer" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "container recipe: /readyz is not ready" >&2; exit 1; }

kill -TERM "$pid"
for _ in $(seq 1 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then echo "container recipe: still running 7 s after SIGTERM" >&2; exit 1; fi
pid=""
echo "container recipe: production install starts, answers /healthz and /readyz, and stops on SIGTERM"
