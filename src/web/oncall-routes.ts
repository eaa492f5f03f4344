import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OncallConfig } from '../paging/config.js';
import { onCallNow } from '../paging/on-call-now.js';
import type { Safe } from './html.js';
import { onCallPage } from './pages/oncall-page.js';

interface Context {
  oncall?: OncallConfig;
  clock: () => Date;
  frame(request: FastifyRequest, title: string, body: Safe): string;
}

/** "On call": who each team's escalation levels page now and who takes over next, from oncall.yaml. */
export function registerOnCallPage(app: FastifyInstance, ctx: Context): void {
  app.get('/oncall', { config: { kind: 'page' } }, async (request, reply) => {
    const now = ctx.clock();
    const teams = ctx.oncall ? onCallNow(ctx.oncall, now) : undefined;
    return reply.type('text/html; charset=utf-8').send(ctx.frame(request, 'On call', onCallPage(teams, now)));
  });

  app.get('/api/oncall', { config: { kind: 'data' } }, async () => {
    const now = ctx.clock();
    return { at: now.toISOString(), teams: ctx.oncall ? onCallNow(ctx.oncall, now) : [] };
  });
}
