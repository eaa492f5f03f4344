# sitrep container image: `docker build -t sitrep .` then run with the settings of .env.example.
# .ci/container-recipe.sh runs these same steps without Docker on every CI run, so the recipe cannot rot.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; we build explicitly below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY templates ./templates
COPY manifests ./manifests
# The font the trace picture's PNG is drawn with (the slim image has no fonts).
COPY assets ./assets
# The node image's unprivileged user; sitrep needs no file system writes.
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: sitrep stops taking requests, finishes in-flight work within SHUTDOWN_TIMEOUT_MS and exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
