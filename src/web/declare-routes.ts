import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import type { Platform } from '../domain/incident.js';
import { SEVERITIES } from '../domain/severity.js';
import { isSitrepError } from '../domain/errors.js';
import { consoleActor, type PeopleByEmail } from '../incidents/console-actor.js';
import { declareFromConsole, type ConsoleDeclarePorts } from '../incidents/console-declare.js';
import type { IncidentDeps } from '../incidents/deps.js';
import type { SignedIn } from './auth.js';
import type { Safe } from './html.js';
import { declareForm, type DeclareFormValues } from './pages/declare-form.js';

/** What the console needs to act when chat is down. */
export interface ConsoleActing extends ConsoleDeclarePorts {
  /** Matches console users to their Slack/Teams identity by e-mail. */
  people: PeopleByEmail[];
}

const Declaration = z.object({
  key: z.string().min(8).max(100),
  title: z.string().trim().min(1, 'Give the incident a title (what is broken, as people notice it).').max(200, 'Keep the title under 200 characters.'),
  severity: z.enum(SEVERITIES, { error: 'Pick a severity from SEV1 (most severe) to SEV4.' }),
  team: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((t) => t || undefined),
  description: z
    .string()
    .trim()
    .max(3000, 'Keep the description under 3000 characters.')
    .optional()
    .transform((d) => d || undefined),
});

interface Context {
  deps: IncidentDeps;
  acting: ConsoleActing;
  teams?: string[];
  frame(request: FastifyRequest, title: string, body: Safe): string;
}

/** The signed-in person as the actor: their chat self when a platform knows their e-mail. */
export function actorFor(deps: IncidentDeps, people: readonly PeopleByEmail[], request: FastifyRequest, prefer?: Platform): Promise<Actor> {
  const { viewer } = request.signedIn as SignedIn;
  return consoleActor(people, viewer, deps.logger, prefer ? { prefer } : {});
}

/** Declaring an incident from the console: the form, and the post that records it and queues its room. */
export function registerDeclareRoutes(app: FastifyInstance, ctx: Context): void {
  const { deps, acting } = ctx;
  const form = (request: FastifyRequest, reply: FastifyReply, status: number, values?: DeclareFormValues, error?: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        ctx.frame(
          request,
          'Declare an incident',
          declareForm({
            labels: deps.settings.severityLabels,
            defaultSeverity: deps.settings.defaultSeverity,
            ...(ctx.teams ? { teams: ctx.teams } : {}),
            ...(values ? { values } : {}),
            ...(error ? { error } : {}),
          }),
        ),
      );

  app.get('/incidents/new', { config: { kind: 'page' } }, async (request, reply) => form(request, reply, 200));

  app.post('/incidents', { config: { kind: 'data' } }, async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const values: DeclareFormValues = Object.fromEntries(
      (['title', 'severity', 'team', 'description'] as const).filter((k) => typeof raw[k] === 'string').map((k) => [k, raw[k] as string]),
    );
    const parsed = Declaration.safeParse(raw);
    // A bad form is shown again with what was typed and what to fix; nothing is recorded.
    if (!parsed.success) return form(request, reply, 400, values, parsed.error.issues[0]?.message ?? 'Check the form.');
    const actor = await actorFor(deps, acting.people, request, acting.platform);
    const platform = (actor.platform === 'slack' || actor.platform === 'teams') && deps.chats[actor.platform] ? actor.platform : acting.platform;
    try {
      const declared = await declareFromConsole(deps, { ...acting, platform }, { ...parsed.data, actor, key: `web:${parsed.data.key}` });
      return reply.redirect(declared === 'duplicate' ? '/incidents' : `/incidents/${declared.number}`, 303);
    } catch (err) {
      if (isSitrepError(err) && err.code === 'invalid_input') return form(request, reply, 400, values, err.userMessage);
      throw err;
    }
  });
}
