# The Rectify Temporal worker (infra/worker-main.ts), as SST's Worker service builds it.
# tsx runs the TypeScript sources directly, so it is a runtime dependency and
# survives `--omit=dev`; the workflow bundle is built here, once, not at every start.
# Node 22 is supported until 2027-04-30 (infra/runtimes.ts, checked by a unit test);
# the same code runs on the Node 20 of the development machines.
FROM node:22-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY store ./store
COPY audit ./audit
COPY api ./api
COPY infra ./infra

RUN npm run build:workflows
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js

USER node
# Node itself is PID 1 and receives ECS's SIGTERM; the worker then drains and exits.
CMD ["node", "--import", "tsx", "infra/worker-main.ts"]
