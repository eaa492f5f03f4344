import { describe, expect, it } from 'vitest';
import { analyseTrace, CatalogError, formatSummary, loadCatalog, parseTraceText } from '../../src/triage/index.js';
import { catalogFixture, ownFixture } from './helpers/paths.js';
import { serialise } from './helpers/scenario.js';
import { cascade } from './helpers/scenarios.js';

describe('ownership catalog', () => {
  it('reads the Backstage examples: a short owner ref, a namespace-qualified one, and the Group with its members', async () => {
    const catalog = await loadCatalog({ catalog: [catalogFixture()] });
    expect(catalog.ownerOf('artist-lookup')).toMatchObject({ team: 'team-a', ref: 'group:default/team-a', matchedBy: 'exact', email: 'team-a@example.com' });
    // Owned from namespace `alternative` by `default/team-a`: the explicit namespace wins.
    expect(catalog.ownerOf('different-namespace')).toMatchObject({ ref: 'group:default/team-a', entity: 'component:alternative/different-namespace' });
    const members = catalog.ownerOf('artist-lookup')!.members;
    expect(members).toEqual(expect.arrayContaining(['user:default/breanna.davison', 'user:default/guest', 'user:development/guest']));
  });

  it('resolves every owner form and falls back to the System owner', async () => {
    const catalog = await loadCatalog({ catalog: [ownFixture('catalog')] });
    expect(catalog.ownerOf('user-directory')).toMatchObject({
      team: 'team-directory', ref: 'group:default/team-directory', slackChannel: '#team-directory', teamsChannel: 'Directory/On-call',
      displayName: 'Directory Team', members: ['user:default/li', 'user:default/maria'],
    });
    expect(catalog.ownerOf('users-db')).toMatchObject({ team: 'team-dba', ref: 'group:default/team-dba' });
    expect(catalog.ownerOf('storefront')).toMatchObject({ team: 'team-web', via: 'system' });
  });

  it('matches trace service names by annotation, then by normalised name, resolving short refs in the entity namespace', async () => {
    const catalog = await loadCatalog({ catalog: [ownFixture('catalog')] });
    expect(catalog.ownerOf('checkout-worker')).toMatchObject({ team: 'team-checkout', matchedBy: 'telemetry-annotation', entity: 'component:default/checkout-service' });
    expect(catalog.ownerOf('auth-service')).toMatchObject({ ref: 'group:security/team-security', matchedBy: 'normalised', slackChannel: '#sec-oncall' });
    expect(catalog.ownerOf('nobody-knows-me')).toBeNull();
  });

  it('reads ownership.yaml with globs (most specific wins) and a default team', async () => {
    const catalog = await loadCatalog({ ownership: [ownFixture('ownership.yaml')] });
    expect(catalog.ownerOf('legacy-billing')).toMatchObject({ team: 'team-billing', matchedBy: 'normalised' });
    expect(catalog.ownerOf('payments-api')).toMatchObject({ team: 'team-payments', matchedBy: 'pattern', slackChannel: '#payments-oncall' });
    expect(catalog.ownerOf('payments-gateway-eu')).toMatchObject({ team: 'team-gateway' });
    expect(catalog.ownerOf('search')).toBeNull();
    const withDefault = await loadCatalog({ ownership: [ownFixture('ownership-with-default.yaml')] });
    expect(withDefault.ownerOf('anything')).toMatchObject({ team: 'team-sre', matchedBy: 'default' });
  });

  it('names the file and line of a broken YAML file', async () => {
    const err = await loadCatalog({ catalog: [ownFixture('broken/bad-indent.yaml')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).message).toMatch(/bad-indent\.yaml:\d+: invalid YAML/);
  });

  it('names the file, line and missing field of a document that is not an entity', async () => {
    const err = (await loadCatalog({ catalog: [ownFixture('broken/no-name.yaml')] }).catch((e: unknown) => e)) as CatalogError;
    expect(err.message).toMatch(/no-name\.yaml:8: not a Backstage entity \(metadata\.name/);
    expect(err.line).toBe(8);
  });

  it('says so when a catalog path does not exist', async () => {
    await expect(loadCatalog({ catalog: ['/nowhere/catalog-info.yaml'] })).rejects.toThrow(/\/nowhere\/catalog-info\.yaml: file or folder not found/);
  });

  it('puts the owner on the verdict, or suggests the nearest known owner on the path and says so', async () => {
    const spans = parseTraceText(serialise(cascade.scenario, 'jaeger')).spans;
    const full = await loadCatalog({ catalog: [ownFixture('catalog')] });
    const verdict = analyseTrace(spans, { catalog: full });
    expect(verdict.owner).toMatchObject({ team: 'team-directory' });
    expect(formatSummary(verdict)).toMatch(
      /^the failure starts in `user-directory` \(owned by team-directory\): storefront 500 ← checkout 500 ← auth 401 ← user-directory 500 'relation users does not exist'/,
    );

    const partial = await loadCatalog({ ownership: [ownFixture('ownership-partial.yaml')] });
    const unknown = analyseTrace(spans, { catalog: partial });
    expect(unknown.owner).toBeNull();
    expect(unknown.ownerNote).toMatch(/^no owner known for user-directory; suggesting team-checkout, owner of checkout, the nearest known service before it/);
    expect(unknown.suggestedOwner).toMatchObject({ team: 'team-checkout', viaService: 'checkout' });
  });
});
